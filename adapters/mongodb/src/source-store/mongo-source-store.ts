/**
 * Sources in MongoDB (or a MongoDB-wire engine), collection `check_sources` of the configured
 * database: `_id` is the hash, so the engine itself keeps one document per distinct text. Writes
 * wait for the journal of a majority, as the text must outlive the event that names it. A text is
 * one document, so it is bounded by MongoDB's 16 MiB document limit (far above the check bounds).
 */
import { MongoBulkWriteError, MongoClient, MongoServerError, type Collection, type Db } from 'mongodb';
import { mongoClientOptions } from '../read-store/mongo-client-options.js';
import { sourceAddress, type SourceStore, type StoredSource } from '@resoft/ports';

export interface MongoSourceStoreOptions {
  /** A `mongodb://` connection string. */
  readonly url: string;
  readonly database: string;
  /** Default `check_sources`. */
  readonly collection?: string;
  /** Deadline of each call (RESOFT_ENGINE_TIMEOUT_MS). */
  readonly operationTimeoutMs?: number;
}

interface SourceDocument {
  _id: string;
  bytes: number;
  content: string;
}

const DUPLICATE_KEY = 11000;

/** Two processes storing the same text at once: one insert wins, the other's duplicate key is success. */
function onlyDuplicates(error: unknown): boolean {
  if (error instanceof MongoBulkWriteError) {
    const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    return errors.length > 0 && errors.every((e) => e.code === DUPLICATE_KEY);
  }
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

export class MongoSourceStore implements SourceStore {
  private readonly sources: Collection<SourceDocument>;

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    collection: string,
  ) {
    this.sources = db.collection<SourceDocument>(collection);
  }

  static async connect(options: MongoSourceStoreOptions): Promise<MongoSourceStore> {
    const client = await MongoClient.connect(options.url, mongoClientOptions('resoft-source-store', options.operationTimeoutMs));
    return new MongoSourceStore(client, client.db(options.database), options.collection ?? 'check_sources');
  }

  /** The database this store uses (tests drop it). */
  get database(): Db {
    return this.db;
  }

  async put(texts: readonly string[]): Promise<StoredSource[]> {
    const stored = texts.map((text) => ({ ...sourceAddress(text), text }));
    const distinct = new Map(stored.map((s) => [s.sha256, s]));
    if (distinct.size > 0) {
      try {
        await this.sources.bulkWrite(
          [...distinct.values()].map(({ sha256, bytes, text }) => ({
            updateOne: { filter: { _id: sha256 }, update: { $setOnInsert: { bytes, content: text } }, upsert: true },
          })),
          { ordered: false, writeConcern: { w: 'majority', journal: true } },
        );
      } catch (error) {
        if (!onlyDuplicates(error)) throw error;
      }
    }
    return stored.map(({ sha256, bytes }) => ({ sha256, bytes }));
  }

  async get(hashes: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const wanted = [...new Set(hashes)];
    const found = new Map<string, string>();
    if (wanted.length === 0) return found;
    for await (const doc of this.sources.find({ _id: { $in: wanted } }, { projection: { content: 1 } })) found.set(doc._id, doc.content);
    return found;
  }

  /** Summed here rather than by `$group`: FerretDB v1 answers 0 for `$sum` of a field. Reads only the sizes. */
  async size(): Promise<{ count: number; bytes: number }> {
    let count = 0;
    let bytes = 0;
    for await (const doc of this.sources.find({}, { projection: { bytes: 1 } })) {
      count += 1;
      bytes += doc.bytes;
    }
    return { count, bytes };
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
