/**
 * A project as it was: its details, members and milestones folded from the
 * events of its stream up to a moment (the caller filters them with
 * `happenedBy`). Pure, so the same fold serves every engine.
 */
import type { RecordedEvent } from '../events/envelope.js';
import type { ProjectEvent } from '../projects/project-events.js';
import type { ProjectRole } from '../shared/roles.js';

export interface ProjectMemberAsOf {
  readonly userId: string;
  readonly username: string;
  readonly role: ProjectRole;
  readonly addedAt: string;
}

export interface MilestoneAsOf {
  readonly milestoneId: string;
  readonly name: string;
  readonly description: string;
  readonly reachedAt: string;
  readonly position: number;
}

export interface ProjectAsOf {
  readonly exists: boolean;
  readonly name: string;
  readonly description: string;
  readonly archived: boolean;
  /** In the order they were added. */
  readonly members: readonly ProjectMemberAsOf[];
  /** Newest first, as the live read answers. */
  readonly milestones: readonly MilestoneAsOf[];
}

export function foldProjectAsOf(events: readonly RecordedEvent[]): ProjectAsOf {
  let exists = false;
  let name = '';
  let description = '';
  let archived = false;
  const members = new Map<string, ProjectMemberAsOf>();
  const milestones: MilestoneAsOf[] = [];
  for (const recorded of events) {
    const event = recorded as unknown as ProjectEvent;
    const at = recorded.metadata.occurredAt;
    switch (event.type) {
      case 'ProjectCreated':
        ({ name, description } = event.data);
        exists = true;
        members.set(event.data.ownerId, { userId: event.data.ownerId, username: event.data.ownerUsername, role: 'owner', addedAt: at });
        break;
      case 'ProjectDetailsChanged':
        name = event.data.name ?? name;
        description = event.data.description ?? description;
        break;
      case 'ProjectArchived':
        archived = true;
        break;
      case 'ProjectMemberAdded':
        members.set(event.data.userId, { userId: event.data.userId, username: event.data.username, role: event.data.role, addedAt: at });
        break;
      case 'ProjectMemberRemoved':
        members.delete(event.data.userId);
        break;
      case 'ProjectMemberRoleChanged': {
        const member = members.get(event.data.userId);
        if (member) members.set(event.data.userId, { ...member, role: event.data.role });
        break;
      }
      case 'MilestoneReached':
        milestones.push({ milestoneId: event.data.milestoneId, name: event.data.name, description: event.data.description, reachedAt: at, position: recorded.position });
        break;
    }
  }
  return { exists, name, description, archived, members: [...members.values()], milestones: milestones.reverse() };
}
