/**
 * Whether a sync message from the gateway is an *update*: the one message the gateway sends every
 * peer that is in sync when new changes arrive (documents' `LiveTextDocument.updateMessage`). It
 * carries changes, asks for nothing, and says the gateway has everything up to its own heads (one
 * `have` whose `lastSync` is exactly its heads, with an empty bloom filter). A replica that holds
 * nothing the gateway lacks need not answer such a message at once: the gateway ignores the answer
 * of a peer in sync (see client-document.ts, `answerLater`).
 *
 * Read as bytes (sync-message-parts.ts), without decoding the changes. A message in another
 * encoding is not taken for an update: it is answered at once.
 */
import { readParts } from './sync-message-parts.js';

const HASH_BYTES = 32;

/** An update read from its bytes: the gateway's heads, and its changes (each as Automerge encodes a change on its own). */
export interface Update {
  readonly heads: string[];
  readonly changes: Uint8Array[];
}

/** The update's heads and changes, or null when the message is not an update. */
export function readUpdate(message: Uint8Array): Update | null {
  const parts = readParts(message);
  if (!parts || parts.need !== 0 || parts.haves !== 1 || parts.changes.length === 0) return null;
  const { heads, have } = parts;
  const count = (heads.length - 1) / HASH_BYTES;
  // heads: a count byte then the hashes; have: one entry whose lastSync is exactly the heads, then an empty bloom filter.
  if (heads[0] !== count || count < 1 || count > 0x7f || have.length !== heads.length + 2 || have[have.length - 1] !== 0) return null;
  for (let i = 0; i < heads.length; i += 1) if (have[1 + i] !== heads[i]) return null;
  return { heads: hexHashes(heads, count), changes: parts.changes.map(withoutLengthPrefix) };
}

/** `count` hashes after a one-byte count, in hex. */
function hexHashes(section: Uint8Array, count: number): string[] {
  const hashes: string[] = [];
  for (let h = 0; h < count; h += 1) {
    let hex = '';
    for (let i = 1 + h * HASH_BYTES; i < 1 + (h + 1) * HASH_BYTES; i += 1) hex += HEX[section[i]!];
    hashes.push(hex);
  }
  return hashes;
}

/**
 * The heads of the gateway's *reply* to a message of ours that carried changes while we were in
 * sync (documents' `LiveTextDocument.replyMessage`): no changes, nothing asked, one `have` naming
 * the heads we sent, with an empty bloom filter. Null for any other message.
 */
export function replyHeads(message: Uint8Array): string[] | null {
  const parts = readParts(message);
  if (!parts || parts.need !== 0 || parts.haves !== 1 || parts.changes.length !== 0 || parts.have[parts.have.length - 1] !== 0) return null;
  const { heads, have } = parts;
  const count = (heads.length - 1) / HASH_BYTES;
  const lastSync = have[1]!;
  // have: one entry (count 1), its lastSync (count, hashes), then an empty bloom filter (length 0).
  if (heads[0] !== count || count > 0x7f || have[0] !== 1 || lastSync > 0x7f || have.length !== 3 + lastSync * HASH_BYTES) return null;
  return hexHashes(heads, count);
}

/** A change as the sync message holds it (its length, LEB128, then its bytes) without the length. */
function withoutLengthPrefix(item: Uint8Array): Uint8Array {
  let at = 0;
  while (item[at]! & 0x80) at += 1;
  return item.subarray(at + 1);
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
