/** The HTTP applications of the command and query services, from configuration and the stores they use. */
import { createCommandService } from '@resoft/command-service';
import { AccessTokens, DuckDbColumnarFiles, DuckDbSqlSandbox, createHttpApp, loadOrCreateSigningKey, type Config, type EventStore, type HealthCheck, type Logger, type ReadStore, type RouteSpec } from '@resoft/infra';
import type { RequestHandler } from 'express';
import type { Stores } from './open-stores.js';
import { queryRoutes } from '@resoft/query-service';
import { sharedCatalog } from '@resoft/templates';

const API_INFO = {
  title: 'Resoft API',
  version: '0.1.0',
  description: 'Commands (writes) answer with the global position of their event; pass it to any read as ?after= to read your own writes.',
};

export const accessTokens = (config: Config): AccessTokens =>
  new AccessTokens(loadOrCreateSigningKey(config.dataDir, config.jwtSecret), config.accessTokenTtlSeconds);

export const commandService = (config: Config, stores: Stores, tokens: AccessTokens, logger: Logger) =>
  createCommandService(config, stores.events, tokens, stores.ephemeral, logger);

export const commandApiRoutes = (config: Config, stores: Stores, tokens: AccessTokens, logger: Logger): RouteSpec[] =>
  commandService(config, stores, tokens, logger).routes;

export const queryApiRoutes = (config: Config, events: EventStore, readModels: ReadStore, waitForPosition: (position: number, timeoutMs: number) => Promise<boolean>): RouteSpec[] =>
  queryRoutes({ readStore: readModels, eventStore: events, waitForPosition, readWaitMs: config.readWaitMs, admins: config.admins, templates: sharedCatalog(),
    columnarFiles: new DuckDbColumnarFiles(), sqlSandbox: new DuckDbSqlSandbox(), sqlLimits: config.sql });

export function apiApp(config: Config, logger: Logger, tokens: AccessTokens, routes: readonly RouteSpec[], readiness: readonly HealthCheck[], site?: RequestHandler) {
  return createHttpApp({ routes, tokens, logger, maxBodyBytes: config.maxBodyBytes, info: API_INFO, readiness, trustProxy: config.trustProxy, ...(site ? { site } : {}) });
}

