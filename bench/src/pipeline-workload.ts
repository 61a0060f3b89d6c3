/**
 * The events the pipeline benchmark appends: a few projects, each with three members and one room,
 * set up once, then a steady chat in those rooms (mostly new messages, some edits and deletions),
 * one event per append as a command would produce.
 */
import { CURRENT_SCHEMA, type NewEvent, type ProjectEvent, type RoomEvent, type UserEvent } from '@resoft/domain';
import { newId } from '@resoft/infra';
import { type EventStore } from '@resoft/ports';

type Fact = UserEvent | ProjectEvent | RoomEvent;

/** One append: facts for one stream, by one actor. */
export interface WorkloadStep {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
}

interface Room {
  readonly projectId: string;
  readonly roomId: string;
  readonly members: readonly { id: string; name: string }[];
}

const ROLES = ['owner', 'editor', 'viewer'] as const;

function stamp(actor: string, fact: Fact): NewEvent {
  return {
    id: newId(),
    type: fact.type,
    data: fact.data,
    metadata: { actor, correlationId: newId(), causationId: null, occurredAt: new Date().toISOString(), schema: CURRENT_SCHEMA },
  };
}

export class ChatWorkload {
  private readonly rooms: Room[];

  /** `prefix` keeps ids apart between runs sharing a store. */
  constructor(private readonly prefix: string, roomCount: number) {
    this.rooms = Array.from({ length: roomCount }, (_, n) => {
      const tag = `${prefix}${n}`;
      return { projectId: `${tag}-project`, roomId: `${tag}-room`, members: ROLES.map((role) => ({ id: `${tag}-${role}`, name: `${tag}${role}` })) };
    });
  }

  roomStreamIds(): string[] {
    return this.rooms.map(({ roomId }) => `room-${roomId}`);
  }

  /** Users, projects, members, rooms and joins: what must exist before anyone chats. */
  setupSteps(): WorkloadStep[] {
    const steps: WorkloadStep[] = [];
    const step = (streamId: string, actor: string, fact: Fact): void => void steps.push({ streamId, events: [stamp(actor, fact)] });
    for (const { projectId, roomId, members } of this.rooms) {
      const [owner, ...others] = members;
      for (const u of members) {
        step(`user-${u.id}`, u.id, { type: 'UserRegistered', data: { userId: u.id, email: `${u.name}@example.com`, username: u.name, displayName: u.name, passwordHash: 'x' } });
      }
      step(`project-${projectId}`, owner!.id, { type: 'ProjectCreated', data: { projectId, name: `Project ${projectId}`, description: 'bench', ownerId: owner!.id, ownerUsername: owner!.name } });
      others.forEach((u, i) => step(`project-${projectId}`, owner!.id, { type: 'ProjectMemberAdded', data: { projectId, userId: u.id, username: u.name, role: i === 0 ? 'editor' : 'viewer' } }));
      step(`room-${roomId}`, owner!.id, { type: 'RoomCreated', data: { roomId, projectId, name: 'General', description: '', createdBy: owner!.id } });
      for (const u of members) step(`room-${roomId}`, u.id, { type: 'RoomJoined', data: { roomId, projectId, userId: u.id } });
    }
    return steps;
  }

  /**
   * The n-th chat event (n from 0), rooms taken round-robin: every 10th edits the room's previous
   * message, every 25th deletes the one before that, the rest post a new message (every 4th mentions
   * the owner). `phase` keeps message ids of separate phases apart.
   */
  chatStep(phase: string, n: number): WorkloadStep {
    const room = this.rooms[n % this.rooms.length]!;
    const { roomId, projectId, members } = room;
    const author = members[Math.floor(n / this.rooms.length) % members.length]!;
    const messageId = (k: number): string => `${this.prefix}-${phase}-m${k}`;
    const back = this.rooms.length;
    let fact: RoomEvent;
    if (n % 10 === 9 && n >= back) {
      fact = { type: 'ChatMessageEdited', data: { roomId, projectId, messageId: messageId(n - back), text: `edited at ${n}`, mentions: [], codeBlocks: [] } };
    } else if (n % 25 === 24 && n >= 2 * back) {
      fact = { type: 'ChatMessageDeleted', data: { roomId, projectId, messageId: messageId(n - 2 * back) } };
    } else {
      const owner = members[0]!;
      const mention = n % 4 === 0;
      const text = mention ? `@${owner.name} message ${n}: could you look at the build?` : `message ${n}: the build is green again, merging the change now`;
      fact = { type: 'ChatMessagePosted', data: { roomId, projectId, messageId: messageId(n), authorId: author.id, text, mentions: mention ? [owner.name] : [], codeBlocks: [] } };
    }
    return { streamId: `room-${roomId}`, events: [stamp(author.id, fact)] };
  }
}

/** Appends one step; resolves with the global position of its last event. */
export async function appendStep(store: EventStore, { streamId, events }: WorkloadStep): Promise<number> {
  return (await store.append(streamId, events, 'any')).position;
}
