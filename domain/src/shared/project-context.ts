/**
 * What a decider for a stream inside a project (a room, an agent activity)
 * needs to know of the project. The command path reads the project stream
 * and passes this in, so those deciders stay pure.
 */
import type { ProjectMember } from '../projects/project-decider.js';

export interface ProjectContext {
  readonly exists: boolean;
  readonly projectId: string;
  readonly archived: boolean;
  readonly members: ReadonlyMap<string, ProjectMember>;
}
