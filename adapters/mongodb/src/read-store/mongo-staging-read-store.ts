/**
 * A rebuild's view of the MongoDB read store: the same collection names, backed
 * by `<name>__staging` collections and a staging checkpoint, renamed over the
 * live collections by `promote` (atomic per collection, not across them: see
 * the header of mongo-read-store.ts).
 */
import { MongoServerError, type Db } from 'mongodb';
import type { CollectionSpec, StagingReadStore } from '@resoft/ports';
import type { MongoBatchLog } from './mongo-batch-log.js';
import { MongoDocuments, createCollection } from './mongo-documents.js';
import { DocumentAccess } from '@resoft/ports';
import {
  CHECKPOINTS_COLLECTION,
  STAGING_CHECKPOINTS_COLLECTION,
  assertCheckpointName,
  assertIndexSpec,
  liveCollection,
  retiredCollection,
  stagingCollection,
} from './mongo-names.js';

const NAMESPACE_NOT_FOUND = 26;
const NOT_IMPLEMENTED = 238;
/** Whether an engine's `renameCollection` accepts `dropTarget`, per database handle; unknown until the first promote tries it. */
const renameDropsTarget = new WeakMap<Db, boolean>();

export class MongoStagingReadStore extends DocumentAccess implements StagingReadStore {
  /** Staged collections, by their live names. */
  private readonly staged = new Set<string>();
  private state: 'open' | 'promoted' | 'discarded' = 'open';
  protected readonly documents: MongoDocuments;

  private constructor(
    private readonly db: Db,
    private readonly log: MongoBatchLog,
    private readonly checkpointName: string,
    private readonly onPromoted: (collections: readonly string[]) => void,
  ) {
    super();
    this.documents = new MongoDocuments(db, log, {
      collectionFor: (collection) => {
        const name = stagingCollection(collection);
        this.assertOpen();
        return this.staged.has(collection) ? name : null;
      },
      assertExist: async () => undefined,
      checkpoints: STAGING_CHECKPOINTS_COLLECTION,
      assertCheckpoint: (name) => {
        this.assertOpen();
        if (name !== checkpointName) throw new Error(`This staging store rebuilds checkpoint ${checkpointName}, not ${name}`);
      },
    });
  }

  /** Starts a rebuild from empty collections, dropping whatever an earlier, unfinished rebuild left behind. */
  static async open(
    db: Db,
    log: MongoBatchLog,
    specs: readonly CollectionSpec[],
    checkpointName: string,
    onPromoted: (collections: readonly string[]) => void,
  ): Promise<MongoStagingReadStore> {
    assertCheckpointName(checkpointName);
    specs.forEach(validate);
    const store = new MongoStagingReadStore(db, log, checkpointName, onPromoted);
    await log.remove(STAGING_CHECKPOINTS_COLLECTION, checkpointName);
    for (const spec of specs) await store.stage(spec);
    return store;
  }

  /** A collection not among the original specs can still join the rebuild; it is promoted with the others. */
  async ensureCollection(spec: CollectionSpec): Promise<void> {
    this.assertOpen();
    validate(spec);
    await this.stage(spec);
  }

  async staging(): Promise<StagingReadStore> {
    throw new Error('A staging store cannot stage again; call staging() on the live store');
  }

  /**
   * Completes any batch still recorded in the staging or live checkpoint first,
   * so no recorded op is replayed later onto the wrong collections; renamed
   * collections keep their indexes.
   */
  async promote(): Promise<void> {
    this.assertOpen();
    const position = await this.log.read(STAGING_CHECKPOINTS_COLLECTION, this.checkpointName);
    await this.log.read(CHECKPOINTS_COLLECTION, this.checkpointName);
    for (const collection of this.staged) await this.renameOver(stagingCollection(collection), liveCollection(collection), retiredCollection(collection));
    await this.log.set(CHECKPOINTS_COLLECTION, this.checkpointName, position);
    await this.log.remove(STAGING_CHECKPOINTS_COLLECTION, this.checkpointName);
    this.state = 'promoted';
    this.onPromoted([...this.staged]);
  }

  /** A no-op once promoted or discarded, so it can sit in a `finally` after `promote`. */
  async discard(): Promise<void> {
    if (this.state !== 'open') return;
    for (const collection of this.staged) await drop(this.db, stagingCollection(collection));
    await this.log.remove(STAGING_CHECKPOINTS_COLLECTION, this.checkpointName);
    this.state = 'discarded';
  }

  /** The connection belongs to the live store, which closes it. */
  async close(): Promise<void> {}

  private async stage(spec: CollectionSpec): Promise<void> {
    const name = stagingCollection(spec.name);
    if (!this.staged.has(spec.name)) await drop(this.db, name);
    await createCollection(this.db, name, spec);
    this.staged.add(spec.name);
  }

  /**
   * MongoDB replaces the target in one atomic rename. FerretDB v1 answers
   * `dropTarget` with NotImplemented, so there the live collection is renamed
   * aside first and dropped once the staged one is in its place.
   */
  private async renameOver(from: string, to: string, aside: string): Promise<void> {
    const dropsTarget = renameDropsTarget.get(this.db);
    if (dropsTarget !== false) {
      try {
        await this.db.renameCollection(from, to, { dropTarget: true });
        renameDropsTarget.set(this.db, true);
        return;
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === NOT_IMPLEMENTED)) throw error;
        renameDropsTarget.set(this.db, false);
      }
    }
    await drop(this.db, aside);
    const hadLive = await rename(this.db, to, aside);
    try {
      await this.db.renameCollection(from, to);
    } catch (error) {
      if (hadLive) await rename(this.db, aside, to).catch(() => undefined);
      throw error;
    }
    await drop(this.db, aside);
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new Error(`This staging store was already ${this.state}`);
  }
}

function validate(spec: CollectionSpec): void {
  stagingCollection(spec.name);
  spec.indexes.forEach(assertIndexSpec);
}

async function drop(db: Db, name: string): Promise<void> {
  try {
    await db.dropCollection(name);
  } catch (error) {
    if (!(error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND)) throw error;
  }
}

/** False when there was nothing to rename. */
async function rename(db: Db, from: string, to: string): Promise<boolean> {
  try {
    await db.renameCollection(from, to);
    return true;
  } catch (error) {
    if (error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND) return false;
    throw error;
  }
}
