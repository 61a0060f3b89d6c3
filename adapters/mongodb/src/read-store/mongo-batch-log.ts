/**
 * How the MongoDB read store writes a batch with its checkpoint without
 * transactions: the checkpoint document is advanced and records the batch's
 * ops in one atomic single-document update, then the ops are applied, then the
 * record is cleared. Whoever next reads that checkpoint and finds the record
 * still there applies the recorded ops again (a redo log: puts are whole
 * replacements and deletes are by id, so applying them twice is applying them
 * once) before trusting the documents.
 *
 * A checkpoint document is `{ _id: name, position, pending?: { batch, ops | chunks } }`;
 * `position` already includes the pending batch. Ops that encode larger than
 * `inlineBatchBytes` go to `__journal` documents, written before the
 * checkpoint moves and named in `pending.chunks`.
 */
import { randomUUID } from 'node:crypto';
import { BSON, MongoServerError, type AnyBulkWriteOperation, type Collection, type Db } from 'mongodb';
import { CheckpointMovedError, type Checkpoint } from '@resoft/ports';
import { JOURNAL_COLLECTION } from './mongo-names.js';
import type { StoredDocument } from './mongo-query.js';

/** The ops of one batch with the checkpoint they move. */
export interface LoggedBatch {
  readonly ops: readonly LoggedOp[];
  readonly checkpoint: Checkpoint;
}

/** One op on a physical collection (a live one or a staging copy). */
export type LoggedOp =
  | { readonly k: 'put'; readonly c: string; readonly doc: StoredDocument }
  | { readonly k: 'delete'; readonly c: string; readonly id: string };

interface Pending {
  readonly batch: string;
  /** The checkpoint's position before this batch (absent in records written before it was added). */
  readonly from?: number;
  readonly ops?: LoggedOp[];
  readonly chunks?: number;
}

interface CheckpointDocument {
  _id: string;
  position: number;
  pending?: Pending;
}

interface JournalChunk {
  _id: string;
  ops: LoggedOp[];
}

/** Well below MongoDB's 16 MiB document limit, so a batch's record never makes its checkpoint document too large. */
export const DEFAULT_INLINE_BATCH_BYTES = 4 * 1024 * 1024;
/**
 * The most ops one bulk write carries (issue 15: FerretDB 1.24 stops answering anything, even
 * `ping`, after one bulk write of 100 replaces on existing documents; 99 still worked).
 */
export const DEFAULT_MAX_OPS_PER_WRITE = 50;
/** A checkpoint found equal to `expected` but carrying another writer's record is completed, then the CAS retried, this many times. */
const CAS_ATTEMPTS = 5;
const DUPLICATE_KEY = 11000;

export interface BatchLogOptions {
  readonly inlineBatchBytes: number;
  /** Bulk writes (ops and journal chunks) are split into runs of at most this many operations. */
  readonly maxOpsPerWrite: number;
}

export class MongoBatchLog {
  constructor(
    private readonly db: Db,
    private readonly options: BatchLogOptions,
  ) {}

  /** Without a checkpoint the ops are simply applied in order; a failure may leave a prefix of them applied. */
  async write(checkpoints: string, ops: readonly LoggedOp[], checkpoint: Checkpoint | undefined): Promise<void> {
    if (!checkpoint) {
      await applyOps(this.db, ops, this.options.maxOpsPerWrite);
      return;
    }
    // Nothing to apply (a projection that handles none of a batch's events): moving the checkpoint is
    // the whole batch, one round trip instead of record, apply and clear.
    if (ops.length === 0) {
      await this.advance(checkpoints, checkpoint, null);
      return;
    }
    const batch = randomUUID();
    const pending = await this.record(batch, ops, checkpoint.expected);
    try {
      await this.advance(checkpoints, checkpoint, pending);
    } catch (error) {
      await this.dropJournal(pending);
      throw error;
    }
    await applyOps(this.db, ops, this.options.maxOpsPerWrite);
    await this.clear(checkpoints, checkpoint.name, pending);
  }

