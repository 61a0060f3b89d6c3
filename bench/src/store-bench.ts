/**
 * Event store benchmark (`npm run bench:store`): append and read throughput of
 * the embedded SQLite store on a fresh temporary file, with the default
 * durability (WAL, synchronous = NORMAL), printed as a short table.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '@resoft/domain';
import { SqliteEventStore } from '@resoft/adapter-sqlite';
import { type EventStore, type ExpectedRevision } from '@resoft/ports';

const SINGLE_APPENDS = 20_000;
const SINGLE_STREAMS = 500;
const BATCHES = 500;
const BATCH_SIZE = 100;
const READ_PAGE = 1000;
const WARM_UP_APPENDS = 1000;

interface Row {
  readonly measure: string;
  readonly count: string;
  readonly seconds: number;
  readonly rate: string;
}

function taskEvent(n: number): NewEvent {
  const id = randomUUID();
  return {
    id,
    type: 'TaskCreated',
    // About the size of a real task event, so the figures mean something.
    data: { taskId: `task-${n}`, title: `Task number ${n}`, description: 'Write the thing, then test the thing, then ship it.', labels: ['backend', 'bench'], estimate: n % 8 },
    metadata: { actor: `user-${n % 50}`, correlationId: id, causationId: null, occurredAt: new Date().toISOString(), schema: 1 },
  };
}

/** Appends one event per call over `streams` streams, each with its exact expected revision. */
async function appendSingles(store: EventStore, count: number, streams: number, prefix: string): Promise<void> {
  const revisions = new Map<string, number>();
  for (let n = 0; n < count; n += 1) {
    const streamId = `${prefix}-${n % streams}`;
    const expected: ExpectedRevision = revisions.get(streamId) ?? 'no_stream';
    const { nextRevision } = await store.append(streamId, [taskEvent(n)], expected);
    revisions.set(streamId, nextRevision);
  }
}

async function timed(work: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
}

function perSecond(count: number, seconds: number): string {
  return Math.round(count / seconds).toLocaleString('en-US');
}

function printTable(rows: readonly Row[]): void {
  const header = ['measure', 'count', 'seconds', 'rate'];
  const cells = rows.map((r) => [r.measure, r.count, r.seconds.toFixed(2), r.rate]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]): string => values.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
}

const dir = mkdtempSync(join(tmpdir(), 'resoft-store-bench-'));
const file = join(dir, 'events.db');
const store = new SqliteEventStore({ file });
try {
  await appendSingles(store, WARM_UP_APPENDS, 50, 'warmup');

  const singleSeconds = await timed(() => appendSingles(store, SINGLE_APPENDS, SINGLE_STREAMS, 'single'));

  const batchSeconds = await timed(async () => {
    for (let b = 0; b < BATCHES; b += 1) {
      const events = Array.from({ length: BATCH_SIZE }, (_, i) => taskEvent(b * BATCH_SIZE + i));
      await store.append(`batch-${b}`, events, 'no_stream');
    }
  });

  const head = await store.headPosition();
  let read = 0;
  const readSeconds = await timed(async () => {
    for (let page = await store.readAll({ maxCount: READ_PAGE }); page.length > 0; ) {
      read += page.length;
      page = await store.readAll({ after: page.at(-1)!.position, maxCount: READ_PAGE });
    }
  });
  if (read !== head) throw new Error(`read ${read} events but the head is at ${head}`);

  const cpu = cpus();
  console.log('Resoft event store benchmark (SqliteEventStore, WAL, synchronous=NORMAL)');
  console.log(`machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores`);
  console.log(`node:    ${process.version}`);
  console.log(`date:    ${new Date().toISOString()}`);
  console.log('');
  printTable([
    { measure: 'append, 1 event per append', count: `${SINGLE_APPENDS.toLocaleString('en-US')} appends`, seconds: singleSeconds, rate: `${perSecond(SINGLE_APPENDS, singleSeconds)} appends/s` },
    { measure: `append, ${BATCH_SIZE}-event batches`, count: `${BATCHES.toLocaleString('en-US')} batches`, seconds: batchSeconds, rate: `${perSecond(BATCHES, batchSeconds)} batches/s` },
    { measure: '', count: `${(BATCHES * BATCH_SIZE).toLocaleString('en-US')} events`, seconds: batchSeconds, rate: `${perSecond(BATCHES * BATCH_SIZE, batchSeconds)} events/s` },
    { measure: `readAll, pages of ${READ_PAGE}`, count: `${read.toLocaleString('en-US')} events`, seconds: readSeconds, rate: `${perSecond(read, readSeconds)} events/s` },
  ]);
  console.log('');
  console.log(`store file: ${(statSync(file).size / 1024 / 1024).toFixed(1)} MiB after ${head.toLocaleString('en-US')} events (WAL not counted)`);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
