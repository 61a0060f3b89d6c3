/**
 * One service per process (`resoft serve <service>`): the command API, the
 * query API, or the projectors (with only health endpoints). Each opens the
 * stores the configuration names; several processes share them.
 */
import { createLogger, type Config, type HealthCheck, type Logger, type RouteSpec } from '@resoft/infra';
import type { RunningServer } from './all-in-one-server.js';
import { checkpointProgress } from './checkpoint-progress.js';
import { listen } from './http-listener.js';
import { openStores } from './open-stores.js';
import { startProjections } from './projections-runtime.js';
import { accessTokens, apiApp, commandApiRoutes, queryApiRoutes } from './service-apps.js';

export const SERVICES = ['command', 'query', 'projectors'] as const;
export type ServiceName = (typeof SERVICES)[number];

export async function startService(service: ServiceName, config: Config, logger: Logger = createLogger(config.logLevel, `resoft-${service}`)): Promise<RunningServer> {
  const stores = await openStores(config, logger);
  const tokens = accessTokens(config);
  const readiness: HealthCheck[] = [...stores.readiness];
  let stopWork = async (): Promise<void> => undefined;

  let routes: RouteSpec[];
  if (service === 'command') {
    routes = commandApiRoutes(config, stores, tokens, logger);
  } else if (service === 'query') {
    routes = queryApiRoutes(config, stores.events, stores.readModels, checkpointProgress(stores.readModels));
  } else {
    const projections = await startProjections(stores.events, stores.readModels, logger);
    readiness.push(projections.readiness);
    stopWork = projections.stop;
    routes = [];
  }

  const http = await listen(apiApp(config, logger, tokens, routes, readiness), config);
  logger.info({ service, port: http.port, dataDir: config.dataDir }, `Resoft ${service} service is listening`);

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info({ service }, 'shutting down');
      await http.close();
      await stopWork();
      await stores.close();
      logger.info('stopped');
    })());
  return { port: http.port, logger, stop };
}
