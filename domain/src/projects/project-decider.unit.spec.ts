import { given } from '../shared/given-when-then.js';
import { ANN, EVE, PROJECT_ID, VIC, ZED, apolloArchived, apolloHistory } from '../shared/project-fixture.js';
import type { ProjectRole } from '../shared/roles.js';
import { projectDecider, type ProjectCommand } from './project-decider.js';
import type { ProjectEvent } from './project-events.js';

const apollo = (...more: ProjectEvent[]) => given(projectDecider, [...apolloHistory, ...more]);
const added = (userId: string, username: string, role: ProjectRole): ProjectEvent =>
  ({ type: 'ProjectMemberAdded', data: { projectId: PROJECT_ID, userId, username, role } });
const removed = (userId: string): ProjectEvent => ({ type: 'ProjectMemberRemoved', data: { projectId: PROJECT_ID, userId } });
const roleChanged = (userId: string, role: ProjectRole): ProjectEvent =>
  ({ type: 'ProjectMemberRoleChanged', data: { projectId: PROJECT_ID, userId, role } });
const milestone = (milestoneId: string): ProjectEvent =>
  ({ type: 'MilestoneReached', data: { projectId: PROJECT_ID, milestoneId, name: 'MVP', description: 'First users' } });

describe('creating a project', () => {
  const create: ProjectCommand = { type: 'CreateProject', actorId: ANN, actorUsername: 'Ann', projectId: PROJECT_ID, name: 'Apollo', description: 'Moon shot' };

  it('records the project with its creator as owner', () => {
    given(projectDecider, []).when(create).thenEmits([
      { type: 'ProjectCreated', data: { projectId: PROJECT_ID, name: 'Apollo', description: 'Moon shot', ownerId: ANN, ownerUsername: 'Ann' } },
    ]);
  });

  it('refuses a project id that is already taken', () => {
    apollo().when({ ...create, actorId: ZED }).thenRejects('conflict', 'project_exists');
  });

  it('makes the creator an owner who can manage the project at once', () => {
    given(projectDecider, apolloHistory.slice(0, 1)).when({ type: 'ArchiveProject', actorId: ANN })
      .thenEmits([{ type: 'ProjectArchived', data: { projectId: PROJECT_ID } }]);
  });
});

describe('who may change a project', () => {
  // Each command with the least role it needs. The target of member commands is never the actor,
  // and role changes go to 'owner', a role neither possible target has, so only the gate can refuse.
  const other = (actorId: string): string => (actorId === VIC ? EVE : VIC);
  const commands: Array<[string, ProjectRole, (actorId: string) => ProjectCommand]> = [
    ['changing the details', 'owner', (actorId) => ({ type: 'UpdateProjectDetails', actorId, name: 'Apollo II' })],
    ['archiving', 'owner', (actorId) => ({ type: 'ArchiveProject', actorId })],
    ['adding a member', 'owner', (actorId) => ({ type: 'AddProjectMember', actorId, userId: 'u-new', username: 'newbie', role: 'viewer' })],
    ['removing another member', 'owner', (actorId) => ({ type: 'RemoveProjectMember', actorId, userId: other(actorId) })],
    ['changing a member role', 'owner', (actorId) => ({ type: 'ChangeProjectMemberRole', actorId, userId: other(actorId), role: 'owner' })],
    ['reaching a milestone', 'editor', (actorId) => ({ type: 'ReachMilestone', actorId, milestoneId: 'm-1', name: 'MVP', description: 'First users' })],
  ];
  const below = (needed: ProjectRole): Array<[string, string]> =>
    needed === 'owner' ? [['a viewer', VIC], ['an editor', EVE]] : needed === 'editor' ? [['a viewer', VIC]] : [];

  describe.each(commands)('%s', (_what, needed, command) => {
    it.each(below(needed))(`is forbidden to %s (it needs ${needed})`, (_role, actorId) => {
      apollo().when(command(actorId)).thenRejects('forbidden', 'insufficient_role');
    });

    it('is answered "not found" for a non-member, so the project stays hidden', () => {
      apollo().when(command(ZED)).thenRejects('not_found', 'project_not_found');
    });

    it('is answered "not found" for a project that was never created', () => {
      given(projectDecider, []).when(command(ANN)).thenRejects('not_found', 'project_not_found');
    });

    it('is refused once the project is archived, even to an owner', () => {
      apollo(apolloArchived).when(command(ANN)).thenRejects('conflict', 'project_archived');
    });

    it('is answered "not found" for a member who was removed', () => {
      apollo(removed(EVE)).when(command(EVE)).thenRejects('not_found', 'project_not_found');
    });
  });
});

