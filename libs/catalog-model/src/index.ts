export * from './json.js';
export * from './canonical-json.js';
export * from './content-hash.js';
export * from './catalog-entry.js';
export * from './document-diff.js';
export * from './redaction.js';
export * from './api-document.js';
