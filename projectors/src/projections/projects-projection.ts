/** The `projects`, `project_members` and `milestones` read models. */
import { ERASED_USERNAME, type ProjectEvent, type ProjectRole, type RecordedEvent } from '@resoft/domain';
import type { Document } from '@resoft/ports';
import type { Projection, ProjectionUnitOfWork } from '../runtime/projection.js';
import { ReadModels, memberDocId } from './read-model-names.js';

export interface ProjectView extends Document {
  id: string;
  name: string;
  description: string;
  archived: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  memberCount: number;
}

export interface ProjectMemberView extends Document {
  id: string;
  projectId: string;
  userId: string;
  username: string;
  role: ProjectRole;
  addedAt: string;
}

export interface MilestoneView extends Document {
  id: string;
  projectId: string;
  name: string;
  description: string;
  reachedBy: string | null;
  reachedAt: string;
  position: number;
}

export const projectsProjection: Projection = {
  name: 'projects',
  collections: [
    { name: ReadModels.projects, indexes: [] },
    { name: ReadModels.projectMembers, indexes: [['projectId', 'addedAt'], 'userId'] },
    { name: ReadModels.milestones, indexes: [['projectId', 'position']] },
  ],
  handles: new Set(['ProjectCreated', 'ProjectDetailsChanged', 'ProjectArchived', 'ProjectMemberAdded', 'ProjectMemberRemoved', 'ProjectMemberRoleChanged', 'MilestoneReached', 'UserErased']),
  async apply(recorded: RecordedEvent, unit: ProjectionUnitOfWork) {
    if (recorded.type === 'UserErased') {
      // Member documents copy the username (arriving revealed): an erased member's copies are overwritten.
      const userId = (recorded.data as { userId: string }).userId;
      for (const member of await unit.findBy<ProjectMemberView>(ReadModels.projectMembers, 'userId', userId)) {
        unit.put(ReadModels.projectMembers, { ...member, username: ERASED_USERNAME });
      }
      return;
    }
    const event = recorded as unknown as ProjectEvent;
    const at = recorded.metadata.occurredAt;
    const projectId = event.data.projectId;
    if (event.type === 'ProjectCreated') {
      const { name, description, ownerId, ownerUsername } = event.data;
      unit.put(ReadModels.projects, { id: projectId, name, description, archived: false, createdBy: ownerId, createdAt: at, updatedAt: at, memberCount: 1 } satisfies ProjectView);
      unit.put(ReadModels.projectMembers, { id: memberDocId(projectId, ownerId), projectId, userId: ownerId, username: ownerUsername, role: 'owner', addedAt: at } satisfies ProjectMemberView);
      return;
    }
    const project = await unit.get<ProjectView>(ReadModels.projects, projectId);
    if (!project) return;
    const touch = (changes: Partial<ProjectView>) => unit.put(ReadModels.projects, { ...project, ...changes, updatedAt: at });
    switch (event.type) {
      case 'ProjectDetailsChanged':
        touch({ name: event.data.name ?? project.name, description: event.data.description ?? project.description });
        return;
      case 'ProjectArchived':
        touch({ archived: true });
        return;
      case 'ProjectMemberAdded': {
        const { userId, username, role } = event.data;
        unit.put(ReadModels.projectMembers, { id: memberDocId(projectId, userId), projectId, userId, username, role, addedAt: at } satisfies ProjectMemberView);
        touch({ memberCount: project.memberCount + 1 });
        return;
      }
      case 'ProjectMemberRemoved':
        unit.delete(ReadModels.projectMembers, memberDocId(projectId, event.data.userId));
        touch({ memberCount: project.memberCount - 1 });
        return;
      case 'ProjectMemberRoleChanged': {
        const id = memberDocId(projectId, event.data.userId);
        const member = await unit.get<ProjectMemberView>(ReadModels.projectMembers, id);
        if (member) unit.put(ReadModels.projectMembers, { ...member, role: event.data.role });
        touch({});
        return;
      }
      case 'MilestoneReached': {
        const { milestoneId, name, description } = event.data;
        unit.put(ReadModels.milestones, { id: milestoneId, projectId, name, description, reachedBy: recorded.metadata.actor, reachedAt: at, position: recorded.position } satisfies MilestoneView);
        touch({});
        return;
      }
    }
  },
};
