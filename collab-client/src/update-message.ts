/**
 * Whether a sync message from the gateway is an *update*: the one message the gateway sends every
 * peer that is in sync when new changes arrive (documents' `LiveTextDocument.updateMessage`). It
 * carries changes, asks for nothing, and says the gateway has everything up to its own heads (one
 * `have` whose `lastSync` is exactly its heads, with an empty bloom filter). A replica that holds
 * nothing the gateway lacks need not answer such a message at once: the gateway ignores the answer
 * of a peer in sync (see client-document.ts, `answerLater`).
 *
 * Read from the first bytes without decoding the changes (Automerge's encoding: a type byte, then
 * heads, need and have, each a LEB128 count followed by its items, then the changes). Works in the
 * browser (no Buffer).
 */
const HASH_BYTES = 32;

/** The update's heads (hex, as Automerge names them), or null when the message is not an update. */
export function updateHeads(message: Uint8Array): string[] | null {
  let at = 0;
  const uleb = (): number => {
    let value = 0;
    let shift = 0;
    for (;;) {
      if (at >= message.length || shift > 28) return -1;
      const byte = message[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
      shift += 7;
    }
  };
  const type = message[at++];
  if (type !== 0x42 && type !== 0x43) return null;
  const heads = uleb();
  if (heads < 1) return null;
  const headsAt = at;
  at += heads * HASH_BYTES;
  if (uleb() !== 0) return null; // need
  if (uleb() !== 1) return null; // have
  if (uleb() !== heads) return null; // lastSync
  const lastSyncAt = at;
  at += heads * HASH_BYTES;
  if (at > message.length) return null;
  for (let i = 0; i < heads * HASH_BYTES; i += 1) if (message[headsAt + i] !== message[lastSyncAt + i]) return null;
  if (uleb() !== 0) return null; // bloom filter bytes
  if (uleb() < 1) return null; // changes
  const hashes: string[] = [];
  for (let h = 0; h < heads; h += 1) {
    let hex = '';
    for (let i = headsAt + h * HASH_BYTES; i < headsAt + (h + 1) * HASH_BYTES; i += 1) hex += HEX[message[i]!];
    hashes.push(hex);
  }
  return hashes;
}

export function isUpdateMessage(message: Uint8Array): boolean {
  return updateHeads(message) !== null;
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
