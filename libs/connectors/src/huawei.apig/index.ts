export * from './apig-config.js';
export * from './apig-connector.js';
export { APIG_CALLS } from './apig-vendor-api.js';
export { apigExternalId, backendOf as apigBackendOf } from './apig-operation-document.js';
