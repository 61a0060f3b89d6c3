/**
 * HTTP API benchmark (`npm run bench:api`): runs the all-in-one server as a child process on a fresh
 * data directory, drives the write path (chat) and two reads with autocannon at 100 and 1000
 * connections, then measures projection lag through `?after=`. Prints a table and writes the same
 * figures to `.bench/api-<timestamp>.json`.
 *
 * Environment: BENCH_DURATION (seconds per scenario, default 10), BENCH_LAG_SAMPLES (default 500),
 * BENCH_PROFILE=1 (also profile commands at 100 connections with --cpu-prof on a separate server).
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { ApiClient, type Session } from '../testing/api-client.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DURATION_S = positiveNumber('BENCH_DURATION', 10);
const LAG_SAMPLES = positiveNumber('BENCH_LAG_SAMPLES', 500);
const PROFILE = process.env['BENCH_PROFILE'] === '1';
const CONNECTIONS = [100, 1000] as const;
const USERS = 10;
const WARM_UP_S = 2;
/** Writes per second kept up in the background while lag is sampled: a moderate, steady load. */
const LAG_BACKGROUND_RATE = 200;
const REQUEST_TIMEOUT_S = 10;

function positiveNumber(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

// ---- open-file limit: 1000 sockets per side need more than the common default of 1024 ----

const NEEDED_FDS = Math.max(...CONNECTIONS) + 256;

function openFileLimits(): { soft: number; hard: number } | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const [soft, hard] = (line?.slice('Max open files'.length).trim().split(/\s+/) ?? []).map((v) => (v === 'unlimited' ? Infinity : Number(v)));
    return soft !== undefined && hard !== undefined ? { soft, hard } : null;
  } catch {
    return null; // Not Linux: trust the environment.
  }
}

const limits = openFileLimits();
if (limits && limits.soft < NEEDED_FDS) {
  if (process.env['RESOFT_BENCH_RAISED_FDS'] || limits.hard < NEEDED_FDS) {
    console.warn(`warning: open-file limit ${limits.soft} (hard ${limits.hard}) is below ${NEEDED_FDS}; expect EMFILE errors at ${Math.max(...CONNECTIONS)} connections`);
  } else {
    // Node cannot raise its own limit: rerun under a shell that does; the server child inherits it.
    const raised = String(Math.min(limits.hard, 65_536));
    const rerun = spawnSync('/bin/sh', ['-c', 'ulimit -n "$0" && exec "$@"', raised, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
      stdio: 'inherit', env: { ...process.env, RESOFT_BENCH_RAISED_FDS: '1' },
    });
    process.exit(rerun.status ?? 1);
  }
}

// ---- the server child ----

interface ServerChild {
  readonly baseUrl: string;
  /** Warning and error lines the server logged (the first 50), and how many in all. */
  readonly log: { readonly lines: string[]; count: number };
  /** Why the server is gone, or null while it runs. */
  exitReason(): string | null;
  stop(): Promise<void>;
}

