/**
 * Rebuild benchmark (`npm run bench:rebuild`): `resoft rebuild`'s one pass over the log, feeding
 * every projection, on two logs of RESOFT_BENCH_REBUILD_EVENTS events each (default 200,000) in a
 * fresh temporary directory: a chat-heavy mix (users, projects, rooms, chat, agent activities) and a
 * document-heavy one (80 % `DocumentChanged` events of files edited a few at a time, 20 % the chat
 * mix). Prints events/s and the time 1,000,000 events would take at that rate. With
 * RESOFT_BENCH_REBUILD_COMPARE=1 it also rebuilds projection by projection (one pass each) for the ratio;
 * RESOFT_BENCH_REBUILD_ONLY=chat-heavy (or document-heavy) runs one of the two logs.
 * RESOFT_BENCH_REBUILD_DIR keeps each log in that directory (named by mix and size) and reuses it on
 * the next run of the same size, so a 1M-event log is written once and rebuilt in fresh processes
 * (the read models are written to a temporary file beside it and removed). RESOFT_BENCH_REBUILD_TRACE=1
 * prints, every 100,000 events, the time, CPU time and memory so far (where a long rebuild slows down).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SqliteEventStore, SqliteReadStore } from '@resoft/adapter-sqlite';
import { allProjections, appendSteps, eventMix, fileHistory, rebuildProjection, rebuildProjections, type MixStep } from '@resoft/projectors';
import { positiveNumber } from './bench-settings.js';

const EVENTS = positiveNumber('RESOFT_BENCH_REBUILD_EVENTS', 200_000);
const COMPARE = process.env['RESOFT_BENCH_REBUILD_COMPARE'] === '1';
const ONLY = process.env['RESOFT_BENCH_REBUILD_ONLY'];
const KEPT_DIR = process.env['RESOFT_BENCH_REBUILD_DIR'];
const TRACE = process.env['RESOFT_BENCH_REBUILD_TRACE'] === '1';
if (ONLY !== undefined && ONLY !== 'chat-heavy' && ONLY !== 'document-heavy') throw new Error('RESOFT_BENCH_REBUILD_ONLY must be chat-heavy or document-heavy');
/** Events in one project's life in the chat mix (eventMix). */
const EVENTS_PER_PROJECT = 31;
const CHANGES_PER_FILE = 400;
/** Files edited at the same time, their changes interleaved in the log. */
const FILES_AT_ONCE = 8;

function chatSteps(prefix: string, events: number): MixStep[] {
  return [...eventMix(prefix, Math.max(1, Math.round(events / EVENTS_PER_PROJECT))).steps];
}

function documentSteps(events: number): MixStep[] {
  const steps: MixStep[] = [];
  const files = Math.max(1, Math.round(events / CHANGES_PER_FILE));
  for (let group = 0; group < files; group += FILES_AT_ONCE) {
    const histories = Array.from({ length: Math.min(FILES_AT_ONCE, files - group) }, (_, i) => fileHistory(`docs${(group + i) % 50}-project`, `docs-author-${i}`, CHANGES_PER_FILE).steps);
    for (let i = 0; i < CHANGES_PER_FILE + 1; i += 1) for (const history of histories) if (history[i]) steps.push(history[i]!);
  }
  return steps;
}

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * Making the fixture's changes leaves hundreds of megabytes of dropped Automerge documents in the
 * WebAssembly heap until the garbage collector finalises them; measured with that pending, the rebuild
 * grew the heap instead of reusing that room, and on Node 20 nearly every growth starts a full
 * collection (main's files projection at 10,000 document-heavy events: 1.5k events per CPU-second
 * with it pending, 5.5–5.9k after collecting it). `resoft rebuild` starts without that garbage, so
 * the benchmark collects it first (docs/performance.md, 2026-12-04, the document-heavy rebuild).
 */
async function settle(): Promise<void> {
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 50));
  collectGarbage();
}

/** Prints the rebuild's progress every 100,000 events: time, CPU time, RSS and V8 heap so far. */
function tracer(): (progress: { position: number }) => void {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let next = 100_000;
  return ({ position }) => {
    if (position < next) return;
    next += 100_000;
    const cpu = process.cpuUsage(cpuStarted);
    const memory = process.memoryUsage();
    const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;
    console.log(`  at ${position.toLocaleString('en-US').padStart(9)}: ${((performance.now() - started) / 1000).toFixed(1)} s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, RSS ${mb(memory.rss)}, heap ${mb(memory.heapUsed)}, external ${mb(memory.external + memory.arrayBuffers)}`);
  };
}

async function measure(name: string, makeSteps: () => readonly MixStep[]): Promise<string[]> {
  let dir: string;
  let eventsFile: string;
  if (KEPT_DIR) {
    mkdirSync(KEPT_DIR, { recursive: true });
    eventsFile = join(KEPT_DIR, `${name}-${EVENTS}.events.sqlite`);
    dir = mkdtempSync(join(KEPT_DIR, 'read-models-'));
  } else {
    dir = mkdtempSync(join(tmpdir(), 'resoft-rebuild-bench-'));
    eventsFile = join(dir, 'events.sqlite');
  }
  const reuse = existsSync(eventsFile);
  const events = new SqliteEventStore({ file: eventsFile });
  const readModels = new SqliteReadStore({ file: join(dir, 'read-models.sqlite') });
  try {
    const head = reuse && (await events.headPosition()) > 0 ? await events.headPosition() : await appendSteps(events, makeSteps());
    await settle();
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    await rebuildProjections(events, readModels, allProjections, TRACE ? tracer() : undefined);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStarted);
    // CPU time (this process, all threads) moves less than wall time on a shared machine.
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const rows = [`${name.padEnd(15)} ${head.toLocaleString('en-US').padStart(9)} events  one pass: ${seconds.toFixed(1).padStart(6)} s  ${Math.round(head / seconds).toLocaleString('en-US').padStart(7)} events/s  1M events ≈ ${(1_000_000 / (head / seconds)).toFixed(0)} s  CPU ${cpuSeconds.toFixed(1)} s = ${Math.round(head / cpuSeconds).toLocaleString('en-US')} events per CPU-second  peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB${reuse ? ' (kept log)' : ''}`];
    if (COMPARE) {
      const separate = performance.now();
      for (const projection of allProjections) await rebuildProjection(events, readModels, projection);
      const separateSeconds = (performance.now() - separate) / 1000;
      rows.push(`${''.padEnd(15)} ${''.padStart(9)}         per projection: ${separateSeconds.toFixed(1).padStart(6)} s  (one pass is ${(separateSeconds / seconds).toFixed(1)}× faster)`);
    }
    return rows;
  } finally {
    await events.close();
    await readModels.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const cpu = cpus();
console.log('Resoft rebuild benchmark (SQLite event store and read store, every projection)');
console.log(`machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores; node ${process.version}; ${new Date().toISOString()}`);
if (ONLY !== 'document-heavy') (await measure('chat-heavy', () => chatSteps('chat', EVENTS))).forEach((row) => console.log(row));
if (ONLY !== 'chat-heavy') (await measure('document-heavy', () => [...documentSteps(Math.round(EVENTS * 0.8)), ...chatSteps('mixed', Math.round(EVENTS * 0.2))])).forEach((row) => console.log(row));
