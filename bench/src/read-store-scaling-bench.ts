/**
 * How a read store's per-document cost grows with the size of a collection: the time of a `get` by
 * id, of a batch replacing one existing document, and of a batch replacing 50, in collections of
 * growing size. An engine that finds a document through an index answers in about the same time at
 * every size; one that scans the collection answers in time proportional to it. Issue 15's lag on
 * the MongoDB-wire path depends on which: every projected event reads and replaces documents by id.
 *
 * Runs on the SQLite read store and, when MONGO_URL is set, on that engine (a fresh database,
 * dropped at the end). Sizes from READ_STORE_BENCH_SIZES (default "100,1000,5000"); operations
 * per measure from READ_STORE_BENCH_OPS (default 50).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { SqliteReadStore } from '@resoft/adapter-sqlite';
import type { ReadStore, WriteOp } from '@resoft/ports';
import { positiveNumber } from './bench-settings.js';

const OPS = positiveNumber('READ_STORE_BENCH_OPS', 50);
const SIZES = (process.env.READ_STORE_BENCH_SIZES ?? '100,1000,5000').split(',').map((s) => {
  const size = Number(s);
  if (!Number.isInteger(size) || size < OPS) throw new Error(`READ_STORE_BENCH_SIZES: each size must be an integer ≥ READ_STORE_BENCH_OPS (${OPS})`);
  return size;
});
/** Documents per filling write: the MongoDB adapter's own chunk size, so the fill is not what times out. */
const FILL_BATCH = 50;
/** A generous deadline per engine call: the point is to see how long a slow engine takes, not to give up on it. */
const OPERATION_TIMEOUT_MS = 60_000;

interface Engine {
  readonly name: string;
  readonly store: ReadStore;
  readonly dispose: () => Promise<void>;
}

interface SizeFigures {
  readonly size: number;
  readonly getMs: number;
  readonly replaceOneMs: number;
  readonly replaceBatchMs: number;
}

/** A document the size of a typical read model row (a chat message, a file entry). */
const documentAt = (collection: string, index: number, round: number): WriteOp => ({
  kind: 'put',
  collection,
  doc: { id: `doc-${index}`, projectId: `project-${index % 20}`, round, body: 'x'.repeat(200) },
});

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** Indexes spread over the whole collection, so a scan cannot stop early by luck. */
const spread = (size: number): number[] => Array.from({ length: OPS }, (_, i) => Math.floor(((i + 0.5) * size) / OPS));

async function measureSize(store: ReadStore, size: number): Promise<SizeFigures> {
  const collection = `scaling_${size}`;
  await store.ensureCollection({ name: collection, indexes: ['projectId'] });
  for (let start = 0; start < size; start += FILL_BATCH) {
    const ops = Array.from({ length: Math.min(FILL_BATCH, size - start) }, (_, i) => documentAt(collection, start + i, 0));
    await store.write({ ops });
  }
  const targets = spread(size);
  const gets: number[] = [];
  for (const index of targets) {
    const started = performance.now();
    const found = await store.get(collection, `doc-${index}`);
    gets.push(performance.now() - started);
    if (!found) throw new Error(`doc-${index} missing from ${collection}`);
  }
  const replaces: number[] = [];
  for (const index of targets) {
    const started = performance.now();
    await store.write({ ops: [documentAt(collection, index, 1)] });
    replaces.push(performance.now() - started);
  }
  const batches: number[] = [];
  for (let round = 2; round < 7; round += 1) {
    const started = performance.now();
    await store.write({ ops: targets.map((index) => documentAt(collection, index, round)) });
    batches.push(performance.now() - started);
  }
  return { size, getMs: median(gets), replaceOneMs: median(replaces), replaceBatchMs: median(batches) };
}

async function openEngines(dir: string): Promise<Engine[]> {
  const sqlite = new SqliteReadStore({ file: join(dir, 'read.sqlite') });
  const engines: Engine[] = [{ name: 'SQLite read store', store: sqlite, dispose: () => sqlite.close() }];
  const mongoUrl = process.env.MONGO_URL;
  if (mongoUrl) {
    const { MongoReadStore } = await import('@resoft/adapter-mongodb');
    const mongo = await MongoReadStore.connect({ url: mongoUrl, database: `resoft_scaling_${randomUUID().replace(/-/g, '').slice(0, 12)}`, operationTimeoutMs: OPERATION_TIMEOUT_MS });
    engines.push({ name: `MongoDB-wire read store (${mongoUrl})`, store: mongo, dispose: async () => { await mongo.database.dropDatabase(); await mongo.close(); } });
  } else {
    console.log('MONGO_URL is not set: measuring the SQLite read store only');
  }
  return engines;
}

const ms = (value: number): string => value.toFixed(value < 10 ? 2 : 1);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'resoft-read-store-scaling-'));
  try {
    for (const engine of await openEngines(dir)) {
      try {
        const figures: SizeFigures[] = [];
        for (const size of SIZES) figures.push(await measureSize(engine.store, size));
        console.log(`\n${engine.name}: median of ${OPS} operations (the batch: of 5 batches of ${OPS} replaces)`);
        console.log('| documents in the collection | get by id | write of 1 replace | write of 50 replaces |');
        console.log('| --- | --- | --- | --- |');
        for (const f of figures) console.log(`| ${f.size.toLocaleString('en')} | ${ms(f.getMs)} ms | ${ms(f.replaceOneMs)} ms | ${ms(f.replaceBatchMs)} ms |`);
        const first = figures[0]!;
        const last = figures[figures.length - 1]!;
        console.log(`growth from ${first.size.toLocaleString('en')} to ${last.size.toLocaleString('en')} documents (${(last.size / first.size).toFixed(0)}× the documents): get ${(last.getMs / first.getMs).toFixed(1)}×, one replace ${(last.replaceOneMs / first.replaceOneMs).toFixed(1)}×, 50 replaces ${(last.replaceBatchMs / first.replaceBatchMs).toFixed(1)}×`);
      } finally {
        await engine.dispose();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
