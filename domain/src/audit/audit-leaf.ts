/**
 * What a leaf of the audit log commits to. Two formats (docs/audit.md, "Leaf formats"):
 *
 * - format 1: an event's whole envelope as stored — ids, stream, revision, global position, type,
 *   metadata (with its per-stream prevHash and hash) and data — as canonical JSON;
 * - format 2: `{"hash":"<metadata.hash>","position":<position>,"v":2}` — the event's stored stream
 *   hash (itself SHA-256 over the canonical envelope without position and hash) and its global
 *   position. Cheaper to hash, and it commits to the same envelope on one condition: a verifier
 *   recomputes `metadata.hash` from the envelope (as the chain check does) before trusting the leaf.
 *
 * A log says from which global position its leaves are format 2 (`leafV2From`, signed in its tree
 * heads); positions before it, or every position when it is null, are format 1. Both formats cover
 * the position, so moving an event in the log changes its leaf.
 */
import { canonicalJson } from './canonical-json.js';
import { leafHash, type Hash } from './merkle-tree.js';
import type { RecordedEvent } from '../events/envelope.js';

export type LeafFormat = 1 | 2;

/** The leaf format of the event at `position` in a log whose format 2 starts at `leafV2From` (null or undefined: never). */
export const leafFormatAt = (position: number, leafV2From: number | null | undefined): LeafFormat =>
  leafV2From !== null && leafV2From !== undefined && position >= leafV2From ? 2 : 1;

/** Format 1: the canonical JSON of the whole envelope. */
export function auditLeafDataV1(event: RecordedEvent): string {
  const { id, type, streamId, revision, position, data, metadata } = event;
  return canonicalJson({ id, type, streamId, revision, position, data, metadata });
}

/** Format 2: the canonical JSON of `{ hash: metadata.hash, position, v: 2 }`. */
export function auditLeafDataV2(event: RecordedEvent): string {
  const hash = event.metadata?.hash;
  const position = event.position;
  // The usual case written out (the builder makes one per event); anything odd goes through the canonicaliser.
  if (typeof hash === 'string' && Number.isSafeInteger(position)) return `{"hash":${JSON.stringify(hash)},"position":${position},"v":2}`;
  return canonicalJson({ hash, position, v: 2 });
}

/** The leaf data of `event` in a log whose format 2 starts at `leafV2From`. */
export const auditLeafData = (event: RecordedEvent, leafV2From: number | null | undefined): string =>
  leafFormatAt(event.position, leafV2From) === 2 ? auditLeafDataV2(event) : auditLeafDataV1(event);

/** The RFC 9162 leaf hash of `event` in a log whose format 2 starts at `leafV2From`. */
export const auditLeafHash = (event: RecordedEvent, leafV2From: number | null | undefined): Hash => leafHash(auditLeafData(event, leafV2From));
