export {};
// The platform's shared utilities: logging, telemetry, ids, access tokens, personal-data sealing, the
// audit key ring and verifier (and, until they move, the HTTP kit, configuration and text documents).
// The store and bus ports are `@resoft/ports`; their adapters are `@resoft/adapter-*` (adapters/), each
// imported only by a process whose configuration names that engine (issue 19: a vendor SDK costs ~1 s).
export * from './config/config.js';
export * from './logging/logger.js';
export * from './ids/ids.js';
export * from './auth/signing-key.js';
export * from './auth/access-tokens.js';
export * from './auth/session-revocations.js';
export * from './http/http-errors.js';
export * from './http/route.js';
export * from './http/rate-limiter.js';
export * from './http/mount-routes.js';
export * from './http/json-text.js';
export * from './http/openapi.js';
export * from './http/http-app.js';
export * from './http/security-headers.js';
export * from './http/server-sent-events.js';
export * from './http/query-schemas.js';
export * from './documents/text-document.js';
export * from './documents/live-text-document.js';
export * from './documents/document-history.js';
export * from './audit-log/audit-key-ring.js';
export * from './audit-log/verify-audit-log.js';
export * from './documents/project-files-as-of.js';
export * from './documents/project-file-history.js';
export * from './documents/change-churn.js';
export * from './telemetry/metrics/index.js';
export * from './telemetry/tracing/trace-context.js';
export * from './telemetry/tracing/tracing-config.js';
export * from './telemetry/tracing/start-tracing.js';
export * from './telemetry/tracing/delivered-trace.js';
export * from './telemetry/tracing/span-per-trace.js';
export * from './keys/personal-value-cipher.js';
export * from './keys/personal-data-codec.js';
export * from './keys/claim-hasher.js';
export * from './audit-log/document-snapshots-as-of.js';
export * from './keys/caching-key-store.js';
