import { withDefaultDeadline } from './esdb-event-store.js';
import { randomUUID } from 'node:crypto';
import {
  ANY,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type EventData,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { ChainVerifier, GENESIS_HASH, type NewEvent, type RecordedEvent } from '@resoft/domain';
import { WrongExpectedRevisionError } from '@resoft/ports';
import {
  appendExpectation,
  isStreamNotFound,
  isSystemEvent,
  isWrongExpectedVersion,
  sealBatch,
  toActualRevision,
  toEsdbExpectedRevision,
  toEventData,
  toPortPosition,
  toReadAllStart,
  toRecordedEvent,
  toWrongExpectedRevisionError,
} from './esdb-mapping.js';

const context = { actor: 'user-1', correlationId: 'corr-1', causationId: null, occurredAt: '2026-01-01T00:00:00.000Z', schema: 1 };

function newEvent(n = 0): NewEvent {
  return { id: randomUUID(), type: 'ThingHappened', data: { n }, metadata: context };
}

/** What EventStoreDB hands back for event data the adapter wrote: JSON round-tripped, with revision and position. */
function asStored(data: EventData, streamId: string, revision: bigint, position: Position | undefined): ResolvedEvent {
  return {
    event: {
      streamId,
      id: data.id,
      isJson: true,
      revision,
      type: data.type,
      created: new Date(0),
      data: JSON.parse(JSON.stringify(data.data)),
      metadata: JSON.parse(JSON.stringify(data.metadata)),
      position,
    },
  } as ResolvedEvent;
}

function at(n: number): Position {
  return { commit: BigInt(n), prepare: BigInt(n) };
}

describe('expected revision mapping', () => {
  it('maps each expectation of the port to the EventStoreDB constant or a bigint revision', () => {
    expect(toEsdbExpectedRevision('any')).toBe(ANY);
    expect(toEsdbExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toEsdbExpectedRevision('stream_exists')).toBe(STREAM_EXISTS);
    expect(toEsdbExpectedRevision(0)).toBe(0n);
    expect(toEsdbExpectedRevision(41)).toBe(41n);
  });

  it("maps EventStoreDB's current revision back to the port's actual revision, -1 for no stream", () => {
    expect(toActualRevision(NO_STREAM)).toBe(-1);
    expect(toActualRevision(0n)).toBe(0);
    expect(toActualRevision(7n)).toBe(7);
  });

  it("appends 'any' and 'stream_exists' at the revision just read, so a moved stream rejects a stale seal", () => {
    expect(appendExpectation('any', -1)).toBe(NO_STREAM);
    expect(appendExpectation('any', 3)).toBe(3n);
    expect(appendExpectation('stream_exists', 5)).toBe(5n);
  });

  it('appends exact expectations as given', () => {
    expect(appendExpectation('no_stream', -1)).toBe(NO_STREAM);
    expect(appendExpectation(2, 2)).toBe(2n);
  });
});

describe('conflict mapping', () => {
  it("turns the client's WrongExpectedVersionError into WrongExpectedRevisionError with the stream's actual revision", () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 'thing-1', expected: 0n, current: 2n });
    expect(isWrongExpectedVersion(error)).toBe(true);
    const mapped = toWrongExpectedRevisionError(error, 'thing-1', 0);
    expect(mapped).toBeInstanceOf(WrongExpectedRevisionError);
    expect(mapped).toMatchObject({ streamId: 'thing-1', expected: 0, actual: 2 });
  });

  it('reports actual -1 when EventStoreDB says the stream does not exist', () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 'thing-1', expected: STREAM_EXISTS, current: NO_STREAM });
    expect(toWrongExpectedRevisionError(error, 'thing-1', 'stream_exists')).toMatchObject({ expected: 'stream_exists', actual: -1 });
  });

  it('recognises an error of the same shape from another copy of the client, and nothing else', () => {
    expect(isWrongExpectedVersion({ type: 'wrong-expected-version', actualVersion: 1n })).toBe(true);
    expect(isWrongExpectedVersion({ type: 'wrong-expected-version', actualVersion: 1 })).toBe(false);
    expect(isWrongExpectedVersion(new Error('wrong-expected-version'))).toBe(false);
    expect(isWrongExpectedVersion(undefined)).toBe(false);
  });

  it("recognises the client's stream-not-found error", () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'thing-1'))).toBe(true);
    expect(isStreamNotFound(new Error('not found'))).toBe(false);
    expect(isStreamNotFound(null)).toBe(false);
  });
});

