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
import { CheckpointMovedError, type Checkpoint } from './read-store.js';
import { JOURNAL_COLLECTION } from './mongo-names.js';
import type { StoredDocument } from './mongo-query.js';

/** One op on a physical collection (a live one or a staging copy). */
export type LoggedOp =
  | { readonly k: 'put'; readonly c: string; readonly doc: StoredDocument }
  | { readonly k: 'delete'; readonly c: string; readonly id: string };

interface Pending {
  readonly batch: string;
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
/** A checkpoint found equal to `expected` but carrying another writer's record is completed, then the CAS retried, this many times. */
const CAS_ATTEMPTS = 5;
const DUPLICATE_KEY = 11000;

export interface BatchLogOptions {
  readonly inlineBatchBytes: number;
}

export class MongoBatchLog {
  constructor(
    private readonly db: Db,
    private readonly options: BatchLogOptions,
  ) {}

  /** Without a checkpoint the ops are simply applied in order; a failure may leave a prefix of them applied. */
  async write(checkpoints: string, ops: readonly LoggedOp[], checkpoint: Checkpoint | undefined): Promise<void> {
    if (!checkpoint) {
      await applyOps(this.db, ops);
      return;
    }
    const batch = randomUUID();
    const pending = await this.record(batch, ops);
    try {
      await this.advance(checkpoints, checkpoint, pending);
    } catch (error) {
      await this.dropJournal(pending);
      throw error;
    }
    await applyOps(this.db, ops);
    await this.clear(checkpoints, checkpoint.name, pending);
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

  /** Sets the checkpoint outright, dropping any record in it (promote: the caller completed it first). */
  async set(checkpoints: string, name: string, position: number): Promise<void> {
    await this.db.collection<CheckpointDocument>(checkpoints).replaceOne({ _id: name }, { position }, { upsert: true });
  }

  /** Forgets the checkpoint and any batch recorded in it, unapplied (a rebuild starting over or discarded). */
  async remove(checkpoints: string, name: string): Promise<void> {
    const removed = await this.db.collection<CheckpointDocument>(checkpoints).findOneAndDelete({ _id: name });
    if (removed?.pending) await this.dropJournal(removed.pending);
  }

  private async record(batch: string, ops: readonly LoggedOp[]): Promise<Pending> {
    if (BSON.calculateObjectSize({ ops }) <= this.options.inlineBatchBytes) return { batch, ops: [...ops] };
    const chunks = chunk(ops, this.options.inlineBatchBytes).map((part, seq): JournalChunk => ({ _id: chunkId(batch, seq), ops: part }));
    await this.db.collection<JournalChunk>(JOURNAL_COLLECTION).insertMany(chunks, { ordered: true });
    return { batch, chunks: chunks.length };
  }

  /**
   * The compare-and-set: one conditional update that matches only when the
   * checkpoint is at `expected` with no batch in flight. When `expected` is 0
   * a missing document counts as 0 (upsert; an existing one then makes the
   * insert fail on its `_id`).
   */
  private async advance(checkpoints: string, checkpoint: Checkpoint, pending: Pending): Promise<void> {
    const collection = this.db.collection<CheckpointDocument>(checkpoints);
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      try {
        const result = await collection.updateOne(
          { _id: checkpoint.name, position: checkpoint.expected, pending: { $exists: false } },
          { $set: { position: checkpoint.position, pending } },
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
    await applyOps(this.db, pending.ops ?? (await this.readJournal(pending)));
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

/** Applies ops in order: one ordered bulk write per run of consecutive ops on the same collection. */
export async function applyOps(db: Db, ops: readonly LoggedOp[]): Promise<void> {
  let start = 0;
  while (start < ops.length) {
    const collection = ops[start]!.c;
    let end = start;
    while (end < ops.length && ops[end]!.c === collection) end++;
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

function chunkId(batch: string, seq: number): string {
  return `${batch}:${seq}`;
}

function chunkIds(pending: Pending): string[] {
  return Array.from({ length: pending.chunks ?? 0 }, (_, seq) => chunkId(pending.batch, seq));
}
