export * from './apig-model.js';
export { ApigState, ApigStateError, type ApiFilter } from './apig-state.js';
export { generateApigEstate, loadApigEstate, APIG_APIS_PER_SCALE, APIG_GROUPS_PER_SCALE, APIG_TEST_ENV_NAME, type ApigEstate } from './apig-estate-generator.js';
export { seedApig, DEFAULT_APIG_INSTANCE_ID } from './seed-apig.js';
export { renderApigExport, selectExportedApis, APIG_DEFINES, OAS_VERSIONS, APIG_GROUP_ENTRY_URL_PLACEHOLDER, type ApigDefine, type OasVersion, type ApigExportRequest } from './apig-openapi-export.js';
export { serializeApigExport, exportVersionAt, APIG_EXPORT_TYPES, type ApigExportType } from './apig-export-file.js';
export { APIG_ROUTES, apigExportRouteOf } from './apig-routes.js';
export { ApigErrors } from './apig-errors.js';
