export {};
// The platform's shared utilities: logging, telemetry, ids, access tokens, personal-data sealing, the
// audit key ring and verifier, and the configuration every service shares. The HTTP kit is `@resoft/http-kit`, text documents `@resoft/documents`.
// The store and bus ports are `@resoft/ports`; their adapters are `@resoft/adapter-*` (adapters/), each
// imported only by a process whose configuration names that engine (issue 19: a vendor SDK costs ~1 s).
export * from './config/config.js';
export * from './logging/logger.js';
export * from './ids/ids.js';
export * from './auth/signing-key.js';
export * from './auth/access-tokens.js';
export * from './auth/session-revocations.js';
export * from './audit-log/audit-key-ring.js';
export * from './audit-log/verify-audit-log.js';
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
