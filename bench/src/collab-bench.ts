/**
 * `npm run bench:collab`: the collaboration gateway under a real room's load, beside Hocuspocus 3
 * (Yjs clients, default settings) and automerge-repo's own WebSocket sync on the same load, in the
 * same run, each server in a child process (issue 19).
 *
 * 1. Edit propagation: 2, 10 and 50 editors on one document, sharing BENCH_DOC_EDIT_RATE edits per
 *    second (each inserts a short token at the start, then moves its cursor after it; every tenth
 *    edit also flips the editor's "typing" presence) for BENCH_DURATION s; the time from a token's
 *    insert until each other editor's text contains it, P50/P99, and the P50 of the time until the
 *    first other editor saw it, and of the k-th, by receiver rank (BENCH_CLIENT_THREADS=n spreads the editors over n worker threads,
 *    see collab-client-threads.ts); and the server's CPU time per edit
 *    (user + system time of the server process over the level, from /proc — what process.cpuUsage
 *    reports — divided by the edits made).
 * 2. Join storm: BENCH_JOINS (1,000) sockets join one room (Resoft: `collaboration:join`;
 *    Hocuspocus: a provider on one document, with an awareness field; automerge-repo: a Repo finding
 *    one document), all at once; the time until every one has joined (synced), and the server's
 *    resident memory growth per connection.
 * 3. (BENCH_BROADCAST=1) Broadcast: 2,000 connections in 100 rooms, one chat message per room per
 *    second, P99 from send to each member's receipt.
 *
 * Ratios are Resoft / other system, measured in the same run.
 */
import { Repo } from '@automerge/automerge-repo';
import { BrowserWebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { SUBPROTOCOL, type ServerFrame } from '@resoft/contracts';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { ApiClient, type Session } from '@resoft/testkit';
import { positiveNumber } from './bench-settings.js';
import { ROOT, emergencyCleanups, startServer } from './bench-server-child.js';
import { startHosts, type HostHandle } from './collab-client-threads.js';
import { sleep } from './collab-editor.js';
import { hocuspocusJoinStorm } from './hocuspocus-clients.js';

const DURATION_S = positiveNumber('BENCH_DURATION', 8);
/** Edits per second on the document, shared by its editors (50 people do not all type at once). */
const DOC_EDIT_RATE = positiveNumber('BENCH_DOC_EDIT_RATE', 20);
const EDITOR_LEVELS = (process.env['BENCH_LEVELS'] ?? '2,10,50').split(',').map(Number).filter((n) => n >= 2);
const BROADCAST_CONNECTIONS = positiveNumber('BENCH_CONNECTIONS', 2000);
const JOINS = positiveNumber('BENCH_JOINS', 1000);
const JOIN_TIMEOUT_MS = 180_000;
const SYSTEMS = (process.env['BENCH_SYSTEMS'] ?? 'resoft,hocuspocus,automerge-repo').split(',');
/**
 * Worker threads holding a level's editors (see collab-client-threads.ts); 0, the default, keeps
 * them in the benchmark's own thread, as every run recorded before 2026-12-04 20:00 UTC.
 */
const CLIENT_THREADS = [undefined, '', '0'].includes(process.env['BENCH_CLIENT_THREADS']) ? 0 : Math.floor(positiveNumber('BENCH_CLIENT_THREADS', 1));
const ROOMS = 100;


const round = (v: number) => Math.round(v * 10) / 10;
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? Math.round((a / b) * 100) / 100 : NaN);

function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** User + system CPU time of a process so far, in ms (/proc/<pid>/stat, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function rssKb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? NaN);
}

interface PropagationResult {
  readonly editors: number;
  readonly p50: number;
  readonly p99: number;
  /**
   * P50 over edits of the time until the *first* other editor saw it: far below P50 when the
   * receivers wait for each other in the load generator rather than for the server.
   */
  readonly firstP50: number;
  /**
   * P50 over edits of the time until the k-th other editor saw it, k = 1 … editors − 1: the step
   * from one rank to the next is what each receiver costs the ones after it (in the load
   * generator's thread, or in the server's fan-out).
   */
  readonly rankP50s: number[];
  readonly samples: number;
  readonly undelivered: number;
  readonly converged: boolean;
  readonly edits: number;
  /** Server CPU time per edit, ms. */
  readonly cpuPerEdit: number;
  /** The same, less what the server spends idle over as long (its polling and timers). */
  readonly cpuPerEditAboveIdle: number;
  /**
   * CPU time of the benchmark process (every client of the level) over the level, in % of one
   * core: near 100 the load generator, not the server, sets the pace, and the figures above say
   * more about the clients than about the server.
   */
  readonly clientCpuPercent: number;
}

