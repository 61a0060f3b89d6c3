/**
 * The one better-sqlite3 connection a read store and its staging stores share:
 * opening the file, caching prepared statements, and knowing which tables
 * exist so reads of a missing collection can answer "empty" without SQL errors.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CHECKPOINTS_TABLE, STAGING_CHECKPOINTS_TABLE } from './sqlite-names.js';
import type { SqlValue } from './sqlite-filter-sql.js';

/** Prepared statements are cheap to keep but filters vary; past this many the cache starts over. */
const STATEMENT_CACHE_LIMIT = 256;
/** Lets a server and a CLI process write the same file: a writer waits this long for the other's lock. */
const BUSY_TIMEOUT_MS = 5000;

export class SqliteConnection {
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement<SqlValue[]>>();
  /** Tables seen to exist. Only live tables are looked up here, and those are never dropped except to be replaced in the same transaction. */
  private readonly tables = new Set<string>();

  constructor(file: string) {
    if (file !== ':memory:' && file !== '') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Read models are rebuilt from the event log, so losing the last commits on power loss is acceptable.
    this.db.pragma('synchronous = NORMAL');
    // Erasure (issue 13): a document overwritten or deleted leaves no old bytes in free space or cells.
    this.db.pragma('secure_delete = ON');
    for (const table of [CHECKPOINTS_TABLE, STAGING_CHECKPOINTS_TABLE]) {
      this.db.exec(`CREATE TABLE IF NOT EXISTS ${table} (name TEXT PRIMARY KEY, position INTEGER NOT NULL)`);
    }
  }

  /** Copies the WAL into the database and empties it: the WAL no longer holds pages as they were before. */
  truncateWal(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  statement(sql: string): Database.Statement<SqlValue[]> {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= STATEMENT_CACHE_LIMIT) this.statements.clear();
      statement = this.db.prepare<SqlValue[]>(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  hasTable(table: string): boolean {
    if (this.tables.has(table)) return true;
    const found = this.statement(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE`).get(table) !== undefined;
    if (found) this.tables.add(table);
    return found;
  }

  /** BEGIN IMMEDIATE takes the write lock up front, so a concurrent writer waits (busy_timeout) instead of failing mid-transaction. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  close(): void {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }
}