/** Kills children and removes directories if the benchmark itself is interrupted. */
const emergencyCleanups = new Set<() => void>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const cleanup of emergencyCleanups) cleanup();
    process.exit(130);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function startServer(profileDir?: string): Promise<ServerChild> {
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
    },
  });
  const log = { lines: [] as string[], count: 0 };
  const collect = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n').filter((l) => l.trim())) {
      log.count += 1;
      if (log.lines.length < 50) log.lines.push(line);
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exitReason: string | null = null;
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => {
    exitReason = `server exited (${signal ?? `code ${code}`})`;
    resolve();
  }));
  const kill = (): void => {
    if (exitReason === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  };
  emergencyCleanups.add(kill);

  const stop = async (): Promise<void> => {
    if (exitReason === null) {
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
  return { baseUrl, log, exitReason: () => exitReason, stop };
}

// ---- data ----

interface Fixture {
  readonly users: readonly Session[];
  readonly projectId: string;
  readonly roomId: string;
}

async function expectStatus(answer: Promise<{ status: number; body: any }>, status: number, what: string): Promise<any> {
  const { status: got, body } = await answer;
  if (got !== status) throw new Error(`${what}: expected ${status}, got ${got} ${JSON.stringify(body)}`);
  return body;
}

/** Users signed in, a project they are all members of, and a room they all joined. */
async function prepare(baseUrl: string): Promise<Fixture> {
  const api = new ApiClient(baseUrl);
  const users: Session[] = [];
  for (let i = 0; i < USERS; i += 1) users.push(await api.signUp(`bench${i}`));
  const owner = users[0]!;
  const project = await expectStatus(api.post('/api/projects', { name: 'Benchmark', description: 'Load' }, owner.accessToken), 201, 'create project');
  for (const user of users.slice(1)) {
    await expectStatus(api.post(`/api/projects/${project.id}/members`, { userId: user.userId, role: 'editor' }, owner.accessToken), 201, 'add member');
  }
  const room = await expectStatus(api.post('/api/collaboration/rooms', { projectId: project.id, name: 'general' }, owner.accessToken), 201, 'create room');
  let position = 0;
  for (const user of users) position = (await expectStatus(api.post(`/api/collaboration/rooms/${room.id}/join`, {}, user.accessToken), 200, 'join room')).position;
  // Read once at the last position so the projections hold everything before load starts.
  await expectStatus(api.get(`/api/collaboration/rooms/${room.id}?after=${position}`, owner.accessToken), 200, 'read room');
  return { users, projectId: project.id, roomId: room.id };
}

// ---- scenarios ----

interface Scenario {
  readonly name: string;
  readonly requests: autocannon.Request[];
}

/** Each request from the next user in turn, so load is not one user's. */
function asUsers(f: Fixture, request: autocannon.Request, body?: (n: number) => string): autocannon.Request {
  let n = 0;
  return {
    ...request,
    setupRequest: (req) => {
      n += 1;
      const headers = { ...req.headers, authorization: `Bearer ${f.users[n % f.users.length]!.accessToken}` };
      return body ? { ...req, headers: { ...headers, 'content-type': 'application/json' }, body: body(n) } : { ...req, headers };
    },
  };
}

function chatScenario(f: Fixture): Scenario {
  const mention = (n: number): string => f.users[(n + 1) % f.users.length]!.username;
  const text = (n: number): string => (n % 10 === 0 ? `@${mention(n)} could you look at message ${n}?` : `Bench message ${n}: the build is green, shipping it.`);
  return { name: 'POST /api/collaboration/chat', requests: [asUsers(f, { method: 'POST', path: '/api/collaboration/chat' }, (n) => JSON.stringify({ roomId: f.roomId, text: text(n) }))] };
}

function readScenarios(f: Fixture): Scenario[] {
  return [
    { name: 'GET chat history ?limit=50', requests: [asUsers(f, { method: 'GET', path: `/api/collaboration/chat/${f.roomId}/history?limit=50` })] },
    { name: 'GET /api/projects', requests: [asUsers(f, { method: 'GET', path: '/api/projects' })] },
  ];
}

interface Percentiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

function percentiles(values: readonly number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number): number => round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN);
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: round(sorted[sorted.length - 1] ?? NaN), mean: round(mean) };
}

const round = (v: number, digits = 1): number => Math.round(v * 10 ** digits) / 10 ** digits;

interface Measured {
  readonly scenario: string;
  readonly connections: number;
  readonly seconds: number;
  readonly responses: number;
  /** autocannon's mean of its per-second samples. */
  readonly requestsPerSecond: number;
  readonly okPerSecond: number;
  /** Every response's latency in ms, non-2xx included (P95 is not in autocannon's histogram). */
  readonly latencyMs: Percentiles;
  readonly non2xx: number;
  readonly statusCodes: Record<string, number>;
  readonly errors: number;
  readonly timeouts: number;
  /** The first answer body per non-2xx status and the first message per error kind. */
  readonly problems: Record<string, string>;
}

interface Load {
  readonly instance: autocannon.Instance;
  readonly done: Promise<Measured>;
}