  /**
   * Several batches, each with its own checkpoint, in a fixed number of round trips (issue 15: per
   * batch, record + ops + clear, one after the other, made a projector batch of 7 projections 21 writes):
   * 1. one bulk write of every checkpoint's compare-and-set, each recording its own batch's ops in its
   *    own document exactly as `write` does (so every reader and completer works unchanged);
   * 2. the ops of every batch that won, each collection's in order, collections side by side;
   * 3. one update clearing the records.
   * A checkpoint whose compare-and-set did not match (moved, or another writer's batch still recorded)
   * goes through `write` alone, which completes such a batch or throws CheckpointMovedError; so do
   * batches too large to record inline. Once all have settled the first failure is thrown.
   */
  async writeMany(checkpoints: string, batches: readonly LoggedBatch[]): Promise<void> {
    const inline = batches.filter(({ ops }) => ops.length === 0 || BSON.calculateObjectSize({ ops }) <= this.options.inlineBatchBytes);
    const alone = batches.filter((batch) => !inline.includes(batch));
    const batch = randomUUID();
    const won = inline.length > 0 ? await this.advanceAll(checkpoints, inline, batch) : [];
    const lost = inline.filter((entry) => !won.includes(entry));
    const results = await Promise.allSettled([
      (async () => {
        await applyOpsByCollection(this.db, won.flatMap(({ ops }) => ops), this.options.maxOpsPerWrite);
        const recorded = won.filter(({ ops }) => ops.length > 0).map(({ checkpoint }) => checkpoint.name);
        if (recorded.length > 0) {
          await this.db.collection<CheckpointDocument>(checkpoints).updateMany({ _id: { $in: recorded }, 'pending.batch': batch }, { $unset: { pending: '' } });
        }
      })(),
      ...[...lost, ...alone].map(({ ops, checkpoint }) => this.write(checkpoints, ops, checkpoint)),
    ]);
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * Step 1 of `writeMany`: the compare-and-sets in one bulk write; answers the batches that won. When
   * some did not match, the checkpoints are read back once: a batch won if its record is there (or, with
   * no ops, if the checkpoint stands at its position).
   */
  private async advanceAll(checkpoints: string, batches: readonly LoggedBatch[], batch: string): Promise<LoggedBatch[]> {
    const collection = this.db.collection<CheckpointDocument>(checkpoints);
    let matched = 0;
    let unsure = false;
    for (const part of slices(batches, this.options.maxOpsPerWrite)) {
      const writes = part.map(({ ops, checkpoint }): AnyBulkWriteOperation<CheckpointDocument> => ({
        updateOne: {
          filter: { _id: checkpoint.name, position: checkpoint.expected, pending: { $exists: false } },
          update: { $set: ops.length > 0 ? { position: checkpoint.position, pending: { batch, from: checkpoint.expected, ops: [...ops] } } : { position: checkpoint.position } },
          upsert: checkpoint.expected === 0,
        },
      }));
      try {
        const result = await collection.bulkWrite(writes, { ordered: false });
        matched += result.matchedCount + result.upsertedCount;
      } catch (error) {
        // An upsert that met an existing checkpoint (expected 0, but it moved): that one did not match; the read-back sorts it out.
        if (!isDuplicateKey(error)) throw error;
        unsure = true;
      }
    }
    if (!unsure && matched === batches.length) return [...batches];
    const stored = await collection
      .find({ _id: { $in: batches.map(({ checkpoint }) => checkpoint.name) } }, { projection: { position: 1, 'pending.batch': 1 } })
      .toArray();
    const byName = new Map(stored.map((doc) => [doc._id, doc]));
    return batches.filter(({ ops, checkpoint }) => {
      const doc = byName.get(checkpoint.name);
      return ops.length > 0 ? doc?.pending?.batch === batch : doc?.position === checkpoint.position && !doc.pending;
    });
  }

  /** The checkpoint's position (0 when never written), after completing any batch recorded in it. */
  async read(checkpoints: string, name: string): Promise<number> {
    const collection = this.db.collection<CheckpointDocument>(checkpoints);
    const stored = await collection.findOne({ _id: name });
    if (stored?.pending) {
      try {
        await this.complete(checkpoints, name, stored.pending);
      } catch (error) {
        // The writer (or another reader) may have completed and cleared this batch meanwhile,
        // dropping its journal under us: that is success, not failure.
        const now = await collection.findOne({ _id: name });
        if (now?.pending?.batch === stored.pending.batch) throw error;
      }
    }
    return stored?.position ?? 0;
  }

  /**
   * Where each checkpoint is, in one query and without completing anything: a checkpoint with a batch
   * still recorded reads as where it was before that batch. Completing is left to writers: on engines
   * whose conditional updates are not atomic (FerretDB v1), a reader's completion racing the writer's
   * next batch could put back an older position (issue 15: a relay read its checkpoint 5 below what it wrote).
   */
  async peek(checkpoints: string, names: readonly string[]): Promise<Map<string, number>> {
    const unique = [...new Set(names)];
    const found = await this.db
      .collection<CheckpointDocument>(checkpoints)
      .find({ _id: { $in: unique } }, { projection: { position: 1, 'pending.from': 1 } })
      .toArray();
    const byName = new Map(found.map((stored) => [stored._id, stored.pending ? (stored.pending.from ?? 0) : stored.position]));
    return new Map(unique.map((name) => [name, byName.get(name) ?? 0]));
  }

  /** Sets the checkpoint outright, dropping any record in it (promote: the caller completed it first). */
  async set(checkpoints: string, name: string, position: number): Promise<void> {
    await this.db.collection<CheckpointDocument>(checkpoints).replaceOne({ _id: name }, { position }, { upsert: true });
  }

  /** Forgets the checkpoint and any batch recorded in it, unapplied (a rebuild starting over or discarded). */
  async remove(checkpoints: string, name: string): Promise<void> {
    const removed = await this.db.collection<CheckpointDocument>(checkpoints).findOneAndDelete({ _id: name });
    if (removed?.pending) await this.dropJournal(removed.pending);
  }

  private async record(batch: string, ops: readonly LoggedOp[], from: number): Promise<Pending> {
    if (BSON.calculateObjectSize({ ops }) <= this.options.inlineBatchBytes) return { batch, from, ops: [...ops] };
    const chunks = chunk(ops, this.options.inlineBatchBytes).map((part, seq): JournalChunk => ({ _id: chunkId(batch, seq), ops: part }));
    for (const part of slices(chunks, this.options.maxOpsPerWrite)) await this.db.collection<JournalChunk>(JOURNAL_COLLECTION).insertMany(part, { ordered: true });
    return { batch, from, chunks: chunks.length };
  }

  /**
   * The compare-and-set: one conditional update that matches only when the
   * checkpoint is at `expected` with no batch in flight. When `expected` is 0
   * a missing document counts as 0 (upsert; an existing one then makes the
   * insert fail on its `_id`).
   */
  private async advance(checkpoints: string, checkpoint: Checkpoint, pending: Pending | null): Promise<void> {
    const collection = this.db.collection<CheckpointDocument>(checkpoints);
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      try {
        const result = await collection.updateOne(
          { _id: checkpoint.name, position: checkpoint.expected, pending: { $exists: false } },
          { $set: pending ? { position: checkpoint.position, pending } : { position: checkpoint.position } },
          { upsert: checkpoint.expected === 0 },
        );
        if (result.matchedCount + result.upsertedCount === 1) return;
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      }
      const stored = await collection.findOne({ _id: checkpoint.name });
      const actual = stored?.position ?? 0;
      if (actual !== checkpoint.expected) throw new CheckpointMovedError(checkpoint.name, checkpoint.expected, actual);
      // At `expected` but another writer's batch is still recorded: it crashed or is still writing; finish it for them.
      if (stored?.pending) await this.complete(checkpoints, checkpoint.name, stored.pending);
    }
    throw new Error(`Checkpoint ${checkpoint.name} stayed busy with other writers' batches; gave up after ${CAS_ATTEMPTS} attempts`);
  }

