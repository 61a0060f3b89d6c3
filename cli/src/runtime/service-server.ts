/**
 * One service per process (`resoft serve <service>`): the command API, the
 * query API, the collaboration gateway (WebSocket at /ws), the projectors, or
 * the relay (the last two with only health endpoints). Each opens the stores the configuration names; several
 * processes share them. With KAFKA_BROKERS the relay publishes the log to
 * Kafka and projectors consume it; without, projectors read the log directly.
 */
import { createLogger, type Config, type HealthCheck, type Logger, type RouteSpec } from '@resoft/infra';
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

export const SERVICES = ['command', 'query', 'gateway', 'projectors', 'relay'] as const;
export type ServiceName = (typeof SERVICES)[number];

export async function startService(service: ServiceName, config: Config, logger: Logger = createLogger(config.logLevel, `resoft-${service}`)): Promise<RunningServer> {
  const stores = await openStores(config, logger);
  const tokens = accessTokens(config);
  const readiness: HealthCheck[] = [...stores.readiness];
  let stopWork = async (): Promise<void> => undefined;
  let gatewayStop = async (): Promise<void> => undefined;

  let routes: RouteSpec[] = [];
  if (service === 'command') {
    const command = commandService(config, stores, tokens, logger);
    routes = command.routes;
    // The check runner is a reactor of the command side: every command process runs one; claims keep them from running a check twice.
    command.checkRunner.start();
    stopWork = () => command.checkRunner.stop();
  } else if (service === 'query') {
    // With a bus, projections advance per partition; without one, per projection.
    const progress = stores.bus ? busProgress(stores.readModels) : checkpointProgress(stores.readModels);
    routes = queryApiRoutes(config, stores, progress);
  } else if (service === 'gateway') {
    // The gateway writes through the command side's code (same rules as HTTP) and serves only health over HTTP.
  } else if (service === 'projectors') {
    const projections = stores.bus
      ? await startBusProjections(stores.bus, config.kafka?.group ?? 'resoft-projectors', stores.readModels, logger)
      : await startProjections(stores.events, stores.readModels, logger);
    // The audit log follows the event store's global order itself, bus or no bus.
    const auditLog = await startAuditLog(config, stores, logger);
    readiness.push(projections.readiness, auditLog.readiness);
    stopWork = async () => {
      await projections.stop();
      await auditLog.stop();
    };
  } else {
    if (!stores.bus) throw new Error('The relay publishes the event log to Kafka: set KAFKA_BROKERS');
    const relay = await startRelay(config, stores.events, stores.bus, stores.readModels, logger);
    readiness.push(relay.readiness);
    stopWork = relay.stop;
  }

  const http = await listen(apiApp(config, logger, tokens, routes, readiness), config);
  if (service === 'gateway') {
    const gateway = await startGateway(config, stores, tokens, commandService(config, stores, tokens, logger).deps, http.server, logger);
    gatewayStop = () => gateway.stop();
  }
  logger.info({ service, port: http.port, dataDir: config.dataDir }, `Resoft ${service} service is listening`);

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info({ service }, 'shutting down');
      await gatewayStop();
      await http.close();
      await stopWork();
      await stores.close();
      logger.info('stopped');
    })());
  return { port: http.port, logger, stop };
}
