/**
 * An API worker of the clustered all-in-one (RESOFT_HTTP_PROCESSES > 1): the command and query APIs
 * and the UI on the shared port and the same SQLite files, without projections, audit log, check
 * runner or gateway — the lead worker runs those. Reads with `?after=` wait for the lead's
 * projections through their stored checkpoints; WebSocket upgrades go to the lead.
 */
import { createLogger, type Logger } from '@resoft/infra';
import { type Config } from './app-config.js';
import type { RunningServer } from './all-in-one-server.js';
import { checkpointProgress } from './checkpoint-progress.js';
import { handUpgradesToLead } from './http-cluster.js';
import { listen } from './http-listener.js';
import { openStores } from './open-stores.js';
import { accessTokens, apiApp, commandService, queryApiRoutes } from './service-apps.js';
import { uiSite } from './ui-site.js';

export async function startApiWorker(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<RunningServer> {
  const stores = await openStores(config, logger);
  const tokens = await accessTokens(config, stores, logger);
  const commands = commandService(config, stores, tokens, logger);
  const waitForPosition = checkpointProgress(stores.readModels, (error) => logger.warn({ err: error }, 'reading the projections\' checkpoints failed'));
  const routes = [...commands.routes, ...queryApiRoutes(config, stores, waitForPosition)];
  const app = apiApp(config, logger, tokens, routes, stores.readiness, uiSite(logger));
  const http = await listen(app, config);
  handUpgradesToLead(http.server);
  logger.info({ port: http.port }, 'API worker listening');
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      await http.close();
      await tokens.revocations.stop();
      await commands.deps.checks.engine.close();
      await stores.close();
    })());
  return { port: http.port, logger, stop };
}
