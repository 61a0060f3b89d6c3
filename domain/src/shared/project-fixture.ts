/**
 * Test fixture: the project "Apollo" with one member of each role, as a
 * history for project specs and as the context rooms and agent activities see.
 */
import { fold } from './decider.js';
import type { ProjectContext } from './project-context.js';
import { projectDecider } from '../projects/project-decider.js';
import type { ProjectEvent } from '../projects/project-events.js';

export const PROJECT_ID = 'p-apollo';
/** Ann owns Apollo (her username is mixed-case on purpose), Eve edits, Vic views; Zed is no member. */
export const ANN = 'u-ann';
export const EVE = 'u-eve';
export const VIC = 'u-vic';
export const ZED = 'u-zed';

export const apolloHistory: readonly ProjectEvent[] = [
  { type: 'ProjectCreated', data: { projectId: PROJECT_ID, name: 'Apollo', description: 'Moon shot', ownerId: ANN, ownerUsername: 'Ann' } },
  { type: 'ProjectMemberAdded', data: { projectId: PROJECT_ID, userId: EVE, username: 'eve', role: 'editor' } },
  { type: 'ProjectMemberAdded', data: { projectId: PROJECT_ID, userId: VIC, username: 'vic', role: 'viewer' } },
];

export const apolloArchived: ProjectEvent = { type: 'ProjectArchived', data: { projectId: PROJECT_ID } };

/** Apollo as a room or agent activity sees it, after the fixture history and any further events. */
export function apollo(...more: ProjectEvent[]): ProjectContext {
  return fold(projectDecider, [...apolloHistory, ...more]);
}

/** A project that was never created. */
export const noProject: ProjectContext = fold(projectDecider, []);
