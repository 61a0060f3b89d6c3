/**
 * The embedded read store: collections of JSON documents in one SQLite file
 * (better-sqlite3, WAL), one table `rm_<collection>` per collection with
 * `json_extract` expression indexes on the queried fields. A server and a CLI
 * process may open the same file.
 */
import type { CollectionSpec, Document, Filter, FindOptions, ReadStore, StagingReadStore, WriteBatch } from './read-store.js';
import { SqliteConnection } from './sqlite-connection.js';
import { SqliteDocuments, createCollectionTable } from './sqlite-documents.js';
import { CHECKPOINTS_TABLE, assertIndexSpec, liveTable } from './sqlite-names.js';
import { SqliteStagingReadStore } from './sqlite-staging-read-store.js';

export interface SqliteReadStoreOptions {
  /** Path of the database file, created with its directory when missing; `':memory:'` for a private in-memory store. */
  readonly file: string;
}

export class SqliteReadStore implements ReadStore {
  private readonly conn: SqliteConnection;
  private readonly documents: SqliteDocuments;

  constructor(options: SqliteReadStoreOptions) {
    this.conn = new SqliteConnection(options.file);
    this.documents = new SqliteDocuments(this.conn, {
      tableFor: (collection) => {
        const table = liveTable(collection);
        return this.conn.hasTable(table) ? table : null;
      },
      checkpointsTable: CHECKPOINTS_TABLE,
      assertCheckpoint: () => undefined,
    });
  }

  async ensureCollection(spec: CollectionSpec): Promise<void> {
    const table = liveTable(spec.name);
    spec.indexes.forEach(assertIndexSpec);
    this.conn.transaction(() => createCollectionTable(this.conn, table, spec.indexes));
  }

  async get<T extends Document>(collection: string, id: string): Promise<T | null> {
    return this.documents.get<T>(collection, id);
  }

  async getMany<T extends Document>(collection: string, ids: readonly string[]): Promise<T[]> {
    return this.documents.getMany<T>(collection, ids);
  }

  async find<T extends Document>(collection: string, options?: FindOptions): Promise<T[]> {
    return this.documents.find<T>(collection, options);
  }

  async count(collection: string, where?: Filter): Promise<number> {
    return this.documents.count(collection, where);
  }

  async write(batch: WriteBatch): Promise<void> {
    this.documents.write(batch);
  }

  async getCheckpoint(name: string): Promise<number> {
    return this.documents.getCheckpoint(name);
  }

  async staging(specs: readonly CollectionSpec[], checkpointName: string): Promise<StagingReadStore> {
    return SqliteStagingReadStore.open(this.conn, specs, checkpointName);
  }

  /** SQLite's plan for a `find`, one line per step (diagnostics and tests: does the query use an index?). */
  explainFind(collection: string, options?: FindOptions): string[] {
    return this.documents.explainFind(collection, options);
  }

  async close(): Promise<void> {
    this.conn.close();
  }
}
