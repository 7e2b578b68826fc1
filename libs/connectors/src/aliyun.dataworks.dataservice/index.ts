export * from './dataworks-config.js';
export * from './dataworks-page.js';
export * from './dataworks-api-document.js';
export * from './dataworks-project-pass.js';
export { DATAWORKS_API_VERSION, LIST_APIS_CALL, LIST_DATA_SERVICE_APIS, dataWorksPageFetcher, pageArtifactName } from './dataworks-page-fetcher.js';
export * from './dataworks-connector.js';
