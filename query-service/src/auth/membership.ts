/** Every project read goes through here: a non-member sees 404, as if the project did not exist. */
import { roleAtLeast, type ProjectRole } from '@resoft/domain';
import { HttpError } from '@resoft/infra';
import { ReadModels, memberDocId, type ProjectMemberView, type RoomView, type UserView } from '@resoft/projectors';
import type { QueryServiceDeps } from '../query-service-deps.js';

export async function requireMember(deps: QueryServiceDeps, projectId: string, userId: string, needed: ProjectRole = 'viewer'): Promise<ProjectMemberView> {
  const member = await deps.readStore.get<ProjectMemberView>(ReadModels.projectMembers, memberDocId(projectId, userId));
  if (!member) throw new HttpError(404, 'project_not_found', 'Project not found');
  if (!roleAtLeast(member.role, needed)) throw new HttpError(403, 'insufficient_role', `This needs the ${needed} role in the project`);
  return member;
}

export async function requireRoomMember(deps: QueryServiceDeps, roomId: string, userId: string): Promise<RoomView> {
  const room = await deps.readStore.get<RoomView>(ReadModels.rooms, roomId);
  if (!room) throw new HttpError(404, 'room_not_found', 'Room not found');
  const member = await deps.readStore.get<ProjectMemberView>(ReadModels.projectMembers, memberDocId(room.projectId, userId));
  if (!member) throw new HttpError(404, 'room_not_found', 'Room not found');
  return room;
}

export async function isAdmin(deps: QueryServiceDeps, userId: string): Promise<boolean> {
  if (deps.admins.length === 0) return false;
  const user = await deps.readStore.get<UserView>(ReadModels.users, userId);
  return !!user && (deps.admins.includes(user.username.toLowerCase()) || deps.admins.includes(user.email.toLowerCase()));
}
