/** The HTTP applications of the command and query services, from configuration and the stores they use. */
import { createCommandService } from '@resoft/command-service';
import { AccessTokens, PersonalDataCodec, SessionRevocations, loadOrCreateSigningKey, type Logger, type Metrics } from '@resoft/infra';
import { type Config } from './app-config.js';
import { createHttpApp, type HealthCheck, type RouteSpec } from '@resoft/http-kit';
import type { RequestHandler } from 'express';
import type { Stores } from './open-stores.js';
import { ColumnarFilesOnFirstUse, SqlSandboxOnFirstUse } from './analytics-on-first-use.js';
import { queryRoutes } from '@resoft/query-service';
import { sharedCatalog } from '@resoft/templates';

const API_INFO = {
  title: 'Resoft API',
  version: '0.1.0',
  description: 'Commands (writes) answer with the global position of their event; pass it to any read as ?after= to read your own writes.',
};

/** Access tokens whose sessions' revocations are shared through the ephemeral store; `stop` ends the following. */
export async function accessTokens(config: Config, stores: Pick<Stores, 'ephemeral'>, logger: Logger): Promise<AccessTokens> {
  const revocations = new SessionRevocations(stores.ephemeral, { pollMs: config.sessions.revocationPollMs, logger });
  await revocations.start();
  return new AccessTokens(loadOrCreateSigningKey(config.dataDir, config.jwtSecret), config.accessTokenTtlSeconds, Date.now, revocations);
}

export const commandService = (config: Config, stores: Stores, tokens: AccessTokens, logger: Logger) =>
  createCommandService(config, stores.events, tokens, stores.ephemeral, stores.sources, logger, stores.personalKeys);

export const commandApiRoutes = (config: Config, stores: Stores, tokens: AccessTokens, logger: Logger): RouteSpec[] =>
  commandService(config, stores, tokens, logger).routes;

export const queryApiRoutes = (config: Config, stores: Stores, waitForPosition: (position: number, timeoutMs: number) => Promise<boolean>): RouteSpec[] =>
  queryRoutes({ readStore: stores.readModels, eventStore: stores.events, sources: stores.sources, waitForPosition, readWaitMs: config.readWaitMs, admins: config.admins, templates: sharedCatalog(), auditLog: stores.auditLog, auditKeys: stores.auditKeys,
    columnarFiles: new ColumnarFilesOnFirstUse(), sqlSandbox: new SqlSandboxOnFirstUse(), sqlLimits: config.sql, personalData: new PersonalDataCodec(stores.personalKeys),
    ...(stores.readModelMark ? { readModelMark: stores.readModelMark } : {}) });

export function apiApp(config: Config, logger: Logger, tokens: AccessTokens, routes: readonly RouteSpec[], readiness: readonly HealthCheck[], site?: RequestHandler, metrics?: Metrics) {
  return createHttpApp({ routes, tokens, logger, maxBodyBytes: config.maxBodyBytes, info: API_INFO, readiness, trustProxy: config.trustProxy, validateResponses: config.validateResponses, ...(site ? { site } : {}), ...(metrics ? { metrics } : {}) });
}

