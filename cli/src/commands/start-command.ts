/** `resoft start` (the embedded all-in-one) and `resoft serve <service>`: run until SIGINT/SIGTERM, then stop gracefully. */
import { loadConfig } from '@resoft/infra';
import { startAllInOne, type RunningServer } from '../runtime/all-in-one-server.js';
import { startService, type ServiceName } from '../runtime/service-server.js';

async function runUntilSignalled(server: RunningServer): Promise<void> {
  let signals = 0;
  const onSignal = (signal: string) => {
    signals += 1;
    if (signals > 1) process.exit(1);
    server.logger.info({ signal }, 'signal received');
    server.stop().then(() => process.exit(0), (error: unknown) => {
      server.logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

export async function startCommand(env: NodeJS.ProcessEnv): Promise<void> {
  await runUntilSignalled(await startAllInOne(loadConfig(env)));
}

export async function serveCommand(service: ServiceName, env: NodeJS.ProcessEnv): Promise<void> {
  await runUntilSignalled(await startService(service, loadConfig(env)));
}
