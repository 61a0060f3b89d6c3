/**
 * The read store operations on MongoDB collections, shared by the live store
 * and its staging stores; a `MongoLayout` says which collections and
 * checkpoints a store sees.
 */
import { MongoServerError, type Db } from 'mongodb';
import type { CollectionSpec, Document, Filter, FindOptions, WriteBatch } from '@resoft/ports';
import type { LoggedOp, MongoBatchLog } from './mongo-batch-log.js';
import { assertFieldName } from '@resoft/ports';
import { indexKey } from './mongo-names.js';
import { checkLimit, fromStored, mongoQuery, mongoSort, toStored, type StoredDocument } from './mongo-query.js';

export interface MongoLayout {
  /** The collection holding a collection's documents, or null when this store has none: reads see it as empty, writes refuse. */
  collectionFor(collection: string): string | null;
  /** Throws unless each of these (physical) collections exists; a write to a missing one would create it without its indexes. */
  assertExist(collections: ReadonlySet<string>): Promise<void>;
  readonly checkpoints: string;
  /** Throws when this store may not use the checkpoint. */
  assertCheckpoint(name: string): void;
}

const NAMESPACE_EXISTS = 48;

/**
 * Creates a collection and its indexes when missing; existing ones are left as
 * they are. Indexes are compared first and created one per command: FerretDB
 * v1.24 drops the connection, or silently skips the new ones, when a single
 * `createIndexes` names several indexes of which some exist.
 */
export async function createCollection(db: Db, name: string, spec: CollectionSpec): Promise<void> {
  const keys = spec.indexes.map(indexKey).filter((key) => key !== null);
  try {
    await db.createCollection(name);
  } catch (error) {
    if (!(error instanceof MongoServerError && error.code === NAMESPACE_EXISTS)) throw error;
  }
  if (keys.length === 0) return;
  const collection = db.collection(name);
  const existing = new Set((await collection.listIndexes().toArray()).map((index) => JSON.stringify(index['key'])));
  for (const key of keys) {
    const pattern = Object.fromEntries(key);
    const id = JSON.stringify(pattern);
    if (existing.has(id)) continue;
    await collection.createIndex(pattern);
    existing.add(id);
  }
}

export class MongoDocuments {
  constructor(
    private readonly db: Db,
    private readonly log: MongoBatchLog,
    private readonly layout: MongoLayout,
  ) {}

  async get<T extends Document>(collection: string, id: string): Promise<T | null> {
    const name = this.layout.collectionFor(collection);
    if (!name) return null;
    const stored = await this.db.collection<StoredDocument>(name).findOne({ _id: id });
    return stored ? fromStored<T>(stored) : null;
  }

  /** One query for all ids; the answer keeps the order asked for. */
  async getMany<T extends Document>(collection: string, ids: readonly string[]): Promise<T[]> {
    const name = this.layout.collectionFor(collection);
    if (!name || ids.length === 0) return [];
    const found = await this.db
      .collection<StoredDocument>(name)
      .find({ _id: { $in: [...new Set(ids)] } })
      .toArray();
    const byId = new Map(found.map((stored) => [stored._id, stored]));
    return ids.flatMap((id) => {
      const stored = byId.get(id);
      return stored ? [fromStored<T>(stored)] : [];
    });
  }

  async find<T extends Document>(collection: string, options: FindOptions = {}): Promise<T[]> {
    const query = mongoQuery(options.where);
    const sort = mongoSort(options.orderBy);
    checkLimit(options.limit);
    const name = this.layout.collectionFor(collection);
    // MongoDB reads a limit of 0 as "no limit".
    if (!name || options.limit === 0) return [];
    const found = await this.db
      .collection<StoredDocument>(name)
      .find(query, { sort, ...(options.limit === undefined ? {} : { limit: options.limit }), ...omittedProjection(options.omit) })
      .toArray();
    return found.map((stored) => fromStored<T>(stored));
  }

  /** MongoDB answers objects (BSON), so this serialises them; the SQLite store hands over its stored text. */
  async findJson(collection: string, options: FindOptions = {}): Promise<string[]> {
    return (await this.find(collection, options)).map((doc) => JSON.stringify(doc));
  }

  async count(collection: string, where?: Filter): Promise<number> {
    const query = mongoQuery(where);
    const name = this.layout.collectionFor(collection);
    if (!name) return 0;
    return this.db.collection<StoredDocument>(name).countDocuments(query);
  }

  /** Everything is checked (names, documents, collections, checkpoint) before anything is written. */
  async write(batch: WriteBatch): Promise<void> {
    const ops = this.loggedOps(batch);
    await this.layout.assertExist(new Set(ops.map((op) => op.c)));
    await this.log.write(this.layout.checkpoints, ops, batch.checkpoint);
  }

  /** As `write`, every batch checked before any is written; the batch log writes them together. */
  async writeBatches(batches: readonly WriteBatch[]): Promise<void> {
    const logged = batches.map((batch) => ({ ops: this.loggedOps(batch), checkpoint: batch.checkpoint! }));
    await this.layout.assertExist(new Set(logged.flatMap(({ ops }) => ops.map((op) => op.c))));
    await this.log.writeMany(this.layout.checkpoints, logged);
  }

  private loggedOps(batch: WriteBatch): LoggedOp[] {
    const { checkpoint } = batch;
    if (checkpoint) this.layout.assertCheckpoint(checkpoint.name);
    return batch.ops.map((op): LoggedOp => {
      const name = this.layout.collectionFor(op.collection);
      if (!name) throw new Error(`Collection ${op.collection} does not exist: call ensureCollection before writing to it`);
      if (op.kind === 'put') return { k: 'put', c: name, doc: toStored(op.collection, op.doc) };
      if (op.kind === 'delete') {
        if (typeof op.id !== 'string') throw new Error(`A delete in ${op.collection} has no string id`);
        return { k: 'delete', c: name, id: op.id };
      }
      throw new Error(`Unknown write op ${JSON.stringify((op as { kind: unknown }).kind)}`);
    });
  }

  async getCheckpoint(name: string): Promise<number> {
    this.layout.assertCheckpoint(name);
    return this.log.read(this.layout.checkpoints, name);
  }

  async readCheckpoints(names: readonly string[]): Promise<Map<string, number>> {
    names.forEach((name) => this.layout.assertCheckpoint(name));
    return this.log.peek(this.layout.checkpoints, names);
  }
}

/** A projection that leaves the omitted fields on the server. */
function omittedProjection(omit: readonly string[] | undefined): { projection?: Record<string, 0> } {
  if (!omit?.length) return {};
  omit.forEach(assertFieldName);
  if (omit.includes('id')) throw new Error('find cannot omit id');
  return { projection: Object.fromEntries(omit.map((field) => [field, 0 as const])) };
}
