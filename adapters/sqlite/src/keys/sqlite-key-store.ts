/**
 * Data keys in their own SQLite file in the data directory. `secure_delete` zeroes a destroyed key's
 * bytes in the database pages, and a TRUNCATE checkpoint after each destruction empties the WAL, which
 * would otherwise still hold the page as it was.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DATA_KEY_BYTES, type DataKeyStatus, type KeyStore } from '@resoft/ports';

interface KeyRow { key: Buffer | null; erased_at: string | null }

export class SqliteKeyStore implements KeyStore {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(options: { readonly file: string; readonly synchronous?: 'NORMAL' | 'FULL' }) {
    if (options.file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('secure_delete = ON');
    // A key whose events were acknowledged must survive a crash: losing it would erase the user by accident.
    this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.db.exec('CREATE TABLE IF NOT EXISTS data_keys (owner_id TEXT PRIMARY KEY, key BLOB, erased_at TEXT) WITHOUT ROWID');
    this.statements = {
      find: this.db.prepare<[string], KeyRow>('SELECT key, erased_at FROM data_keys WHERE owner_id = ?'),
      insert: this.db.prepare('INSERT OR IGNORE INTO data_keys (owner_id, key, erased_at) VALUES (?, ?, NULL)'),
      // The row is deleted and written again rather than updated, so no page keeps the key's bytes beside the tombstone.
      remove: this.db.prepare('DELETE FROM data_keys WHERE owner_id = ?'),
      tombstone: this.db.prepare('INSERT INTO data_keys (owner_id, key, erased_at) VALUES (?, NULL, ?)'),
    };
  }

  async find(ownerId: string): Promise<DataKeyStatus | null> {
    const row = this.statements.find.get(ownerId);
    if (!row) return null;
    return row.key ? { status: 'active', key: row.key } : { status: 'erased', erasedAt: row.erased_at ?? '' };
  }

  async keyFor(ownerId: string): Promise<Buffer | null> {
    const known = await this.find(ownerId);
    if (known) return known.status === 'active' ? known.key : null;
    // INSERT OR IGNORE: of two processes making a key at once, the first insert wins and both read it back.
    this.statements.insert.run(ownerId, randomBytes(DATA_KEY_BYTES));
    const found = await this.find(ownerId);
    return found?.status === 'active' ? found.key : null;
  }

  async destroy(ownerId: string, erasedAt = new Date().toISOString()): Promise<void> {
    const current = this.statements.find.get(ownerId);
    if (current && !current.key) return;
    this.db.transaction(() => {
      this.statements.remove.run(ownerId);
      this.statements.tombstone.run(ownerId, erasedAt);
    })();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
