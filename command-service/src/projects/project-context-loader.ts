/** Reads a project's stream into the context that room and agent deciders take. */
import { projectDecider, projectStreamId, type ProjectContext } from '@resoft/domain';
import type { CommandExecutor } from '../command-handling/command-executor.js';

export async function loadProjectContext(executor: CommandExecutor, projectId: string): Promise<ProjectContext> {
  const state = await executor.read(projectStreamId(projectId), projectDecider);
  return { exists: state.exists, projectId, archived: state.archived, members: state.members };
}
