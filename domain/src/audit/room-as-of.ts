/** A room as it was: its details and how many had joined, folded from its stream up to a moment (the caller filters the events). */
import type { RecordedEvent } from '../events/envelope.js';
import type { RoomEvent } from '../rooms/room-events.js';

export interface RoomAsOf {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly description: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly memberCount: number;
}

/** Null when the room did not exist yet. */
export function foldRoomAsOf(events: readonly RecordedEvent[]): RoomAsOf | null {
  let room: Omit<RoomAsOf, 'memberCount'> | null = null;
  const members = new Set<string>();
  for (const recorded of events) {
    const event = recorded as unknown as RoomEvent;
    if (event.type === 'RoomCreated') {
      const { roomId, projectId, name, description, createdBy } = event.data;
      room = { id: roomId, projectId, name, description, createdBy, createdAt: recorded.metadata.occurredAt };
    } else if (event.type === 'RoomJoined') members.add(event.data.userId);
    else if (event.type === 'RoomLeft') members.delete(event.data.userId);
  }
  return room ? { ...room, memberCount: members.size } : null;
}