describe('position mapping', () => {
  it('uses the commit position as the port position', () => {
    expect(toPortPosition(at(1234))).toBe(1234);
    expect(toPortPosition(at(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses positions a JS number cannot hold exactly, or that a server before 22.6 reports for stream reads', () => {
    expect(() => toPortPosition({ commit: 2n ** 53n, prepare: 2n ** 53n })).toThrow(/2\^53/);
    expect(() => toPortPosition({ commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n })).toThrow(/22\.6/);
    expect(() => toPortPosition(undefined)).toThrow(/22\.6/);
  });

  it('refuses a position whose commit and prepare differ (an explicit transaction), which would not be unique', () => {
    expect(() => toPortPosition({ commit: 500n, prepare: 380n })).toThrow(/explicit transaction/);
  });

  it('starts $all from the beginning for 0, and exactly at a position the store produced otherwise', () => {
    expect(toReadAllStart(0)).toBe(START);
    expect(toReadAllStart(4711)).toEqual({ commit: 4711n, prepare: 4711n });
  });
});

describe('recorded event mapping', () => {
  it('maps data, metadata, revision and position of a stored event to the port', () => {
    const [sealed] = sealBatch('thing-1', [newEvent(5)], null);
    const resolved = asStored(toEventData(sealed!), 'thing-1', 0n, at(880));
    const recorded = toRecordedEvent(resolved);
    expect(recorded).toEqual({ ...sealed, position: 880 });
    expect(typeof recorded.revision).toBe('number');
  });

  it('refuses an event another writer stored with binary data or metadata', () => {
    const resolved = { event: { ...asStored(toEventData(sealBatch('thing-1', [newEvent()], null)[0]!), 'thing-1', 0n, at(9)).event!, isJson: false } };
    expect(() => toRecordedEvent(resolved as ResolvedEvent)).toThrow(/not written by this adapter/);
  });

  it('treats $-prefixed event types and streams, and records without an event, as system events', () => {
    const ours = asStored(toEventData(sealBatch('thing-1', [newEvent()], null)[0]!), 'thing-1', 0n, at(9));
    expect(isSystemEvent(ours)).toBe(false);
    expect(isSystemEvent({ event: { ...ours.event!, type: '$>' } } as ResolvedEvent)).toBe(true);
    expect(isSystemEvent({ event: { ...ours.event!, type: '$metadata' } } as ResolvedEvent)).toBe(true);
    expect(isSystemEvent({ event: { ...ours.event!, streamId: '$stats-127.0.0.1:2113' } } as ResolvedEvent)).toBe(true);
    expect(isSystemEvent({})).toBe(true);
  });
});

describe('sealing a batch after the stream head', () => {
  it('starts a new stream at revision 0 linked to the genesis hash', () => {
    const sealed = sealBatch('thing-1', [newEvent(0), newEvent(1)], null);
    expect(sealed.map((e) => e.revision)).toEqual([0, 1]);
    expect(sealed[0]!.metadata.prevHash).toBe(GENESIS_HASH);
    expect(sealed[1]!.metadata.prevHash).toBe(sealed[0]!.metadata.hash);
  });

  it('continues the revision and chain of the last stored event', () => {
    const [first] = sealBatch('thing-1', [newEvent(0)], null);
    const next = sealBatch('thing-1', [newEvent(1)], first!);
    expect(next[0]).toMatchObject({ revision: 1, metadata: { prevHash: first!.metadata.hash } });
  });

  it('keeps the envelope id, type, data and metadata in the EventStoreDB event data', () => {
    const event = newEvent(3);
    const [sealed] = sealBatch('thing-1', [event], null);
    expect(toEventData(sealed!)).toEqual({
      id: event.id,
      contentType: 'application/json',
      type: 'ThingHappened',
      data: { n: 3 },
      metadata: { ...context, prevHash: GENESIS_HASH, hash: sealed!.metadata.hash },
    });
  });

  it('produces a chain the verifier accepts once stored and read back across batches and streams', () => {
    const first = sealBatch('thing-a', [newEvent(0), newEvent(1)], null);
    const other = sealBatch('thing-b', [newEvent(0)], null);
    const second = sealBatch('thing-a', [newEvent(2)], first.at(-1)!);
    let position = 100;
    const log: RecordedEvent[] = [...first, ...other, ...second].map((sealed) =>
      toRecordedEvent(asStored(toEventData(sealed), sealed.streamId, BigInt(sealed.revision), at((position += 137)))),
    );
    const verifier = new ChainVerifier();
    log.forEach((event) => verifier.check(event));
    expect(verifier.report()).toEqual({ ok: true, streams: 2, events: 4, firstBrokenLink: null });
  });

  it('hashes what a reader gets back, not values JSON cannot keep', () => {
    const event: NewEvent = { ...newEvent(), data: { at: new Date('2026-01-02T03:04:05.000Z'), gone: undefined } };
    const [sealed] = sealBatch('thing-1', [event], null);
    expect(sealed!.data).toEqual({ at: '2026-01-02T03:04:05.000Z' });
    const verifier = new ChainVerifier();
    verifier.check(toRecordedEvent(asStored(toEventData(sealed!), 'thing-1', 0n, at(42))));
    expect(verifier.report().ok).toBe(true);
  });
});

describe('withDefaultDeadline', () => {
  it('adds the deadline to a connection string without one, after its other settings', () => {
    expect(withDefaultDeadline('esdb://es:2113?tls=false', 5000)).toBe('esdb://es:2113?tls=false&defaultDeadline=5000');
    expect(withDefaultDeadline('esdb://es:2113', 5000)).toBe('esdb://es:2113?defaultDeadline=5000');
  });

  it('keeps a deadline the operator set in the connection string', () => {
    expect(withDefaultDeadline('esdb://es:2113?defaultDeadline=900&tls=false', 5000)).toBe('esdb://es:2113?defaultDeadline=900&tls=false');
    expect(withDefaultDeadline('esdb://es:2113', undefined)).toBe('esdb://es:2113');
  });
});
