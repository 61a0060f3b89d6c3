export * from './query-routes.js';
export * from './query-service-deps.js';
export * from './audit/audit-bundle.js';
export * from './analytics/project-history.js';
export * from './analytics/event-columns.js';
export * from './analytics/sql-queries.js';
export * from './analytics/sql-tables.js';
export * from './analytics/tabular-output.js';
