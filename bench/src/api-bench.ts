/**
 * HTTP API benchmark (`npm run bench:api`): runs the all-in-one server as a child process on a fresh
 * data directory, drives the write path (chat) and two reads with autocannon at 100 and 1000
 * connections, then measures projection lag through `?after=`. Prints a table and writes the same
 * figures to `.bench/api-<timestamp>.json`.
 *
 * Then the mixed workload (project list, chat history, chat posts) at 100 / 500 / 1,000 connections
 * beside a bare Express 5 process answering bodies of the same sizes, with the ratio.
 *
 * Environment: BENCH_DURATION (seconds per scenario, default 10), BENCH_LAG_SAMPLES (default 500),
 * BENCH_PROFILE=1 (also profile commands — with BENCH_MIXED_ONLY=1 the mixed workload — at 100
 * connections with --cpu-prof on a separate server),
 * BENCH_MIXED_ONLY=1 (only the mixed workload and its baseline), BENCH_HTTP_PROCESSES=n (run the
 * server with RESOFT_HTTP_PROCESSES=n), BENCH_MIXED_LEVELS (connection levels of the mixed workload, default 100,500,1000).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { ROOT, startServer, type ServerChild } from './bench-server-child.js';
import { summariseProfile, type CpuProfile, type ProfileSummary as ProfileBreakdown } from './cpu-profile-summary.js';

interface ProfileSummary extends ProfileBreakdown {
  readonly file: string;
  readonly label: string;
  readonly commands: Measured;
}
import { ApiClient, type Session } from '@resoft/testkit';
import { positiveNumber } from './bench-settings.js';
import { answerSizes, mixedReport, mixedScenario, processTreeCpuMs, startBareExpress, type MixedRow } from './api-mixed-workload.js';

const DURATION_S = positiveNumber('BENCH_DURATION', 10);
const LAG_SAMPLES = positiveNumber('BENCH_LAG_SAMPLES', 500);
const PROFILE = process.env['BENCH_PROFILE'] === '1';
const CONNECTION_LEVELS = [100, 1000];
const MIXED_LEVELS = (process.env['BENCH_MIXED_LEVELS'] ?? '100,500,1000').split(',').map(Number).filter((n) => n > 0);
const MIXED_ONLY = process.env['BENCH_MIXED_ONLY'] === '1';
const HTTP_PROCESSES = process.env['BENCH_HTTP_PROCESSES'];
const USERS = 10;
const WARM_UP_S = 2;
/** Writes per second kept up in the background while lag is sampled: a moderate, steady load. */
const LAG_BACKGROUND_RATE = 200;
const REQUEST_TIMEOUT_S = 10;


// ---- open-file limit: 1000 sockets per side need more than the common default of 1024 ----

const FDS_BESIDES_SOCKETS = 256;
const NEEDED_FDS = Math.max(...CONNECTION_LEVELS) + FDS_BESIDES_SOCKETS;

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
if (limits && limits.soft < NEEDED_FDS && limits.hard >= NEEDED_FDS && !process.env['RESOFT_BENCH_RAISED_FDS']) {
  // Node cannot raise its own limit: rerun under a shell that does; the server child inherits it.
  const raised = String(Math.min(limits.hard, 65_536));
  const rerun = spawnSync('/bin/sh', ['-c', 'ulimit -n "$0" && exec "$@"', raised, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit', env: { ...process.env, RESOFT_BENCH_RAISED_FDS: '1' },
  });
  process.exit(rerun.status ?? 1);
}
/** Levels that fit the open-file limit; autocannon retrying EMFILE in a tight loop runs out of memory. */
const CONNECTIONS = CONNECTION_LEVELS.filter((c) => !limits || c + FDS_BESIDES_SOCKETS <= limits.soft);
for (const skipped of CONNECTION_LEVELS.filter((c) => !CONNECTIONS.includes(c))) {
  console.warn(`skipping ${skipped} connections: the open-file limit is ${limits?.soft} (hard ${limits?.hard}); raise it with ulimit -n ${skipped + FDS_BESIDES_SOCKETS}`);
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

/** How busy all cores were over `ms` (another process's load would make every figure low). */
async function busyPercent(ms: number): Promise<number> {
  const total = (): { busy: number; all: number } =>
    cpus().reduce((sum, c) => {
      const all = c.times.user + c.times.nice + c.times.sys + c.times.idle + c.times.irq;
      return { busy: sum.busy + all - c.times.idle, all: sum.all + all };
    }, { busy: 0, all: 0 });
  const before = total();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = total();
  return round((100 * (after.busy - before.busy)) / Math.max(1, after.all - before.all), 0);
}

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
  /** Connections that got at least one answer during the run. */
  readonly connectionsAnswered: number;
  /** The first answer body per non-2xx status and the first message per error kind. */
  readonly problems: Record<string, string>;
  /** Events in the log when the run started (nearly all chat messages in the one room). */
  readonly logHead?: number;
  /** How long the server needed to work off the previous run's backlog. */
  readonly settleSeconds?: number;
  /** Connections the kernel dropped during the run because a listen queue was full (Linux, machine-wide). */
  readonly listenOverflows?: number | null;
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
  let clients = 0;
  const answered = new Set<number>();
  const setupClient = (client: autocannon.Client): void => {
    const id = (clients += 1);
    client.on('response', () => answered.add(id));
  };
  let instance!: autocannon.Instance;
  const done = new Promise<Measured>((resolve, reject) => {
    instance = autocannon({ url: baseUrl, connections, duration: DURATION_S, timeout: REQUEST_TIMEOUT_S, requests, setupClient, ...options }, (error, r) => {
      if (error) return reject(error);
      const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [code, s.count ?? 0]));
      resolve({
        scenario: scenario.name, connections, seconds: r.duration, responses: latencies.length,
        requestsPerSecond: round(r.requests.average), okPerSecond: round(r['2xx'] / r.duration),
        latencyMs: percentiles(latencies), non2xx: r.non2xx, statusCodes, errors: r.errors, timeouts: r.timeouts, connectionsAnswered: answered.size, problems,
      });
    });
  });
  instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  instance.on('reqError', (error: NodeJS.ErrnoException) => {
    problems[`error ${error.code ?? error.message}`] ??= error.message;
  });
  return { instance, done };
}