  private async complete(checkpoints: string, name: string, pending: Pending): Promise<void> {
    await applyOps(this.db, pending.ops ?? (await this.readJournal(pending)), this.options.maxOpsPerWrite);
    await this.clear(checkpoints, name, pending);
  }

  /** Only clears this batch's record: another writer may have completed it and recorded the next one already. */
  private async clear(checkpoints: string, name: string, pending: Pending): Promise<void> {
    await this.db.collection<CheckpointDocument>(checkpoints).updateOne({ _id: name, 'pending.batch': pending.batch }, { $unset: { pending: '' } });
    await this.dropJournal(pending);
  }

  private async readJournal(pending: Pending): Promise<LoggedOp[]> {
    const ids = chunkIds(pending);
    const found = await this.db.collection<JournalChunk>(JOURNAL_COLLECTION).find({ _id: { $in: ids } }).toArray();
    const byId = new Map(found.map((part) => [part._id, part.ops]));
    return ids.flatMap((id) => {
      const ops = byId.get(id);
      if (!ops) throw new Error(`Journal chunk ${id} of a recorded batch is missing`);
      return ops;
    });
  }

  private async dropJournal(pending: Pending): Promise<void> {
    if (pending.chunks) await this.db.collection<JournalChunk>(JOURNAL_COLLECTION).deleteMany({ _id: { $in: chunkIds(pending) } });
  }
}

/**
 * Two processes completing the same recorded batch at once (a writer and a reader) may both upsert
 * one document; MongoDB then answers one of them with a duplicate-key error. Replaying the ops is
 * harmless (whole-document replaces, deletes by id), so such a bulk write is simply run again.
 */
async function bulkWriteRetryingDuplicates(collection: Collection<StoredDocument>, writes: AnyBulkWriteOperation<StoredDocument>[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await collection.bulkWrite(writes, { ordered: true });
      return;
    } catch (error) {
      if (!isDuplicateKey(error) || attempt >= 5) throw error;
    }
  }
}

function isDuplicateKey(error: unknown): boolean {
  const e = error as { code?: number; writeErrors?: { code?: number }[] | { code?: number } };
  const writeErrors = Array.isArray(e?.writeErrors) ? e.writeErrors : e?.writeErrors ? [e.writeErrors] : [];
  return e?.code === DUPLICATE_KEY || writeErrors.some((w) => w.code === DUPLICATE_KEY);
}

