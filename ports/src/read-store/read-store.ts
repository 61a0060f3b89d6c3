/**
 * The read store port: collections of JSON documents keyed by `id`, queried
 * by indexed top-level fields, and written in atomic batches that carry a
 * projection's checkpoint. Every adapter passes `read-store.contract.ts`.
 */

export interface Document {
  readonly id: string;
  readonly [field: string]: unknown;
}

export type Scalar = string | number | boolean | null;

export type FieldCondition =
  | Scalar
  | { readonly $in: readonly Scalar[] }
  | { readonly $gt?: Scalar; readonly $gte?: Scalar; readonly $lt?: Scalar; readonly $lte?: Scalar };

/** Every listed field must match (AND). */
export type Filter = Readonly<Record<string, FieldCondition>>;

export interface FindOptions {
  readonly where?: Filter;
  readonly orderBy?: readonly { readonly field: string; readonly direction: 'asc' | 'desc' }[];
  readonly limit?: number;
  /**
   * Top-level fields left out of the returned documents (never `id`): a listing that shows no text
   * or snapshot does not pay for reading and parsing them.
   */
  readonly omit?: readonly string[];
}

/** One field, or several for a compound index (e.g. `['roomId', 'position']`: filter by room, order by position). */
export type IndexSpec = string | readonly string[];

export interface CollectionSpec {
  readonly name: string;
  /** Top-level fields queried with `where` or `orderBy`. */
  readonly indexes: readonly IndexSpec[];
}

export const indexFields = (index: IndexSpec): readonly string[] => (typeof index === 'string' ? [index] : index);

export type WriteOp =
  | { readonly kind: 'put'; readonly collection: string; readonly doc: Document }
  | { readonly kind: 'delete'; readonly collection: string; readonly id: string };

export interface Checkpoint {
  readonly name: string;
  /** The checkpoint's value before this batch; the batch is refused if it moved (another writer got there first). */
  readonly expected: number;
  readonly position: number;
}

export interface WriteBatch {
  readonly ops: readonly WriteOp[];
  readonly checkpoint?: Checkpoint;
}

/** Thrown when a batch's checkpoint `expected` no longer holds; nothing of the batch was written. */
export class CheckpointMovedError extends Error {
  constructor(readonly checkpointName: string, readonly expected: number, readonly actual: number) {
    super(`Checkpoint ${checkpointName} is at ${actual}, expected ${expected}`);
    this.name = 'CheckpointMovedError';
  }
}

export interface ReadStore {
  /** Creates the collection and its indexes when missing. */
  ensureCollection(spec: CollectionSpec): Promise<void>;
  get<T extends Document>(collection: string, id: string): Promise<T | null>;
  getMany<T extends Document>(collection: string, ids: readonly string[]): Promise<T[]>;
  find<T extends Document>(collection: string, options?: FindOptions): Promise<T[]>;
  /**
   * `find`, answering each document as its JSON text: a route that passes documents through unchanged
   * writes the stored text into its answer instead of parsing it and serialising it again.
   */
  findJson(collection: string, options?: FindOptions): Promise<string[]>;
  count(collection: string, where?: Filter): Promise<number>;
  /** Writes all ops and the checkpoint atomically, or nothing. */
  write(batch: WriteBatch): Promise<void>;
  /**
   * Several batches at once, typically one per projection of one bus partition: each is written as
   * `write` writes it (its ops and its checkpoint atomically, or nothing), but together they cost a
   * fixed number of round trips to a remote engine instead of a few per batch (issue 15). Batches
   * succeed or fail independently: a moved checkpoint refuses its own batch only. Once every batch
   * has settled, the call rejects with the first failure (CheckpointMovedError for a moved one).
   * Every batch carries a checkpoint, each a different one.
   */
  writeBatches(batches: readonly WriteBatch[]): Promise<void>;
  /** 0 when the checkpoint was never written. */
  getCheckpoint(name: string): Promise<number>;
  /**
   * Several checkpoints in one round trip, for watchers that only read (read-your-writes, a standby
   * relay): each is the position up to which its batches are certainly applied. Unlike `getCheckpoint`
   * it completes nothing, so a reader never writes, and a batch still in flight counts as not there yet.
   * Names never written read as 0.
   */
  readCheckpoints(names: readonly string[]): Promise<Map<string, number>>;
  /**
   * A store over staging copies of the given collections (empty, same
   * indexes) for a rebuild; `promote` swaps them in for the live ones,
   * together with the staging checkpoint under `checkpointName`.
   */
  staging(specs: readonly CollectionSpec[], checkpointName: string): Promise<StagingReadStore>;
  /**
   * Called after a batch that erased a user's personal data: whatever the engine's files still hold of
   * documents as they were before is dropped (SQLite: secure_delete is on, and this empties the WAL).
   * Absent where the engine offers no such control (docs/audit.md says what that means).
   */
  purgeOverwritten?(): Promise<void>;
  close(): Promise<void>;
}

export interface StagingReadStore extends ReadStore {
  /** Atomically replaces the live collections and checkpoint with the staged ones. */
  promote(): Promise<void>;
  /** Drops the staging collections. */
  discard(): Promise<void>;
}
