/**
 * The parts of the socket contract that are bytes and numbers on the wire: a change here breaks every
 * deployed client, so the values are pinned.
 */
import { CloseCodes } from './close-codes.js';
import { clientFrameSchema } from './client-frames.js';
import { SUBPROTOCOL } from './protocol-version.js';
import { SYNC_FRAME_KIND, decodeSyncFrame, encodeSyncFrame } from './sync-frame.js';

describe('the socket contract', () => {
  it('keeps the close codes and the subprotocol that clients decide on', () => {
    expect(CloseCodes).toEqual({ badFrame: 4400, unauthorized: 4401, slowConsumer: 4408, roomFull: 4409, rateLimited: 4429, goingAway: 1001, tooLarge: 1009 });
    expect(SUBPROTOCOL).toBe('resoft.collab.v1');
  });

  it('encodes a sync frame as kind, the file id as 16 bytes, then the payload, and decodes it back', () => {
    const fileId = '0190a4b2-7c3d-7e8f-9a0b-1c2d3e4f5a6b';
    const frame = encodeSyncFrame(fileId, Uint8Array.of(7, 8, 9));
    expect(frame[0]).toBe(SYNC_FRAME_KIND);
    expect(Array.from(frame.subarray(1, 17), (b) => b.toString(16).padStart(2, '0')).join('')).toBe(fileId.replace(/-/g, ''));
    expect(decodeSyncFrame(frame)).toEqual({ fileId, payload: Uint8Array.of(7, 8, 9) });
  });

  it('decodes nothing from a frame that is not a sync frame', () => {
    expect(decodeSyncFrame(Uint8Array.of(2, ...new Array(17).fill(0)))).toBeNull();
    expect(decodeSyncFrame(Uint8Array.of(SYNC_FRAME_KIND, 1, 2))).toBeNull();
  });

  it('refuses a client frame with a field the protocol does not name, or of an unknown type', () => {
    const roomId = '0190a4b2-7c3d-7e8f-9a0b-1c2d3e4f5a6b';
    expect(clientFrameSchema.safeParse({ type: 'collaboration:leave', roomId }).success).toBe(true);
    expect(clientFrameSchema.safeParse({ type: 'collaboration:leave', roomId, admin: true }).success).toBe(false);
    expect(clientFrameSchema.safeParse({ type: 'collaboration:explode' }).success).toBe(false);
  });
});