function launch(baseUrl: string, scenario: Scenario, connections: number, options: Partial<autocannon.Options> = {}): Load {
  const latencies: number[] = [];
  const problems: Record<string, string> = {};
  const requests = scenario.requests.map((r) => ({
    ...r,
    onResponse: (status: number, body: string) => {
      if (status >= 300) problems[`HTTP ${status}`] ??= body.slice(0, 300);
    },
  }));
  let instance!: autocannon.Instance;
  const done = new Promise<Measured>((resolve, reject) => {
    instance = autocannon({ url: baseUrl, connections, duration: DURATION_S, timeout: REQUEST_TIMEOUT_S, requests, ...options }, (error, r) => {
      if (error) return reject(error);
      const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [code, s.count ?? 0]));
      resolve({
        scenario: scenario.name, connections, seconds: r.duration, responses: latencies.length,
        requestsPerSecond: round(r.requests.average), okPerSecond: round(r['2xx'] / r.duration),
        latencyMs: percentiles(latencies), non2xx: r.non2xx, statusCodes, errors: r.errors, timeouts: r.timeouts, problems,
      });
    });
  });
  instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  instance.on('reqError', (error: NodeJS.ErrnoException) => {
    problems[`error ${error.code ?? error.message}`] ??= error.message;
  });
  return { instance, done };
}

async function measure(server: ServerChild, scenario: Scenario, connections: number): Promise<Measured> {
  process.stderr.write(`  ${scenario.name} at ${connections} connections, ${DURATION_S} s ...\n`);
  const measured = await launch(server.baseUrl, scenario, connections).done;
  const gone = server.exitReason();
  if (gone) throw new Error(`${gone} during "${scenario.name}" at ${connections} connections:\n${server.log.lines.join('\n')}`);
  return measured;
}

// ---- projection lag ----

interface Lag {
  readonly samples: number;
  /** Latency of a history read with ?after=<position of the write just answered>: lag plus one read. */
  readonly readAfterWriteMs: Percentiles;
  /** The same read without ?after=, right after: what one read costs alone. */
  readonly plainReadMs: Percentiles;
  readonly stale: number;
  readonly missing: number;
  readonly backgroundWrites: { readonly targetPerSecond: number; readonly okPerSecond: number; readonly non2xx: number; readonly errors: number };
}

async function measureLag(server: ServerChild, f: Fixture): Promise<Lag> {
  process.stderr.write(`  projection lag, ${LAG_SAMPLES} samples under ${LAG_BACKGROUND_RATE} writes/s ...\n`);
  const background = launch(server.baseUrl, chatScenario(f), 10, { duration: 3600, overallRate: LAG_BACKGROUND_RATE });
  const api = new ApiClient(server.baseUrl);
  const token = f.users[0]!.accessToken;
  const history = `/api/collaboration/chat/${f.roomId}/history`;
  const afterWrite: number[] = [];
  const plain: number[] = [];
  let stale = 0;
  let missing = 0;
  try {
    for (let i = 0; i < LAG_SAMPLES; i += 1) {
      const posted = await expectStatus(api.post('/api/collaboration/chat', { roomId: f.roomId, text: `lag probe ${i}` }, token), 201, 'lag probe');
      const started = performance.now();
      const read = await api.get(`${history}?after=${posted.position}&limit=1`, token);
      afterWrite.push(performance.now() - started);
      if (read.status !== 200) throw new Error(`read after write: ${read.status} ${JSON.stringify(read.body)}`);
      if (read.headers.get('resoft-consistency') !== 'fresh') stale += 1;
      if (!((read.body.messages?.[0]?.position ?? 0) >= posted.position)) missing += 1;
      const plainStarted = performance.now();
      await api.get(`${history}?limit=1`, token);
      plain.push(performance.now() - plainStarted);
    }
  } finally {
    background.instance.stop();
  }
  const writes = await background.done;
  return {
    samples: LAG_SAMPLES, readAfterWriteMs: percentiles(afterWrite), plainReadMs: percentiles(plain), stale, missing,
    backgroundWrites: { targetPerSecond: LAG_BACKGROUND_RATE, okPerSecond: writes.okPerSecond, non2xx: writes.non2xx, errors: writes.errors },
  };
}