/**
 * Waits until the server has worked off what the previous run queued (a 1000-connection run leaves
 * up to 1000 requests behind when autocannon stops): writes, then projections, then reads.
 * Returns the log's head position, which says how big the room's history is by now.
 */
async function settle(server: ServerChild, f: Fixture): Promise<number> {
  const api = new ApiClient(server.baseUrl);
  const token = f.users[0]!.accessToken;
  const deadline = Date.now() + 120_000;
  const posted = await expectStatus(api.post('/api/collaboration/chat', { roomId: f.roomId, text: 'settling' }, token), 201, 'settle write');
  while ((await api.get(`/api/collaboration/rooms/${f.roomId}?after=${posted.position}`, token)).headers.get('resoft-consistency') !== 'fresh') {
    if (Date.now() > deadline) throw new Error('projections did not catch up within 120 s');
  }
  // Each probe on a new connection: a listen queue still full of the last run's connections
  // would drop the next run's handshakes (retried after 1 s, 3 s, ...).
  for (let quick = 0; quick < 3; ) {
    const started = performance.now();
    await freshConnectionGet(`${server.baseUrl}/healthz`);
    quick = performance.now() - started < 20 ? quick + 1 : 0;
    if (Date.now() > deadline) throw new Error('the server stayed busy for 120 s after a run');
  }
  return posted.position;
}

function freshConnectionGet(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => res.resume().on('end', resolve)).on('error', reject);
  });
}

/** `onSettled` runs after the previous run's backlog is worked off, right before the load starts. */
async function measure(server: ServerChild, f: Fixture, scenario: Scenario, connections: number, onSettled?: () => void): Promise<Measured> {
  const settleStarted = performance.now();
  const logHead = await settle(server, f);
  const settleSeconds = round((performance.now() - settleStarted) / 1000, 2);
  process.stderr.write(`  ${scenario.name} at ${connections} connections, ${DURATION_S} s (settled in ${settleSeconds} s, log head ${logHead}) ...\n`);
  onSettled?.();
  const overflowsBefore = listenOverflows();
  const measured = await launch(server.baseUrl, scenario, connections).done;
  const overflowsAfter = listenOverflows();
  const gone = server.exitReason();
  if (gone) throw new Error(`${gone} during "${scenario.name}" at ${connections} connections:\n${server.log.lines.join('\n')}`);
  return { ...measured, logHead, settleSeconds, listenOverflows: overflowsBefore === null || overflowsAfter === null ? null : overflowsAfter - overflowsBefore };
}

/**
 * The kernel's count of handshakes dropped because a listen queue was full (TcpExt ListenOverflows),
 * or null off Linux. A dropped handshake is retried with backoff, so it shows up as
 * multi-second latencies and autocannon timeouts rather than as errors.
 */
