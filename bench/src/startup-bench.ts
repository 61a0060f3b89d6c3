/**
 * Start-up benchmark (`npm run bench:startup`): starts the all-in-one server in embedded mode (no engine
 * URL set) several times on fresh data directories and reports the time from spawn to "Resoft is
 * listening", the resident memory once listening, and which vendor SDKs the process loaded (none should
 * be: each is imported only when its URL is configured, issue 19).
 *
 * Environment: BENCH_STARTS (runs, default 5).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, freePort } from './bench-server-child.js';
import { positiveNumber } from './bench-settings.js';

const STARTS = positiveNumber('BENCH_STARTS', 5);
/** Package directories of the vendor SDKs that embedded mode must not load. */
const VENDOR_PACKAGES = ['kafkajs', 'mongodb', 'ioredis', '@eventstore/db-client', '@duckdb/node-api'];

interface Start {
  readonly listeningMs: number;
  readonly rssMb: number;
  readonly vendors: string[];
}

/**
 * Preloaded into the server: on SIGUSR2 it prints which vendor packages are in the CommonJS module cache
 * (every vendor SDK here is CommonJS, so an ESM import of it lands there too).
 */
const PROBE = `
process.on('SIGUSR2', () => {
  const loaded = Object.keys(require('node:module')._cache);
  const vendors = ${JSON.stringify(VENDOR_PACKAGES)}.filter((name) => loaded.some((file) => file.includes('/node_modules/' + name + '/')));
  process.stderr.write('VENDORS ' + JSON.stringify(vendors) + '\\n');
});
`;

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line?.replace(/\D+/g, '') ?? 0) / 1024);
}

async function startOnce(probeFile: string): Promise<Start> {
  const dataDir = mkdtempSync(join(tmpdir(), 'resoft-startup-bench-'));
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['--require', probeFile, join(ROOT, 'bin/resoft.js'), 'start'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', RESOFT_DATA_DIR: dataDir, LOG_LEVEL: 'info' },
  });
  try {
    let output = '';
    const seen = (text: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const onData = (chunk: Buffer): void => {
          output += chunk.toString('utf8');
          const at = output.indexOf(text);
          if (at >= 0) {
            child.stdout.off('data', onData);
            child.stderr.off('data', onData);
            resolve(output.slice(at));
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.once('exit', (code) => reject(new Error(`server exited (${code}) before "${text}":\n${output.slice(-2000)}`)));
      });
    await seen('Resoft is listening');
    const listeningMs = Math.round(performance.now() - started);
    const rss = rssMb(child.pid!);
    output = '';
    const answer = seen('VENDORS ');
    child.kill('SIGUSR2');
    const vendors = JSON.parse((await answer).slice('VENDORS '.length).split('\n')[0]!) as string[];
    return { listeningMs, rssMb: rss, vendors };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const probeDir = mkdtempSync(join(tmpdir(), 'resoft-startup-probe-'));
const probeFile = join(probeDir, 'vendor-probe.cjs');
writeFileSync(probeFile, PROBE);
try {
  const starts: Start[] = [];
  for (let run = 0; run < STARTS; run++) starts.push(await startOnce(probeFile));
  const ms = starts.map((s) => s.listeningMs);
  const rss = starts.map((s) => s.rssMb);
  process.stdout.write(
    `embedded start (${STARTS} runs): spawn → listening median ${median(ms)} ms (min ${Math.min(...ms)}, max ${Math.max(...ms)}); ` +
      `RSS when listening median ${median(rss)} MB (min ${Math.min(...rss)}, max ${Math.max(...rss)}); ` +
      `vendor SDKs loaded: ${[...new Set(starts.flatMap((s) => s.vendors))].join(', ') || 'none'}\n`,
  );
} finally {
  rmSync(probeDir, { recursive: true, force: true });
}