describe('changing the details', () => {
  it('lets an owner rename the project', () => {
    apollo().when({ type: 'UpdateProjectDetails', actorId: ANN, name: 'Apollo II' })
      .thenEmits([{ type: 'ProjectDetailsChanged', data: { projectId: PROJECT_ID, name: 'Apollo II', description: undefined } }]);
  });

  it('lets an owner change only the description', () => {
    apollo().when({ type: 'UpdateProjectDetails', actorId: ANN, description: 'Mars next' })
      .thenEmits([{ type: 'ProjectDetailsChanged', data: { projectId: PROJECT_ID, name: undefined, description: 'Mars next' } }]);
  });

  it('refuses a change that names neither a name nor a description', () => {
    apollo().when({ type: 'UpdateProjectDetails', actorId: ANN }).thenRejects('invalid', 'nothing_to_change');
  });
});

describe('archiving', () => {
  it('lets an owner archive the project', () => {
    apollo().when({ type: 'ArchiveProject', actorId: ANN }).thenEmits([{ type: 'ProjectArchived', data: { projectId: PROJECT_ID } }]);
  });

  it('refuses to archive twice', () => {
    apollo(apolloArchived).when({ type: 'ArchiveProject', actorId: ANN }).thenRejects('conflict', 'project_archived');
  });
});

describe('adding a member', () => {
  it('lets an owner add a user with a role', () => {
    apollo().when({ type: 'AddProjectMember', actorId: ANN, userId: ZED, username: 'zed', role: 'editor' })
      .thenEmits([added(ZED, 'zed', 'editor')]);
  });

  it('refuses a user who is already a member', () => {
    apollo().when({ type: 'AddProjectMember', actorId: ANN, userId: VIC, username: 'vic', role: 'editor' })
      .thenRejects('conflict', 'already_member');
  });

  it('takes back a member who was removed', () => {
    apollo(removed(VIC)).when({ type: 'AddProjectMember', actorId: ANN, userId: VIC, username: 'vic', role: 'viewer' })
      .thenEmits([added(VIC, 'vic', 'viewer')]);
  });

  it('gives an added member their role at once', () => {
    apollo(added(ZED, 'zed', 'owner')).when({ type: 'ArchiveProject', actorId: ZED })
      .thenEmits([{ type: 'ProjectArchived', data: { projectId: PROJECT_ID } }]);
  });
});

describe('removing a member', () => {
  it('lets an owner remove another member', () => {
    apollo().when({ type: 'RemoveProjectMember', actorId: ANN, userId: EVE }).thenEmits([removed(EVE)]);
  });

  it.each([['a viewer', VIC], ['an editor', EVE]])('lets %s leave on their own', (_role, actorId) => {
    apollo().when({ type: 'RemoveProjectMember', actorId, userId: actorId }).thenEmits([removed(actorId)]);
  });

  it('lets an owner leave when another owner remains', () => {
    apollo(roleChanged(EVE, 'owner')).when({ type: 'RemoveProjectMember', actorId: ANN, userId: ANN }).thenEmits([removed(ANN)]);
  });

  it('lets an owner remove another owner when one remains', () => {
    apollo(roleChanged(EVE, 'owner')).when({ type: 'RemoveProjectMember', actorId: ANN, userId: EVE }).thenEmits([removed(EVE)]);
  });

  it('refuses to let the last owner leave', () => {
    apollo().when({ type: 'RemoveProjectMember', actorId: ANN, userId: ANN }).thenRejects('conflict', 'last_owner');
  });

  it('refuses to remove the last owner once the other owner has gone', () => {
    apollo(roleChanged(EVE, 'owner'), removed(EVE)).when({ type: 'RemoveProjectMember', actorId: ANN, userId: ANN })
      .thenRejects('conflict', 'last_owner');
  });

  it('answers "not found" for a user who is not a member', () => {
    apollo().when({ type: 'RemoveProjectMember', actorId: ANN, userId: ZED }).thenRejects('not_found', 'member_not_found');
  });

  it('refuses leaving once the project is archived', () => {
    apollo(apolloArchived).when({ type: 'RemoveProjectMember', actorId: VIC, userId: VIC }).thenRejects('conflict', 'project_archived');
  });
});

