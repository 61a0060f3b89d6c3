/**
 * Change marks of the SQLite read store: a number per set of collections that moves whenever their
 * documents may have changed, so a reader can keep an answer until then (the query service's hot
 * listings). A write through the store moves the marks of the collections it touched; any other
 * change the connection can see moves every mark: another connection's or process's commit
 * (`PRAGMA data_version`), a change on this connection not made through the store's writes
 * (`total_changes()`), tables swapped by a rebuild's promote (`schema_version`).
 */
import type { SqliteConnection } from './sqlite-connection.js';

interface ConnectionState {
  readonly changes: number;
  readonly dataVersion: number;
  readonly schemaVersion: number;
}

const STATE_SQL = 'SELECT total_changes() AS changes, d.data_version AS dataVersion, s.schema_version AS schemaVersion FROM pragma_data_version AS d, pragma_schema_version AS s';

export class SqliteChangeMarks {
  /** Writes through the store, per collection (lower-cased, as their tables). */
  private readonly writes = new Map<string, number>();
  /** Changes the store cannot attribute to a collection: they move every mark. */
  private unattributed = 0;
  private seen: ConnectionState;

  constructor(private readonly conn: SqliteConnection) {
    this.seen = this.state();
  }

  /** The mark of these collections now: equal to an earlier one only if none of them has changed since. */
  mark(collections: readonly string[]): number {
    this.catchUp(this.state());
    let mark = this.unattributed;
    for (const collection of collections) mark += this.writes.get(collection.toLowerCase()) ?? 0;
    return mark;
  }

  /**
   * Runs a write through the store and moves the marks of its collections. `work` must do its SQLite
   * work synchronously (as the store's writes do before their first await): the connection's state
   * just before and just after it tells this write's changes from anyone else's.
   */
  around<T>(collections: Iterable<string>, work: () => T): T {
    this.catchUp(this.state());
    try {
      return work();
    } finally {
      const after = this.state();
      // Another connection committing while this one waited for the write lock is not this write's.
      if (after.dataVersion !== this.seen.dataVersion || after.schemaVersion !== this.seen.schemaVersion) this.unattributed += 1;
      this.seen = after;
      for (const collection of collections) {
        const key = collection.toLowerCase();
        this.writes.set(key, (this.writes.get(key) ?? 0) + 1);
      }
    }
  }

  private catchUp(now: ConnectionState): void {
    const seen = this.seen;
    if (now.changes !== seen.changes || now.dataVersion !== seen.dataVersion || now.schemaVersion !== seen.schemaVersion) {
      this.unattributed += 1;
      this.seen = now;
    }
  }

  private state(): ConnectionState {
    return this.conn.statement(STATE_SQL).get() as ConnectionState;
  }
}