// ---- CPU profile of the write path ----

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}
interface ProfileSummary {
  readonly file: string;
  readonly commands: Measured;
  readonly totalMs: number;
  readonly idleMs: number;
  readonly topFunctions: { readonly selfMs: number; readonly percentOfBusy: number; readonly fn: string; readonly where: string }[];
  readonly topPackages: { readonly selfMs: number; readonly percentOfBusy: number; readonly pkg: string }[];
}

function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('node_modules/');
  if (inModules >= 0) return path.slice(inModules);
  return path.startsWith(ROOT) ? path.slice(ROOT.length) : path;
}

function packageOf(url: string): string {
  if (!url) return '(native / VM)';
  if (url.startsWith('node:')) return 'node (core)';
  const path = shortUrl(url);
  const modules = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (modules) return modules[1]!;
  return path.includes('/') ? `@resoft/${path.split('/')[0]}` : path;
}

function summariseProfile(profile: CpuProfile): Omit<ProfileSummary, 'file' | 'commands'> {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byFunction = new Map<string, { us: number; fn: string; where: string }>();
  const byPackage = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i + 1] ?? 0; // A sample lasts until the next one.
    const frame = nodes.get(id)?.callFrame;
    if (!frame) return;
    totalUs += us;
    if (frame.functionName === '(idle)') idleUs += us;
    const fn = frame.functionName || '(anonymous)';
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${fn}\u0000${where}`;
    const entry = byFunction.get(key) ?? { us: 0, fn, where };
    entry.us += us;
    byFunction.set(key, entry);
    if (frame.functionName !== '(idle)') byPackage.set(packageOf(frame.url), (byPackage.get(packageOf(frame.url)) ?? 0) + us);
  });
  const busyUs = totalUs - idleUs;
  const share = (us: number): number => round((100 * us) / busyUs);
  return {
    totalMs: round(totalUs / 1000, 0), idleMs: round(idleUs / 1000, 0),
    topFunctions: [...byFunction.values()].filter((e) => e.fn !== '(idle)').sort((a, b) => b.us - a.us).slice(0, 10)
      .map((e) => ({ selfMs: round(e.us / 1000, 0), percentOfBusy: share(e.us), fn: e.fn, where: e.where })),
    topPackages: [...byPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10)
      .map(([pkg, us]) => ({ selfMs: round(us / 1000, 0), percentOfBusy: share(us), pkg })),
  };
}

/** Commands at 100 connections against a server under --cpu-prof (its own, so the main figures stay unprofiled). */
async function profileCommands(outFile: string): Promise<ProfileSummary> {
  process.stderr.write(`  profile: commands at 100 connections under --cpu-prof, ${DURATION_S} s ...\n`);
  const dir = mkdtempSync(join(tmpdir(), 'resoft-api-profile-'));
  try {
    const server = await startServer(dir);
    let commands: Measured;
    try {
      commands = await measure(server, chatScenario(await prepare(server.baseUrl)), 100);
    } finally {
      await server.stop();
    }
    const written = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    if (!written) throw new Error('the server wrote no .cpuprofile');
    copyFileSync(join(dir, written), outFile);
    return { file: outFile, commands, ...summariseProfile(JSON.parse(readFileSync(outFile, 'utf8')) as CpuProfile) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- report ----

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const num = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: 1 });

function report(results: readonly Measured[], lag: Lag, serverLog: ServerChild['log'], profile: ProfileSummary | null): void {
  const out: string[] = [];
  out.push(table(
    ['scenario', 'conns', 'req/s', '2xx/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors', 'timeouts'],
    results.map((r) => [r.scenario, String(r.connections), num(r.requestsPerSecond), num(r.okPerSecond), num(r.latencyMs.p50), num(r.latencyMs.p95), num(r.latencyMs.p99), num(r.latencyMs.max), String(r.non2xx), String(r.errors), String(r.timeouts)]),
  ));
  for (const r of results.filter((m) => Object.keys(m.problems).length > 0)) {
    out.push(`  problems in "${r.scenario}" at ${r.connections}: ${JSON.stringify(r.statusCodes)}`);
    for (const [kind, sample] of Object.entries(r.problems)) out.push(`    ${kind}: ${sample}`);
  }
  out.push('');
  out.push(`Projection lag: ${lag.samples} samples, write then GET history?after=<position>&limit=1, under ${lag.backgroundWrites.targetPerSecond} background writes/s (achieved ${num(lag.backgroundWrites.okPerSecond)} 2xx/s, ${lag.backgroundWrites.non2xx} non-2xx, ${lag.backgroundWrites.errors} errors)`);
  out.push(table(['measure', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'mean ms'], [
    ['read with ?after= (lag + one read)', ...latencyCells(lag.readAfterWriteMs)],
    ['same read without ?after=', ...latencyCells(lag.plainReadMs)],
  ]));
  out.push(`  stale answers: ${lag.stale}, answers without the write: ${lag.missing}`);
  out.push('');
  out.push(`Server log at warn: ${serverLog.count} line(s)${serverLog.count ? ':' : ''}`);
  for (const line of serverLog.lines.slice(0, 5)) out.push(`  ${line.slice(0, 300)}`);
  if (profile) {
    out.push('');
    out.push(`CPU profile of the server, commands at 100 connections (${num(profile.commands.okPerSecond)} 2xx/s under the profiler): ${num(profile.totalMs)} ms sampled, ${num(profile.idleMs)} ms idle; ${profile.file}`);
    out.push(table(['self ms', '% busy', 'function', 'where'], profile.topFunctions.map((f) => [num(f.selfMs), num(f.percentOfBusy), f.fn, f.where])));
    out.push('');
    out.push(table(['self ms', '% busy', 'package'], profile.topPackages.map((p) => [num(p.selfMs), num(p.percentOfBusy), p.pkg])));
  }
  console.log(out.join('\n'));
}

const latencyCells = (p: Percentiles): string[] => [p.p50, p.p95, p.p99, p.max, p.mean].map(num);

// ---- run ----

const startedAt = new Date();
const machine = { cpu: cpus()[0]?.model ?? 'unknown CPU', cores: cpus().length, totalMemoryBytes: totalmem(), node: process.version, platform: `${process.platform}-${process.arch}` };
console.log('Resoft HTTP API benchmark (all-in-one server as a child process: SQLite event + read stores, WAL, synchronous=NORMAL, LOG_LEVEL=warn)');
console.log(`date:    ${startedAt.toISOString()}`);
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${(machine.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB`);
console.log(`node:    ${machine.node} (${machine.platform}); open-file limit ${openFileLimits()?.soft ?? 'unknown'}`);
console.log(`load:    autocannon ${DURATION_S} s per scenario, one thread on the same machine; ${USERS} users in one project and room`);
console.log('');

const benchDir = join(ROOT, '.bench');
mkdirSync(benchDir, { recursive: true });
const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
const server = await startServer();
let results: Measured[];
let lag: Lag;
try {
  const fixture = await prepare(server.baseUrl);
  const chat = chatScenario(fixture);
  const reads = readScenarios(fixture);
  process.stderr.write('warming up ...\n');
  for (const scenario of [chat, ...reads]) await launch(server.baseUrl, scenario, 10, { duration: WARM_UP_S }).done;
  results = [];
  for (const scenario of [chat, ...reads]) {
    for (const connections of CONNECTIONS) results.push(await measure(server, scenario, connections));
  }
  lag = await measureLag(server, fixture);
} finally {
  await server.stop();
}
const profile = PROFILE ? await profileCommands(join(benchDir, `api-${stamp}-commands.cpuprofile`)) : null;

console.log('');
report(results, lag, server.log, profile);
const jsonFile = join(benchDir, `api-${stamp}.json`);
writeFileSync(jsonFile, `${JSON.stringify({ date: startedAt.toISOString(), machine, durationSeconds: DURATION_S, users: USERS, scenarios: results, lag, serverLog: server.log, profile }, null, 2)}\n`);
console.log('');
console.log(`results: ${jsonFile}`);
