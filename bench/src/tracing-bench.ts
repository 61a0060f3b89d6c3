/**
 * Tracing overhead (`npm run bench:tracing`): the all-in-one as a child process with tracing off
 * (no endpoint), on with nothing sampled (always_off: the fixed cost of the SDK and context
 * propagation), on with 10 % sampling (parentbased_traceidratio 0.1) and on with every trace kept,
 * each driven by autocannon at 100 connections on the write path (chat posts) and a read (chat
 * history). Rounds alternate off and on so drift on a shared machine falls on both alike. Spans go
 * over OTLP to JAEGER_OTLP_ENDPOINT when set, else to a sink in this process that reads and drops
 * them (the exporter does all its work either way). Besides throughput, it reports the server's CPU
 * time per request (from /proc), which other load on a shared machine disturbs much less than
 * requests per second. Prints a table and writes `.bench/tracing-*.json`.
 *
 * First, in this process and far less disturbed by other load, the span sites alone: CPU per
 * simulated request (a server span, the command, the append and five projection applies: 8 spans
 * when sampled, continued explicitly as the services do) in each mode, rounds alternating.
 *
 * Environment: BENCH_DURATION (seconds per scenario and round, default 8), BENCH_ROUNDS (default 2).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { inSpan, openSpan, startTracing } from '@resoft/infra';
import { loadConfig } from '@resoft/app';
import { ApiClient, type Session } from '@resoft/testkit';
import { ROOT, startServer } from './bench-server-child.js';
import { positiveNumber } from './bench-settings.js';

const DURATION_S = positiveNumber('BENCH_DURATION', 8);
const ROUNDS = positiveNumber('BENCH_ROUNDS', 2);
const CONNECTIONS = 100;
const USERS = 10;

interface Mode {
  readonly name: string;
  readonly env: Record<string, string>;
}

/** Reads and drops OTLP posts, counting them: the receiver's cost stays out of the figures' process. */
async function otlpSink(): Promise<{ url: string; posts: () => number; close(): Promise<void> }> {
  let posts = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      posts += 1;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, posts: () => posts, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function prepare(api: ApiClient): Promise<{ users: Session[]; roomId: string }> {
  const users: Session[] = [];
  for (let i = 0; i < USERS; i += 1) users.push(await api.signUp(`tracer${i}`));
  const owner = users[0]!;
  const project = (await api.post('/api/projects', { name: 'Tracing bench' }, owner.accessToken)).body;
  for (const user of users.slice(1)) await api.post(`/api/projects/${project.id}/members`, { userId: user.userId, role: 'editor' }, owner.accessToken);
  const room = (await api.post('/api/collaboration/rooms', { projectId: project.id, name: 'general' }, owner.accessToken)).body;
  let position = 0;
  for (const user of users) position = (await api.post(`/api/collaboration/rooms/${room.id}/join`, {}, user.accessToken)).body.position;
  await api.get(`/api/collaboration/rooms/${room.id}?after=${position}`, owner.accessToken);
  return { users, roomId: room.id };
}

function load(baseUrl: string, users: Session[], request: autocannon.Request, body?: (n: number) => string): Promise<autocannon.Result> {
  let n = 0;
  return autocannon({
    url: baseUrl, connections: CONNECTIONS, duration: DURATION_S, timeout: 10,
    requests: [{
      ...request,
      setupRequest: (req) => {
        n += 1;
        const headers = { ...req.headers, authorization: `Bearer ${users[n % users.length]!.accessToken}` };
        return body ? { ...req, headers: { ...headers, 'content-type': 'application/json' }, body: body(n) } : { ...req, headers };
      },
    }],
  });
}

/** CPU time (user + system) the process has used, in ms; null where /proc is missing. */
function cpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name; clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

async function measured(pid: number, run: () => Promise<autocannon.Result>): Promise<{ result: autocannon.Result; cpuUsPerRequest: number | null }> {
  const before = cpuMs(pid);
  const result = await run();
  const after = cpuMs(pid);
  const requests = result.requests.total;
  return { result, cpuUsPerRequest: before === null || after === null || requests === 0 ? null : ((after - before) * 1000) / requests };
}

interface Figures {
  readonly mode: string;
  readonly round: number;
  readonly writesPerSecond: number;
  readonly writeP99Ms: number;
  readonly readsPerSecond: number;
  readonly readP99Ms: number;
  readonly writeCpuUs: number | null;
  readonly readCpuUs: number | null;
  readonly errors: number;
}

async function run(mode: Mode, round: number): Promise<Figures> {
  const server = await startServer(undefined, mode.env);
  try {
    const api = new ApiClient(server.baseUrl);
    const { users, roomId } = await prepare(api);
    const w = await measured(server.pid, () => load(server.baseUrl, users, { method: 'POST', path: '/api/collaboration/chat' }, (n) => JSON.stringify({ roomId, text: `Traced message ${n}` })));
    const r = await measured(server.pid, () => load(server.baseUrl, users, { method: 'GET', path: `/api/collaboration/chat/${roomId}/history?limit=50` }));
    const [writes, reads] = [w.result, r.result];
    return {
      mode: mode.name, round,
      writesPerSecond: writes.requests.average, writeP99Ms: writes.latency.p99,
      readsPerSecond: reads.requests.average, readP99Ms: reads.latency.p99,
      writeCpuUs: w.cpuUsPerRequest, readCpuUs: r.cpuUsPerRequest,
      errors: writes.errors + writes.non2xx + reads.errors + reads.non2xx,
    };
  } finally {
    await server.stop();
  }
}

const external = process.env['JAEGER_OTLP_ENDPOINT'];
const sink = external ? null : await otlpSink();
const endpoint = external ?? sink!.url;
const OFF: Mode = { name: 'off', env: { OTEL_SDK_DISABLED: 'true' } };
const SAMPLED: Mode = { name: 'on, 10 % sampled', env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1', OTEL_SDK_DISABLED: 'false' } };
const ALL: Mode = { name: 'on, every trace', env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_TRACES_SAMPLER: 'parentbased_always_on', OTEL_SDK_DISABLED: 'false' } };
/** The SDK and context propagation on, nothing sampled: what tracing costs before any span is recorded. */
const NONE: Mode = { name: 'on, nothing sampled', env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_TRACES_SAMPLER: 'always_off', OTEL_SDK_DISABLED: 'false' } };

