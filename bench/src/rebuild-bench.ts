/**
 * Rebuild benchmark (`npm run bench:rebuild`): `resoft rebuild`'s one pass over the log, feeding
 * every projection, on two logs of RESOFT_BENCH_REBUILD_EVENTS events each (default 200,000) in a
 * fresh temporary directory: a chat-heavy mix (users, projects, rooms, chat, agent activities) and a
 * document-heavy one (80 % `DocumentChanged` events of files edited a few at a time, 20 % the chat
 * mix). Prints events/s and the time 1,000,000 events would take at that rate. With
 * RESOFT_BENCH_REBUILD_COMPARE=1 it also rebuilds projection by projection (one pass each) for the ratio;
 * RESOFT_BENCH_REBUILD_ONLY=chat-heavy (or document-heavy) runs one of the two logs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
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

async function measure(name: string, steps: readonly MixStep[]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'resoft-rebuild-bench-'));
  const events = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const readModels = new SqliteReadStore({ file: join(dir, 'read-models.sqlite') });
  try {
    const head = await appendSteps(events, steps);
    await settle();
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    await rebuildProjections(events, readModels, allProjections);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStarted);
    // CPU time (this process, all threads) moves less than wall time on a shared machine.
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const rows = [`${name.padEnd(15)} ${head.toLocaleString('en-US').padStart(9)} events  one pass: ${seconds.toFixed(1).padStart(6)} s  ${Math.round(head / seconds).toLocaleString('en-US').padStart(7)} events/s  1M events ≈ ${(1_000_000 / (head / seconds)).toFixed(0)} s  CPU ${cpuSeconds.toFixed(1)} s = ${Math.round(head / cpuSeconds).toLocaleString('en-US')} events per CPU-second`];
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
if (ONLY !== 'document-heavy') (await measure('chat-heavy', chatSteps('chat', EVENTS))).forEach((row) => console.log(row));
if (ONLY !== 'chat-heavy') (await measure('document-heavy', [...documentSteps(Math.round(EVENTS * 0.8)), ...chatSteps('mixed', Math.round(EVENTS * 0.2))])).forEach((row) => console.log(row));
