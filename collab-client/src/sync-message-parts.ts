/**
 * A version-1 Automerge sync message read as bytes, cut into its sections (Automerge's encoding: a
 * type byte, then heads, need, have and changes, each a LEB128 count followed by its items). Used to
 * merge waiting messages (sync-batch.ts) and to tell the gateway's updates (update-message.ts)
 * without decoding their changes. Works in the browser (no Buffer).
 */
/** A version-1 sync message cut into its sections, each with its count, as they are encoded. */
export interface MessageParts {
  readonly heads: Uint8Array;
  readonly need: number;
  /** The `have` section (count, then each `lastSync` and bloom filter). */
  readonly have: Uint8Array;
  readonly haves: number;
  /** Each change with its length prefix. */
  readonly changes: Uint8Array[];
}

export const SYNC_V1 = 0x42;
const HASH_BYTES = 32;

/** The sections of a version-1 sync message, or null for anything else (it must end where its changes end). */
export function readParts(message: Uint8Array): MessageParts | null {
  let at = 0;
  const read = (): number => {
    let value = 0;
    let shift = 0;
    for (;;) {
      if (at >= message.length || shift > 28) throw new RangeError('truncated');
      const byte = message[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
      shift += 7;
    }
  };
  const skip = (bytes: number): void => {
    at += bytes;
    if (at > message.length) throw new RangeError('truncated');
  };
  try {
    if (message[at++] !== SYNC_V1) return null;
    const headsAt = at;
    skip(read() * HASH_BYTES);
    const heads = message.subarray(headsAt, at);
    const need = read();
    skip(need * HASH_BYTES);
    const haveAt = at;
    const haves = read();
    for (let i = 0; i < haves; i += 1) {
      skip(read() * HASH_BYTES);
      skip(read());
    }
    const have = message.subarray(haveAt, at);
    const count = read();
    const changes: Uint8Array[] = [];
    for (let i = 0; i < count; i += 1) {
      const changeAt = at;
      skip(read());
      changes.push(message.subarray(changeAt, at));
    }
    return at === message.length ? { heads, need, have, haves, changes } : null;
  } catch {
    return null;
  }
}
