/**
 * The embedded read store: collections of JSON documents in one SQLite file
 * (better-sqlite3, WAL), one table `rm_<collection>` per collection with
 * `json_extract` expression indexes on the queried fields. A server and a CLI
 * process may open the same file.
 */
import type { CollectionSpec, FindOptions, ReadStore, StagingReadStore, WriteBatch } from '@resoft/ports';
import { SqliteChangeMarks } from './sqlite-change-marks.js';
import { SqliteConnection } from './sqlite-connection.js';
import { DocumentAccess } from '@resoft/ports';
import { SqliteDocuments, createCollectionTable } from './sqlite-documents.js';
import { CHECKPOINTS_TABLE, assertIndexSpec, liveTable } from './sqlite-names.js';
import { SqliteStagingReadStore } from './sqlite-staging-read-store.js';

export interface SqliteReadStoreOptions {
  /** Path of the database file, created with its directory when missing; `':memory:'` for a private in-memory store. */
  readonly file: string;
}

export class SqliteReadStore extends DocumentAccess implements ReadStore {
  private readonly conn: SqliteConnection;
  protected readonly documents: SqliteDocuments;
  private readonly marks: SqliteChangeMarks;

  constructor(options: SqliteReadStoreOptions) {
    super();
    this.conn = new SqliteConnection(options.file);
    this.marks = new SqliteChangeMarks(this.conn);
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

  override write(batch: WriteBatch): Promise<void> {
    return this.marks.around(collectionsOf([batch]), () => super.write(batch));
  }

  override writeBatches(batches: readonly WriteBatch[]): Promise<void> {
    return this.marks.around(collectionsOf(batches), () => super.writeBatches(batches));
  }

  /**
   * A number that moves whenever the documents of these collections may have changed, by this
   * store's writes or anyone else's (see SqliteChangeMarks): an answer read when it was `m` is still
   * the answer while it is `m`.
   */
  changeMark(collections: readonly string[]): number {
    return this.marks.mark(collections);
  }

  async staging(specs: readonly CollectionSpec[], checkpointName: string): Promise<StagingReadStore> {
    return SqliteStagingReadStore.open(this.conn, specs, checkpointName);
  }

  /** SQLite's plan for a `find`, one line per step (diagnostics and tests: does the query use an index?). */
  explainFind(collection: string, options?: FindOptions): string[] {
    return this.documents.explainFind(collection, options);
  }

  async purgeOverwritten(): Promise<void> {
    this.conn.truncateWal();
  }

  async close(): Promise<void> {
    this.conn.close();
  }
}

const collectionsOf = (batches: readonly WriteBatch[]): Set<string> => new Set(batches.flatMap((batch) => batch.ops.map((op) => op.collection)));
