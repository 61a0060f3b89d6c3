/**
 * The settings every process shares (listener, data directory, tokens, engines, logging, metrics,
 * tracing, shutdown). Each service declares its own settings next to its code (its
 * `…-config.ts`); the app merges them with these into the `Config` its entry files read once with
 * `loadConfig(process.env)` and pass down; nothing below them reads `process.env`. The embedded
 * defaults need no configuration.
 */
import path from 'node:path';
import { z } from 'zod';
import { parseSettings, positiveIntSetting as positiveInt, type Environment } from './settings.js';
import { SAMPLER_NAMES, type TracingConfig } from '../telemetry/tracing/tracing-config.js';

const commaList = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));

/** An OTLP receiver's URL; empty counts as unset, as the OpenTelemetry specification says. */
const otlpUrl = z.preprocess((v) => (v === '' ? undefined : v), z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional());

export const sharedConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  RESOFT_DATA_DIR: z.string().default('./data'),
  /** Usernames or emails of administrators (audit verification of everything). */
  RESOFT_ADMINS: commaList,
  /** HS256 secret for access tokens; when absent a key is generated once and kept in the data directory. */
  RESOFT_JWT_SECRET: z.string().min(32, 'RESOFT_JWT_SECRET must be at least 32 characters').optional(),
  /** HMAC secret for uniqueness claims (emails, usernames); when absent one is generated once and kept in the data directory. */
  RESOFT_CLAIM_SECRET: z.string().min(32, 'RESOFT_CLAIM_SECRET must be at least 32 characters').optional(),
  RESOFT_ACCESS_TOKEN_TTL_SECONDS: positiveInt(900),
  RESOFT_REFRESH_TOKEN_TTL_SECONDS: positiveInt(30 * 24 * 3600),
  RESOFT_SQLITE_SYNCHRONOUS: z.enum(['NORMAL', 'FULL']).default('NORMAL'),
  /** How often a caught-up subscription looks for events appended by another process on the same SQLite file. */
  RESOFT_EVENT_POLL_MS: positiveInt(100),
  RESOFT_MAX_BODY_BYTES: positiveInt(2 * 1024 * 1024),
  EVENTSTORE_URL: z.string().regex(/^(esdb|kurrentdb)(\+discover)?:\/\//, 'must be an esdb:// connection string').optional(),
  KAFKA_BROKERS: z.string().optional(),
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URL').optional(),
  RESOFT_MONGO_DATABASE: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,62}$/).default('resoft'),
  /** Most operations in one MongoDB bulk write (issue 15: FerretDB 1.24 froze on 100 replaces in one). */
  RESOFT_MONGO_MAX_OPS_PER_WRITE: z.coerce.number().int().min(1).max(1000).default(50),
  /** Deadline of each call to an engine (MongoDB, Kafka, EventStoreDB; Redis has its own 1 s): a call without an answer by then fails instead of hanging. */
  RESOFT_ENGINE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
  RESOFT_KAFKA_TOPIC: z.string().regex(/^[a-zA-Z0-9._-]{1,200}$/).default('resoft-events'),
  RESOFT_KAFKA_PARTITIONS: positiveInt(6),
  /** The consumer group the projectors processes of one deployment share. */
  RESOFT_KAFKA_GROUP: z.string().regex(/^[a-zA-Z0-9._-]{1,200}$/).default('resoft-projectors'),
  /** A standby relay takes over when the relay checkpoint has not moved for this long while events wait. */
  RESOFT_RELAY_TAKEOVER_MS: z.coerce.number().int().min(1000).default(10_000),
  /**
   * How long the group waits for a silent projectors process before giving its partitions to the others
   * (the broker allows 6 s to 30 min by default). 6 s: a SIGKILLed process's partitions move within 10 s;
   * members heartbeat during long batches too, so a busy process is not taken for a dead one.
   */
  RESOFT_KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6000).max(1_800_000).default(6_000),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  /**
   * Express's `trust proxy`: unset (off) when clients connect directly; behind a proxy, e.g. `1`
   * (one hop) or `loopback, uniquelocal`, so rate limits and recorded sign-in addresses use the client's.
   */
  RESOFT_TRUST_PROXY: z.string().optional(),
  /**
   * 1: every answer of a route is checked against its documented status codes and body schema, and one
   * that does not match becomes a 500 `response_contract_violation` (the test suites run with it on).
   */
  RESOFT_VALIDATE_RESPONSES: z.enum(['0', '1']).default('0'),
  // Hardening (issue 11): shutdown, sessions, per-user write limits.
  /** After SIGTERM/SIGINT, open connections (HTTP keep-alive, WebSockets, half-open upgrades) get this long, then are closed. */
  RESOFT_SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(100).max(60_000).default(3000),
  /** Issue 19: processes serving the all-in-one's HTTP API (node cluster, one port, the same SQLite files); 1 = no cluster. */
  RESOFT_HTTP_PROCESSES: z.coerce.number().int().min(1).max(16).default(1),
  /** How often each process re-reads the list of revoked sessions (pub/sub brings most revocations at once). */
  RESOFT_REVOCATION_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  // Audit log (issue 13).
  /** Sign a tree head once this many events arrived since the last one. */
  RESOFT_AUDIT_SIGN_EVERY: positiveInt(1000),
  /** …or this often when fewer arrived (and at least one did). */
  RESOFT_AUDIT_SIGN_INTERVAL_MS: positiveInt(10_000),
  /** Ed25519 PKCS#8 PEM that signs tree heads; when absent a key is generated in <data dir>/keys/audit. */
  RESOFT_AUDIT_SIGNING_KEY: z.string().regex(/-----BEGIN PRIVATE KEY-----/, 'must be a PKCS#8 PEM private key').optional(),
  // Metrics (issue 16): Prometheus exposition on a listener of its own, apart from the API.
  /** Port of the /metrics listener; unset serves no metrics listener, 0 picks a free port. */
  RESOFT_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Address the /metrics listener binds; it has no authentication, so keep it on a private interface. */
  RESOFT_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  // Tracing (issue 16): the standard OpenTelemetry variables; no endpoint, no tracing.
  /** The OTLP receiver (http/protobuf), e.g. http://127.0.0.1:4318; spans go to <endpoint>/v1/traces. */
  OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
  /** The full traces URL, when it is not <endpoint>/v1/traces. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: otlpUrl,
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  OTEL_TRACES_SAMPLER: z.enum(SAMPLER_NAMES).default('parentbased_always_on'),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  /** Set to true to keep tracing off although an endpoint is set (the OpenTelemetry SDK's own switch). */
  OTEL_SDK_DISABLED: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** The shared part of every process's configuration. */
