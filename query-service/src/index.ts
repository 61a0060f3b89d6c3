export * from './query-routes.js';
export * from './query-service-deps.js';
export * from './audit/audit-bundle.js';
