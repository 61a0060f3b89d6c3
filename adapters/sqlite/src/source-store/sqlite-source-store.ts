/**
 * Sources in a SQLite file of the data directory (`sources.sqlite`), one row per distinct text.
 * Its own file rather than a table of the event store, so the event store stays one engine-neutral
 * log; the same durability setting as the event store (WAL, `synchronous` NORMAL or FULL).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sourceAddress, type SourceStore, type StoredSource } from '@resoft/ports';

export interface SqliteSourceStoreOptions {
  readonly file: string;
  readonly synchronous?: 'NORMAL' | 'FULL';
}

/** SQLite caps the number of bound parameters per statement; reads ask in chunks below it. */
const READ_CHUNK = 500;

export class SqliteSourceStore implements SourceStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string, number, Buffer]>;
  private closed = false;

  constructor(options: SqliteSourceStoreOptions) {
    if (options.file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
    this.db = new Database(options.file, { timeout: 5000 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
    this.db.exec('CREATE TABLE IF NOT EXISTS sources (sha256 TEXT PRIMARY KEY, bytes INTEGER NOT NULL, content BLOB NOT NULL) WITHOUT ROWID');
    this.insert = this.db.prepare('INSERT OR IGNORE INTO sources (sha256, bytes, content) VALUES (?, ?, ?)');
  }

  async put(texts: readonly string[]): Promise<StoredSource[]> {
    this.assertOpen();
    const stored = texts.map((text) => ({ ...sourceAddress(text), text }));
    this.db.transaction(() => {
      for (const { sha256, bytes, text } of stored) this.insert.run(sha256, bytes, Buffer.from(text, 'utf8'));
    })();
    return stored.map(({ sha256, bytes }) => ({ sha256, bytes }));
  }

  async get(hashes: readonly string[]): Promise<ReadonlyMap<string, string>> {
    this.assertOpen();
    const found = new Map<string, string>();
    const wanted = [...new Set(hashes)];
    for (let start = 0; start < wanted.length; start += READ_CHUNK) {
      const chunk = wanted.slice(start, start + READ_CHUNK);
      const rows = this.db.prepare(`SELECT sha256, content FROM sources WHERE sha256 IN (${chunk.map(() => '?').join(',')})`).all(...chunk) as { sha256: string; content: Buffer }[];
      for (const row of rows) found.set(row.sha256, row.content.toString('utf8'));
    }
    return found;
  }

  async size(): Promise<{ count: number; bytes: number }> {
    this.assertOpen();
    const row = this.db.prepare('SELECT COUNT(*) AS count, COALESCE(SUM(bytes), 0) AS bytes FROM sources').get() as { count: number; bytes: number };
    return { count: row.count, bytes: row.bytes };
  }

  async ping(): Promise<void> {
    this.assertOpen();
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The source store is closed');
  }
}
