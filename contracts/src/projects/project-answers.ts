/** Answers of the project routes: projects with your role, members, milestones. */
import { z } from 'zod';
import { Position, Timestamp, itemsOf } from '../http/written.js';

export const ProjectRole = z.enum(['owner', 'editor', 'viewer']);

/** One project with your role. A time-travel read (`?asOf=`) answers the fields it can fold from the project's events. */
export const ProjectAnswer = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  archived: z.boolean(),
  role: ProjectRole.describe('Your role in the project'),
  createdBy: z.string().optional(),
  createdAt: Timestamp.optional(),
  updatedAt: Timestamp.optional(),
  memberCount: z.number().int().min(0).optional(),
  asOf: z.string().optional().describe('Echoes `?asOf=` on a time-travel read'),
});
export type ProjectAnswer = z.infer<typeof ProjectAnswer>;

export const ProjectList = z.object({ items: z.array(ProjectAnswer.required({ createdBy: true, createdAt: true, updatedAt: true, memberCount: true }).omit({ asOf: true })) });
export type ProjectList = z.infer<typeof ProjectList>;

export const ProjectMember = z.object({
  userId: z.string(),
  username: z.string(),
  role: ProjectRole,
  addedAt: Timestamp,
  displayName: z.string().optional().describe('Absent on a time-travel read'),
  avatarUrl: z.string().nullable().optional().describe('Absent on a time-travel read'),
});
export const ProjectMembers = itemsOf(ProjectMember);
export type ProjectMembers = z.infer<typeof ProjectMembers>;

/** A reached milestone; live reads answer the read model's fields, time-travel reads the folded ones. */
export const Milestone = z.object({
  name: z.string(),
  description: z.string(),
  reachedAt: Timestamp,
  position: Position,
  id: z.string().optional(),
  milestoneId: z.string().optional(),
  projectId: z.string().optional(),
  reachedBy: z.string().nullable().optional(),
});
export const Milestones = itemsOf(Milestone);

export const MemberAdded = z.object({ userId: z.string(), role: ProjectRole, position: Position });
