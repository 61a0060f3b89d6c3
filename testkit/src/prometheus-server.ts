/**
 * A Prometheus server for tests: Debian's `prometheus` binary run as a child process on an
 * ephemeral port, with a configuration the test writes (its targets, the repository's alert
 * rules), and a client for its HTTP query API. `prometheusBinary()` is null where it is not
 * installed (infra/engines/prometheus.sh install).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function prometheusBinary(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v prometheus'], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : null;
}

export interface PromSample {
  readonly metric: Record<string, string>;
  readonly value: number;
}

export interface PrometheusServer {
  readonly url: string;
  /** An instant query; its vector's samples. */
  query(expr: string): Promise<PromSample[]>;
  /** Polls `expr` until `accept` holds for its samples, or throws with the last ones after `timeoutMs`. */
  until(expr: string, accept: (samples: PromSample[]) => boolean, timeoutMs?: number): Promise<PromSample[]>;
  /** The rule groups as Prometheus loaded them (`/api/v1/rules`). */
  rules(): Promise<{ name: string; health: string; lastError?: string }[]>;
  stop(): Promise<void>;
}

/** Starts Prometheus scraping `targets` every `scrapeSeconds`, evaluating `ruleFiles`. */
export async function startPrometheus(binary: string, options: { targets: readonly { address: string; labels?: Record<string, string> }[]; ruleFiles?: readonly string[]; scrapeSeconds?: number }): Promise<PrometheusServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-prometheus-'));
  const interval = `${options.scrapeSeconds ?? 1}s`;
  const config = {
    global: { scrape_interval: interval, evaluation_interval: interval, scrape_timeout: interval },
    rule_files: options.ruleFiles ?? [],
    scrape_configs: [{ job_name: 'resoft', static_configs: options.targets.map((t) => ({ targets: [t.address], labels: t.labels ?? {} })) }],
  };
  // JSON is YAML: no YAML library needed to write the configuration.
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), JSON.stringify(config, null, 2));
  const child: ChildProcess = spawn(binary, [
    `--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, '--web.listen-address=127.0.0.1:0',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const match = /msg="Listening on" address=127\.0\.0\.1:(\d+)/.exec(log);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`prometheus exited with ${code}: ${log.slice(-2000)}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  while (!(await fetch(`${url}/-/ready`).then((r) => r.ok, () => false))) await new Promise((r) => setTimeout(r, 100));

  const query = async (expr: string): Promise<PromSample[]> => {
    const answer = (await (await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as { status: string; error?: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    if (answer.status !== 'success') throw new Error(`query ${expr} failed: ${answer.error}`);
    return answer.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  };
  return {
    url,
    query,
    async until(expr, accept, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const samples = await query(expr);
        if (accept(samples)) return samples;
        if (Date.now() > deadline) throw new Error(`${expr} did not reach the expected value within ${timeoutMs} ms; last: ${JSON.stringify(samples)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    async rules() {
      const answer = (await (await fetch(`${url}/api/v1/rules`)).json()) as { data: { groups: { name: string; rules: { health: string; lastError?: string }[] }[] } };
      return answer.data.groups.flatMap((g) => g.rules.map((r) => ({ name: g.name, health: r.health, ...(r.lastError ? { lastError: r.lastError } : {}) })));
    },
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}
