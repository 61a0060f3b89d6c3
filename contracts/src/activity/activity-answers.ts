/** Answers of a project's activity feed and its agent activities. */
import { z } from 'zod';
import { Position, Timestamp } from '../http/written.js';

/** One entry of the feed: an event of the project, summed up in a sentence. */
export const ActivityEntry = z.object({
  id: z.string().describe("The event's id"),
  projectId: z.string(),
  position: Position,
  type: z.string().describe('The event type, e.g. FileCreated'),
  actorId: z.string().nullable().describe('Null for what the system did'),
  occurredAt: Timestamp,
  streamId: z.string(),
  summary: z.string(),
});
export type ActivityEntry = z.infer<typeof ActivityEntry>;

export const ActivityPage = z.object({
  items: z.array(ActivityEntry).describe('Newest first'),
  nextCursor: Position.nullable().describe('Pass as `before` for the older page; null on the last'),
});
export type ActivityPage = z.infer<typeof ActivityPage>;

/** The feed's download (`…/activity/export`): `?format=csv` or `ndjson`. */
export const ACTIVITY_EXPORT_MEDIA_TYPES = ['text/csv', 'application/x-ndjson'] as const;

export const AgentRole = z.enum(['project_manager', 'requirements_analyst', 'architect', 'ux_ui_designer', 'developer', 'test_engineer', 'quality_expert']);

export const AgentActivity = z.object({
  id: z.string(),
  projectId: z.string(),
  agent: AgentRole,
  title: z.string(),
  status: z.enum(['running', 'completed', 'failed']),
  progress: z.number().min(0).max(100).describe('Percent'),
  lastMessage: z.string(),
  summary: z.string().nullable().describe('Set when it ends'),
  startedBy: z.string(),
  startedAt: Timestamp,
  updatedAt: Timestamp,
  position: Position,
});
export type AgentActivity = z.infer<typeof AgentActivity>;
export const AgentActivities = z.object({ items: z.array(AgentActivity).describe('Newest first') });
