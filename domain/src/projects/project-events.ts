/** Facts recorded in a `project-<id>` stream. */
import type { ProjectRole } from '../shared/roles.js';

export type ProjectEvent =
  | { type: 'ProjectCreated'; data: { projectId: string; name: string; description: string; ownerId: string; ownerUsername: string } }
  | { type: 'ProjectDetailsChanged'; data: { projectId: string; name?: string; description?: string } }
  | { type: 'ProjectArchived'; data: { projectId: string } }
  | { type: 'ProjectMemberAdded'; data: { projectId: string; userId: string; username: string; role: ProjectRole } }
  | { type: 'ProjectMemberRemoved'; data: { projectId: string; userId: string } }
  | { type: 'ProjectMemberRoleChanged'; data: { projectId: string; userId: string; role: ProjectRole } }
  | { type: 'MilestoneReached'; data: { projectId: string; milestoneId: string; name: string; description: string } };

export const projectStreamId = (projectId: string): string => `project-${projectId}`;
