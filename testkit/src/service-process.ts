/** Runs `resoft serve <service>` processes for tests, and a client that routes like the nginx edge. */
import type { ChildProcess } from 'node:child_process';
import { ApiClient } from './api-client.js';
import { edgeTarget, readEdgeRules } from './edge-routing.js';
import { spawnCli } from './run-cli.js';

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly client: ApiClient;
  /** The /metrics listener's port, when the process was started with RESOFT_METRICS_PORT. */
  readonly metricsPort?: number;
}

/** Every child started here, so a suite whose start-up failed half-way can still stop them all. */
const spawned = new Set<ChildProcess>();

/** How long a service may take to say it listens before the start counts as failed (a loaded CI machine needs long). */
const START_BOUND_MS = 100_000;

/** Starts a service and resolves once it logs that it listens; rejects with its log when it exits or stays silent too long. */
export function serve(service: string, env: Record<string, string>): Promise<ServiceProcess> {
  const child = spawnCli(['serve', service], env);
  spawned.add(child);
  child.once('exit', () => spawned.delete(child));
  let log = '';
  return new Promise((resolve, reject) => {
    // A start that hangs names itself and shows what the process logged, instead of a bare hook timeout.
    const silent = setTimeout(() => reject(new Error(`${service} did not say it listens within ${START_BOUND_MS / 1000} s; its log so far:\n${log.slice(-4000)}`)), START_BOUND_MS);
    silent.unref();
    child.stdout!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (process.env['DEBUG_SERVE']) for (const line of chunk.toString().split('\n')) if (/"level":(50|60)/.test(line)) console.error(service, line);
      const match = /"port":(\d+)[^\n]*service is listening/.exec(log);
      const metricsPort = /"metricsPort":(\d+)[^\n]*service is listening/.exec(log)?.[1];
      if (!match) return;
      clearTimeout(silent);
      resolve({ child, port: Number(match[1]), client: new ApiClient(`http://127.0.0.1:${match[1]}`), ...(metricsPort ? { metricsPort: Number(metricsPort) } : {}) });
    });
    child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`${service} exited with ${code}: ${log}`)));
  });
}

/** Stops the given processes, or every process `serve` started when none are given. */
export async function stopAll(processes?: readonly ServiceProcess[]): Promise<void> {
  const children = processes ? processes.map((p) => p.child) : [...spawned];
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve(undefined);
          child.once('exit', resolve);
          child.kill('SIGTERM');
        }),
    ),
  );
}

/** Sends each request to the command or the query process by the rules of the edge's nginx.conf. */
export class RoutedClient extends ApiClient {
  private readonly rules = readEdgeRules();

  constructor(private readonly writes: ApiClient, private readonly reads: ApiClient) {
    super(writes.baseUrl);
  }

  override request<T = any>(method: string, urlPath: string, options: Parameters<ApiClient['request']>[2] = {}) {
    const target = edgeTarget(this.rules, method, urlPath.split('?')[0]!);
    return (target === 'query' ? this.reads : this.writes).request<T>(method, urlPath, options);
  }
}
