/**
 * The benchmarked server as a child process: the real all-in-one (`bin/resoft.js start`) on a fresh
 * data directory and a free loopback port, so load generator and server do not share an event loop.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export interface ServerChild {
  readonly baseUrl: string;
  /** The server's process id (for its memory use). */
  readonly pid: number;
  /** Warning and error lines the server logged (the first 20 and the last 30), and how many in all. */
  readonly log: { readonly lines: string[]; count: number };
  /** Why the server is gone, or null while it runs. */
  exitReason(): string | null;
  stop(): Promise<void>;
}

/** Kills children and removes directories if the benchmark itself is interrupted. */
export const emergencyCleanups = new Set<() => void>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const cleanup of emergencyCleanups) cleanup();
    process.exit(130);
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startServer(profileDir?: string, extraEnv: Record<string, string> = {}): Promise<ServerChild> {
  const dataDir = mkdtempSync(join(tmpdir(), 'resoft-api-bench-'));
  const port = await freePort();
  const args = [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), join(ROOT, 'bin/resoft.js'), 'start'];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port), HOST: '127.0.0.1', RESOFT_DATA_DIR: dataDir, LOG_LEVEL: 'warn',
      RESOFT_AUTH_RATE_LIMIT: '1000000',
      // Only sign-up uses scrypt; a low cost keeps preparation short and does not touch the measured paths.
      RESOFT_SCRYPT_COST: '1024',
      RESOFT_ACCESS_TOKEN_TTL_SECONDS: '86400',
      // Benchmarks measure throughput: a few bench users post thousands of messages and hold 20+ sockets each.
      RESOFT_CHAT_POSTS_PER_MINUTE: '100000000',
      RESOFT_COLLAB_MAX_CONNECTIONS_PER_USER: '100000',
      ...extraEnv,
    },
  });
  const log = { lines: [] as string[], count: 0 };
  const collect = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n').filter((l) => l.trim())) {
      log.count += 1;
      log.lines.push(line);
      if (log.lines.length > 50) log.lines.splice(20, 1);
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exitReason: string | null = null;
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => {
    // The CLI exits 0 only after a graceful stop: someone else sent SIGINT or SIGTERM.
    exitReason = stopping ? 'stopped by the benchmark' : code === 0 ? 'server stopped by a SIGINT/SIGTERM from outside the benchmark (exit code 0)' : `server exited (${signal ?? `code ${code}`})`;
    resolve();
  }));
  const kill = (): void => {
    if (exitReason === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  };
  emergencyCleanups.add(kill);

  const stop = async (): Promise<void> => {
    if (exitReason === null) {
      stopping = true;
      child.kill('SIGTERM'); // Graceful, so --cpu-prof writes its profile.
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
    emergencyCleanups.delete(kill);
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    for (const started = Date.now(); ; await new Promise((r) => setTimeout(r, 100))) {
      if (exitReason !== null) throw new Error(`${exitReason} before it was healthy:\n${log.lines.join('\n')}`);
      if (Date.now() - started > 30_000) throw new Error('server not healthy after 30 s');
      const healthy = await fetch(`${baseUrl}/healthz`).then((r) => r.ok, () => false);
      if (healthy) break;
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, pid: child.pid ?? 0, log, exitReason: () => exitReason, stop };
}
