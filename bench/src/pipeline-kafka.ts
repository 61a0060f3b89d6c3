/**
 * The Kafka broker for the pipeline benchmark: the one named by KAFKA_BROKERS, or a throwaway
 * single-node broker started with `infra/engines/kafka.sh` and stopped again by `stop()`.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface BenchBroker {
  readonly brokers: readonly string[];
  /** Whether this benchmark started the broker (and so stops it). */
  readonly started: boolean;
  stop(): Promise<void>;
}

export interface BrokerOptions {
  /** KAFKA_BROKERS as given, if any. */
  readonly brokers: readonly string[];
  readonly repoRoot: string;
  /** Environment for kafka.sh: the caller's, with the ports to use. */
  readonly env: NodeJS.ProcessEnv;
}

export async function useBroker(options: BrokerOptions): Promise<BenchBroker> {
  if (options.brokers.length > 0) return { brokers: options.brokers, started: false, stop: async () => undefined };
  const script = join(options.repoRoot, 'infra', 'engines', 'kafka.sh');
  const kafka = (command: string) => run('bash', [script, command], { cwd: options.repoRoot, env: options.env, maxBuffer: 16 * 1024 * 1024 });
  await kafka('install');
  const { stdout, stderr } = await kafka('start');
  const brokers = /KAFKA_BROKERS=(\S+)/.exec(stdout)?.[1]?.split(',');
  // A broker the script found already running was not started here: leave it running.
  const started = !/already running/.test(stderr);
  const stop = async (): Promise<void> => {
    if (started) await kafka('stop');
  };
  if (!brokers) {
    await stop();
    throw new Error(`kafka.sh start printed no KAFKA_BROKERS:\n${stdout}\n${stderr}`);
  }
  return { brokers, started, stop };
}
