/**
 * The audit hash chain: each event carries the SHA-256 of its predecessor in
 * its stream, so any rewrite of history breaks a link that `verifyChain` finds.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { GENESIS_HASH, type EventMetadata, type NewEvent, type RecordedEvent } from '../events/envelope.js';

interface HashInput {
  readonly id: string;
  readonly type: string;
  readonly streamId: string;
  readonly revision: number;
  readonly data: unknown;
  readonly metadata: Omit<EventMetadata, 'hash'>;
}

export function hashEvent(event: HashInput): string {
  const { id, type, streamId, revision, data, metadata } = event;
  return createHash('sha256')
    .update(canonicalJson({ id, type, streamId, revision, data, metadata }))
    .digest('hex');
}

/** Stamps a new event with its revision, predecessor hash and own hash. */
export function sealEvent(
  event: NewEvent,
  streamId: string,
  revision: number,
  prevHash: string,
): Omit<RecordedEvent, 'position'> {
  const metadata = { ...event.metadata, prevHash };
  const hash = hashEvent({ id: event.id, type: event.type, streamId, revision, data: event.data, metadata });
  return { id: event.id, type: event.type, streamId, revision, data: event.data, metadata: { ...metadata, hash } };
}

export interface BrokenLink {
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
  readonly eventId: string;
  readonly reason: string;
}

export interface ChainReport {
  readonly ok: boolean;
  readonly streams: number;
  readonly events: number;
  readonly firstBrokenLink: BrokenLink | null;
}

/**
 * Walks events in log order (any interleaving of streams) and checks every
 * link. Feed it with `check`, then read `report()`; it stops at the first break.
 */
export class ChainVerifier {
  private readonly heads = new Map<string, { revision: number; hash: string }>();
  private eventCount = 0;
  private broken: BrokenLink | null = null;

  /** Returns false once a broken link has been found. */
  check(event: RecordedEvent): boolean {
    if (this.broken) return false;
    this.eventCount += 1;
    const head = this.heads.get(event.streamId);
    const expectedRevision = head ? head.revision + 1 : 0;
    const expectedPrev = head ? head.hash : GENESIS_HASH;
    const link = { streamId: event.streamId, revision: event.revision, position: event.position, eventId: event.id };
    if (event.revision !== expectedRevision) {
      this.broken = { ...link, reason: `revision ${event.revision} where ${expectedRevision} was expected` };
    } else if (event.metadata.prevHash !== expectedPrev) {
      this.broken = { ...link, reason: 'prevHash does not match the hash of the previous event in the stream' };
    } else {
      const { hash, ...rest } = event.metadata;
      const recomputed = hashEvent({ ...event, metadata: rest });
      if (recomputed !== hash) {
        this.broken = { ...link, reason: 'content does not match its hash (the event was altered)' };
      }
    }
    this.heads.set(event.streamId, { revision: event.revision, hash: event.metadata.hash });
    return this.broken === null;
  }

  report(): ChainReport {
    return { ok: this.broken === null, streams: this.heads.size, events: this.eventCount, firstBrokenLink: this.broken };
  }
}