export interface SharedConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly eventStoreFile: string;
  readonly readStoreFile: string;
  /** Submitted code, content-addressed (SQLite; in MongoDB with MONGO_URL). */
  readonly sourceStoreFile: string;
  readonly admins: readonly string[];
  readonly jwtSecret: string | undefined;
  /** Erasure (issue 13): the per-user data keys (SQLite file; in MongoDB with MONGO_URL) and the claims' HMAC secret. */
  readonly personalData: { readonly keysFile: string; readonly claimSecret: string | undefined };
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly sqliteSynchronous: 'NORMAL' | 'FULL';
  readonly eventPollMs: number;
  readonly maxBodyBytes: number;
  readonly logLevel: string;
  /** Express `trust proxy` value: false, a hop count, or a list of trusted addresses or ranges. */
  readonly trustProxy: boolean | number | string;
  /** Check each answer against its route's documented statuses and body schema (tests). */
  readonly validateResponses: boolean;
  /** Read models in MongoDB (or a MongoDB-wire engine) instead of SQLite. */
  readonly mongo: { readonly url: string; readonly database: string; readonly maxOpsPerWrite: number; readonly operationTimeoutMs: number } | null;
  /** Deadline of each call to an engine. */
  readonly engineTimeoutMs: number;
  /** The event bus on Kafka: the relay publishes to it, projectors consume it. */
  readonly kafka: { readonly brokers: readonly string[]; readonly topic: string; readonly partitions: number; readonly group: string; readonly sessionTimeoutMs: number; readonly relayTakeoverMs: number } | null;
  /** Ephemeral state (rate limits, presence) in Redis instead of in process. */
  readonly redisUrl: string | null;
  /** Events in EventStoreDB instead of SQLite. */
  readonly eventStoreUrl: string | null;
  /** Issue 11: how long a graceful stop waits for open connections. */
  readonly shutdownDrainMs: number;
  /** Issue 19: how many processes serve the all-in-one's HTTP front (node cluster). */
  readonly httpProcesses: number;
  /** Issue 11: revoked sessions. */
  readonly sessions: { readonly revocationPollMs: number };
  /** The Merkle audit log over the event log: its file, when tree heads are signed, the configured signing key. */
  readonly audit: { readonly logFile: string; readonly signEvery: number; readonly signIntervalMs: number; readonly signingKeyPem: string | undefined };
  /** Issue 16: the unauthenticated /metrics listener (null port: none). */
  readonly metrics: { readonly port: number | null; readonly host: string };
  /** Traces exported over OTLP; null (the default) when no endpoint is set: no exporter, no cost. */
  readonly tracing: TracingConfig | null;
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

