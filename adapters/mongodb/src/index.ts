/**
 * `@resoft/adapter-mongodb`: the stores on MongoDB or an engine speaking its wire protocol (FerretDB),
 * loaded only where MONGO_URL is set: read models, submitted sources, the audit log, personal-data keys.
 */
export * from './read-store/mongo-read-store.js';
export * from './source-store/mongo-source-store.js';
export * from './audit-log/mongo-merkle-log-store.js';
export * from './keys/mongo-key-store.js';