/**
 * Applies ops in order: ordered bulk writes of at most `maxOpsPerWrite` consecutive ops on the same
 * collection. Splitting changes nothing for atomicity: a batch with a checkpoint is recorded before
 * any op runs, so a failure between two bulk writes is completed from that record like any other.
 */
export async function applyOps(db: Db, ops: readonly LoggedOp[], maxOpsPerWrite: number): Promise<void> {
  let start = 0;
  while (start < ops.length) {
    const collection = ops[start]!.c;
    let end = start;
    while (end < ops.length && end - start < maxOpsPerWrite && ops[end]!.c === collection) end++;
    const writes = ops.slice(start, end).map(
      (op): AnyBulkWriteOperation<StoredDocument> =>
        op.k === 'put'
          ? { replaceOne: { filter: { _id: op.doc._id }, replacement: op.doc, upsert: true } }
          : { deleteOne: { filter: { _id: op.id } } },
    );
    await bulkWriteRetryingDuplicates(db.collection<StoredDocument>(collection), writes);
    start = end;
  }
}

/**
 * `applyOps` for the ops of several batches: each collection's ops in the order given, the collections
 * side by side, so their round trips overlap (ops on different collections have no order to keep: the
 * batches are recorded, so a failure part-way is completed from the records).
 */
async function applyOpsByCollection(db: Db, ops: readonly LoggedOp[], maxOpsPerWrite: number): Promise<void> {
  const byCollection = new Map<string, LoggedOp[]>();
  for (const op of ops) {
    const list = byCollection.get(op.c);
    if (list) list.push(op);
    else byCollection.set(op.c, [op]);
  }
  const results = await Promise.allSettled([...byCollection.values()].map((list) => (insertable(list) ? insertThenReplace(db, list, maxOpsPerWrite) : applyOps(db, list, maxOpsPerWrite))));
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
}

type PutOp = Extract<LoggedOp, { k: 'put' }>;

/** Only puts, each of another document: the order among them is then free. */
function insertable(ops: readonly LoggedOp[]): ops is readonly PutOp[] {
  const ids = new Set<string>();
  for (const op of ops) {
    if (op.k !== 'put' || ids.has(op.doc._id)) return false;
    ids.add(op.doc._id);
  }
  return true;
}

/**
 * Puts of one collection as inserts first, then replaces of those whose id exists. A projector batch
 * mostly creates documents (a chat message, an activity entry), and FerretDB 1.24 inserts 50 new
 * documents in ~20–50 ms against ~130–200 ms as upserting replaces; an insert refused for an existing
 * id costs ~0.3 ms, so documents that exist pay one cheap extra call (measured 2026-12-03, issue 15).
 * The result is the same as replacing each: whole documents, by id.
 */
async function insertThenReplace(db: Db, ops: readonly PutOp[], maxOpsPerWrite: number): Promise<void> {
  const collection = db.collection<StoredDocument>(ops[0]!.c);
  const existing: PutOp[] = [];
  for (const part of slices(ops, maxOpsPerWrite)) {
    try {
      // Copies: the driver may decorate what it inserts, and the ops are also the batch's record.
      await collection.insertMany(part.map((op) => ({ ...op.doc })), { ordered: false });
    } catch (error) {
      const refused = writeErrorsOf(error);
      if (refused.length === 0 || refused.some((w) => w.code !== DUPLICATE_KEY || typeof w.index !== 'number')) throw error;
      for (const w of refused) existing.push(part[w.index!]!);
    }
  }
  if (existing.length > 0) await applyOps(db, existing, maxOpsPerWrite);
}

function writeErrorsOf(error: unknown): { code?: number; index?: number }[] {
  const e = error as { writeErrors?: { code?: number; index?: number }[] | { code?: number; index?: number } };
  return Array.isArray(e?.writeErrors) ? e.writeErrors : e?.writeErrors ? [e.writeErrors] : [];
}

function chunk(ops: readonly LoggedOp[], maxBytes: number): LoggedOp[][] {
  const chunks: LoggedOp[][] = [];
  let current: LoggedOp[] = [];
  let size = 0;
  for (const op of ops) {
    const opSize = BSON.calculateObjectSize(op);
    if (current.length > 0 && size + opSize > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(op);
    size += opSize;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Splits items into runs of at most `size` (bulk writes stay within what FerretDB 1.24 answers). */
export function slices<T>(items: readonly T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let start = 0; start < items.length; start += size) parts.push(items.slice(start, start + size));
  return parts;
}

function chunkId(batch: string, seq: number): string {
  return `${batch}:${seq}`;
}

function chunkIds(pending: Pending): string[] {
  return Array.from({ length: pending.chunks ?? 0 }, (_, seq) => chunkId(pending.batch, seq));
}
