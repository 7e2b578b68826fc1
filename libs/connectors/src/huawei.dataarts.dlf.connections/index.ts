export * from './dlf-connections-config.js';
export * from './dlf-connection-file.js';
export * from './dlf-connections-connector.js';
