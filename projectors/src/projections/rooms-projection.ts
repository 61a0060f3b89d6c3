/** The `rooms` and `room_members` read models. */
import type { RecordedEvent, RoomEvent } from '@resoft/domain';
import type { Document } from '@resoft/ports';
import type { Projection, ProjectionUnitOfWork } from '../runtime/projection.js';
import { ReadModels, roomMemberDocId } from './read-model-names.js';

export interface RoomView extends Document {
  id: string;
  projectId: string;
  name: string;
  description: string;
  createdBy: string;
  createdAt: string;
  memberCount: number;
}

export interface RoomMemberView extends Document {
  id: string;
  roomId: string;
  projectId: string;
  userId: string;
  joinedAt: string;
}

export const roomsProjection: Projection = {
  name: 'rooms',
  collections: [
    { name: ReadModels.rooms, indexes: [['projectId', 'createdAt']] },
    { name: ReadModels.roomMembers, indexes: ['roomId', 'userId'] },
  ],
  handles: new Set(['RoomCreated', 'RoomJoined', 'RoomLeft']),
  async apply(recorded: RecordedEvent, unit: ProjectionUnitOfWork) {
    const event = recorded as unknown as RoomEvent;
    const { roomId, projectId } = event.data;
    if (event.type === 'RoomCreated') {
      const { name, description, createdBy } = event.data;
      unit.put(ReadModels.rooms, { id: roomId, projectId, name, description, createdBy, createdAt: recorded.metadata.occurredAt, memberCount: 0 } satisfies RoomView);
      return;
    }
    const room = await unit.get<RoomView>(ReadModels.rooms, roomId);
    if (!room || (event.type !== 'RoomJoined' && event.type !== 'RoomLeft')) return;
    const id = roomMemberDocId(roomId, event.data.userId);
    if (event.type === 'RoomJoined') {
      unit.put(ReadModels.roomMembers, { id, roomId, projectId, userId: event.data.userId, joinedAt: recorded.metadata.occurredAt } satisfies RoomMemberView);
      unit.put(ReadModels.rooms, { ...room, memberCount: room.memberCount + 1 });
    } else {
      unit.delete(ReadModels.roomMembers, id);
      unit.put(ReadModels.rooms, { ...room, memberCount: room.memberCount - 1 });
    }
  },
};