describe('changing a member role', () => {
  it('lets an owner promote a viewer', () => {
    apollo().when({ type: 'ChangeProjectMemberRole', actorId: ANN, userId: VIC, role: 'editor' }).thenEmits([roleChanged(VIC, 'editor')]);
  });

  it('lets an owner demote an editor', () => {
    apollo().when({ type: 'ChangeProjectMemberRole', actorId: ANN, userId: EVE, role: 'viewer' }).thenEmits([roleChanged(EVE, 'viewer')]);
  });

  it('records nothing when the member already has that role', () => {
    apollo().when({ type: 'ChangeProjectMemberRole', actorId: ANN, userId: EVE, role: 'editor' }).thenEmitsNothing();
  });

  it('records nothing when the last owner is "changed" to owner', () => {
    apollo().when({ type: 'ChangeProjectMemberRole', actorId: ANN, userId: ANN, role: 'owner' }).thenEmitsNothing();
  });

  it('refuses to demote the last owner', () => {
    apollo().when({ type: 'ChangeProjectMemberRole', actorId: ANN, userId: ANN, role: 'editor' }).thenRejects('conflict', 'last_owner');
  });

  it('lets an owner step down once someone else is owner', () => {
    apollo(roleChanged(EVE, 'owner')).when({ type: 'ChangeProjectMemberRole', actorId: ANN, userId: ANN, role: 'viewer' })
      .thenEmits([roleChanged(ANN, 'viewer')]);
  });

  it('takes a demoted owner\'s powers away', () => {
    apollo(roleChanged(EVE, 'owner'), roleChanged(ANN, 'editor')).when({ type: 'ArchiveProject', actorId: ANN })
      .thenRejects('forbidden', 'insufficient_role');
  });

  it('gives a promoted member their new powers', () => {
    apollo(roleChanged(VIC, 'owner')).when({ type: 'AddProjectMember', actorId: VIC, userId: ZED, username: 'zed', role: 'viewer' })
      .thenEmits([added(ZED, 'zed', 'viewer')]);
  });

  it('answers "not found" for a user who is not a member', () => {
    apollo().when({ type: 'ChangeProjectMemberRole', actorId: ANN, userId: ZED, role: 'editor' }).thenRejects('not_found', 'member_not_found');
  });
});

describe('reaching a milestone', () => {
  it.each([['an editor', EVE], ['an owner', ANN]])('is recorded for %s', (_who, actorId) => {
    apollo().when({ type: 'ReachMilestone', actorId, milestoneId: 'm-1', name: 'MVP', description: 'First users' })
      .thenEmits([milestone('m-1')]);
  });

  it('refuses the same milestone twice', () => {
    apollo(milestone('m-1')).when({ type: 'ReachMilestone', actorId: EVE, milestoneId: 'm-1', name: 'MVP again', description: '' })
      .thenRejects('conflict', 'milestone_exists');
  });

  it('records a different milestone after the first', () => {
    apollo(milestone('m-1')).when({ type: 'ReachMilestone', actorId: EVE, milestoneId: 'm-2', name: 'MVP', description: 'First users' })
      .thenEmits([milestone('m-2')]);
  });
});
