/**
 * Change marks of the SQLite read store: a number per set of collections that moves whenever their
 * documents may have changed, so a reader can keep an answer until then (the query service's hot
 * listings). A write through the store moves the marks of the collections it touched; any other
 * change the connection can see moves every mark: another connection's or process's commit
 * (`PRAGMA data_version`), or a change on this connection not made through the store's writes
 * (`total_changes()`: a rebuild's promote also writes the live checkpoint, so it counts).
 */
import type { SqliteConnection } from './sqlite-connection.js';

export class SqliteChangeMarks {
  /** Writes through the store, per collection (lower-cased, as their tables). */
  private readonly writes = new Map<string, number>();
  /** Changes the store cannot attribute to a collection: they move every mark. */
  private unattributed = 0;
  private seenChanges: number;
  private seenDataVersion: number;

  constructor(private readonly conn: SqliteConnection) {
    this.seenChanges = this.totalChanges();
    this.seenDataVersion = this.dataVersion();
  }

  /** The mark of these collections now: equal to an earlier one only if none of them has changed since. */
  mark(collections: readonly string[]): number {
    // This connection's own commits do not move data_version: only other connections' do.
    const dataVersion = this.dataVersion();
    const changes = this.totalChanges();
    if (dataVersion !== this.seenDataVersion || changes !== this.seenChanges) {
      this.unattributed += 1;
      this.seenDataVersion = dataVersion;
      this.seenChanges = changes;
    }
    let mark = this.unattributed;
    for (const collection of collections) mark += this.writes.get(collection.toLowerCase()) ?? 0;
    return mark;
  }

  /**
   * Runs a write through the store and moves the marks of its collections. `work` must do its SQLite
   * work synchronously (as the store's writes do before their first await), so the connection's count
   * of changes just before and just after it tells this write's changes from any other on the connection.
   */
  around<T>(collections: Iterable<string>, work: () => T): T {
    if (this.totalChanges() !== this.seenChanges) this.unattributed += 1;
    try {
      return work();
    } finally {
      this.seenChanges = this.totalChanges();
      for (const collection of collections) {
        const key = collection.toLowerCase();
        this.writes.set(key, (this.writes.get(key) ?? 0) + 1);
      }
    }
  }

  private totalChanges(): number {
    return this.conn.statement('SELECT total_changes()').pluck().get() as number;
  }

  private dataVersion(): number {
    return this.conn.statement('PRAGMA data_version').pluck().get() as number;
  }
}
