/**
 * The collaboration protocol, version 1: JSON text frames for control, binary frames for Automerge
 * sync. These schemas are the contract shared by the gateway, the typed client and the UI; the
 * full description is docs/collaboration-protocol.md.
 *
 * A binary frame is `[kind: u8][fileId: 16 bytes, the UUID's bytes][payload]`; kind 1 is an
 * Automerge sync message for that file (`collaboration:sync`, both directions).
 */
import { z } from 'zod';

export const PROTOCOL_VERSION = 1;
/** The WebSocket subprotocol a client offers; the access token travels as a second one, `auth.<token>`. */
export const SUBPROTOCOL = 'resoft.collab.v1';
export const AUTH_SUBPROTOCOL_PREFIX = 'auth.';
export const SYNC_FRAME_KIND = 1;

/** Close codes: WebSocket's private range, numbered after the HTTP status they resemble. */
export const CloseCodes = {
  /** Malformed frame: not JSON, unknown type, fields that fail the schema, a bad binary header. */
  badFrame: 4400,
  /** No, invalid or expired access token (also sent when the token expires mid-session). */
  unauthorized: 4401,
  /** The client stopped reading: too many messages queued for it. */
  slowConsumer: 4408,
  /** The room already has the most connections it allows. */
  roomFull: 4409,
  /** The client kept sending far over its rate limit. */
  rateLimited: 4429,
  /** The gateway is shutting down; reconnect (to another instance). */
  goingAway: 1001,
  /** A frame larger than the message-size limit (WebSocket's own code). */
  tooLarge: 1009,
} as const;

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
  z.strictObject({ type: z.literal('collaboration:chat'), ref, roomId: id, text: z.string().min(1).max(10_000) }),
  z.strictObject({ type: z.literal('collaboration:chat_edit'), ref, roomId: id, messageId: id, text: z.string().min(1).max(10_000) }),
  z.strictObject({ type: z.literal('collaboration:chat_delete'), ref, roomId: id, messageId: id }),
  z.strictObject({ type: z.literal('collaboration:chat_history'), ref, roomId: id, before: z.number().int().min(1).optional(), limit: z.number().int().min(1).max(100).default(50) }),
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;
export type ClientFrameInput = z.input<typeof clientFrameSchema>;

export type ProjectRoleName = 'owner' | 'editor' | 'viewer';
export type PresenceStatus = 'online' | 'away' | 'offline';

/** One socket of a user in a room: a user with two tabs has two. */
export interface PresenceConnection {
  readonly connectionId: string;
  readonly status: 'online' | 'away';
  readonly viewing: string | null;
  readonly typing: boolean;
}

/** One user in a room, folded over their connections (online wins over away; typing if any connection types). */
export interface PresenceEntry {
  readonly userId: string;
  readonly username: string;
  readonly color: string;
  readonly status: PresenceStatus;
  readonly lastSeen: string;
  readonly viewing: string | null;
  readonly typing: boolean;
  /** The user's live connections in the room (empty when offline). */
  readonly connections: readonly PresenceConnection[];
}

/** One connection's caret and selections in a file. The caret and the selections are set independently. */
export interface CursorState {
  readonly fileId: string;
  /** Which socket: two tabs of one user have two cursors. */
  readonly connectionId: string;
  readonly userId: string;
  readonly username: string;
  readonly color: string;
  readonly cursor: string | null;
  readonly ranges: readonly { anchor: string; head: string }[];
}

export interface ChatMessageFrame {
  readonly messageId: string;
  readonly roomId: string;
  readonly authorId: string;
  readonly text: string | null;
  readonly mentions: readonly string[];
  readonly deleted: boolean;
  readonly edited: boolean;
  readonly position: number;
  readonly at: string;
}

/** Every frame the gateway sends. `position` (where present) is the event's global position: a client keeps the highest it saw for resume. */
export type ServerFrame =
  | { type: 'collaboration:welcome'; protocol: number; userId: string; username: string; color: string; connectionId: string; limits: Record<string, number> }
  | { type: 'collaboration:ack'; ref?: string; position?: number; data?: unknown }
  | { type: 'collaboration:error'; ref?: string; fileId?: string; code: string; message: string }
  /** `total` (the room's number of users) is there when `presence` holds only the first page. */
  | { type: 'collaboration:joined'; ref?: string; roomId: string; projectId: string; presence: PresenceEntry[]; total?: number; position: number }
  | { type: 'collaboration:user_joined'; roomId: string; userId: string; position: number }
  | { type: 'collaboration:user_left'; roomId: string; userId: string; position: number }
  /** A push holds the whole list, or the first page and `total` in a large room; the answer to `presence_list` has `ref`, `offset` and `total`. */
  | { type: 'collaboration:presence'; ref?: string; roomId: string; presence: PresenceEntry[]; offset?: number; total?: number }
  | { type: 'collaboration:opened'; ref?: string; fileId: string; projectId: string; path: string; lockedBy: string | null; canEdit: boolean }
  | { type: 'collaboration:refused'; fileId: string; code: string; message: string }
  /** What this connection may do with an open file, sent at once when a lock, a role or a membership changes. */
  | { type: 'collaboration:permissions'; fileId: string; projectId: string; canEdit: boolean; lockedBy: string | null; role: ProjectRoleName | null; reason: 'locked' | 'unlocked' | 'role_changed' | 'removed' }
  /** This connection's changes to a file are stored: an HTTP read with `?after=<position>` sees them. */
  | { type: 'collaboration:stored'; fileId: string; position: number; changes: string[] }
  | { type: 'collaboration:cursor_update'; fileId: string; cursors: CursorState[] }
  | { type: 'collaboration:message'; kind: 'posted' | 'edited' | 'deleted'; message: ChatMessageFrame; position: number }
  | { type: 'collaboration:mention'; roomId: string; messageId: string; authorId: string; position: number }
  /** `nextCursor` is the older page's cursor (pass it as `before`), named as in the HTTP answer; `nextBefore` is the same value, deprecated (kept for old clients). */
  | { type: 'collaboration:history'; ref?: string; roomId: string; messages: ChatMessageFrame[]; nextCursor: number | null; nextBefore: number | null }
  | { type: 'collaboration:event'; projectId: string; eventType: string; streamId: string; data: unknown; actor: string | null; at: string; position: number }
  | { type: 'collaboration:resync'; reason: string; position: number };

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

/** A stable colour per user, so every client shows the same person in the same colour. */
export function userColor(userId: string): string {
  let hash = 0;
  for (const ch of userId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `hsl(${hash % 360}, 70%, 45%)`;
}