/** A server's CPU time per second while nobody uses it (measured over 3 s). */
async function idleCpuPerSecond(pid: number): Promise<number> {
  const before = cpuMs(pid);
  await sleep(3000);
  return (cpuMs(pid) - before) / 3;
}

/**
 * Each editor inserts tokens at a steady rate (moving its cursor, and now and then its typing
 * presence), on the thread that holds it; each other editor notes when it sees each one.
 */
async function measurePropagation(hosts: readonly HostHandle[], level: number, serverPid: number, idleMsPerSecond: number): Promise<PropagationResult> {
  const intervalMs = (1000 * level) / DOC_EDIT_RATE;
  const plan = { intervalMs, durationMs: DURATION_S * 1000, offsets: Array.from({ length: level }, () => Math.random() * intervalMs) };
  const cpuBefore = cpuMs(serverPid);
  const clientCpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const typed = (await Promise.all(hosts.map((h) => h.type(plan)))).reduce((sum, counts) => sum.map((n, j) => n + counts[j]!));
  const undelivered = (await Promise.all(hosts.map((h) => h.settle(typed, 15_000)))).reduce((a, b) => a + b, 0);
  const cpu = cpuMs(serverPid) - cpuBefore;
  // process.cpuUsage counts every thread of the process: all the clients, wherever they run.
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const clientCpuPercent = Math.round((clientCpu.user + clientCpu.system) / 10 / (performance.now() - startedAt));
  const idle = (idleMsPerSecond * (performance.now() - startedAt)) / 1000;
  const reports = await Promise.all(hosts.map((h) => h.report()));
  const sentAt = new Map(reports.flatMap((r) => r.sent));
  const samples: number[] = [];
  const firstSeen = new Map<string, number>();
  const byToken = new Map<string, number[]>();
  for (const [token, at] of reports.flatMap((r) => r.seen)) {
    const ms = at - sentAt.get(token)!;
    if (!Number.isFinite(ms)) continue;
    samples.push(ms);
    firstSeen.set(token, Math.min(ms, firstSeen.get(token) ?? Infinity));
    const seen = byToken.get(token);
    if (seen) seen.push(ms);
    else byToken.set(token, [ms]);
  }
  const byRank: number[][] = [];
  for (const seen of byToken.values()) [...seen].sort((a, b) => a - b).forEach((ms, k) => (byRank[k] ??= []).push(ms));
  let converged = false;
  for (let waited = 0; waited < 15_000 && !converged; waited += 100) {
    const texts = (await Promise.all(hosts.map((h) => h.texts()))).flat();
    converged = texts.every((t) => t === texts[0]);
    if (!converged) await sleep(100);
  }
  return {
    editors: level, p50: round(percentile(samples, 50)), p99: round(percentile(samples, 99)), firstP50: round(percentile([...firstSeen.values()], 50)), rankP50s: byRank.map((ms) => round(percentile(ms, 50))), samples: samples.length,
    undelivered, converged, edits: sentAt.size, cpuPerEdit: Math.round((cpu / Math.max(1, sentAt.size)) * 100) / 100,
    cpuPerEditAboveIdle: Math.round((Math.max(0, cpu - idle) / Math.max(1, sentAt.size)) * 100) / 100, clientCpuPercent,
  };
}

// ---- Resoft's gateway ----

/** `count` sockets (spread over `users`) join one room at once; answers the time until every one got `joined`. */
async function gatewayJoinStorm(baseUrl: string, users: readonly Session[], roomId: string, count: number): Promise<{ ms: number; close: () => Promise<void> }> {
  const url = `${baseUrl.replace(/^http/, 'ws')}/ws`;
  const sockets: WebSocket[] = [];
  const started = performance.now();
  await Promise.all(Array.from({ length: count }, (_, c) => new Promise<void>((resolve, reject) => {
    const socket = new WebSocket(url, [SUBPROTOCOL, `auth.${users[c % users.length]!.accessToken}`]);
    sockets.push(socket);
    socket.once('error', reject);
    socket.once('close', (code) => reject(new Error(`a joining socket was closed with ${code}`)));
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = data.toString();
      if (!text.startsWith('{"type":"collaboration:joined"')) return;
      socket.removeAllListeners('close');
      resolve();
    });
    socket.once('open', () => socket.send(JSON.stringify({ type: 'collaboration:join', roomId })));
  })));
  const ms = performance.now() - started;
  return {
    ms,
    close: async () => {
      for (const s of sockets) s.terminate();
      await sleep(1000);
    },
  };
}

