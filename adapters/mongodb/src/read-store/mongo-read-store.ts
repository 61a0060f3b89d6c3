/**
 * The read store on MongoDB, or any engine that speaks its wire protocol
 * (FerretDB included): one collection per read model, documents keyed by `_id`
 * (the port's `id`), an ascending index per declared field list. It uses no
 * transactions and no change streams, which such engines may not have.
 *
 * What `write` guarantees without transactions (mechanism: mongo-batch-log.ts).
 * A batch with a checkpoint is recorded in the checkpoint's document and the
 * checkpoint advanced in one conditional single-document update (the
 * compare-and-set), then its ops are applied, then the record is cleared.
 * - Moved checkpoint: the compare-and-set runs before any document is
 *   touched, so a batch whose `expected` does not hold writes nothing and
 *   throws `CheckpointMovedError`, also when a second writer races it: of two
 *   writers with the same `expected`, exactly one wins, and the loser has
 *   written nothing.
 * - Crash (or lost connection) after the compare-and-set: the checkpoint has
 *   moved while some ops may be missing. The next `getCheckpoint` or `write`
 *   on that checkpoint re-applies the recorded ops before answering, so the
 *   batch ends applied exactly as written: complete, not applied twice. This
 *   does not lean on projection handlers being idempotent (they are not:
 *   `memberCount + 1`), because what is replayed is the ops, not the events.
 * - Readers of documents (`get`, `find`, …) are not isolated: between the
 *   compare-and-set and the last op they can see part of a batch, as they
 *   can see one collection of a multi-collection batch before the other.
 * - What is not guaranteed: if a writer stalls after its compare-and-set while
 *   another process completes that batch for it (on reading the checkpoint)
 *   and goes on to write the next batch, the stalled writer's remaining ops can
 *   land after, and overwrite, that next batch's documents. Only concurrent
 *   projection of one checkpoint by two processes, plus a stall, gets there;
 *   per-document version fencing would close it.
 * - A batch without a checkpoint is only applied in order; a failure can leave
 *   a prefix of it applied.
 *
 * Staging (rebuilds) uses `<name>__staging` collections and a separate
 * checkpoints collection. `promote` renames each staged collection over its
 * live one (`dropTarget`; on engines without it, FerretDB v1 among them, the live
 * collection is first renamed aside to `<name>__retired` and dropped after)
 * and then sets the live checkpoint. Each rename is atomic; the promote as a
 * whole is not: readers can see some collections rebuilt and others not yet,
 * or, on the rename-aside path, a collection briefly missing (read as empty),
 * and a live writer whose batch is in flight during the promote can write into
 * the promoted collections before its next compare-and-set fails.
 *
 * Engine differences seen on FerretDB v1.24 (SQLite backend) and handled here:
 * no `dropTarget` on rename (renamed aside instead), a `createIndexes` naming
 * several indexes of which some exist crashes the connection (indexes are
 * created one at a time, only when missing). Not handled: FerretDB refuses
 * object keys that contain `.` or start with `$` anywhere in a document, which
 * MongoDB 5+ and the SQLite adapter accept.
 */
import { MongoClient, type Db } from 'mongodb';
import { mongoClientOptions } from './mongo-client-options.js';
import type { CollectionSpec, ReadStore, StagingReadStore } from '@resoft/ports';
import { DEFAULT_INLINE_BATCH_BYTES, DEFAULT_MAX_OPS_PER_WRITE, MongoBatchLog } from './mongo-batch-log.js';
import { MongoDocuments, createCollection } from './mongo-documents.js';
import { CHECKPOINTS_COLLECTION, assertDatabaseName, assertIndexSpec, liveCollection } from './mongo-names.js';
import { MongoStagingReadStore } from './mongo-staging-read-store.js';
import { DocumentAccess } from '@resoft/ports';

export interface MongoReadStoreOptions {
  /** A `mongodb://` connection string. */
  readonly url: string;
  readonly database: string;
  /** A batch whose ops encode larger than this is journaled in chunks instead of inside its checkpoint document (default 4 MiB). */
  readonly inlineBatchBytes?: number;
  /** Most operations in one bulk write; a batch is applied as several (default 50). Atomicity per batch comes from the batch log, not from the bulk write. */
  readonly maxOpsPerWrite?: number;
  /**
   * Deadline of every call to the engine (default 5 s): server selection, connecting, waiting for a pooled
   * connection and each answer on the socket. A call that gets no answer in time fails instead of hanging.
   */
  readonly operationTimeoutMs?: number;
}

export { DEFAULT_OPERATION_TIMEOUT_MS } from './mongo-client-options.js';

export class MongoReadStore extends DocumentAccess implements ReadStore {
  /** Live collections seen to exist. Live collections are only ever replaced (promote), never dropped for good. */
  private readonly known = new Set<string>();
  protected readonly documents: MongoDocuments;
  private readonly log: MongoBatchLog;

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    options: MongoReadStoreOptions,
  ) {
    super();
    const maxOpsPerWrite = options.maxOpsPerWrite ?? DEFAULT_MAX_OPS_PER_WRITE;
    if (!Number.isInteger(maxOpsPerWrite) || maxOpsPerWrite < 1) throw new RangeError(`maxOpsPerWrite must be a positive integer, got ${maxOpsPerWrite}`);
    this.log = new MongoBatchLog(db, { inlineBatchBytes: options.inlineBatchBytes ?? DEFAULT_INLINE_BATCH_BYTES, maxOpsPerWrite });
    this.documents = new MongoDocuments(db, this.log, {
      collectionFor: liveCollection,
      assertExist: (collections) => this.assertExist(collections),
      checkpoints: CHECKPOINTS_COLLECTION,
      assertCheckpoint: () => undefined,
    });
  }

  static async connect(options: MongoReadStoreOptions): Promise<MongoReadStore> {
    assertDatabaseName(options.database);
    const client = await MongoClient.connect(options.url, mongoClientOptions('resoft-read-store', options.operationTimeoutMs));
    return new MongoReadStore(client, client.db(options.database), options);
  }

  /** The database this store uses (diagnostics and tests). */
  get database(): Db {
    return this.db;
  }

  async ensureCollection(spec: CollectionSpec): Promise<void> {
    const name = liveCollection(spec.name);
    spec.indexes.forEach(assertIndexSpec);
    await createCollection(this.db, name, spec);
    this.known.add(name);
  }

  async staging(specs: readonly CollectionSpec[], checkpointName: string): Promise<StagingReadStore> {
    return MongoStagingReadStore.open(this.db, this.log, specs, checkpointName, (names) => names.forEach((name) => this.known.add(name)));
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async assertExist(collections: ReadonlySet<string>): Promise<void> {
    const unknown = [...collections].filter((name) => !this.known.has(name));
    if (unknown.length === 0) return;
    const found = await this.db.listCollections({ name: { $in: unknown } }, { nameOnly: true }).toArray();
    for (const { name } of found) this.known.add(name);
    const missing = unknown.filter((name) => !this.known.has(name));
    if (missing.length > 0) throw new Error(`Collection ${missing.join(', ')} does not exist: call ensureCollection before writing to it`);
  }
}
