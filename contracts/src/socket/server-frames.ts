/**
 * Every JSON frame the gateway sends, and the records they carry (presence, cursors, chat messages).
 * Types only: the gateway builds them, the typed client and the UI narrow on `type`.
 */
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
  | { type: 'collaboration:history'; ref?: string; roomId: string; messages: ChatMessageFrame[]; nextBefore: number | null }
  | { type: 'collaboration:event'; projectId: string; eventType: string; streamId: string; data: unknown; actor: string | null; at: string; position: number }
  | { type: 'collaboration:resync'; reason: string; position: number };