// ---- child servers (automerge-repo, Hocuspocus) ----

interface ChildServer {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

async function startChild(script: string): Promise<ChildServer> {
  const child = spawn(process.execPath, [join(ROOT, `bench/dist/${script}`)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, PORT: '0' } });
  const kill = () => child.kill('SIGKILL');
  emergencyCleanups.add(kill);
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping) console.log(`${script} exited on its own (${signal ?? code}): its figures after this point are missing`);
  });
  return {
    url: `ws://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: () => new Promise((resolve) => {
      stopping = true;
      emergencyCleanups.delete(kill);
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/** `count` repos (one socket each) find one document at once; answers the time until all have it. */
async function automergeRepoJoinStorm(url: string, count: number): Promise<{ ms: number; close: () => Promise<void> }> {
  const creator = new Repo({ network: [new BrowserWebSocketClientAdapter(url)], sharePolicy: async () => true });
  const doc = creator.create<{ text: string }>({ text: 'join storm' });
  await sleep(500);
  const started = performance.now();
  const repos = Array.from({ length: count }, () => new Repo({ network: [new BrowserWebSocketClientAdapter(url)], sharePolicy: async () => true }));
  const all = Promise.all(repos.map(async (r) => {
    const handle = await r.find<{ text: string }>(doc.url);
    handle.broadcast({ joined: true });
  }));
  // A storm that does not finish in time is reported as such (NaN), not waited for.
  const finished = await Promise.race([all.then(() => true), sleep(JOIN_TIMEOUT_MS).then(() => false)]);
  const ms = finished ? performance.now() - started : NaN;
  return {
    ms,
    close: async () => {
      await Promise.all([creator, ...repos].map((r) => r.shutdown()));
      await sleep(500);
    },
  };
}

interface JoinResult {
  readonly joins: number;
  readonly ms: number;
  readonly kbPerConnection: number;
}

/** Runs a join storm against a server process: its duration and the server's memory growth per connection. */
async function measureJoins(pid: number, storm: () => Promise<{ ms: number; close: () => Promise<void> }>): Promise<JoinResult> {
  const before = rssKb(pid);
  const { ms, close } = await storm();
  await sleep(1000);
  const after = rssKb(pid);
  await close();
  return { joins: JOINS, ms: Math.round(ms), kbPerConnection: round((after - before) / JOINS) };
}

// ---- broadcast (BENCH_BROADCAST=1) ----

async function measureBroadcast(baseUrl: string, serverPid: number, api: ApiClient, owner: Session, users: readonly Session[], projectId: string) {
  const rooms: string[] = [];
  for (let r = 0; r < ROOMS; r += 1) rooms.push((await api.post('/api/collaboration/rooms', { projectId, name: `room ${r}` }, owner.accessToken)).body.id);
  const perRoom = Math.ceil(BROADCAST_CONNECTIONS / ROOMS);
  const rssBefore = rssKb(serverPid);
  const sentAt = new Map<string, number>();
  const samples: number[] = [];
  const sockets: WebSocket[] = [];
  const url = `${baseUrl.replace(/^http/, 'ws')}/ws`;
  for (let c = 0; c < BROADCAST_CONNECTIONS; c += 1) {
    const user = users[c % users.length]!;
    const roomId = rooms[Math.floor(c / perRoom)]!;
    const socket = new WebSocket(url, [SUBPROTOCOL, `auth.${user.accessToken}`]);
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.on('message', (data, isBinary) => {
        if (isBinary) return;
        const frame = JSON.parse(data.toString()) as ServerFrame;
        if (frame.type === 'collaboration:joined') resolve();
        if (frame.type === 'collaboration:message' && frame.kind === 'posted' && frame.message.text) {
          const sent = sentAt.get(frame.message.text);
          if (sent !== undefined) samples.push(performance.now() - sent);
        }
      });
      socket.once('open', () => socket.send(JSON.stringify({ type: 'collaboration:join', roomId })));
    });
  }
  await sleep(1000);
  const rssAfter = rssKb(serverPid);
  const timers: NodeJS.Timeout[] = [];
  let k = 0;
  for (let r = 0; r < ROOMS; r += 1) {
    const poster = sockets[r * perRoom]!;
    const roomId = rooms[r]!;
    timers.push(setTimeout(() => timers.push(setInterval(() => {
      const text = `broadcast ${r} ${k++}`;
      sentAt.set(text, performance.now());
      poster.send(JSON.stringify({ type: 'collaboration:chat', roomId, text }));
    }, 1000)), Math.random() * 1000));
  }
  await sleep(DURATION_S * 1000);
  for (const t of timers) clearInterval(t);
  await sleep(3000);
  for (const s of sockets) s.terminate();
  return {
    connections: sockets.length, rooms: ROOMS, messages: sentAt.size, deliveries: samples.length, expectedDeliveries: sentAt.size * perRoom,
    p50: round(percentile(samples, 50)), p99: round(percentile(samples, 99)),
    rssBeforeMb: round(rssBefore / 1024), rssAfterMb: round(rssAfter / 1024), kbPerConnection: round((rssAfter - rssBefore) / sockets.length),
  };
}

// ---- main ----

const progress = (what: string) => {
  if (process.env['BENCH_VERBOSE'] === '1') console.log(`  … ${what} (${new Date().toISOString().slice(11, 19)})`);
};

const describeLevel = (name: string, r: PropagationResult) =>
  `${name} P50 ${r.p50} ms P99 ${r.p99} ms (first receiver P50 ${r.firstP50} ms; by receiver rank ${r.rankP50s.length <= 12 ? r.rankP50s.join(' ') : `${r.rankP50s.slice(0, 5).join(' ')} … ${r.rankP50s.slice(-3).join(' ')}`}), CPU ${r.cpuPerEdit} ms/edit (${r.cpuPerEditAboveIdle} above idle) (${r.edits} edits, ${r.samples} samples, ${r.undelivered} undelivered, converged ${r.converged}; load generator ${r.clientCpuPercent} % of a core)`;

async function main(): Promise<void> {
  console.log(`collaboration benchmark: ${DURATION_S} s per level, ${DOC_EDIT_RATE} edits/s on the document shared by its editors, ${JOINS} joins, systems ${SYSTEMS.join(', ')}, editors on ${CLIENT_THREADS === 0 ? 'the benchmark\'s own thread' : `${CLIENT_THREADS} worker threads`}, node ${process.version}`);
  const profileDir = process.env['BENCH_PROFILE_DIR'];
  const server = await startServer(profileDir, { RESOFT_COLLAB_MAX_CONNECTIONS_PER_ROOM: String(JOINS + 100) });
  const api = new ApiClient(server.baseUrl);
  const results: Record<string, unknown>[] = [];
  const joins: Record<string, JoinResult> = {};
  const hocuspocus = SYSTEMS.includes('hocuspocus') ? await startChild('hocuspocus-server.js') : null;
  const repoServer = SYSTEMS.includes('automerge-repo') ? await startChild('automerge-repo-server.js') : null;
  try {
    const owner = await api.signUp('benchowner');
    const editors = await Promise.all(Array.from({ length: Math.max(...EDITOR_LEVELS, 50) }, (_, i) => api.signUp(`benched${i}`)));
    const projectId = (await api.post('/api/projects', { name: 'Bench' }, owner.accessToken)).body.id;
    for (const e of editors) await api.post(`/api/projects/${projectId}/members`, { userId: e.userId, role: 'editor' }, owner.accessToken);
    const roomId = (await api.post('/api/collaboration/rooms', { projectId, name: 'Editing' }, owner.accessToken)).body.id;
    const idle = {
      resoft: SYSTEMS.includes('resoft') ? await idleCpuPerSecond(server.pid) : 0,
      hocuspocus: hocuspocus ? await idleCpuPerSecond(hocuspocus.pid) : 0,
      automergeRepo: repoServer ? await idleCpuPerSecond(repoServer.pid) : 0,
    };
    console.log(`idle server CPU, ms per second: ${JSON.stringify(idle)}`);
    for (const level of EDITOR_LEVELS) {
      const line: Record<string, PropagationResult> = {};
      if (SYSTEMS.includes('resoft')) {
        const fileId = (await api.post(`/api/projects/${projectId}/files`, { path: `bench-${level}.txt`, content: '' }, owner.accessToken)).body.id;
        progress(`resoft: ${level} editors connecting`);
        const hosts = await startHosts({ system: 'resoft', level, resoft: { baseUrl: server.baseUrl, tokens: editors.slice(0, level).map((e) => e.accessToken), projectId, roomId, fileId } }, CLIENT_THREADS);
        line['resoft'] = await measurePropagation(hosts, level, server.pid, idle.resoft);
        await Promise.all(hosts.map((h) => h.close()));
      }
      if (hocuspocus) {
        progress(`hocuspocus: ${level} editors connecting`);
        const hosts = await startHosts({ system: 'hocuspocus', level, hocuspocus: { url: hocuspocus.url, documentName: `bench-${level}` } }, CLIENT_THREADS);
        line['hocuspocus'] = await measurePropagation(hosts, level, hocuspocus.pid, idle.hocuspocus);
        await Promise.all(hosts.map((h) => h.close()));
      }
      if (repoServer) {
        progress(`automerge-repo: ${level} editors connecting`);
        const hosts = await startHosts({ system: 'automerge-repo', level, automergeRepo: { url: repoServer.url } }, CLIENT_THREADS);
        line['automerge-repo'] = await measurePropagation(hosts, level, repoServer.pid, idle.automergeRepo);
        await Promise.all(hosts.map((h) => h.close()));
      }
      const ours = line['resoft'];
      const vs = (other: string) => (ours && line[other] ? { p50: ratio(ours.p50, line[other].p50), p99: ratio(ours.p99, line[other].p99), cpuPerEdit: ratio(ours.cpuPerEdit, line[other].cpuPerEdit), cpuPerEditAboveIdle: ratio(ours.cpuPerEditAboveIdle, line[other].cpuPerEditAboveIdle) } : null);
      const ratios = { hocuspocus: vs('hocuspocus'), automergeRepo: vs('automerge-repo') };
      results.push({ level, ...line, ratios });
      console.log(`${level} editors:\n  ${Object.entries(line).map(([name, r]) => describeLevel(name, r)).join('\n  ')}\n  ratios resoft/hocuspocus ${JSON.stringify(ratios.hocuspocus)}, resoft/automerge-repo ${JSON.stringify(ratios.automergeRepo)}`);
      await sleep(1000);
    }
    if (SYSTEMS.includes('resoft')) {
      const stormRoom = (await api.post('/api/collaboration/rooms', { projectId, name: 'Join storm' }, owner.accessToken)).body.id;
      joins['resoft'] = await measureJoins(server.pid, () => gatewayJoinStorm(server.baseUrl, editors, stormRoom, JOINS));
      console.log(`join storm resoft: ${JOINS} joins in ${joins['resoft'].ms} ms, ${joins['resoft'].kbPerConnection} KB per connection`);
    }
    if (hocuspocus) {
      joins['hocuspocus'] = await measureJoins(hocuspocus.pid, () => hocuspocusJoinStorm(hocuspocus.url, JOINS, 'join-storm'));
      console.log(`join storm hocuspocus: ${JOINS} joins in ${joins['hocuspocus'].ms} ms, ${joins['hocuspocus'].kbPerConnection} KB per connection`);
    }
    if (repoServer && process.env['BENCH_REPO_JOINS'] !== '0') {
      joins['automerge-repo'] = await measureJoins(repoServer.pid, () => automergeRepoJoinStorm(repoServer.url, JOINS));
      console.log(`join storm automerge-repo: ${JOINS} joins in ${joins['automerge-repo'].ms} ms, ${joins['automerge-repo'].kbPerConnection} KB per connection`);
    }
    const joinRatios = Object.fromEntries(Object.entries(joins).filter(([name]) => name !== 'resoft').map(([name, j]) => [name, { ms: ratio(joins['resoft']?.ms ?? NaN, j.ms), kbPerConnection: ratio(joins['resoft']?.kbPerConnection ?? NaN, j.kbPerConnection) }]));
    console.log(`join ratios resoft/other: ${JSON.stringify(joinRatios)}`);
    let broadcast: unknown = null;
    if (process.env['BENCH_BROADCAST'] === '1') {
      const users = [...editors, ...(await Promise.all(Array.from({ length: 50 }, (_, i) => api.signUp(`benchviewer${i}`))))];
      for (const u of users.slice(editors.length)) await api.post(`/api/projects/${projectId}/members`, { userId: u.userId, role: 'viewer' }, owner.accessToken);
      broadcast = await measureBroadcast(server.baseUrl, server.pid, api, owner, users, projectId);
      console.log(`broadcast: ${JSON.stringify(broadcast)}`);
    }
    console.log(JSON.stringify({ propagation: results, joins, joinRatios, broadcast }));
    if (server.log.count > 0) console.log(`server warnings/errors: ${server.log.count}\n${server.log.lines.slice(0, 10).join('\n')}`);
  } finally {
    await hocuspocus?.stop();
    await repoServer?.stop();
    await server.stop();
  }
}

// A client library's error event nobody listens to (a Hocuspocus provider destroyed while its
// socket was still connecting, on a loaded machine) would end the process without stopping the
// server children: they are killed on the way out.
process.on('uncaughtException', (error) => {
  console.error(error);
  for (const cleanup of emergencyCleanups) cleanup();
  process.exit(1);
});

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
