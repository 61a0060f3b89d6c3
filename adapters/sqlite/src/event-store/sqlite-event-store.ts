/**
 * The embedded event store: one SQLite file in WAL mode, shared safely by
 * several processes (server and CLI). Each append is one immediate
 * transaction, so positions are assigned in commit order and a reader that
 * follows the log by position never skips an event.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { GENESIS_HASH, sealEvent, type NewEvent, type RecordedEvent } from '@resoft/domain';
import {
  WrongExpectedRevisionError,
  expectedRevisionHolds,
  type AppendResult,
  type EventColumnsRead,
  type EventColumnValues,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SubscribeOptions,
  type Subscription,
  CatchUpSubscriptions,
  WakeSignal,
  RecentAppends,
} from '@resoft/ports';

export interface SqliteEventStoreOptions {
  /** Path of the database file, or `':memory:'`. A missing parent directory is created. */
  readonly file: string;
  /**
   * NORMAL (default) loses nothing acknowledged when the process is killed;
   * FULL also survives power loss or an OS crash, at the cost of an fsync per append.
   */
  readonly synchronous?: 'NORMAL' | 'FULL';
  /** How long a write waits for another process's lock before failing. */
  readonly busyTimeoutMs?: number;
  /**
   * How often an idle subscription re-reads the log anyway. In-process appends
   * wake subscriptions at once; appends by another process are seen within this delay.
   */
  readonly subscriptionFallbackMs?: number;
}

const DEFAULT_READ_ALL_MAX = 1000;
/** Appended events held at most for read-only subscribers not yet past them (a builder starved by a burst of appends); beyond, they read the store. */
const RECENT_APPENDS = 50_000;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    stream_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    metadata TEXT NOT NULL,
    UNIQUE (stream_id, revision)
  );
  CREATE TABLE IF NOT EXISTS streams (
    stream_id TEXT PRIMARY KEY,
    revision INTEGER NOT NULL,
    position INTEGER NOT NULL,
    hash TEXT NOT NULL
  ) WITHOUT ROWID;
`;

const EVENT_COLUMNS = 'position, event_id, stream_id, revision, type, data, metadata';

/**
 * The select list of `EventColumnValues` in order, over `events AS e`: the metadata's fields taken
 * out by SQLite (one parse of the metadata text in C instead of a JSON.parse and an object per
 * event), data as stored or null; the stream cell as given.
 */
const columnsSelect = (withData: boolean, streamCell = 'e.stream_id'): string =>
  `SELECT e.position, ${streamCell}, e.revision, e.type, e.metadata ->> '$.occurredAt', e.metadata ->> '$.actor', e.metadata ->> '$.correlationId', ${withData ? 'e.data' : 'NULL'}`;

/** A row of `EventColumnValues` as SQLite hands it, before the stream cell is filled in from the read's own ids. */
type ColumnsRow = [number, string | number | null, ...unknown[]];

/**
 * A row of `EVENT_COLUMNS` in order, as an array (`raw`): no object with named keys per row, about a
 * fifth less CPU per event read than row objects when a rebuild reads the whole log (docs/performance.md).
 */
type EventRow = [position: number, eventId: string, streamId: string, revision: number, type: string, data: string, metadata: string];

interface StreamRow {
  revision: number;
  position: number;
  hash: string;
}

/** Thrown when an appended event's id is already in the store; nothing of the batch is written. */
export class DuplicateEventIdError extends Error {
  constructor(readonly eventId: string, readonly streamId: string, options: { cause: unknown }) {
    super(`Event ${eventId} (appended to ${streamId}) has an id that is already stored`, options);
    this.name = 'DuplicateEventIdError';
  }
}

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(db: Database.Database) {
  const select = `SELECT ${EVENT_COLUMNS} FROM events`;
  return {
    stream: db.prepare<[string], StreamRow>('SELECT revision, position, hash FROM streams WHERE stream_id = ?'),
    insertEvent: db.prepare<[string, string, number, string, string, string]>(
      'INSERT INTO events (event_id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    upsertStream: db.prepare<[string, number, number, string]>(
      `INSERT INTO streams (stream_id, revision, position, hash) VALUES (?, ?, ?, ?)
       ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, position = excluded.position, hash = excluded.hash`,
    ),
    // LIMIT -1 means no limit in SQLite.
    forwards: db.prepare<[string, number, number], EventRow>(
      `${select} WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`,
    ).raw(true),
    backwards: db.prepare<[string, number, number], EventRow>(
      `${select} WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
    ).raw(true),
    all: db.prepare<[number, number], EventRow>(`${select} WHERE position > ? ORDER BY position ASC LIMIT ?`).raw(true),
    // Rows as arrays (`raw`): the columns are already in `EventColumnValues` order.
    // The reads of given streams leave the stream cell to be filled in from the read's own ids: a
    // string made per row was a sixth of a project history's read (docs/performance.md, 2026-12-04).
    columns: ([true, false] as const).map((withData) => ({
      forwards: db.prepare<[string, number, number], ColumnsRow>(`${columnsSelect(withData, 'NULL')} FROM events AS e WHERE e.stream_id = ? AND e.revision >= ? ORDER BY e.revision ASC LIMIT ?`).raw(true),
      all: db.prepare<[number, number], EventColumnValues>(`${columnsSelect(withData)} FROM events AS e WHERE e.position > ? ORDER BY e.position ASC LIMIT ?`).raw(true),
      // The stream ids as one JSON array parameter, each looked up in the (stream_id, revision)
      // index; the stream cell is the id's index in that array.
      streams: db.prepare<[string], ColumnsRow>(`${columnsSelect(withData, 'ids.key')} FROM json_each(?) AS ids JOIN events AS e ON e.stream_id = ids.value ORDER BY e.position ASC`).raw(true),
    })),
    head: db.prepare<[], { head: number }>('SELECT COALESCE(MAX(position), 0) AS head FROM events'),
  };
}

