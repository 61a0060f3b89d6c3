/**
 * The read store operations on SQLite tables of JSON documents, shared by the
 * live store and its staging stores; a `SqliteLayout` says which tables and
 * checkpoints a store sees.
 */
import { CheckpointMovedError, indexFields, type IndexSpec } from '@resoft/ports';
import type { Checkpoint, Document, Filter, FindOptions, WriteBatch } from '@resoft/ports';
import { SqliteCollectionWriter } from './sqlite-collection-writer.js';
import type { SqliteConnection } from './sqlite-connection.js';
import { orderBySql, whereSql } from './sqlite-filter-sql.js';
import type { SqlFragment } from './sqlite-filter-sql.js';
import { assertFieldName, fieldSql, indexName } from './sqlite-names.js';

export interface SqliteLayout {
  /** The table holding a collection, or null when it has none: reads see it as empty, writes refuse. */
  tableFor(collection: string): string | null;
  readonly checkpointsTable: string;
  /** Throws when this store may not use the checkpoint. */
  assertCheckpoint(name: string): void;
}

/** Creates a collection table and its `(fields…, id)` expression indexes when missing. */
export function createCollectionTable(conn: SqliteConnection, table: string, indexes: readonly IndexSpec[]): void {
  conn.db.exec(`CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, doc TEXT NOT NULL)`);
  for (const index of indexes) {
    const fields = indexFields(index);
    // `id` alone is the primary key and already indexed.
    if (fields.length === 1 && fields[0] === 'id') continue;
    conn.db.exec(`CREATE INDEX IF NOT EXISTS ${indexName(table, fields)} ON ${table} (${fields.map(fieldSql).join(', ')}, id)`);
  }
}

export class SqliteDocuments {
  constructor(
    private readonly conn: SqliteConnection,
    private readonly layout: SqliteLayout,
  ) {}

