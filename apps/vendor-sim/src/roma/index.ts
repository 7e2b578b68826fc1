export * from './roma-model.js';
export { RomaState, type LiveDataApiFilter } from './roma-state.js';
export { generateRomaEstate, LIVEDATA_APIS_PER_APP, LIVEDATA_APIS_PER_SCALE, SIGNATURE_KEYS_PER_SCALE, type RomaEstate } from './roma-generator.js';
export { EXPORT_FORMATS, type ExportFormat } from './livedata-swagger.js';
export { ROMA_INSTANCE_PREFIX } from './roma-request.js';
export { ROMA_APPS_ROUTE, ROMA_LIVEDATA_APIS_ROUTE } from './roma-listing-routes.js';
export { ROMA_EXPORT_ROUTE } from './roma-export-route.js';
export { ROMA_IMPORT_ROUTE } from './roma-import-route.js';
