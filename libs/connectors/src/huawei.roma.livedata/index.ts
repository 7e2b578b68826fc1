export * from './roma-livedata-config.js';
export * from './roma-listings.js';
export * from './livedata-export-file.js';
export * from './livedata-api-document.js';
export * from './roma-livedata-connector.js';
