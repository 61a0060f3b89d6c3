/**
 * Analytics benchmark (`npm run bench:analytics`): on a fresh SQLite event store and read store
 * filled with generated project histories (every kind of project event, real Automerge change bytes
 * for file churn), it measures
 * - the analytics projection's rebuild, events/s (per CPU-second too, and the process's RSS around it),
 *   in this process and again in a fresh child process that holds nothing else (as `resoft rebuild`);
 * - the project timeline query (the route's handler in process: membership, position, loading the
 *   day documents, summing them into day buckets by area; no HTTP), P50/P99 over many projects (the
 *   hour buckets it once read hold only file churn now: docs/analytics.md);
 * - a Parquet export of the whole log and of one project (DuckDB), each read both ways in the same
 *   run: as flat columns picked by the store's query (`readEventColumns`) and through
 *   the port's fallback for adapters without such a query (`readEventColumnsThroughDataText`: the ordinary
 *   read, each event's data serialised again and its metadata picked in JS);
 * - typical SQL queries over a project of 100k events (loading its tables included: each query gets
 *   a fresh database; the first on a project reads its history from the event store, the next ones
 *   find it kept in memory), the first query also with the fallback read (before).
 * Sizes come from ANALYTICS_BENCH_EVENTS (default 300,000), ANALYTICS_BENCH_PROJECTS (100) and
 * ANALYTICS_BENCH_SQL_EVENTS (100,000); the issue's 1M events need ~2 minutes of appends alone here.
 * ANALYTICS_BENCH_DIR keeps the stores in that directory and reuses them on the next run with the
 * same sizes (the appends and the analytics rebuild are skipped), for measuring the reads alone.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAuditKeyRing } from '@resoft/infra';
import { type RouteSpec } from '@resoft/http-kit';
import { SqliteEventStore, SqliteMerkleLogStore, SqliteReadStore, SqliteSourceStore } from '@resoft/adapter-sqlite';
import { readEventColumnsThroughDataText, type EventColumnValues, type EventStore } from '@resoft/ports';
import { DuckDbColumnarFiles, DuckDbSqlSandbox } from '@resoft/adapter-duckdb';
import { activityProjection, analyticsProjection, createAnalyticsProjection, generateHistory, projectsProjection, rebuildProjection, usersProjection, type GeneratedAppend } from '@resoft/projectors';
import { EVENT_COLUMNS, projectHistoryPages, queryRoutes, runProjectSql, type QueryServiceDeps } from '@resoft/query-service';
import { sharedCatalog } from '@resoft/templates';
import { positiveNumber } from './bench-settings.js';

const EVENTS = positiveNumber('ANALYTICS_BENCH_EVENTS', 300_000);
const PROJECTS = positiveNumber('ANALYTICS_BENCH_PROJECTS', 100);
const SQL_EVENTS = positiveNumber('ANALYTICS_BENCH_SQL_EVENTS', 100_000);
const TIMELINE_QUERIES = positiveNumber('ANALYTICS_BENCH_QUERIES', 500);
/** ANALYTICS_BENCH_REBUILD_HELD: the analytics rebuild's bound on held period documents (default REBUILD_HELD_PERIOD_DOCUMENTS). */
const REBUILD_HELD = process.env.ANALYTICS_BENCH_REBUILD_HELD === undefined ? undefined : positiveNumber('ANALYTICS_BENCH_REBUILD_HELD', 1);
const OWNER = '0badc0de-0000-7000-8000-000000000001';
const CHUNK = 20;
/**
 * ANALYTICS_BENCH_ONLY=sql,parquet (any of rebuild, timeline, parquet, parquet-log, sql) runs only
 * those parts; `parquet-log` is the whole log's export alone, the one part that needs no analytics
 * rebuild (so a run at 1M events is appends and exports only).
 */
const PARTS = ['rebuild', 'timeline', 'parquet', 'parquet-log', 'sql'] as const;
const ONLY = new Set((process.env.ANALYTICS_BENCH_ONLY ?? PARTS.join(',')).split(',').map((p) => p.trim()).filter(Boolean));
for (const part of ONLY) if (!(PARTS as readonly string[]).includes(part)) throw new Error(`ANALYTICS_BENCH_ONLY: unknown part ${part} (known: ${PARTS.join(', ')})`);
const runs = (part: (typeof PARTS)[number]): boolean => ONLY.has(part);

/** Appends in chunks of one stream's consecutive events, chunks of different streams interleaved. */
async function appendInterleaved(store: SqliteEventStore, appends: readonly GeneratedAppend[]): Promise<void> {
  const byStream = new Map<string, GeneratedAppend['event'][]>();
  for (const { streamId, event } of appends) {
    let list = byStream.get(streamId);
    if (!list) byStream.set(streamId, (list = []));
    list.push(event);
  }
  const queues = [...byStream].map(([streamId, events]) => ({ streamId, events, next: 0 }));
  while (queues.length > 0) {
    for (let i = queues.length - 1; i >= 0; i--) {
      const q = queues[i]!;
      await store.append(q.streamId, q.events.slice(q.next, q.next + CHUNK), 'any');
      q.next += CHUNK;
      if (q.next >= q.events.length) queues.splice(i, 1);
    }
  }
}

