/** Answers of the inbox routes: your notifications, newest first, and marking them read. */
import { z } from 'zod';
import { Position, Timestamp } from '../http/written.js';

export const InboxEntry = z.object({
  id: z.string(),
  kind: z.enum(['mention', 'check', 'template_run', 'unlock_request']),
  projectId: z.string().nullable(),
  projectName: z.string().nullable(),
  title: z.string().describe('One plain sentence, names filled in'),
  link: z.string().describe('The app path that shows what it is about'),
  actorId: z.string().nullable(),
  position: Position,
  at: Timestamp,
  read: z.boolean(),
});
export type InboxEntry = z.infer<typeof InboxEntry>;

export const InboxPage = z.object({
  items: z.array(InboxEntry).describe('Newest first'),
  unread: z.number().int().min(0).describe('Unread entries, counted up to 100'),
  nextBefore: Position.nullable().describe('Pass as `before` for older entries; null at the end'),
  latestPosition: Position.describe('The newest position in the inbox: send it as `upToPosition` to POST /api/notifications/read to mark everything read'),
});
export type InboxPage = z.infer<typeof InboxPage>;

export const MarkedRead = z.object({ changed: z.boolean().describe('False when they already were read'), position: Position });
