export * from './connector.js';
export * from './errors.js';