/** The spans one chat post opens, handed on as the services hand them (no async context). */
async function simulatedRequest(): Promise<void> {
  const request = openSpan('POST /api/collaboration/chat', { role: 'server', parent: null, attributes: () => ({ 'http.request.method': 'POST', 'url.path': '/api/collaboration/chat' }) });
  await inSpan('command room', { parent: request, attributes: () => ({ 'resoft.stream': 'room-x' }) }, async (command) => {
    await Promise.resolve();
    await inSpan('event-store append', { parent: command, role: 'client' }, () => Promise.resolve());
  });
  // The projections open a span only for an event that carries a traceparent (a sampled one).
  for (let i = 0; i < 5; i++) await (request.traceparent ? inSpan('projection apply', { parent: request.traceparent, role: 'consumer' }, () => Promise.resolve()) : Promise.resolve());
  request.end();
}

/** CPU µs per simulated request with the given OTEL_* settings (none: tracing off). */
async function spanSiteCost(env: Record<string, string>, requests: number): Promise<number> {
  const tracing = await startTracing(loadConfig(env).tracing, 'resoft-tracing-bench');
  try {
    for (let i = 0; i < 2_000; i += 1) await simulatedRequest();
    const before = process.cpuUsage();
    for (let i = 0; i < requests; i += 1) {
      await simulatedRequest();
      // Lets the exporter's timer and HTTP posts run, as they would between requests.
      if (i % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await tracing.flush();
    const used = process.cpuUsage(before);
    return (used.user + used.system) / requests;
  } finally {
    await tracing.shutdown();
  }
}

const siteModes: [string, Record<string, string>][] = [
  ['off', {}],
  ['on, nothing sampled', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_TRACES_SAMPLER: 'always_off' }],
  ['on, 10 % sampled', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }],
  ['on, every trace', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_TRACES_SAMPLER: 'parentbased_always_on' }],
];
const siteCosts = new Map<string, number[]>(siteModes.map(([name]) => [name, []]));
for (let round = 0; round < 3; round += 1) {
  for (const [name, env] of round % 2 ? [...siteModes].reverse() : siteModes) siteCosts.get(name)!.push(await spanSiteCost(env, 20_000));
}
const spanSites = [...siteCosts].map(([mode, costs]) => ({ mode, cpuUsPerRequest: Math.round(Math.min(...costs) * 10) / 10, rounds: costs.map((c) => Math.round(c * 10) / 10) }));
console.log('span sites alone (in process, 20,000 simulated chat posts per round, 8 spans each when sampled; best of 3 rounds):');
console.table(spanSites);

