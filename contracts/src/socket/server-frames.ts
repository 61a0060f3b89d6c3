/**
 * Every JSON frame the gateway sends, and the records they carry (presence, cursors, chat messages),
 * as zod schemas and the types inferred from them. The gateway builds frames of these types; the
 * typed client and the UI narrow on `type`; the contract spec of the gateway parses every frame a
 * session receives with `serverFrameSchema`. Strict objects: a field the contract does not name is
 * an error there, so the contract and the wire cannot drift apart.
 */
import { z } from 'zod';

export const projectRoleNameSchema = z.enum(['owner', 'editor', 'viewer']);
export type ProjectRoleName = z.infer<typeof projectRoleNameSchema>;
export const presenceStatusSchema = z.enum(['online', 'away', 'offline']);
export type PresenceStatus = z.infer<typeof presenceStatusSchema>;

/** One socket of a user in a room: a user with two tabs has two. */
export const presenceConnectionSchema = z
  .strictObject({
    connectionId: z.string(),
    status: z.enum(['online', 'away']),
    viewing: z.string().nullable(),
    typing: z.boolean(),
  })
  .readonly();
export type PresenceConnection = z.infer<typeof presenceConnectionSchema>;

/** One user in a room, folded over their connections (online wins over away; typing if any connection types). */
export const presenceEntrySchema = z
  .strictObject({
    userId: z.string(),
    username: z.string(),
    color: z.string(),
    status: presenceStatusSchema,
    lastSeen: z.string(),
    viewing: z.string().nullable(),
    typing: z.boolean(),
    /** The user's live connections in the room (empty when offline). */
    connections: z.array(presenceConnectionSchema).readonly(),
  })
  .readonly();
export type PresenceEntry = z.infer<typeof presenceEntrySchema>;

/** One connection's caret and selections in a file. The caret and the selections are set independently. */
export const cursorStateSchema = z
  .strictObject({
    fileId: z.string(),
    /** Which socket: two tabs of one user have two cursors. */
    connectionId: z.string(),
    userId: z.string(),
    username: z.string(),
    color: z.string(),
    cursor: z.string().nullable(),
    ranges: z.array(z.strictObject({ anchor: z.string(), head: z.string() })).readonly(),
  })
  .readonly();
export type CursorState = z.infer<typeof cursorStateSchema>;

export const chatMessageFrameSchema = z
  .strictObject({
    messageId: z.string(),
    roomId: z.string(),
    authorId: z.string(),
    text: z.string().nullable(),
    mentions: z.array(z.string()).readonly(),
    deleted: z.boolean(),
    edited: z.boolean(),
    position: z.number(),
    at: z.string(),
  })
  .readonly();
export type ChatMessageFrame = z.infer<typeof chatMessageFrameSchema>;

const ref = z.string().optional();

/** Every frame the gateway sends. `position` (where present) is the event's global position: a client keeps the highest it saw for resume. */
export const serverFrameSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('collaboration:welcome'), protocol: z.number(), userId: z.string(), username: z.string(), color: z.string(), connectionId: z.string(), limits: z.record(z.string(), z.number()) }),
  z.strictObject({ type: z.literal('collaboration:ack'), ref, position: z.number().optional(), data: z.unknown().optional() }),
  z.strictObject({ type: z.literal('collaboration:error'), ref, fileId: z.string().optional(), code: z.string(), message: z.string() }),
  /** `total` (the room's number of users) is there when `presence` holds only the first page. */
  z.strictObject({ type: z.literal('collaboration:joined'), ref, roomId: z.string(), projectId: z.string(), presence: z.array(presenceEntrySchema), total: z.number().optional(), position: z.number() }),
  z.strictObject({ type: z.literal('collaboration:user_joined'), roomId: z.string(), userId: z.string(), position: z.number() }),
  z.strictObject({ type: z.literal('collaboration:user_left'), roomId: z.string(), userId: z.string(), position: z.number() }),
  /** A push holds the whole list, or the first page and `total` in a large room; the answer to `presence_list` has `ref`, `offset` and `total`. */
  z.strictObject({ type: z.literal('collaboration:presence'), ref, roomId: z.string(), presence: z.array(presenceEntrySchema), offset: z.number().optional(), total: z.number().optional() }),
  z.strictObject({ type: z.literal('collaboration:opened'), ref, fileId: z.string(), projectId: z.string(), path: z.string(), lockedBy: z.string().nullable(), canEdit: z.boolean() }),
  z.strictObject({ type: z.literal('collaboration:refused'), fileId: z.string(), code: z.string(), message: z.string() }),
  /** What this connection may do with an open file, sent at once when a lock, a role or a membership changes. */
  z.strictObject({ type: z.literal('collaboration:permissions'), fileId: z.string(), projectId: z.string(), canEdit: z.boolean(), lockedBy: z.string().nullable(), role: projectRoleNameSchema.nullable(), reason: z.enum(['locked', 'unlocked', 'role_changed', 'removed']) }),
  /** This connection's changes to a file are stored: an HTTP read with `?after=<position>` sees them. */
  z.strictObject({ type: z.literal('collaboration:stored'), fileId: z.string(), position: z.number(), changes: z.array(z.string()) }),
  z.strictObject({ type: z.literal('collaboration:cursor_update'), fileId: z.string(), cursors: z.array(cursorStateSchema) }),
  z.strictObject({ type: z.literal('collaboration:message'), kind: z.enum(['posted', 'edited', 'deleted']), message: chatMessageFrameSchema, position: z.number() }),
  z.strictObject({ type: z.literal('collaboration:mention'), roomId: z.string(), messageId: z.string(), authorId: z.string(), position: z.number() }),
  /** `nextCursor` is the older page's cursor (pass it as `before`), named as in the HTTP answer; `nextBefore` is the same value, deprecated (kept for old clients). */
  z.strictObject({ type: z.literal('collaboration:history'), ref, roomId: z.string(), messages: z.array(chatMessageFrameSchema), nextCursor: z.number().nullable(), nextBefore: z.number().nullable() }),
  z.strictObject({ type: z.literal('collaboration:event'), projectId: z.string(), eventType: z.string(), streamId: z.string(), data: z.unknown(), actor: z.string().nullable(), at: z.string(), position: z.number() }),
  z.strictObject({ type: z.literal('collaboration:resync'), reason: z.string(), position: z.number() }),
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