export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly wake: WakeSignal;
  private readonly subscriptions: CatchUpSubscriptions;
  private readonly statements: Statements;
  private readonly appendTransaction: Database.Transaction<SqliteEventStore['appendInTransaction']>;
  /** What this process appended last, for read-only subscribers (the audit log builder). */
  private readonly recent = new RecentAppends(RECENT_APPENDS);

  constructor(options: SqliteEventStoreOptions) {
    if (options.file !== ':memory:' && options.file !== '') {
      mkdirSync(dirname(options.file), { recursive: true });
    }
    // The busy timeout is given at open so that even the WAL switch below waits for other processes.
    this.db = new Database(options.file, { timeout: options.busyTimeoutMs ?? 5000 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
    this.db.exec(SCHEMA);
    this.wake = new WakeSignal(options.subscriptionFallbackMs ?? 250);
    this.subscriptions = new CatchUpSubscriptions((after, maxCount) => this.readAll({ after, maxCount }), this.wake, this.recent);

    this.statements = prepareStatements(this.db);
    this.appendTransaction = this.db.transaction(this.appendInTransaction.bind(this));
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    // IMMEDIATE takes the write lock before reading the stream head, so another
    // process cannot slip an append between our check and our insert.
    const sealed: RecordedEvent[] = [];
    const result = this.appendTransaction.immediate(streamId, events, expected, sealed);
    // Only once committed: a transaction that throws has stored none of them.
    this.recent.add(sealed);
    if (events.length > 0) this.wake.notify();
    return events.length > 1 ? { ...result, positions: sealed.map((event) => event.position) } : result;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.maxCount === undefined ? -1 : Math.max(0, options.maxCount);
    if (options.direction !== 'backwards' && options.fromRevision !== undefined && options.fromRevision > 0) {
      // The command path asks "anything after revision N?" on every command; the streams
      // row answers that with one primary-key lookup, cheaper than probing the events index.
      const head = this.statements.stream.get(streamId);
      if (!head || head.revision < options.fromRevision) return [];
    }
    const rows =
      options.direction === 'backwards'
        ? this.statements.backwards.all(streamId, options.fromRevision ?? Number.MAX_SAFE_INTEGER, limit)
        : this.statements.forwards.all(streamId, options.fromRevision ?? 0, limit);
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = Math.max(0, options.maxCount ?? DEFAULT_READ_ALL_MAX);
    return this.statements.all.all(options.after ?? 0, limit).map(toRecordedEvent);
  }

  async readEventColumns(read: EventColumnsRead): Promise<EventColumnValues[]> {
    const statements = this.statements.columns[read.withData ? 0 : 1]!;
    if ('streamIds' in read) {
      if (read.streamIds.length === 0) return [];
      const ids = [...new Set(read.streamIds)];
      const rows = statements.streams.all(JSON.stringify(ids));
      for (const row of rows) row[1] = ids[row[1] as number]!;
      return rows as unknown as EventColumnValues[];
    }
    const limit = read.maxCount === undefined ? -1 : Math.max(0, read.maxCount);
    if (read.streamId === undefined) return statements.all.all(read.after ?? 0, read.maxCount === undefined ? DEFAULT_READ_ALL_MAX : limit);
    const rows = statements.forwards.all(read.streamId, read.fromRevision ?? 0, limit);
    for (const row of rows) row[1] = read.streamId;
    return rows as unknown as EventColumnValues[];
  }

  async headPosition(): Promise<number> {
    return this.statements.head.get()?.head ?? 0;
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return this.subscriptions.start(options);
  }

  /** Stops every subscription (waiting for in-flight handlers), then closes the file. */
  async close(): Promise<void> {
    await this.subscriptions.stopAll();
    if (this.db.open) this.db.close();
  }

  /** `sealed` receives each event as a reader will get it back (same values, made from the same JSON). */
  private appendInTransaction(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision, sealed: RecordedEvent[]): AppendResult {
    const head = this.statements.stream.get(streamId);
    const actual = head?.revision ?? -1;
    if (!expectedRevisionHolds(expected, actual)) {
      throw new WrongExpectedRevisionError(streamId, expected, actual);
    }
    // An empty append is only an expectation check: report where the stream stands.
    let result: AppendResult = { nextRevision: actual, position: head?.position ?? 0 };
    let prevHash = head?.hash ?? GENESIS_HASH;
    for (const event of events) {
      const revision = result.nextRevision + 1;
      const dataJson = JSON.stringify(event.data ?? null);
      // Hash exactly what a reader will get back, so a value JSON cannot keep
      // (a Date, an undefined field) cannot produce a chain that never verifies.
      const plain: NewEvent = { id: event.id, type: event.type, data: JSON.parse(dataJson), metadata: JSON.parse(JSON.stringify(event.metadata)) };
      const stamped = sealEvent(plain, streamId, revision, prevHash);
      const inserted = this.insertEvent(streamId, revision, stamped.id, stamped.type, dataJson, JSON.stringify(stamped.metadata));
      result = { nextRevision: revision, position: inserted };
      prevHash = stamped.metadata.hash;
      sealed.push({ id: stamped.id, type: stamped.type, streamId, revision, position: inserted, data: stamped.data, metadata: stamped.metadata });
    }
    if (events.length > 0) {
      this.statements.upsertStream.run(streamId, result.nextRevision, result.position, prevHash);
    }
    return result;
  }

  private insertEvent(streamId: string, revision: number, id: string, type: string, data: string, metadata: string): number {
    try {
      return Number(this.statements.insertEvent.run(id, streamId, revision, type, data, metadata).lastInsertRowid);
    } catch (error) {
      if (isDuplicateEventId(error)) throw new DuplicateEventIdError(id, streamId, { cause: error });
      throw error;
    }
  }
}

/**
 * Duck-typed on purpose: better-sqlite3's native addon keeps the SqliteError
 * class of the first module instance in the process, so where modules are
 * loaded more than once (jest gives each test file its own realm) its errors
 * are not `instanceof Error`.
 */
function isDuplicateEventId(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof message === 'string' && message.includes('events.event_id');
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row[1],
    type: row[4],
    streamId: row[2],
    revision: row[3],
    position: row[0],
    data: JSON.parse(row[5]),
    metadata: JSON.parse(row[6]),
  };
}
