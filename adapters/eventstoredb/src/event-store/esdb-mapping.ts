/**
 * Pure translations between the `EventStore` port and EventStoreDB's client
 * types: expected revisions, conflicts, positions, and recorded events. Kept
 * free of I/O so that every rule the adapter relies on is unit-tested without
 * a server.
 *
 * Positions. EventStoreDB places an event in `$all` by a {commit, prepare}
 * pair of byte offsets in its transaction log. Every append made through gRPC
 * is an implicit transaction whose events are each self-committed, so each
 * event's commit position equals its prepare position and is unique; the port's
 * `position` is that commit position as a JS number. Positions grow but are not
 * contiguous (they are byte offsets). They stay exact while the log is below
 * 2^53 bytes (8 PiB); beyond that, and for events whose commit and prepare
 * differ (explicit transactions of the legacy TCP client), conversion throws
 * rather than hand out positions that could skip events.
 */
import {
  ANY,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  type AppendExpectedRevision,
  type CurrentRevision,
  type EventData,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { GENESIS_HASH, sealEvent, type EventMetadata, type NewEvent, type RecordedEvent } from '@resoft/domain';
import { WrongExpectedRevisionError, type ExpectedRevision } from '@resoft/ports';

type SealedEvent = Omit<RecordedEvent, 'position'>;

/** The port's expected revision as EventStoreDB's. */
export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
}

/** EventStoreDB's current revision of a stream as the port's actual revision (-1: no stream). */
export function toActualRevision(current: CurrentRevision): number {
  return current === NO_STREAM ? -1 : Number(current);
}

/**
 * What the adapter sends with an append, given what the caller expects and
 * the revision it just read (and sealed the batch after). `any` and
 * `stream_exists` are sent as that exact revision: the batch's prevHash and
 * revisions were computed from it, so a stream that moved in between must
 * reject the write, or the chain would fork.
 */
export function appendExpectation(expected: ExpectedRevision, actualRead: number): AppendExpectedRevision {
  if (expected === 'any' || expected === 'stream_exists') {
    return actualRead === -1 ? NO_STREAM : BigInt(actualRead);
  }
  return toEsdbExpectedRevision(expected);
}

/** The shape of the client's `WrongExpectedVersionError` that the adapter relies on. */
export interface EsdbWrongExpectedVersion {
  readonly type: 'wrong-expected-version';
  readonly actualVersion: CurrentRevision;
}

/**
 * Duck-typed on the client's error `type` rather than `instanceof`, so the
 * check holds wherever the client module was loaded more than once.
 */
export function isWrongExpectedVersion(error: unknown): error is EsdbWrongExpectedVersion {
  const { type, actualVersion } = (error ?? {}) as { type?: unknown; actualVersion?: unknown };
  return type === 'wrong-expected-version' && (actualVersion === NO_STREAM || typeof actualVersion === 'bigint');
}

export function isStreamNotFound(error: unknown): boolean {
  return (error as { type?: unknown } | null)?.type === 'stream-not-found';
}

export function toWrongExpectedRevisionError(
  error: EsdbWrongExpectedVersion,
  streamId: string,
  expected: ExpectedRevision,
): WrongExpectedRevisionError {
  return new WrongExpectedRevisionError(streamId, expected, toActualRevision(error.actualVersion));
}

/** The port position of an EventStoreDB position: its commit position, when exact and unambiguous. */
export function toPortPosition(position: Position | undefined): number {
  if (!position || position.commit <= 0n || position.commit > BigInt(Number.MAX_SAFE_INTEGER)) {
    // Servers before 22.6 report no position (or 2^64-1) on stream reads.
    throw new Error(`EventStoreDB position ${describe(position)} cannot be a port position (EventStoreDB 22.6 or later is required, and positions below 2^53)`);
  }
  if (position.commit !== position.prepare) {
    throw new Error(`EventStoreDB position ${describe(position)} belongs to an explicit transaction, which this adapter does not read`);
  }
  return Number(position.commit);
}

/**
 * Where `readAll` starts for the port's `after`. EventStoreDB reads `$all`
 * forwards inclusively from a position it produced, and for our events commit
 * equals prepare, so {after, after} is exact: the caller skips the event at
 * `after` itself. Only positions this store handed out (or 0) are meaningful.
 */
export function toReadAllStart(after: number): ReadPosition {
  return after <= 0 ? START : { commit: BigInt(after), prepare: BigInt(after) };
}

/** System events (`$`-prefixed types, such as link events, or `$`-prefixed streams) are not the application's. */
export function isSystemEvent(resolved: ResolvedEvent): boolean {
  const event = resolved.event;
  return !event || event.type.startsWith('$') || event.streamId.startsWith('$');
}

/** A recorded EventStoreDB event as the port's, with data and metadata as stored. */
export function toRecordedEvent(resolved: ResolvedEvent): RecordedEvent {
  const event = resolved.event;
  if (!event) throw new Error('A resolved EventStoreDB event carries no event');
  if (!event.isJson || !isJsonObject(event.metadata)) {
    throw new Error(`Event ${event.id} in ${event.streamId} was not written by this adapter (no JSON data and metadata)`);
  }
  return {
    id: event.id,
    type: event.type,
    streamId: event.streamId,
    revision: Number(event.revision),
    position: toPortPosition(event.position),
    data: event.data,
    metadata: event.metadata as unknown as EventMetadata,
  };
}

/**
 * Seals a batch into the stream's chain after its last stored event (null: a
 * new stream). Data and metadata go through JSON first, so the hash covers
 * exactly what a reader gets back.
 */
export function sealBatch(
  streamId: string,
  events: readonly NewEvent[],
  last: { readonly revision: number; readonly metadata: { readonly hash: string } } | null,
): SealedEvent[] {
  let revision = last?.revision ?? -1;
  let prevHash = last?.metadata.hash ?? GENESIS_HASH;
  return events.map((event) => {
    const plain: NewEvent = {
      id: event.id,
      type: event.type,
      data: JSON.parse(JSON.stringify(event.data ?? null)),
      metadata: JSON.parse(JSON.stringify(event.metadata)),
    };
    revision += 1;
    const sealed = sealEvent(plain, streamId, revision, prevHash);
    prevHash = sealed.metadata.hash;
    return sealed;
  });
}

/** A sealed event as EventStoreDB event data: JSON data, the envelope metadata as JSON metadata, the envelope id. */
export function toEventData(sealed: SealedEvent): EventData {
  return {
    id: sealed.id,
    contentType: 'application/json',
    type: sealed.type,
    // The client serialises with JSON.stringify, which takes any JSON value, null included.
    data: sealed.data as Record<string, unknown>,
    metadata: { ...sealed.metadata },
  };
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !(value instanceof Uint8Array) && !Array.isArray(value);
}

function describe(position: Position | undefined): string {
  return position ? `{commit: ${position.commit}, prepare: ${position.prepare}}` : '(none)';
}
