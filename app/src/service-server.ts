/**
 * One service per process (`resoft serve <service>`): the command API, the
 * query API, the collaboration gateway (WebSocket at /ws), the projectors, or
 * the relay (the last two with only health endpoints). Each opens the stores the configuration names; several
 * processes share them. With KAFKA_BROKERS the relay publishes the log to
 * Kafka and projectors consume it; without, projectors read the log directly.
 */
import { createLogger, startTracing, type Logger } from '@resoft/infra';
import { type Config } from './app-config.js';
import { type HealthCheck, type RouteSpec } from '@resoft/http-kit';
import type { RunningServer } from './all-in-one-server.js';
import { busProgress } from '@resoft/projectors';
import { startBusProjections } from './bus-projections-runtime.js';
import { checkpointProgress } from './checkpoint-progress.js';
import { startRelay } from './relay-runtime.js';
import { listen } from './http-listener.js';
import { openStores } from './open-stores.js';
import { startProjections } from './projections-runtime.js';
import { startAuditLog } from './audit-log-runtime.js';
import { startGateway } from './gateway-runtime.js';
import { accessTokens, apiApp, commandService, queryApiRoutes } from './service-apps.js';
import { processMetrics, serveMetrics } from './process-metrics.js';
import { observeConsumerLag, observeProjectionLag, observeRelayLag, observeRelayStandby } from './pipeline-lag-metrics.js';
import { observeCommandEvents } from './command-event-metrics.js';
import { measuredWaitForPosition } from './read-your-writes-metrics.js';

import { SERVICES, type ServiceName } from './service-names.js';

export { SERVICES, type ServiceName };

export async function startService(service: ServiceName, config: Config, logger: Logger = createLogger(config.logLevel, `resoft-${service}`)): Promise<RunningServer> {
  // Before anything opens a span: with OTEL_EXPORTER_OTLP_ENDPOINT unset nothing is started.
  const tracing = await startTracing(config.tracing, `resoft-${service}`);
  // The relay tails the SQLite log that command processes append to; it polls more often than others.
  const metrics = processMetrics(config, service);
  const stores = await openStores(service === 'relay' ? { ...config, eventPollMs: config.relayPollMs } : config, logger, metrics);
  const tokens = await accessTokens(config, stores, logger);
  const readiness: HealthCheck[] = [...stores.readiness];
  let stopWork = async (): Promise<void> => undefined;
  let gatewayStop = async (): Promise<void> => undefined;

  let routes: RouteSpec[] = [];
  if (service === 'command') {
    const command = commandService(config, stores, tokens, logger);
    routes = command.routes;
    // The check runner is a reactor of the command side: every command process runs one; claims keep them from running a check twice.
    command.checkRunner.start();
    observeCommandEvents(metrics, stores.events, command.checkRunner);
    stopWork = async () => {
      await command.checkRunner.stop();
      await command.deps.checks.engine.close();
    };
  } else if (service === 'query') {
    // With a bus, projections advance per partition; without one, per projection.
    // One watcher for the whole process, however many requests wait (issue 15).
    const onError = (error: unknown) => logger.warn({ err: error }, 'reading the projections\' progress failed; waiting requests keep waiting until their bound');
    const progress = stores.bus ? busProgress(stores.readModels, { onError }) : checkpointProgress(stores.readModels, onError);
    routes = queryApiRoutes(config, stores, measuredWaitForPosition(metrics, progress));
  } else if (service === 'gateway') {
    // The gateway writes through the command side's code (same rules as HTTP) and serves only health over HTTP.
  } else if (service === 'projectors') {
    const projections = stores.bus
      ? await startBusProjections(stores.bus, config.kafka?.group ?? 'resoft-projectors', stores.readModels, logger, stores.personalKeys)
      : await startProjections(stores.events, stores.readModels, logger, stores.personalKeys);
    // The audit log follows the event store's global order itself, bus or no bus.
    const auditLog = await startAuditLog(config, stores, logger);
    readiness.push(projections.readiness, auditLog.readiness);
    observeProjectionLag(metrics, stores.events, stores.readModels, stores.bus !== null);
    if (stores.bus) {
      observeRelayLag(metrics, stores.events, stores.readModels);
      observeConsumerLag(metrics, stores.bus, config.kafka?.group ?? 'resoft-projectors');
    }
    stopWork = async () => {
      await projections.stop();
      await auditLog.stop();
    };
  } else {
    if (!stores.bus) throw new Error('The relay publishes the event log to Kafka: set KAFKA_BROKERS');
    const relay = await startRelay(config, stores.events, stores.bus, stores.readModels, logger);
    readiness.push(relay.readiness);
    observeRelayStandby(metrics, relay.standingBy);
    stopWork = relay.stop;
  }

  const http = await listen(apiApp(config, logger, tokens, routes, readiness, undefined, metrics), config);
  if (service === 'gateway') {
    const gateway = await startGateway(config, stores, tokens, commandService(config, stores, tokens, logger).deps, http.server, logger, metrics);
    observeCommandEvents(metrics, stores.events, null);
    gatewayStop = () => gateway.stop();
  }
  const metricsListener = await serveMetrics(metrics, config, logger);
  // No `service` field here: the logger's base already carries it (issue 15: log lines had it twice).
  logger.info({ port: http.port, ...(metricsListener ? { metricsPort: metricsListener.port } : {}), dataDir: config.dataDir }, `Resoft ${service} service is listening`);

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info('shutting down');
      await Promise.all([gatewayStop(), http.close(), metricsListener?.close()]);
      await tokens.revocations.stop();
      await stopWork();
      await stores.close();
      await tracing.shutdown();
      logger.info('stopped');
    })());
  return { port: http.port, logger, stop };
}
