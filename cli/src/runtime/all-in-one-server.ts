/**
 * The embedded all-in-one: event store, read store, every projection, the
 * command and query APIs on one HTTP server. Its parts, in order:
 * configuration → stores → projections → services → HTTP → graceful stop.
 */
import type { Server } from 'node:http';
import { createCommandService } from '@resoft/command-service';
import { AccessTokens, createHttpApp, createLogger, loadOrCreateSigningKey, type Config, type Logger } from '@resoft/infra';
import { ProjectionRunner, allProjections } from '@resoft/projectors';
import { queryRoutes } from '@resoft/query-service';
import { openStores } from './open-stores.js';

const LISTEN_BACKLOG = 4096;

export interface RunningServer {
  readonly port: number;
  readonly logger: Logger;
  stop(): Promise<void>;
}

export async function startAllInOne(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<RunningServer> {
  if (config.unsupportedEngines.length) {
    logger.warn({ variables: config.unsupportedEngines }, 'distributed adapters are not in this build yet: running embedded (SQLite, in-process)');
  }
  const stores = await openStores(config);
  const runners = allProjections.map((p) => new ProjectionRunner(stores.events, stores.readModels, p, logger.child({ projection: p.name })));
  await Promise.all(runners.map((r) => r.start()));

  const tokens = new AccessTokens(loadOrCreateSigningKey(config.dataDir, config.jwtSecret), config.accessTokenTtlSeconds);
  const commands = createCommandService(config, stores.events, tokens);
  const reads = queryRoutes({
    readStore: stores.readModels,
    eventStore: stores.events,
    waitForPosition: async (position, timeoutMs) => (await Promise.all(runners.map((r) => r.waitFor(position, timeoutMs)))).every(Boolean),
    readWaitMs: config.readWaitMs,
    admins: config.admins,
  });

  const app = createHttpApp({
    routes: [...commands.routes, ...reads],
    tokens,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    info: { title: 'Resoft API', version: '0.1.0', description: 'Commands (writes) answer with the global position of their event; pass it to any read as ?after= to read your own writes.' },
    readiness: [
      { name: 'eventStore', check: async () => (await stores.events.headPosition(), null) },
      {
        name: 'projections',
        check: async () => {
          const failing = runners.filter((r) => r.problem !== null).map((r) => `${r.projection.name} ${r.problem}`);
          return failing.length ? failing.join('; ') : null;
        },
      },
    ],
  });

  const server: Server = await new Promise((resolve, reject) => {
    // A deep accept queue, so a burst of connections (1000 at once in the benchmark) waits instead of having SYNs dropped and retried seconds later.
    const s = app.listen(config.port, config.host, LISTEN_BACKLOG, () => resolve(s));
    s.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, dataDir: config.dataDir }, 'Resoft is listening');

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info('shutting down: draining HTTP, stopping projections, closing stores');
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5000).unref();
      });
      await Promise.all(runners.map((r) => r.stop()));
      await stores.events.close();
      await stores.readModels.close();
      logger.info('stopped');
    })());
  return { port, logger, stop };
}
