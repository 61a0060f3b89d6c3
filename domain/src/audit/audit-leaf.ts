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
import { leafHash, leafHashOfPrefixed, sha256Into, type Hash } from './merkle-tree.js';
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
export const auditLeafHash = (event: RecordedEvent, leafV2From: number | null | undefined): Hash =>
  leafFormatAt(event.position, leafV2From) === 2 ? auditLeafHashV2(event) : leafHash(auditLeafDataV1(event));

// A format 2 leaf's input (the 0x00 prefix and its data) for the usual event — a hash of 64 printable
// ASCII characters (sealing stores 64 hex digits) and a safe integer position — written in place into
// one buffer: building the JSON string, prefixing it and having `hash` encode it as UTF-8 cost twice
// the SHA-256 itself (the builder hashes one per appended event). Byte offsets: 0x00, `{"hash":"` 1–9, the hash 10–73, `","position":`
// 74–86, the position's digits from 87, then `,"v":2}`.
const V2_HEAD = '\u0000{"hash":"';
const V2_MIDDLE = '","position":';
const V2_TAIL = Buffer.from(',"v":2}', 'latin1');
const V2_DIGITS_AT = V2_HEAD.length + 64 + V2_MIDDLE.length;
const v2Input = Buffer.alloc(V2_DIGITS_AT + 16 + V2_TAIL.length);
v2Input.write(V2_HEAD, 0, 'latin1');
v2Input.write(V2_MIDDLE, V2_HEAD.length + 64, 'latin1');
/** 1 for the chars JSON writes as they are in one UTF-8 byte: printable ASCII but the quote and the backslash. */
const PLAIN_JSON_CHAR = Uint8Array.from({ length: 0x7f }, (_, c) => (c >= 0x20 && c !== 0x22 && c !== 0x5c ? 1 : 0));
/** Views of `v2Input` by the number of digits of the position (a view made per leaf costs an object each). */
const v2Views: Buffer[] = Array.from({ length: 17 }, (_, digits) => v2Input.subarray(0, V2_DIGITS_AT + digits + V2_TAIL.length));

/**
 * Writes the usual event's format 2 leaf input into `v2Input` and returns the view of it to hash; null for
 * any other event (its leaf then goes through `auditLeafDataV2`). The hash's characters are checked and
 * written in one pass: printable ASCII, neither a quote nor a backslash, so JSON writes them as they are
 * and their UTF-8 bytes are their char codes.
 */
function v2InputOf(event: RecordedEvent): Buffer | null {
  const hash = event.metadata?.hash;
  let position = event.position;
  if (typeof hash !== 'string' || hash.length !== 64 || !Number.isSafeInteger(position) || position < 0) return null;
  for (let i = 0; i < 64; i += 1) {
    const c = hash.charCodeAt(i);
    // One table look-up a char (a code past the table is undefined: not plain).
    if (PLAIN_JSON_CHAR[c] !== 1) return null;
    v2Input[V2_HEAD.length + i] = c;
  }
  let digits = 1;
  for (let rest = position; rest >= 10; rest = Math.floor(rest / 10)) digits += 1;
  for (let at = V2_DIGITS_AT + digits - 1; at >= V2_DIGITS_AT; at -= 1) {
    v2Input[at] = 48 + (position % 10);
    position = Math.floor(position / 10);
  }
  for (let i = 0; i < V2_TAIL.length; i += 1) v2Input[V2_DIGITS_AT + digits + i] = V2_TAIL[i]!;
  return v2Views[digits]!;
}

/** Format 2's leaf hash: the same bytes as `leafHash(auditLeafDataV2(event))`. */
function auditLeafHashV2(event: RecordedEvent): Hash {
  const input = v2InputOf(event);
  return input ? leafHashOfPrefixed(input) : leafHash(auditLeafDataV2(event));
}

/**
 * `auditLeafHash(event, leafV2From)` written into `target` at `offset` (32 bytes): for a caller that keeps
 * leaf hashes packed, without a Buffer per leaf.
 */
export function auditLeafHashInto(event: RecordedEvent, leafV2From: number | null | undefined, target: Uint8Array, offset: number): void {
  const input = leafFormatAt(event.position, leafV2From) === 2 ? v2InputOf(event) : null;
  if (input) sha256Into(input, target, offset);
  else target.set(auditLeafHash(event, leafV2From), offset);
}
