/**
 * The embedded all-in-one: event store, read store, every projection, the
 * command and query APIs and the collaboration gateway (WebSocket at /ws) on one HTTP server. Its parts, in order:
 * configuration → stores → projections → services → HTTP → graceful stop.
 */
import { createLogger, startTracing, type Logger } from '@resoft/infra';
import { type Config } from './app-config.js';
import { listen } from './http-listener.js';
import { acceptHandedUpgrades } from './http-cluster.js';
import { openStores } from './open-stores.js';
import { startProjections } from './projections-runtime.js';
import { startAuditLog } from './audit-log-runtime.js';
import { startGateway } from './gateway-runtime.js';
import { uiSite } from './ui-site.js';
import { accessTokens, apiApp, commandService, queryApiRoutes } from './service-apps.js';
import { processMetrics, serveMetrics } from './process-metrics.js';
import { observeProjectionLag } from './pipeline-lag-metrics.js';
import { observeCommandEvents } from './command-event-metrics.js';
import { measuredWaitForPosition } from './read-your-writes-metrics.js';

export interface RunningServer {
  readonly port: number;
  readonly logger: Logger;
  stop(): Promise<void>;
}

export async function startAllInOne(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<RunningServer> {
  if (config.kafka) logger.info('the all-in-one projects straight from the event store; Kafka is used by `resoft serve relay` and `serve projectors`');
  const metrics = processMetrics(config, 'all-in-one');
  const tracing = await startTracing(config.tracing, 'resoft');
  const stores = await openStores(config, logger, metrics);
  const projections = await startProjections(stores.events, stores.readModels, logger, stores.personalKeys);
  const auditLog = await startAuditLog(config, stores, logger);
  const tokens = await accessTokens(config, stores, logger);
  const commands = commandService(config, stores, tokens, logger);
  commands.checkRunner.start();
  observeCommandEvents(metrics, stores.events, commands.checkRunner);
  observeProjectionLag(metrics, stores.events, stores.readModels, false);
  const routes = [...commands.routes, ...queryApiRoutes(config, stores, measuredWaitForPosition(metrics, projections.waitForPosition))];
  const app = apiApp(config, logger, tokens, routes, [...stores.readiness, projections.readiness, auditLog.readiness], uiSite(logger), metrics);
  const http = await listen(app, config);
  const gateway = await startGateway(config, stores, tokens, commands.deps, http.server, logger, metrics);
  // Clustered (RESOFT_HTTP_PROCESSES > 1), this process is the lead: the other workers hand it their WebSocket upgrades.
  if (config.httpProcesses > 1) acceptHandedUpgrades(http.server);
  const metricsListener = await serveMetrics(metrics, config, logger);
  logger.info({ port: http.port, ...(metricsListener ? { metricsPort: metricsListener.port } : {}), dataDir: config.dataDir }, 'Resoft is listening');

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info('shutting down: closing collaboration sockets, draining HTTP, stopping projections, closing stores');
      // Draining starts at once (no new connections) while the gateway says goodbye to its sockets;
      // both are bounded by RESOFT_SHUTDOWN_DRAIN_MS.
      await Promise.all([gateway.stop(), http.close(), metricsListener?.close()]);
      await tokens.revocations.stop();
      await commands.checkRunner.stop();
      await commands.deps.checks.engine.close();
      await projections.stop();
      await auditLog.stop();
      await stores.close();
      await tracing.shutdown();
      logger.info('stopped');
    })());
  return { port: http.port, logger, stop };
}