  get<T extends Document>(collection: string, id: string): T | null {
    const table = this.layout.tableFor(collection);
    if (!table) return null;
    const row = this.conn.statement(`SELECT doc FROM ${table} WHERE id = ?`).get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as T) : null;
  }

  /** One query for all ids (passed as a JSON array, so there is no limit on bound parameters). */
  getMany<T extends Document>(collection: string, ids: readonly string[]): T[] {
    const table = this.layout.tableFor(collection);
    if (!table || ids.length === 0) return [];
    const rows = this.conn
      .statement(`SELECT id, doc FROM ${table} WHERE id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(ids)) as { id: string; doc: string }[];
    const byId = new Map(rows.map((row) => [row.id, row.doc]));
    return ids.flatMap((id) => {
      const doc = byId.get(id);
      return doc === undefined ? [] : [JSON.parse(doc) as T];
    });
  }

  find<T extends Document>(collection: string, options: FindOptions = {}): T[] {
    const clauses = findClauses(options);
    const table = this.layout.tableFor(collection);
    if (!table) return [];
    const rows = this.conn.statement(`SELECT ${selectedDoc(options.omit)} AS doc FROM ${table} ${clauses.sql}`).all(...clauses.params) as { doc: string }[];
    return rows.map((row) => JSON.parse(row.doc) as T);
  }

  /** The stored text as it is (less omitted fields): SQLite keeps documents as JSON already. */
  findJson(collection: string, options: FindOptions = {}): string[] {
    const clauses = findClauses(options);
    const table = this.layout.tableFor(collection);
    if (!table) return [];
    const rows = this.conn.statement(`SELECT ${selectedDoc(options.omit)} AS doc FROM ${table} ${clauses.sql}`).all(...clauses.params) as { doc: string }[];
    return rows.map((row) => row.doc);
  }

  count(collection: string, where?: Filter): number {
    const filter = whereSql(where);
    const table = this.layout.tableFor(collection);
    if (!table) return 0;
    const row = this.conn.statement(`SELECT count(*) AS n FROM ${table} ${filter.sql}`).get(...filter.params) as { n: number };
    return row.n;
  }

  /** SQLite's query plan for `find`, one line per step; for checking that queries use the indexes. */
  explainFind(collection: string, options: FindOptions = {}): string[] {
    const clauses = findClauses(options);
    const table = this.layout.tableFor(collection);
    if (!table) throw new Error(`Collection ${collection} does not exist`);
    const steps = this.conn.db.prepare(`EXPLAIN QUERY PLAN SELECT doc FROM ${table} ${clauses.sql}`).all(...clauses.params) as { detail: string }[];
    return steps.map((step) => step.detail);
  }

  write(batch: WriteBatch): void {
    const { checkpoint } = batch;
    if (checkpoint) this.layout.assertCheckpoint(checkpoint.name);
    this.conn.transaction(() => {
      if (checkpoint) this.checkCheckpoint(checkpoint);
      // The table is looked up once per run of ops on one collection, not per op.
      let writer: SqliteCollectionWriter | null = null;
      for (const op of batch.ops) {
        if (op.collection !== writer?.collection) {
          writer?.finish();
          writer = this.writerFor(op.collection);
        }
        if (op.kind === 'put') writer.put(op.doc);
        else if (op.kind === 'delete') writer.delete(op.id);
        else throw new Error(`Unknown write op ${JSON.stringify((op as { kind: unknown }).kind)}`);
      }
      writer?.finish();
      if (checkpoint) {
        this.conn
          .statement(`INSERT INTO ${this.layout.checkpointsTable} (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position`)
          .run(checkpoint.name, checkpoint.position);
      }
    });
  }

  /**
   * One transaction for all (one commit instead of one per batch), each batch in a savepoint of its own:
   * a batch whose checkpoint moved is rolled back alone, the others commit.
   */
  writeBatches(batches: readonly WriteBatch[]): void {
    let failure: { error: unknown } | null = null;
    this.conn.transaction(() => {
      for (const batch of batches) {
        try {
          this.write(batch);
        } catch (error) {
          failure ??= { error };
        }
      }
    });
    if (failure) throw (failure as { error: unknown }).error;
  }

  getCheckpoint(name: string): number {
    this.layout.assertCheckpoint(name);
    return readCheckpoint(this.conn, this.layout.checkpointsTable, name);
  }

  /** SQLite writes a batch and its checkpoint in one transaction: there is never one in flight. */
  readCheckpoints(names: readonly string[]): Map<string, number> {
    names.forEach((name) => this.layout.assertCheckpoint(name));
    const found = new Map<string, number>();
    const unique = [...new Set(names)];
    for (let start = 0; start < unique.length; start += 500) {
      const part = unique.slice(start, start + 500);
      const rows = this.conn
        .statement(`SELECT name, position FROM ${this.layout.checkpointsTable} WHERE name IN (${part.map(() => '?').join(', ')})`)
        .all(...part) as { name: string; position: number }[];
      for (const row of rows) found.set(row.name, row.position);
    }
    return new Map(unique.map((name) => [name, found.get(name) ?? 0]));
  }

  private checkCheckpoint(checkpoint: Checkpoint): void {
    const actual = readCheckpoint(this.conn, this.layout.checkpointsTable, checkpoint.name);
    if (actual !== checkpoint.expected) throw new CheckpointMovedError(checkpoint.name, checkpoint.expected, actual);
  }

  private writerFor(collection: string): SqliteCollectionWriter {
    const table = this.layout.tableFor(collection);
    if (!table) throw new Error(`Collection ${collection} does not exist: call ensureCollection before writing to it`);
    return new SqliteCollectionWriter(this.conn, collection, table);
  }
}

export function readCheckpoint(conn: SqliteConnection, checkpointsTable: string, name: string): number {
  const row = conn.statement(`SELECT position FROM ${checkpointsTable} WHERE name = ?`).get(name) as { position: number } | undefined;
  return row?.position ?? 0;
}

/** The document column, less the omitted fields: SQLite drops them before the text reaches JavaScript. */
function selectedDoc(omit: readonly string[] | undefined): string {
  if (!omit?.length) return 'doc';
  omit.forEach(assertFieldName);
  if (omit.includes('id')) throw new Error('find cannot omit id');
  return `json_remove(doc, ${omit.map((field) => `'$.${field}'`).join(', ')})`;
}

/** Everything of a `find` query after `FROM <table>`; validates field names before any table is looked up. */
function findClauses(options: FindOptions): SqlFragment {
  const where = whereSql(options.where);
  const parts = [where.sql, orderBySql(options.orderBy)];
  const params = [...where.params];
  if (options.limit !== undefined) {
    if (!Number.isInteger(options.limit) || options.limit < 0) throw new Error(`limit must be a non-negative integer, got ${options.limit}`);
    parts.push('LIMIT ?');
    params.push(options.limit);
  }
  return { sql: parts.filter(Boolean).join(' '), params };
}
