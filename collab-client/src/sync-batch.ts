/**
 * Several sync messages from the gateway, waiting together, as fewer messages. Applying changes
 * costs Automerge about as much for one change as for many (its apply walks the document's
 * operations once per call), so a client that fell behind — a slow device, a busy tab, a load
 * generator holding many replicas — would otherwise pay that walk once per queued message.
 *
 * A run of consecutive messages that ask for nothing (`need` empty) and describe what the gateway
 * has (`have` not empty, so none is the start of a new exchange) is one message: the last one's
 * heads and `have` (they supersede the earlier ones'), and every change of the run in order. The
 * sync state ends where receiving them one by one would leave it, less the replies in between
 * (the gateway reads only the latest). Any other message stays as it is, in its place.
 *
 * The messages are read and joined as bytes (`readParts`): decoding them with Automerge would copy
 * every change into JavaScript and encode them again, for a result made of the same bytes. A
 * message the byte reader does not know (another version of the encoding) goes through Automerge.
 */
import * as Automerge from '@automerge/automerge/next';
import { readParts, SYNC_V1, type MessageParts } from './sync-message-parts.js';

export function mergeSyncMessages(messages: readonly Uint8Array[]): Uint8Array[] {
  if (messages.length < 2) return [...messages];
  const parts = messages.map(readParts);
  if (parts.every((p) => p !== null)) return mergeParts(messages, parts as MessageParts[]);
  return mergeDecoded(messages);
}

function mergeParts(messages: readonly Uint8Array[], parts: readonly MessageParts[]): Uint8Array[] {
  const merged: Uint8Array[] = [];
  let run: number[] = [];
  const endRun = (): void => {
    if (run.length === 1) merged.push(messages[run[0]!]!);
    else if (run.length > 1) {
      const last = parts[run[run.length - 1]!]!;
      const changes = run.flatMap((i) => parts[i]!.changes);
      merged.push(concat([Uint8Array.of(SYNC_V1), last.heads, Uint8Array.of(0), last.have, uleb(changes.length), ...changes]));
    }
    run = [];
  };
  parts.forEach((part, i) => {
    if (part.need === 0 && part.haves > 0) {
      run.push(i);
      return;
    }
    endRun();
    merged.push(messages[i]!);
  });
  endRun();
  return merged;
}

function uleb(value: number): Uint8Array {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    bytes.push(byte);
  } while (value > 0);
  return Uint8Array.from(bytes);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The same merge through Automerge's decoder (messages the byte reader does not know). */
function mergeDecoded(messages: readonly Uint8Array[]): Uint8Array[] {
  const merged: Uint8Array[] = [];
  let run: Automerge.DecodedSyncMessage[] = [];
  let runBytes: Uint8Array[] = [];
  const endRun = (): void => {
    if (run.length === 1) merged.push(runBytes[0]!);
    else if (run.length > 1) {
      const last = run[run.length - 1]!;
      merged.push(Automerge.encodeSyncMessage({ heads: last.heads, need: [], have: last.have, changes: run.flatMap((m) => m.changes) }));
    }
    run = [];
    runBytes = [];
  };
  for (const bytes of messages) {
    let decoded: Automerge.DecodedSyncMessage | null = null;
    try {
      decoded = Automerge.decodeSyncMessage(bytes);
    } catch {
      decoded = null;
    }
    if (decoded && decoded.need.length === 0 && decoded.have.length > 0) {
      run.push(decoded);
      runBytes.push(bytes);
      continue;
    }
    endRun();
    // Not mergeable (or not decodable: receiving it reports the error as before).
    merged.push(bytes);
  }
  endRun();
  return merged;
}
