/** `resoft start`: the embedded all-in-one server, stopped gracefully on SIGINT/SIGTERM. */
import { loadConfig } from '@resoft/infra';
import { startAllInOne } from '../runtime/all-in-one-server.js';

export async function startCommand(env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadConfig(env);
  const server = await startAllInOne(config);
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
