/** Answers of the room and chat routes. */
import { z } from 'zod';
import { Position, Timestamp, itemsOf } from '../http/written.js';

export const Room = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  description: z.string(),
  createdBy: z.string(),
  createdAt: Timestamp,
  memberCount: z.number().int().min(0),
});
export const Rooms = itemsOf(Room);
export type Rooms = z.infer<typeof Rooms>;

export const RoomMember = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  avatarUrl: z.string().nullable(),
  joinedAt: Timestamp,
});
export const RoomMembers = z.object({ items: z.array(RoomMember) });

export const CodeBlock = z.object({ language: z.string(), code: z.string() });

export const ChatMessage = z.object({
  id: z.string(),
  roomId: z.string(),
  projectId: z.string(),
  authorId: z.string(),
  text: z.string().describe('Empty once deleted'),
  mentions: z.array(z.string()).describe('User ids the message mentions'),
  codeBlocks: z.array(CodeBlock),
  postedAt: Timestamp,
  editedAt: Timestamp.nullable(),
  deleted: z.boolean(),
  position: Position,
});

export const ChatHistoryPage = z.object({
  messages: z.array(ChatMessage).describe('In posting order (oldest first)'),
  nextCursor: Position.nullable().describe('Pass as `before` for the older page; null on the oldest'),
  asOf: z.string().optional().describe('Echoes `?asOf=` on a time-travel read'),
});
export type ChatHistoryPage = z.infer<typeof ChatHistoryPage>;

export const ChatPosted = z.object({ id: z.string(), mentions: z.array(z.string()).describe('User ids the message mentions'), position: Position });
