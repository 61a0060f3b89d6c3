/**
 * Collaboration rooms inside a project and the chat held in them.
 * Editors create rooms; any member joins, leaves and, once joined, chats.
 * Authors edit and delete only their own messages; a deleted message stays
 * deleted (the deletion is an event, read models hide the text).
 */
import type { Decider } from '../shared/decider.js';
import { reject } from '../shared/domain-error.js';
import type { ProjectContext } from '../shared/project-context.js';
import { requireProjectRole } from '../projects/project-decider.js';
import { extractCodeBlocks, extractMentionedUsernames } from './chat-markdown.js';
import type { RoomEvent } from './room-events.js';

export interface RoomState {
  readonly exists: boolean;
  readonly roomId: string;
  readonly projectId: string;
  readonly members: ReadonlySet<string>;
  /** messageId → author, and whether it was deleted. */
  readonly messages: ReadonlyMap<string, { authorId: string; deleted: boolean }>;
}

type WithProject = { actorId: string; project: ProjectContext };

export type RoomCommand =
  | ({ type: 'CreateRoom'; roomId: string; name: string; description: string } & WithProject)
  | ({ type: 'JoinRoom' } & WithProject)
  | ({ type: 'LeaveRoom' } & WithProject)
  | ({ type: 'PostChatMessage'; messageId: string; text: string } & WithProject)
  | ({ type: 'EditChatMessage'; messageId: string; text: string } & WithProject)
  | ({ type: 'DeleteChatMessage'; messageId: string } & WithProject);

const initialState = (): RoomState => ({ exists: false, roomId: '', projectId: '', members: new Set(), messages: new Map() });

/** @mentions that name a project member, as user ids. */
function resolveMentions(text: string, project: ProjectContext): string[] {
  const byUsername = new Map([...project.members].map(([userId, m]) => [m.username.toLowerCase(), userId]));
  return extractMentionedUsernames(text).flatMap((name) => {
    const userId = byUsername.get(name);
    return userId ? [userId] : [];
  });
}

function requireRoom(state: RoomState, project: ProjectContext): void {
  if (!state.exists || state.projectId !== project.projectId) reject('not_found', 'room_not_found', 'Room not found');
}

function ownMessage(state: RoomState, messageId: string, actorId: string): void {
  const message = state.messages.get(messageId);
  if (!message || message.deleted) reject('not_found', 'message_not_found', 'Message not found');
  if (message?.authorId !== actorId) reject('forbidden', 'not_your_message', 'You can only change your own messages');
}

function decide(command: RoomCommand, state: RoomState): RoomEvent[] {
  const { actorId, project } = command;
  const projectId = project.projectId;
  if (command.type === 'CreateRoom') {
    requireProjectRole(project, actorId, 'editor');
    if (state.exists) reject('conflict', 'room_exists', 'A room with this id already exists');
    return [{ type: 'RoomCreated', data: { roomId: command.roomId, projectId, name: command.name, description: command.description, createdBy: actorId } }];
  }
  requireProjectRole(project, actorId, 'viewer');
  requireRoom(state, project);
  const roomId = state.roomId;
  switch (command.type) {
    case 'JoinRoom':
      if (state.members.has(actorId)) return [];
      return [{ type: 'RoomJoined', data: { roomId, projectId, userId: actorId } }];
    case 'LeaveRoom':
      if (!state.members.has(actorId)) reject('conflict', 'not_in_room', 'You are not in this room');
      return [{ type: 'RoomLeft', data: { roomId, projectId, userId: actorId } }];
    case 'PostChatMessage':
      if (!state.members.has(actorId)) reject('forbidden', 'not_in_room', 'Join the room before posting');
      if (state.messages.has(command.messageId)) reject('conflict', 'message_exists', 'A message with this id already exists');
      return [{
        type: 'ChatMessagePosted',
        data: { roomId, projectId, messageId: command.messageId, authorId: actorId, text: command.text, mentions: resolveMentions(command.text, project), codeBlocks: extractCodeBlocks(command.text) },
      }];
    case 'EditChatMessage':
      ownMessage(state, command.messageId, actorId);
      return [{
        type: 'ChatMessageEdited',
        data: { roomId, projectId, messageId: command.messageId, text: command.text, mentions: resolveMentions(command.text, project), codeBlocks: extractCodeBlocks(command.text) },
      }];
    case 'DeleteChatMessage':
      ownMessage(state, command.messageId, actorId);
      return [{ type: 'ChatMessageDeleted', data: { roomId, projectId, messageId: command.messageId } }];
  }
}

function evolve(state: RoomState, event: RoomEvent): RoomState {
  switch (event.type) {
    case 'RoomCreated':
      return { ...state, exists: true, roomId: event.data.roomId, projectId: event.data.projectId, members: new Set() };
    case 'RoomJoined':
      return { ...state, members: new Set(state.members).add(event.data.userId) };
    case 'RoomLeft': {
      const members = new Set(state.members);
      members.delete(event.data.userId);
      return { ...state, members };
    }
    case 'ChatMessagePosted':
      // Mutating in place keeps long chats O(1) per event; state objects are never shared across streams.
      (state.messages as Map<string, { authorId: string; deleted: boolean }>).set(event.data.messageId, { authorId: event.data.authorId, deleted: false });
      return state;
    case 'ChatMessageEdited':
      return state;
    case 'ChatMessageDeleted': {
      const message = state.messages.get(event.data.messageId);
      if (message) (state.messages as Map<string, { authorId: string; deleted: boolean }>).set(event.data.messageId, { ...message, deleted: true });
      return state;
    }
  }
}

export const roomDecider: Decider<RoomCommand, RoomState, RoomEvent> = { initialState, decide, evolve };
