export * from './database/database-config.js';
export * from './database/database.js';
export * from './database/migrations.js';
