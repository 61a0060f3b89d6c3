/** `resoft start` (the embedded all-in-one) and `resoft serve <service>`: run until SIGINT/SIGTERM, then stop gracefully. */
import cluster from 'node:cluster';
import { createLogger } from '@resoft/infra';
import { loadConfig, startAllInOne, type RunningServer, startApiWorker, WORKER_ROLE_VARIABLE, runHttpCluster, startService, type ServiceName } from '@resoft/app';

/** Beyond the connection drain, what stopping the rest (projections, runners, stores) may take before the process gives up waiting. */
const STOP_WORK_MS = 5000;

async function runUntilSignalled(server: RunningServer, drainMs: number): Promise<void> {
  let signals = 0;
  const onSignal = (signal: string) => {
    signals += 1;
    if (signals > 1) process.exit(1);
    server.logger.info({ signal }, 'signal received');
    // A stop that hangs (a store that never answers) must not keep the process alive: an orchestrator waits only so long.
    setTimeout(() => {
      server.logger.error({ boundMs: drainMs + STOP_WORK_MS }, 'shutdown did not finish in time: exiting anyway');
      process.exit(1);
    }, drainMs + STOP_WORK_MS).unref();
    server.stop().then(() => process.exit(0), (error: unknown) => {
      server.logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

export async function startCommand(env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadConfig(env);
  if (config.httpProcesses > 1 && cluster.isPrimary) {
    await runHttpCluster(config.httpProcesses, config.shutdownDrainMs, createLogger(config.logLevel));
    return;
  }
  const apiOnly = config.httpProcesses > 1 && env[WORKER_ROLE_VARIABLE] === 'api';
  await runUntilSignalled(apiOnly ? await startApiWorker(config) : await startAllInOne(config), config.shutdownDrainMs);
}

export async function serveCommand(service: ServiceName, env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadConfig(env);
  await runUntilSignalled(await startService(service, config), config.shutdownDrainMs);
}