const results: Figures[] = [];
for (let round = 1; round <= ROUNDS; round += 1) {
  // Alternating order per round, so a machine that speeds up or slows down favours neither.
  const order = round % 2 === 1 ? [OFF, SAMPLED, NONE] : [NONE, SAMPLED, OFF];
  for (const mode of order) {
    results.push(await run(mode, round));
    console.log(JSON.stringify(results[results.length - 1]));
  }
}
results.push(await run(ALL, 1));
console.log(JSON.stringify(results[results.length - 1]));

type Key = 'writesPerSecond' | 'readsPerSecond' | 'writeP99Ms' | 'readP99Ms' | 'writeCpuUs' | 'readCpuUs';
const mean = (mode: string, key: Key): number => {
  const rows = results.filter((r) => r.mode === mode);
  return rows.reduce((sum, r) => sum + (r[key] ?? Number.NaN), 0) / rows.length;
};
const overhead = (mode: string, key: 'writesPerSecond' | 'readsPerSecond'): number => (1 - mean(mode, key) / mean(OFF.name, key)) * 100;
/** Extra CPU per request, in per cent of tracing off's. */
const cpuOverhead = (mode: string, key: 'writeCpuUs' | 'readCpuUs'): number => (mean(mode, key) / mean(OFF.name, key) - 1) * 100;
const tenths = (v: number): number => Math.round(v * 10) / 10;
const summary = [OFF, NONE, SAMPLED, ALL].map((mode) => ({
  mode: mode.name,
  writesPerSecond: Math.round(mean(mode.name, 'writesPerSecond')),
  writeP99Ms: Math.round(mean(mode.name, 'writeP99Ms')),
  readsPerSecond: Math.round(mean(mode.name, 'readsPerSecond')),
  readP99Ms: Math.round(mean(mode.name, 'readP99Ms')),
  writeCpuUsPerRequest: Math.round(mean(mode.name, 'writeCpuUs')),
  readCpuUsPerRequest: Math.round(mean(mode.name, 'readCpuUs')),
  writeThroughputLossPercent: mode === OFF ? 0 : tenths(overhead(mode.name, 'writesPerSecond')),
  readThroughputLossPercent: mode === OFF ? 0 : tenths(overhead(mode.name, 'readsPerSecond')),
  writeCpuOverheadPercent: mode === OFF ? 0 : tenths(cpuOverhead(mode.name, 'writeCpuUs')),
  readCpuOverheadPercent: mode === OFF ? 0 : tenths(cpuOverhead(mode.name, 'readCpuUs')),
}));
console.table(summary);
console.log(`receiver: ${external ? `Jaeger at ${external}` : `in-process sink (${sink!.posts()} OTLP posts)`}; ${DURATION_S} s per scenario, ${ROUNDS} rounds, ${CONNECTIONS} connections, ${cpus().length} cores`);
const benchDir = join(ROOT, '.bench');
mkdirSync(benchDir, { recursive: true });
writeFileSync(join(benchDir, `tracing-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify({ durationS: DURATION_S, rounds: ROUNDS, connections: CONNECTIONS, spanSites, results, summary }, null, 2));
await sink?.close();
