/** Every project read goes through here: a non-member sees 404, as if the project did not exist. The rules themselves are domain's (mayReadProject …). */
import { mayAuditProject, mayReadProject, roleAtLeast, type ProjectRole } from '@resoft/domain';
import { HttpError } from '@resoft/http-kit';
import { ReadModels, memberDocId, type ProjectMemberView, type RoomView, type UserView } from '@resoft/projectors';
import { requireRoomReader } from '../chat/chat-history.js';
import type { QueryServiceDeps } from '../query-service-deps.js';

export async function requireMember(deps: QueryServiceDeps, projectId: string, userId: string, needed: ProjectRole = 'viewer'): Promise<ProjectMemberView> {
  const member = await deps.readStore.get<ProjectMemberView>(ReadModels.projectMembers, memberDocId(projectId, userId));
  if (!member || !mayReadProject(member.role)) throw new HttpError(404, 'project_not_found', 'Project not found');
  if (!roleAtLeast(member.role, needed)) throw new HttpError(403, 'insufficient_role', `This needs the ${needed} role in the project`);
  return member;
}

/** The room's project decides: see chat-history.ts (the read the gateway shares). */
export const requireRoomMember = (deps: QueryServiceDeps, roomId: string, userId: string): Promise<RoomView> => requireRoomReader(deps.readStore, roomId, userId);

/** Owners of the project, or administrators (who see 404 only when the project does not exist). */
export async function requireProjectAuditor(deps: QueryServiceDeps, projectId: string, userId: string): Promise<void> {
  const admin = await isAdmin(deps, userId);
  if (!admin) {
    const member = await requireMember(deps, projectId, userId);
    if (!mayAuditProject(member.role, false)) throw new HttpError(403, 'insufficient_role', 'This needs the owner role in the project');
  } else if (!(await deps.readStore.get(ReadModels.projects, projectId))) throw new HttpError(404, 'project_not_found', 'Project not found');
}

export async function isAdmin(deps: QueryServiceDeps, userId: string): Promise<boolean> {
  if (deps.admins.length === 0) return false;
  const user = await deps.readStore.get<UserView>(ReadModels.users, userId);
  return !!user && (deps.admins.includes(user.username.toLowerCase()) || deps.admins.includes(user.email.toLowerCase()));
}
