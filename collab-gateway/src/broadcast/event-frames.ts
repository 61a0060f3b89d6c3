/**
 * Turns a stored event into what the gateway tells clients: which audience (a room, a project,
 * some users in a project) gets which frame. Used for live broadcasts and for resume alike, so a
 * reconnecting client sees exactly what it would have seen online.
 */
import type { RecordedEvent, RoomEvent } from '@resoft/domain';
import type { ServerFrame } from '../protocol/protocol.js';

export type Delivery =
  | { readonly scope: 'room'; readonly roomId: string; readonly frame: ServerFrame }
  | { readonly scope: 'project'; readonly projectId: string; readonly frame: ServerFrame }
  | { readonly scope: 'users'; readonly projectId: string; readonly userIds: readonly string[]; readonly frame: ServerFrame };

/** Room events become room frames; document changes travel as sync, not as events. */
const NOT_PROJECT_EVENTS = new Set(['RoomJoined', 'RoomLeft', 'ChatMessagePosted', 'ChatMessageEdited', 'ChatMessageDeleted', 'DocumentChanged']);
/** Bulky or secret fields never broadcast. */
const HIDDEN_FIELDS = new Set(['initialChange', 'changes', 'hashes', 'passwordHash', 'tokenHash', 'snapshot']);

export function deliveriesFor(event: RecordedEvent): Delivery[] {
  const data = event.data as Record<string, unknown> | null;
  const projectId = typeof data?.['projectId'] === 'string' ? data['projectId'] : null;
  if (!projectId) return [];
  const position = event.position;
  const at = event.metadata.occurredAt;
  const room = event as unknown as RoomEvent;
  switch (room.type) {
    case 'RoomJoined':
      return [{ scope: 'room', roomId: room.data.roomId, frame: { type: 'collaboration:user_joined', roomId: room.data.roomId, userId: room.data.userId, position } }];
    case 'RoomLeft':
      return [{ scope: 'room', roomId: room.data.roomId, frame: { type: 'collaboration:user_left', roomId: room.data.roomId, userId: room.data.userId, position } }];
    case 'ChatMessagePosted': {
      const d = room.data;
      const message = { messageId: d.messageId, roomId: d.roomId, authorId: d.authorId, text: d.text, mentions: d.mentions, deleted: false, edited: false, position, at };
      const deliveries: Delivery[] = [{ scope: 'room', roomId: d.roomId, frame: { type: 'collaboration:message', kind: 'posted', message, position } }];
      if (d.mentions.length > 0) {
        deliveries.push({ scope: 'users', projectId, userIds: d.mentions, frame: { type: 'collaboration:mention', roomId: d.roomId, messageId: d.messageId, authorId: d.authorId, position } });
      }
      return deliveries;
    }
    case 'ChatMessageEdited': {
      const d = room.data;
      const message = { messageId: d.messageId, roomId: d.roomId, authorId: event.metadata.actor ?? '', text: d.text, mentions: d.mentions, deleted: false, edited: true, position, at };
      return [{ scope: 'room', roomId: d.roomId, frame: { type: 'collaboration:message', kind: 'edited', message, position } }];
    }
    case 'ChatMessageDeleted': {
      const d = room.data;
      const message = { messageId: d.messageId, roomId: d.roomId, authorId: event.metadata.actor ?? '', text: null, mentions: [], deleted: true, edited: false, position, at };
      return [{ scope: 'room', roomId: d.roomId, frame: { type: 'collaboration:message', kind: 'deleted', message, position } }];
    }
  }
  if (NOT_PROJECT_EVENTS.has(event.type)) return [];
  const visible = Object.fromEntries(Object.entries(data ?? {}).filter(([key]) => !HIDDEN_FIELDS.has(key)));
  return [{
    scope: 'project', projectId,
    frame: { type: 'collaboration:event', projectId, eventType: event.type, streamId: event.streamId, data: visible, actor: event.metadata.actor, at, position },
  }];
}