function listenOverflows(): number | null {
  try {
    const [names, values] = readFileSync('/proc/net/netstat', 'utf8').split('\n').filter((l) => l.startsWith('TcpExt:')).map((l) => l.split(/\s+/));
    const at = names?.indexOf('ListenOverflows') ?? -1;
    return at > 0 && values?.[at] !== undefined ? Number(values[at]) : null;
  } catch {
    return null;
  }
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
/** Commands at 100 connections against a server under --cpu-prof (its own, so the main figures stay unprofiled). */
async function profileCommands(outFile: string, scenarioOf: (f: Fixture) => Scenario, label: string): Promise<ProfileSummary> {
  process.stderr.write(`  profile: ${label} at 100 connections under --cpu-prof, ${DURATION_S} s ...\n`);
  const dir = mkdtempSync(join(tmpdir(), 'resoft-api-profile-'));
  try {
    const server = await startServer(dir);
    let commands: Measured;
    try {
      const fixture = await prepare(server.baseUrl);
      commands = await measure(server, fixture, scenarioOf(fixture), 100);
    } finally {
      await server.stop();
    }
    const written = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    if (!written) throw new Error('the server wrote no .cpuprofile');
    copyFileSync(join(dir, written), outFile);
    return { file: outFile, label, commands, ...summariseProfile(JSON.parse(readFileSync(outFile, 'utf8')) as CpuProfile) };
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

function report(results: readonly Measured[], lag: Lag, serverLog: ServerChild['log']): void {
  const out: string[] = [];
  out.push(table(
    ['scenario', 'conns', 'answered', 'log head', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors', 'timeouts'],
    results.map((r) => [r.scenario, String(r.connections), String(r.connectionsAnswered), num(r.logHead ?? NaN), num(r.requestsPerSecond), num(r.latencyMs.p50), num(r.latencyMs.p95), num(r.latencyMs.p99), num(r.latencyMs.max), String(r.non2xx), String(r.errors), String(r.timeouts)]),
  ));
  for (const r of results.filter((m) => Object.keys(m.problems).length > 0 || (m.listenOverflows ?? 0) > 0)) {
    out.push(`  problems in "${r.scenario}" at ${r.connections}: status codes ${JSON.stringify(r.statusCodes)}; kernel listen-queue overflows during the run: ${r.listenOverflows ?? 'unknown'}`);
    for (const [kind, sample] of Object.entries(r.problems)) out.push(`    ${kind}: ${sample}`);
  }
  if (results.some((r) => r.connectionsAnswered < r.connections)) {
    out.push('  "answered" < "conns": connections that got no answer in the run. They wait in the listen queue (a saturated');
    out.push(`  Node event loop accepts about one connection per turn); autocannon counts those waiting ${REQUEST_TIMEOUT_S} s as timeouts.`);
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
  console.log(out.join('\n'));
}

function profileReport(profile: ProfileSummary): string {
  const out: string[] = [];
  out.push('');
  out.push(`CPU profile of the server, ${profile.label} at 100 connections (${num(profile.commands.okPerSecond)} 2xx/s under the profiler): ${num(profile.totalMs)} ms sampled, ${num(profile.idleMs)} ms idle; ${profile.file}`);
  out.push(table(['self ms', '% busy', 'function', 'where'], profile.topFunctions.map((f) => [num(f.selfMs), num(f.percentOfBusy), f.fn, f.where])));
  out.push('');
  out.push(table(['self ms', '% busy', 'package'], profile.topPackages.map((p) => [num(p.selfMs), num(p.percentOfBusy), p.pkg])));
  return out.join('\n');
}

const latencyCells = (p: Percentiles): string[] => [p.p50, p.p95, p.p99, p.max, p.mean].map(num);

/**
 * The mixed workload at each level, Resoft then bare Express (same load generator, same bodies'
 * sizes), so each ratio compares two runs taken a few seconds apart.
 */
async function measureMixed(server: ServerChild, f: Fixture): Promise<{ rows: MixedRow[]; sizes: number[] }> {
  const scenario = mixedScenario(f);
  const sizes = await answerSizes(server.baseUrl, f);
  const bare = await startBareExpress(sizes);
  const rows: MixedRow[] = [];
  try {
    await launch(bare.baseUrl, scenario, 10, { duration: WARM_UP_S }).done;
    for (const connections of MIXED_LEVELS.filter((c) => !limits || c + FDS_BESIDES_SOCKETS <= limits.soft)) {
      let cpu = cpuOf(server.pid);
      const resoft = await measure(server, f, scenario, connections, () => (cpu = cpuOf(server.pid)));
      const resoftCpu = perRequest(cpu, cpuOf(server.pid), resoft.responses);
      process.stderr.write(`  bare Express, mixed, at ${connections} connections, ${DURATION_S} s ...\n`);
      cpu = cpuOf(bare.pid);
      const baseline = await launch(bare.baseUrl, scenario, connections).done;
      const bareCpu = perRequest(cpu, cpuOf(bare.pid), baseline.responses);
      rows.push({
        connections,
        resoft: { requestsPerSecond: resoft.requestsPerSecond, p99: resoft.latencyMs.p99, timeouts: resoft.timeouts, non2xx: resoft.non2xx, errors: resoft.errors, cpuMsPerRequest: resoftCpu },
        bare: { requestsPerSecond: baseline.requestsPerSecond, p99: baseline.latencyMs.p99, timeouts: baseline.timeouts, cpuMsPerRequest: bareCpu },
      });
    }
  } finally {
    await bare.stop();
  }
  return { rows, sizes };
}

const cpuOf = (pid: number): number | null => processTreeCpuMs(pid);
/** CPU ms per answered request between two readings (it includes the work a run leaves queued only up to its end). */
const perRequest = (before: number | null, after: number | null, responses: number): number | null =>
  before === null || after === null || responses === 0 ? null : round((after - before) / responses, 3);

// ---- run ----

const startedAt = new Date();
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown CPU', cores: cpus().length, totalMemoryBytes: totalmem(), node: process.version, platform: `${process.platform}-${process.arch}`,
  busyPercentBeforeStart: await busyPercent(1000),
};
console.log('Resoft HTTP API benchmark (all-in-one server as a child process: SQLite event + read stores, WAL, synchronous=NORMAL, LOG_LEVEL=warn)');
console.log(`date:    ${startedAt.toISOString()}`);
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${(machine.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB`);
console.log(`node:    ${machine.node} (${machine.platform}); open-file limit ${openFileLimits()?.soft ?? 'unknown'}`);
console.log(`load:    autocannon ${DURATION_S} s per scenario, one thread on the same machine; ${USERS} users in one project and room`);
console.log(`cpu:     ${machine.busyPercentBeforeStart} % busy in the second before the start${machine.busyPercentBeforeStart > 10 ? ' -- something else is using the CPU; figures will be low' : ''}`);
console.log('');

const benchDir = join(ROOT, '.bench');
mkdirSync(benchDir, { recursive: true });
const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
const server = await startServer(undefined, HTTP_PROCESSES ? { RESOFT_HTTP_PROCESSES: HTTP_PROCESSES } : {});
let results: Measured[] = [];
let lag: Lag | null = null;
let mixed: { rows: MixedRow[]; sizes: number[] } | null = null;
try {
  const fixture = await prepare(server.baseUrl);
  const chat = chatScenario(fixture);
  const reads = readScenarios(fixture);
  process.stderr.write('warming up ...\n');
  for (const scenario of [chat, ...reads]) await launch(server.baseUrl, scenario, 10, { duration: WARM_UP_S }).done;
  if (!MIXED_ONLY) {
    for (const scenario of [chat, ...reads]) {
      for (const connections of CONNECTIONS) results.push(await measure(server, fixture, scenario, connections));
    }
    await settle(server, fixture);
    lag = await measureLag(server, fixture);
  }
  mixed = await measureMixed(server, fixture);
} catch (error) {
  await new Promise((resolve) => setTimeout(resolve, 500)); // Let a dying server's exit be seen.
  console.error(`benchmark failed (${server.exitReason() ?? 'server still running'}); server log:\n${server.log.lines.join('\n')}`);
  throw error;
} finally {
  await server.stop();
}
// A failed profile should not cost the figures already taken.
const profile = PROFILE
  ? await profileCommands(join(benchDir, `api-${stamp}-${MIXED_ONLY ? 'mixed' : 'commands'}.cpuprofile`), MIXED_ONLY ? mixedScenario : chatScenario, MIXED_ONLY ? 'the mixed workload' : 'commands').catch((error: unknown) => {
    console.error(`profiling failed: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  })
  : null;

console.log('');
if (lag) report(results, lag, server.log);
if (profile) console.log(`\n${profileReport(profile)}`);
if (mixed) console.log(`\n${mixedReport(mixed.rows, mixed.sizes)}${HTTP_PROCESSES ? `\n  (Resoft with RESOFT_HTTP_PROCESSES=${HTTP_PROCESSES})` : ''}`);
const jsonFile = join(benchDir, `api-${stamp}.json`);
writeFileSync(jsonFile, `${JSON.stringify({ date: startedAt.toISOString(), machine, durationSeconds: DURATION_S, users: USERS, httpProcesses: HTTP_PROCESSES ?? 1, scenarios: results, lag, mixed, serverLog: server.log, profile }, null, 2)}\n`);
console.log('');
console.log(`results: ${jsonFile}`);