/** The event store as an adapter without column queries serves the history's readers: the port's fallback (the ordinary read, data serialised again, metadata picked in JS). */
function throughDataText(store: EventStore): EventStore {
  return new Proxy(store, {
    get: (target, key) => {
      if (key === 'readEventColumns') return (read: Parameters<EventStore['readEventColumns']>[0]) => readEventColumnsThroughDataText(target, read);
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Generates the histories and appends them (unless `reuse` and the store already holds them: same
 * sizes, same seeds). The generated events are not kept past this (at 1M they are a large heap that a
 * query service would not hold; keeping them changed no figure measurably at 400k: docs/performance.md).
 */
async function fillEventStore(store: SqliteEventStore, reuse: boolean): Promise<{ projectIds: string[]; bigProject: string; generated: number; reused: boolean }> {
  const histories = generateHistory({ seed: 1, projects: PROJECTS, events: EVENTS, realEdits: false, owner: OWNER, tag: 'many', maxStepMs: 3 * 60_000 });
  const big = generateHistory({ seed: 2, projects: 1, events: SQL_EVENTS, realEdits: false, owner: OWNER, tag: 'big', maxStepMs: 60_000 });
  const projectOf = (a: GeneratedAppend): string => (a.event.data as { projectId: string }).projectId;
  const projectIds = histories.filter((a) => a.event.type === 'ProjectCreated').map(projectOf);
  const bigProject = projectOf(big.find((a) => a.event.type === 'ProjectCreated')!);
  const generated = histories.length + big.length;
  const reused = reuse && (await store.headPosition()) === generated;
  if (!reused) await appendInterleaved(store, [...histories, ...big]);
  return { projectIds, bigProject, generated, reused };
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const ms = (from: number) => Math.round(performance.now() - from);
/** CPU time of this process (all threads, DuckDB's included), ms: on a shared machine it moves less than wall time. */
const cpuNow = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const cpuSince = (from: number) => `${Math.round(cpuNow() - from)} ms CPU`;

interface RebuildRun {
  readonly events: number;
  readonly ms: number;
  readonly cpuMs: number;
  readonly rssBefore: number;
  readonly rssPeak: number;
}

const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;
const rebuildFigures = (r: RebuildRun): string =>
  `${r.events} events in ${Math.round(r.ms)} ms = ${Math.round(r.events / (r.ms / 1000)).toLocaleString('en')} events/s (${Math.round(r.cpuMs)} ms CPU = ${Math.round(r.events / (r.cpuMs / 1000)).toLocaleString('en')} events per CPU-second; RSS ${mb(r.rssBefore)} before, peak ${mb(r.rssPeak)})`;

const REBUILD_CHILD_FLAG = '--rebuild-analytics-in';

/** Runs this script again as a child that only rebuilds the analytics projection of the stores in `dir`. */
function rebuildInChild(dir: string): RebuildRun {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), REBUILD_CHILD_FLAG, dir], { encoding: 'utf8', env: process.env, maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`the rebuild child failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as RebuildRun;
}

/** The child's side: the rebuild alone, its figures as one JSON line. */
async function rebuildAnalyticsIn(dir: string): Promise<void> {
  const events = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
  const readStore = new SqliteReadStore({ file: path.join(dir, 'read.sqlite') });
  try {
    const rssBefore = process.memoryUsage.rss();
    let rssPeak = rssBefore;
    const sample = () => {
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    };
    const sampler = setInterval(sample, 50);
    const started = performance.now();
    const cpu = cpuNow();
    await rebuildProjection(events, readStore, REBUILD_HELD === undefined ? analyticsProjection : createAnalyticsProjection({ rebuildHeldPeriodDocuments: REBUILD_HELD }), sample);
    clearInterval(sampler);
    sample();
    const run: RebuildRun = { events: await events.headPosition(), ms: performance.now() - started, cpuMs: cpuNow() - cpu, rssBefore, rssPeak };
    process.stdout.write(`${JSON.stringify(run)}\n`);
  } finally {
    await events.close();
    await readStore.close();
  }
}

async function main(): Promise<void> {
  const keptDir = process.env.ANALYTICS_BENCH_DIR;
  const dir = keptDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-analytics-bench-'));
  fs.mkdirSync(dir, { recursive: true });
  const events = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
  let readStore = new SqliteReadStore({ file: path.join(dir, 'read.sqlite') });
  const rows: [string, string][] = [];
  const say = (measure: string, value: string) => {
    rows.push([measure, value]);
    process.stdout.write(`${measure}: ${value}\n`);
  };
  try {
    let started = performance.now();
    const { projectIds, bigProject, generated, reused } = await fillEventStore(events, keptDir !== undefined);
    const head = await events.headPosition();
    say(reused ? 'generated, store reused' : 'generated and appended', `${head} events in ${ms(started)} ms`);
    if (head !== generated) throw new Error(`the event store holds ${head} events, ${generated} were generated`);

    if (!reused) for (const projection of [usersProjection, projectsProjection]) await rebuildProjection(events, readStore, projection);
    if (runs('rebuild')) {
      // The floor: a projection that handles nothing still reads the whole log and moves its checkpoint.
      started = performance.now();
      const floorCpu = cpuNow();
      await rebuildProjection(events, readStore, { name: 'bench-floor', collections: [], handles: new Set(), apply: async () => undefined });
      const floorMs = performance.now() - started;
      say('rebuild of a projection that handles nothing (reading the log)', `${Math.round(head / (floorMs / 1000)).toLocaleString('en')} events/s (${cpuSince(floorCpu)})`);
      started = performance.now();
      // ANALYTICS_BENCH_ACTIVITY=0 leaves this comparison out (runs that measure the analytics rebuild alone).
      if (process.env.ANALYTICS_BENCH_ACTIVITY !== '0') await rebuildProjection(events, readStore, activityProjection);
      if (process.env.ANALYTICS_BENCH_ACTIVITY !== '0') say('activity projection rebuild (for comparison)', `${Math.round(head / ((performance.now() - started) / 1000)).toLocaleString('en')} events/s`);
    }
    started = performance.now();
    let cpu = cpuNow();
    // Every part but the whole log's export reads the analytics read model (the project's streams).
    const analyticsBuilt = reused && (await readStore.getCheckpoint(analyticsProjection.name)) === head;
    if (runs('rebuild') || ((runs('timeline') || runs('parquet') || runs('sql')) && !analyticsBuilt)) {
      // The process's memory while the rebuild runs: sampled every page and every 50 ms (the final write runs without a break).
      const rssBefore = process.memoryUsage.rss();
      let rssPeak = rssBefore;
      const sample = () => {
        rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
      };
      const sampler = setInterval(sample, 50);
      await rebuildProjection(events, readStore, REBUILD_HELD === undefined ? analyticsProjection : createAnalyticsProjection({ rebuildHeldPeriodDocuments: REBUILD_HELD }), sample);
      clearInterval(sampler);
      sample();
      const rebuildMs = performance.now() - started;
      const rebuildCpu = cpuNow() - cpu;
      say('analytics rebuild (in this process, beside the generated history)', rebuildFigures({ events: head, ms: rebuildMs, cpuMs: rebuildCpu, rssBefore, rssPeak }));
    }
    if (runs('rebuild')) {
      // What `resoft rebuild analytics` costs: a fresh process that holds nothing else (the read store closed here meanwhile).
      await readStore.close();
      say('analytics rebuild (a fresh process, as `resoft rebuild`)', rebuildFigures(rebuildInChild(dir)));
      readStore = new SqliteReadStore({ file: path.join(dir, 'read.sqlite') });
    }

    const deps: QueryServiceDeps = {
      readStore, eventStore: events, waitForPosition: async () => true, readWaitMs: 0, admins: [], templates: sharedCatalog(),
      // The timeline route reads neither; they complete the query service's dependencies.
      sources: new SqliteSourceStore({ file: path.join(dir, 'sources.sqlite') }),
      auditLog: new SqliteMerkleLogStore({ file: path.join(dir, 'audit-log.sqlite') }), auditKeys: loadAuditKeyRing(dir, undefined),
      columnarFiles: new DuckDbColumnarFiles(), sqlSandbox: new DuckDbSqlSandbox(), sqlLimits: { timeoutMs: 30_000, memoryMb: 1024, maxRows: 10_000, maxQueryChars: 8000 },
    };
    if (runs('timeline')) {
      const timeline = queryRoutes(deps).find((r: RouteSpec) => r.path === '/api/projects/:projectId/analytics/timeline')!;
      const timings: number[] = [];
      const res = { setHeader: () => undefined } as never;
      const timelineCpu = cpuNow();
      for (let i = 0; i < TIMELINE_QUERIES + 20; i++) {
        const projectId = projectIds[i % projectIds.length]!;
        const query = timeline.query!.parse({ interval: 'day', groupBy: 'area', tz: 'Europe/Berlin', since: '2026-03-01T00:00:00Z', until: '2027-03-01T00:00:00Z' });
        const t = performance.now();
        const answer = await timeline.handler({ params: { projectId }, query, body: undefined, user: { id: OWNER }, res } as never);
        if (i >= 20) timings.push(performance.now() - t);
        if (i === 0 && !(answer.body as { rows: unknown[] }).rows.length) throw new Error('the timeline answered no rows');
      }
      timings.sort((a, b) => a - b);
      say('timeline query (day buckets by area, one year, in process)', `P50 ${percentile(timings, 50).toFixed(1)} ms, P99 ${percentile(timings, 99).toFixed(1)} ms over ${timings.length} queries, ${Math.round(EVENTS / PROJECTS)} events per project (${cpuSince(timelineCpu)})`);
    }
    if (runs('parquet') || runs('parquet-log')) {
      // Each read both ways, in the same run: through the port's fallback (before), columns picked by the store (now).
      for (const [label, store] of [['metadata parsed in JS (before)', throughDataText(events)], ['columns picked in SQLite', events]] as const) {
        started = performance.now();
        cpu = cpuNow();
        const all = path.join(dir, 'all.parquet');
        const exported = await deps.columnarFiles.writeParquet(all, { name: 'events', columns: EVENT_COLUMNS, rows: { chunks: (async function* (): AsyncIterable<EventColumnValues[]> {
          for (let after = 0; ; ) {
            const page = await store.readEventColumns({ after, maxCount: 5000, withData: true });
            if (page.length === 0) return;
            yield page;
            after = page[page.length - 1]![0];
          }
        })() } });
        say(`Parquet export of the whole log, ${label}`, `${exported} events in ${ms(started)} ms, ${cpuSince(cpu)} (${(fs.statSync(all).size / 1e6).toFixed(1)} MB)`);
      }
    }
    if (runs('parquet')) {
      // The two ways of reading one project's history, in the same run (the export picks the cheaper one).
      for (const [label, store] of [['metadata parsed in JS (before)', throughDataText(events)], ['columns picked in SQLite', events]] as const) {
        for (const readBy of ['streams', 'log'] as const) {
          started = performance.now();
          cpu = cpuNow();
          const one = await deps.columnarFiles.writeParquet(path.join(dir, 'one.parquet'), { name: 'events', columns: EVENT_COLUMNS, rows: { chunks: projectHistoryPages({ ...deps, eventStore: store }, bigProject, { upTo: head, readBy }) } });
          say(`Parquet export of one project, read ${readBy === 'log' ? 'from the log' : 'stream by stream'}, ${label}`, `${one} events in ${ms(started)} ms, ${cpuSince(cpu)}`);
        }
      }
    }
    if (runs('sql')) {
      // A first query on the project with the fallback read: its own event store object, so the history cache starts empty for it.
      {
        const t = performance.now();
        cpu = cpuNow();
        const result = await runProjectSql({ ...deps, eventStore: throughDataText(events) }, bigProject, head, 'SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY n DESC');
        let n = 0;
        for await (const _row of result.rows) n += 1;
        say(`SQL over ${SQL_EVENTS.toLocaleString('en')} events: events by type, first query, history read through the port's fallback (one read per stream, metadata parsed in JS; before)`, `${ms(t)} ms, ${cpuSince(cpu)} (${n} rows)`);
      }

      const byType = 'SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY n DESC';
      for (const [label, sql] of [
        ['events by type, first query on the project (reads its history)', byType],
        ['events by type again (history kept in memory, fresh database)', byType],
        ['replies per room and week (window functions on JSON)', "WITH m AS (SELECT stream_id, occurred_at, json_extract_string(data, '$.authorId') AS a, lag(json_extract_string(data, '$.authorId')) OVER (PARTITION BY stream_id ORDER BY position) AS p FROM events WHERE type = 'ChatMessagePosted') SELECT stream_id, date_trunc('week', occurred_at) AS w, count(*) FROM m WHERE p IS NOT NULL AND a <> p GROUP BY ALL"],
        ['busiest files (file_churn ⋈ files)', 'SELECT f.path, sum(c.inserted + c.removed) AS churn FROM file_churn c LEFT JOIN files f USING (file_id) GROUP BY f.path ORDER BY churn DESC LIMIT 10'],
      ] as const) {
        const t = performance.now();
        cpu = cpuNow();
        const result = await runProjectSql(deps, bigProject, head, sql);
        let n = 0;
        for await (const _row of result.rows) n += 1;
        say(`SQL over ${SQL_EVENTS.toLocaleString('en')} events: ${label}`, `${ms(t)} ms, ${cpuSince(cpu)} (${n} rows, a fresh database per query)`);
      }
    }
    process.stdout.write(`\n| measure | result |\n| --- | --- |\n${rows.map(([m, v]) => `| ${m} | ${v} |`).join('\n')}\n`);
  } finally {
    await events.close();
    await readStore.close();
    if (!keptDir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

(process.argv[2] === REBUILD_CHILD_FLAG ? rebuildAnalyticsIn(process.argv[3]!) : main()).catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
