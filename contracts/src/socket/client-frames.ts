/**
 * What a client may send over the collaboration socket as a JSON text frame. The gateway parses every
 * frame with this schema (a frame that fails it closes the socket with `CloseCodes.badFrame`); the
 * typed client builds its frames from the input type.
 */
import { z } from 'zod';
import { CHAT_TEXT_MAX_LENGTH } from '../collaboration/chat-text.js';

const id = z.uuid({ message: 'must be a UUID' });
/** An Automerge cursor, as `getCursor` encodes it. */
const cursor = z.string().min(1).max(200);
const ref = z.string().min(1).max(64).optional();

export const clientFrameSchema = z.discriminatedUnion('type', [
  /** A fresh access token for the same user, so a long session outlives its first token. */
  z.strictObject({ type: z.literal('collaboration:auth'), ref, token: z.string().min(1).max(4096) }),
  z.strictObject({ type: z.literal('collaboration:join'), ref, roomId: id, /** Last position this client saw: what it missed is replayed. */ since: z.number().int().min(0).optional() }),
  z.strictObject({ type: z.literal('collaboration:leave'), ref, roomId: id }),
  z.strictObject({ type: z.literal('collaboration:open'), ref, projectId: id, fileId: id }),
  z.strictObject({ type: z.literal('collaboration:close'), ref, fileId: id }),
  /** The JSON form of a sync frame, for clients that cannot send binary frames. */
  z.strictObject({ type: z.literal('collaboration:edit'), ref, fileId: id, sync: z.string().min(1).max(1_500_000) }),
  z.strictObject({ type: z.literal('collaboration:cursor_move'), ref, fileId: id, cursor }),
  z.strictObject({ type: z.literal('collaboration:selection'), ref, fileId: id, ranges: z.array(z.strictObject({ anchor: cursor, head: cursor })).max(20) }),
  z.strictObject({ type: z.literal('collaboration:presence'), ref, status: z.enum(['online', 'away']), viewing: id.nullable().optional(), typing: z.boolean().optional() }),
  /** A page of a joined room's presence: pushes to a room larger than the page carry only the first page. */
  z.strictObject({ type: z.literal('collaboration:presence_list'), ref, roomId: id, offset: z.number().int().min(0).max(1_000_000).default(0), limit: z.number().int().min(1).max(500).default(100) }),
  z.strictObject({ type: z.literal('collaboration:chat'), ref, roomId: id, text: z.string().min(1).max(CHAT_TEXT_MAX_LENGTH) }),
  z.strictObject({ type: z.literal('collaboration:chat_edit'), ref, roomId: id, messageId: id, text: z.string().min(1).max(CHAT_TEXT_MAX_LENGTH) }),
  z.strictObject({ type: z.literal('collaboration:chat_delete'), ref, roomId: id, messageId: id }),
  z.strictObject({ type: z.literal('collaboration:chat_history'), ref, roomId: id, before: z.number().int().min(1).optional(), limit: z.number().int().min(1).max(100).default(50) }),
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;
export type ClientFrameInput = z.input<typeof clientFrameSchema>;