function tracingConfig(c: z.output<typeof sharedConfigSchema>): TracingConfig | null {
  const tracesUrl = c.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (c.OTEL_EXPORTER_OTLP_ENDPOINT ? `${c.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (!tracesUrl || c.OTEL_SDK_DISABLED) return null;
  return { tracesUrl, serviceName: c.OTEL_SERVICE_NAME, sampler: c.OTEL_TRACES_SAMPLER, samplerRatio: c.OTEL_TRACES_SAMPLER_ARG };
}

/** The shared settings, from their parsed variables. */
export function sharedConfig(c: z.output<typeof sharedConfigSchema>): SharedConfig {
  const dataDir = path.resolve(c.RESOFT_DATA_DIR);
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir,
    eventStoreFile: path.join(dataDir, 'events.sqlite'),
    readStoreFile: path.join(dataDir, 'read-models.sqlite'),
    sourceStoreFile: path.join(dataDir, 'sources.sqlite'),
    admins: c.RESOFT_ADMINS,
    jwtSecret: c.RESOFT_JWT_SECRET,
    personalData: { keysFile: path.join(dataDir, 'personal-keys.sqlite'), claimSecret: c.RESOFT_CLAIM_SECRET },
    accessTokenTtlSeconds: c.RESOFT_ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: c.RESOFT_REFRESH_TOKEN_TTL_SECONDS,
    sqliteSynchronous: c.RESOFT_SQLITE_SYNCHRONOUS,
    eventPollMs: c.RESOFT_EVENT_POLL_MS,
    maxBodyBytes: c.RESOFT_MAX_BODY_BYTES,
    logLevel: c.LOG_LEVEL,
    trustProxy: parseTrustProxy(c.RESOFT_TRUST_PROXY),
    validateResponses: c.RESOFT_VALIDATE_RESPONSES === '1',
    mongo: c.MONGO_URL ? { url: c.MONGO_URL, database: c.RESOFT_MONGO_DATABASE, maxOpsPerWrite: c.RESOFT_MONGO_MAX_OPS_PER_WRITE, operationTimeoutMs: c.RESOFT_ENGINE_TIMEOUT_MS } : null,
    engineTimeoutMs: c.RESOFT_ENGINE_TIMEOUT_MS,
    redisUrl: c.REDIS_URL ?? null,
    kafka: c.KAFKA_BROKERS
      ? { brokers: c.KAFKA_BROKERS.split(',').map((b) => b.trim()).filter(Boolean), topic: c.RESOFT_KAFKA_TOPIC, partitions: c.RESOFT_KAFKA_PARTITIONS, group: c.RESOFT_KAFKA_GROUP, sessionTimeoutMs: c.RESOFT_KAFKA_SESSION_TIMEOUT_MS, relayTakeoverMs: c.RESOFT_RELAY_TAKEOVER_MS }
      : null,
    eventStoreUrl: c.EVENTSTORE_URL ?? null,
    shutdownDrainMs: c.RESOFT_SHUTDOWN_DRAIN_MS,
    httpProcesses: c.RESOFT_HTTP_PROCESSES,
    sessions: { revocationPollMs: c.RESOFT_REVOCATION_POLL_MS },
    audit: {
      logFile: path.join(dataDir, 'audit-log.sqlite'),
      signEvery: c.RESOFT_AUDIT_SIGN_EVERY,
      signIntervalMs: c.RESOFT_AUDIT_SIGN_INTERVAL_MS,
      // A PEM passed in one line with \n escapes works too.
      signingKeyPem: c.RESOFT_AUDIT_SIGNING_KEY?.replace(/\\n/g, '\n'),
    },
    metrics: { port: c.RESOFT_METRICS_PORT ?? null, host: c.RESOFT_METRICS_HOST },
    tracing: tracingConfig(c),
  };
}

/** The shared settings alone (a process or test that needs no service's settings). */
export function loadSharedConfig(env: Environment): SharedConfig {
  return sharedConfig(parseSettings(sharedConfigSchema, env));
}

export { ConfigError, parseSettings, positiveIntSetting, type Environment } from './settings.js';
