/** Facts recorded in a `room-<id>` stream: the room, who is in it, and its chat. Every event names its project. */
import type { CodeBlock } from './chat-markdown.js';

export type RoomEvent =
  | { type: 'RoomCreated'; data: { roomId: string; projectId: string; name: string; description: string; createdBy: string } }
  | { type: 'RoomJoined'; data: { roomId: string; projectId: string; userId: string } }
  | { type: 'RoomLeft'; data: { roomId: string; projectId: string; userId: string } }
  | { type: 'ChatMessagePosted'; data: { roomId: string; projectId: string; messageId: string; authorId: string; text: string; mentions: string[]; codeBlocks: CodeBlock[] } }
  | { type: 'ChatMessageEdited'; data: { roomId: string; projectId: string; messageId: string; text: string; mentions: string[]; codeBlocks: CodeBlock[] } }
  | { type: 'ChatMessageDeleted'; data: { roomId: string; projectId: string; messageId: string } };

export const roomStreamId = (roomId: string): string => `room-${roomId}`;
