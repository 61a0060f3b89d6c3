/**
 * Binary frames of the collaboration socket: `[kind: u8][fileId: 16 bytes, the UUID's bytes][payload]`;
 * kind 1 is an Automerge sync message for that file (`collaboration:sync`, both directions).
 * Plain byte arithmetic (no Buffer), so the browser encodes exactly what the gateway decodes.
 */
export const SYNC_FRAME_KIND = 1;

/** Encodes a binary sync frame for a file. */
export function encodeSyncFrame(fileId: string, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(17 + payload.length);
  frame[0] = SYNC_FRAME_KIND;
  frame.set(uuidToBytes(fileId), 1);
  frame.set(payload, 17);
  return frame;
}

/** Decodes a binary frame, or null when its header is not a sync frame header. */
export function decodeSyncFrame(frame: Uint8Array): { fileId: string; payload: Uint8Array } | null {
  if (frame.length < 18 || frame[0] !== SYNC_FRAME_KIND) return null;
  return { fileId: bytesToUuid(frame.subarray(1, 17)), payload: frame.subarray(17) };
}

function uuidToBytes(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, '');
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i += 1) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function bytesToUuid(bytes: Uint8Array): string {
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
