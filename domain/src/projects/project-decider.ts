/**
 * Projects: creation, details, archiving, membership and milestones.
 * Invariants: only owners manage the project and its members; a project
 * always has at least one owner; an archived project takes no more changes.
 */
import type { Decider } from '../shared/decider.js';
import { reject } from '../shared/domain-error.js';
import { roleAtLeast, type ProjectRole } from '../shared/roles.js';
import type { ProjectEvent } from './project-events.js';

export interface ProjectMember {
  readonly username: string;
  readonly role: ProjectRole;
}

export interface ProjectState {
  readonly exists: boolean;
  readonly projectId: string;
  readonly name: string;
  readonly archived: boolean;
  readonly members: ReadonlyMap<string, ProjectMember>;
  readonly milestoneIds: ReadonlySet<string>;
}

export type ProjectCommand =
  | { type: 'CreateProject'; actorId: string; actorUsername: string; projectId: string; name: string; description: string }
  | { type: 'UpdateProjectDetails'; actorId: string; name?: string; description?: string }
  | { type: 'ArchiveProject'; actorId: string }
  | { type: 'AddProjectMember'; actorId: string; userId: string; username: string; role: ProjectRole }
  | { type: 'RemoveProjectMember'; actorId: string; userId: string }
  | { type: 'ChangeProjectMemberRole'; actorId: string; userId: string; role: ProjectRole }
  | { type: 'ReachMilestone'; actorId: string; milestoneId: string; name: string; description: string };

const initialState = (): ProjectState => ({
  exists: false,
  projectId: '',
  name: '',
  archived: false,
  members: new Map(),
  milestoneIds: new Set(),
});

/** The gate every command on an existing project passes: it exists, the actor is a member with enough role, it is not archived. */
export function requireProjectRole(state: Pick<ProjectState, 'exists' | 'archived' | 'members'>, actorId: string, needed: ProjectRole): void {
  const member = state.exists ? state.members.get(actorId) : undefined;
  if (!member) reject('not_found', 'project_not_found', 'Project not found');
  if (!roleAtLeast(member?.role, needed)) reject('forbidden', 'insufficient_role', `This needs the ${needed} role in the project`);
  if (state.archived) reject('conflict', 'project_archived', 'The project is archived and takes no more changes');
}

const ownerCount = (members: ReadonlyMap<string, ProjectMember>): number =>
  [...members.values()].filter((m) => m.role === 'owner').length;

function decide(command: ProjectCommand, state: ProjectState): ProjectEvent[] {
  if (command.type === 'CreateProject') {
    if (state.exists) reject('conflict', 'project_exists', 'A project with this id already exists');
    return [{
      type: 'ProjectCreated',
      data: { projectId: command.projectId, name: command.name, description: command.description, ownerId: command.actorId, ownerUsername: command.actorUsername },
    }];
  }
  const projectId = state.projectId;
  switch (command.type) {
    case 'UpdateProjectDetails': {
      requireProjectRole(state, command.actorId, 'owner');
      if (command.name === undefined && command.description === undefined) {
        reject('invalid', 'nothing_to_change', 'Give a name or a description to change');
      }
      return [{ type: 'ProjectDetailsChanged', data: { projectId, name: command.name, description: command.description } }];
    }
    case 'ArchiveProject':
      requireProjectRole(state, command.actorId, 'owner');
      return [{ type: 'ProjectArchived', data: { projectId } }];
    case 'AddProjectMember':
      requireProjectRole(state, command.actorId, 'owner');
      if (state.members.has(command.userId)) reject('conflict', 'already_member', 'That user is already a member');
      return [{ type: 'ProjectMemberAdded', data: { projectId, userId: command.userId, username: command.username, role: command.role } }];
    case 'RemoveProjectMember': {
      // Anyone may leave; only owners may remove someone else.
      requireProjectRole(state, command.actorId, command.userId === command.actorId ? 'viewer' : 'owner');
      const target = state.members.get(command.userId);
      if (!target) reject('not_found', 'member_not_found', 'That user is not a member');
      if (target?.role === 'owner' && ownerCount(state.members) === 1) {
        reject('conflict', 'last_owner', 'A project needs at least one owner: make someone else owner first');
      }
      return [{ type: 'ProjectMemberRemoved', data: { projectId, userId: command.userId } }];
    }
    case 'ChangeProjectMemberRole': {
      requireProjectRole(state, command.actorId, 'owner');
      const target = state.members.get(command.userId);
      if (!target) reject('not_found', 'member_not_found', 'That user is not a member');
      if (target?.role === command.role) return [];
      if (target?.role === 'owner' && ownerCount(state.members) === 1) {
        reject('conflict', 'last_owner', 'A project needs at least one owner: make someone else owner first');
      }
      return [{ type: 'ProjectMemberRoleChanged', data: { projectId, userId: command.userId, role: command.role } }];
    }
    case 'ReachMilestone':
      requireProjectRole(state, command.actorId, 'editor');
      if (state.milestoneIds.has(command.milestoneId)) reject('conflict', 'milestone_exists', 'That milestone was already recorded');
      return [{ type: 'MilestoneReached', data: { projectId, milestoneId: command.milestoneId, name: command.name, description: command.description } }];
  }
}

function evolve(state: ProjectState, event: ProjectEvent): ProjectState {
  switch (event.type) {
    case 'ProjectCreated':
      return {
        ...state,
        exists: true,
        projectId: event.data.projectId,
        name: event.data.name,
        members: new Map([[event.data.ownerId, { username: event.data.ownerUsername, role: 'owner' }]]),
      };
    case 'ProjectDetailsChanged':
      return { ...state, name: event.data.name ?? state.name };
    case 'ProjectArchived':
      return { ...state, archived: true };
    case 'ProjectMemberAdded':
      return { ...state, members: new Map(state.members).set(event.data.userId, { username: event.data.username, role: event.data.role }) };
    case 'ProjectMemberRemoved': {
      const members = new Map(state.members);
      members.delete(event.data.userId);
      return { ...state, members };
    }
    case 'ProjectMemberRoleChanged': {
      const current = state.members.get(event.data.userId);
      if (!current) return state;
      return { ...state, members: new Map(state.members).set(event.data.userId, { ...current, role: event.data.role }) };
    }
    case 'MilestoneReached':
      return { ...state, milestoneIds: new Set(state.milestoneIds).add(event.data.milestoneId) };
  }
}

export const projectDecider: Decider<ProjectCommand, ProjectState, ProjectEvent> = { initialState, decide, evolve };
