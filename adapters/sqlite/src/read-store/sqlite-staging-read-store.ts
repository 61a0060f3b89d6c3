/**
 * A rebuild's view of the SQLite read store: the same collection names, backed
 * by `rm_<collection>__staging` tables and a staging checkpoint, swapped in for
 * the live tables and checkpoint by `promote` in one transaction, which also builds their indexes.
 */
import { indexFields, type CollectionSpec, type StagingReadStore, DocumentAccess } from '@resoft/ports';
import type { SqliteConnection } from './sqlite-connection.js';
import { SqliteDocuments, createCollectionTable, readCheckpoint } from './sqlite-documents.js';
import { CHECKPOINTS_TABLE, STAGING_CHECKPOINTS_TABLE, assertIndexSpec, indexName, liveTable, stagingTable } from './sqlite-names.js';

export class SqliteStagingReadStore extends DocumentAccess implements StagingReadStore {
  /** Staged collections (lower-cased, as their tables) and their indexes, by the index's field list. */
  private readonly staged = new Map<string, Map<string, readonly string[]>>();
  private state: 'open' | 'promoted' | 'discarded' = 'open';
  protected readonly documents: SqliteDocuments;

  private constructor(
    private readonly conn: SqliteConnection,
    private readonly checkpointName: string,
  ) {
    super();
    this.documents = new SqliteDocuments(conn, {
      tableFor: (collection) => {
        this.assertOpen();
        const table = stagingTable(collection);
        return this.staged.has(collection.toLowerCase()) ? table : null;
      },
      checkpointsTable: STAGING_CHECKPOINTS_TABLE,
      assertCheckpoint: (name) => {
        this.assertOpen();
        if (name !== checkpointName) throw new Error(`This staging store rebuilds checkpoint ${checkpointName}, not ${name}`);
      },
    });
  }

  /** Starts a rebuild from empty tables, dropping whatever an earlier, unfinished rebuild left behind. */
  static open(conn: SqliteConnection, specs: readonly CollectionSpec[], checkpointName: string): SqliteStagingReadStore {
    const store = new SqliteStagingReadStore(conn, checkpointName);
    specs.forEach(validate);
    conn.transaction(() => {
      conn.statement(`DELETE FROM ${STAGING_CHECKPOINTS_TABLE} WHERE name = ?`).run(checkpointName);
      for (const spec of specs) store.stage(spec);
    });
    return store;
  }

  /** A collection not among the original specs can still join the rebuild; it is promoted with the others. */
  async ensureCollection(spec: CollectionSpec): Promise<void> {
    this.assertOpen();
    validate(spec);
    this.conn.transaction(() => this.stage(spec));
  }

  async staging(): Promise<StagingReadStore> {
    throw new Error('A staging store cannot stage again; call staging() on the live store');
  }

  /**
   * The indexes are built here, under the live names the live store's
   * `ensureCollection` expects (any a staging table still has under the
   * staging names, from an older version, are dropped).
   */
  async promote(): Promise<void> {
    this.assertOpen();
    this.conn.transaction(() => {
      for (const [collection, indexes] of this.staged) {
        const live = liveTable(collection);
        const staging = stagingTable(collection);
        this.conn.db.exec(`DROP TABLE IF EXISTS ${live}`);
        this.conn.db.exec(`ALTER TABLE ${staging} RENAME TO ${live}`);
        for (const fields of indexes.values()) this.conn.db.exec(`DROP INDEX IF EXISTS ${indexName(staging, fields)}`);
        createCollectionTable(this.conn, live, [...indexes.values()]);
      }
      const position = readCheckpoint(this.conn, STAGING_CHECKPOINTS_TABLE, this.checkpointName);
      this.conn
        .statement(`INSERT INTO ${CHECKPOINTS_TABLE} (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position`)
        .run(this.checkpointName, position);
      this.conn.statement(`DELETE FROM ${STAGING_CHECKPOINTS_TABLE} WHERE name = ?`).run(this.checkpointName);
    });
    this.finish('promoted');
  }

  /** A no-op once promoted or discarded, so it can sit in a `finally` after `promote`. */
  async discard(): Promise<void> {
    if (this.state !== 'open') return;
    this.conn.transaction(() => {
      for (const collection of this.staged.keys()) this.conn.db.exec(`DROP TABLE IF EXISTS ${stagingTable(collection)}`);
      this.conn.statement(`DELETE FROM ${STAGING_CHECKPOINTS_TABLE} WHERE name = ?`).run(this.checkpointName);
    });
    this.finish('discarded');
  }

  async purgeOverwritten(): Promise<void> {
    this.conn.truncateWal();
  }

  /** The connection belongs to the live store, which closes it. */
  async close(): Promise<void> {}

  private stage(spec: CollectionSpec): void {
    const key = spec.name.toLowerCase();
    const table = stagingTable(spec.name);
    let indexes = this.staged.get(key);
    if (!indexes) {
      this.conn.db.exec(`DROP TABLE IF EXISTS ${table}`);
      indexes = new Map();
    }
    // No secondary indexes while staged: a rebuild writes by id, and building each index once at
    // promote costs far less than keeping it up to date through every write.
    createCollectionTable(this.conn, table, []);
    // Recorded only once the SQL succeeded; a failed transaction leaves nothing half-staged.
    for (const index of spec.indexes) {
      const fields = indexFields(index);
      if (!(fields.length === 1 && fields[0] === 'id')) indexes.set(fields.join(','), fields);
    }
    this.staged.set(key, indexes);
  }

  private finish(state: 'promoted' | 'discarded'): void {
    this.state = state;
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new Error(`This staging store was already ${this.state}`);
  }
}

function validate(spec: CollectionSpec): void {
  stagingTable(spec.name);
  spec.indexes.forEach(assertIndexSpec);
}
