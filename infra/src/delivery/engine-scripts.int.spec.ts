/**
 * The engine scripts in infra/engines/ are what CI, the fault tests and people use to start, check
 * and stop Redis, FerretDB, Kafka, Prometheus and Jaeger. Each must start on the ports it is given,
 * say how to reach it, report its status (0 running, 3 stopped), stop only the process it started,
 * tolerate a second start and a second stop, and refuse a port another process holds. Every engine
 * runs here on free ports of its own, so the shared engines of a test run are never touched.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repository = fileURLToPath(new URL('../../../', import.meta.url));
const engineDir = path.join(repository, 'infra', 'engines');
const enginesCache = process.env['RESOFT_ENGINES_DIR'] ?? path.join(os.homedir(), '.cache', 'resoft-engines');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

interface Engine {
  readonly name: string;
  /** Why it cannot run on this machine, or null. */
  readonly missing: () => string | null;
  /** The environment naming its ports and run directory. */
  readonly environment: (runDir: string) => Promise<Record<string, string>>;
  /** The variable its start and status print, e.g. REDIS_URL. */
  readonly printed: string;
  /** The environment variable whose port a foreign listener can take to make start refuse, if the script checks one. */
  readonly portVariable?: string;
}

const onPath = (command: string) => spawnSync('bash', ['-c', `command -v ${command}`]).status === 0;
const binaryIn = (dir: string, pattern: RegExp) => fs.existsSync(dir) && fs.readdirSync(dir).some((f) => pattern.test(f));

const engines: readonly Engine[] = [
  {
    name: 'redis', printed: 'REDIS_URL',
    missing: () => (onPath('redis-server') ? null : 'redis-server is not installed (bash infra/engines/redis.sh install)'),
    environment: async (runDir) => ({ REDIS_PORT: String(await freePort()), REDIS_RUN_DIR: runDir }),
  },
  {
    name: 'ferretdb', printed: 'MONGO_URL', portVariable: 'FERRETDB_PORT',
    missing: () => (fs.existsSync(path.join(enginesCache, 'bin', 'ferretdb')) ? null : 'ferretdb is not built (bash infra/engines/ferretdb.sh install)'),
    environment: async (runDir) => ({ FERRETDB_PORT: String(await freePort()), FERRETDB_RUN_DIR: runDir }),
  },
  {
    name: 'kafka', printed: 'KAFKA_BROKERS', portVariable: 'KAFKA_PORT',
    missing: () => (binaryIn(enginesCache, /^kafka-\d/) ? null : 'the Kafka jars are not installed (bash infra/engines/kafka.sh install)'),
    environment: async (runDir) => ({ KAFKA_PORT: String(await freePort()), KAFKA_CONTROLLER_PORT: String(await freePort()), KAFKA_RUN_DIR: runDir }),
  },
  {
    name: 'prometheus', printed: 'PROMETHEUS_URL',
    missing: () => (onPath('prometheus') && onPath('promtool') ? null : 'prometheus is not installed (bash infra/engines/prometheus.sh install)'),
    environment: async (runDir) => ({ PROMETHEUS_PORT: String(await freePort()), PROMETHEUS_RUN_DIR: runDir }),
  },
  {
    name: 'jaeger', printed: 'JAEGER_QUERY_URL',
    missing: () => (binaryIn(path.join(enginesCache, 'bin'), /^jaeger-v/) ? null : 'jaeger is not built (bash infra/engines/jaeger.sh install)'),
    environment: async (runDir) => ({
      JAEGER_OTLP_PORT: String(await freePort()), JAEGER_QUERY_PORT: String(await freePort()),
      JAEGER_QUERY_GRPC_PORT: String(await freePort()), JAEGER_HEALTH_PORT: String(await freePort()), JAEGER_RUN_DIR: runDir,
    }),
  },
];

function run(engine: Engine, command: string, environment: Record<string, string>) {
  const result = spawnSync('bash', [path.join(engineDir, `${engine.name}.sh`), command], {
    cwd: repository, encoding: 'utf8', env: { ...process.env, ...environment }, timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, output: result.stdout + result.stderr };
}

const shellcheck = onPath('shellcheck');
if (!shellcheck) console.log('engine script lint skipped: shellcheck is not installed (apt-get install shellcheck; .ci/run installs it)');

describe('engine scripts', () => {
  (shellcheck ? it : it.skip)('pass shellcheck, the shared engine-process.sh followed', () => {
    const scripts = fs.readdirSync(engineDir).filter((f) => f.endsWith('.sh')).map((f) => path.join('infra', 'engines', f));
    const result = spawnSync('shellcheck', ['-x', '-S', 'warning', ...scripts], { cwd: repository, encoding: 'utf8' });
    expect({ status: result.status, problems: result.stdout + result.stderr }).toEqual({ status: 0, problems: '' });
  });

  for (const engine of engines) {
    const missing = engine.missing();
    if (missing) console.log(`${engine.name}.sh lifecycle skipped: ${missing}`);
    (missing ? it.skip : it)(`${engine.name}.sh starts, reports, stops only its own process, and is idempotent both ways`, async () => {
      const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `resoft-engine-${engine.name}-`));
      const environment = await engine.environment(runDir);
      try {
        const started = run(engine, 'start', environment);
        expect(started).toMatchObject({ status: 0 });
        const url = started.stdout.split('\n').find((line) => line.startsWith(`${engine.printed}=`));
        expect(url).toBeDefined();

        const status = run(engine, 'status', environment);
        expect(status.status).toBe(0);
        expect(status.stdout).toContain(url);
        const pid = Number(/\(pid (\d+)\)/.exec(status.output)?.[1]);
        expect(pid).toBeGreaterThan(0);

        const again = run(engine, 'start', environment);
        expect(again.status).toBe(0);
        expect(again.output).toMatch(/already running/);

        expect(run(engine, 'stop', environment).status).toBe(0);
        expect(() => process.kill(pid, 0)).toThrow();
        expect(run(engine, 'status', environment).status).toBe(3);
        const secondStop = run(engine, 'stop', environment);
        expect(secondStop.status).toBe(0);
        expect(secondStop.output).toMatch(/not running/);
      } finally {
        run(engine, 'stop', environment);
        fs.rmSync(runDir, { recursive: true, force: true });
      }
    }, 180_000);

    if (engine.portVariable) {
      (missing ? it.skip : it)(`${engine.name}.sh refuses a port another process holds, and that process survives`, async () => {
        const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `resoft-engine-${engine.name}-`));
        const environment = await engine.environment(runDir);
        const squatter = net.createServer((socket) => socket.destroy());
        await new Promise<void>((resolve) => squatter.listen(Number(environment[engine.portVariable!]), '127.0.0.1', resolve));
        try {
          const refused = run(engine, 'start', environment);
          expect(refused.status).not.toBe(0);
          expect(refused.output).toMatch(/taken/);
          expect(squatter.listening).toBe(true);
        } finally {
          run(engine, 'stop', environment);
          await new Promise((resolve) => squatter.close(resolve));
          fs.rmSync(runDir, { recursive: true, force: true });
        }
      }, 60_000);
    }
  }
});
