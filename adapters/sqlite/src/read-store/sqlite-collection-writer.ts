/**
 * The puts and deletes of a write batch on one collection's table, inside the batch's transaction.
 * Consecutive puts go `PUT_ROWS` at a time in one multi-row upsert: one statement run (one crossing
 * into SQLite, one statement setup) for many documents, about a third less CPU per document than a
 * statement per document when a rebuild writes hundreds of thousands. The ops keep their order: a
 * delete first writes the puts gathered before it.
 */
import type { Document } from '@resoft/ports';
import type { SqliteConnection } from './sqlite-connection.js';
import type { SqlValue } from './sqlite-filter-sql.js';

/** Documents per multi-row upsert. */
export const PUT_ROWS = 32;

const upsertSql = (table: string, rows: number): string =>
  `INSERT INTO ${table} (id, doc) VALUES ${Array.from({ length: rows }, () => '(?, ?)').join(', ')} ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`;

export class SqliteCollectionWriter {
  /** Gathered puts as statement parameters: id, document text, id, document text… */
  private readonly pending: SqlValue[] = [];

  constructor(
    private readonly conn: SqliteConnection,
    readonly collection: string,
    private readonly table: string,
  ) {}

  put(doc: Document): void {
    if (typeof doc.id !== 'string') throw new Error(`A document in ${this.collection} has no string id`);
    this.pending.push(doc.id, JSON.stringify(doc));
    if (this.pending.length === 2 * PUT_ROWS) this.writePending();
  }

  delete(id: string): void {
    this.writePending();
    this.conn.statement(`DELETE FROM ${this.table} WHERE id = ?`).run(id);
  }

  /** Writes the puts still gathered; called before the transaction commits. */
  finish(): void {
    this.writePending();
  }

  private writePending(): void {
    const params = this.pending;
    if (params.length === 2 * PUT_ROWS) {
      this.conn.statement(upsertSql(this.table, PUT_ROWS)).run(...params);
    } else if (params.length > 0) {
      // Fewer than a full statement's rows: one row at a time (one more cached statement per table, not one per count).
      const single = this.conn.statement(upsertSql(this.table, 1));
      for (let i = 0; i < params.length; i += 2) single.run(params[i]!, params[i + 1]!);
    }
    params.length = 0;
  }
}
