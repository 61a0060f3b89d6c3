/** Projects you belong to, one project, its members, rooms and milestones. */
import { defineRoute, type RouteSpec } from '@resoft/infra';
import { ReadModels, type MilestoneView, type ProjectMemberView, type ProjectView, type RoomView, type UserView } from '@resoft/projectors';
import { requireMember } from '../auth/membership.js';
import { awaitPosition } from '../consistency/read-your-writes.js';
import type { QueryServiceDeps } from '../query-service-deps.js';
import { consistentQuery, projectParams } from '../query-schemas.js';

const TAGS = ['projects'];
const READ = { 401: 'Not signed in', 404: 'Project not found (or you are not a member)' };

export function projectQueries(deps: QueryServiceDeps): RouteSpec[] {
  const { readStore } = deps;
  return [
    defineRoute({
      method: 'get', path: '/api/projects', summary: 'Projects you are a member of, with your role', tags: TAGS, auth: 'user', query: consistentQuery,
      responses: { 200: 'Your projects, most recently changed first', 401: 'Not signed in' },
      handler: async (ctx) => {
        await awaitPosition(deps, ctx);
        const memberships = await readStore.find<ProjectMemberView>(ReadModels.projectMembers, { where: { userId: ctx.user.id } });
        const projects = await readStore.getMany<ProjectView>(ReadModels.projects, memberships.map((m) => m.projectId));
        const roles = new Map(memberships.map((m) => [m.projectId, m.role]));
        const items = projects.map((p) => ({ ...p, role: roles.get(p.id) })).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
        return { body: { items } };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/projects/:projectId', summary: 'One project, with your role', tags: TAGS, auth: 'user', params: projectParams, query: consistentQuery,
      responses: { 200: 'The project', ...READ },
      handler: async (ctx) => {
        await awaitPosition(deps, ctx);
        const member = await requireMember(deps, ctx.params.projectId, ctx.user.id);
        const project = await readStore.get<ProjectView>(ReadModels.projects, ctx.params.projectId);
        return { body: { ...project, role: member.role } };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/projects/:projectId/members', summary: 'Members of a project with their roles and profiles', tags: TAGS, auth: 'user', params: projectParams, query: consistentQuery,
      responses: { 200: 'Members', ...READ },
      handler: async (ctx) => {
        await awaitPosition(deps, ctx);
        await requireMember(deps, ctx.params.projectId, ctx.user.id);
        const members = await readStore.find<ProjectMemberView>(ReadModels.projectMembers, { where: { projectId: ctx.params.projectId }, orderBy: [{ field: 'addedAt', direction: 'asc' }] });
        const users = new Map((await readStore.getMany<UserView>(ReadModels.users, members.map((m) => m.userId))).map((u) => [u.id, u]));
        const items = members.map((m) => ({
          userId: m.userId, username: m.username, role: m.role, addedAt: m.addedAt,
          displayName: users.get(m.userId)?.displayName ?? m.username, avatarUrl: users.get(m.userId)?.avatarUrl ?? null,
        }));
        return { body: { items } };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/projects/:projectId/rooms', summary: "A project's collaboration rooms", tags: TAGS, auth: 'user', params: projectParams, query: consistentQuery,
      responses: { 200: 'Rooms', ...READ },
      handler: async (ctx) => {
        await awaitPosition(deps, ctx);
        await requireMember(deps, ctx.params.projectId, ctx.user.id);
        const items = await readStore.find<RoomView>(ReadModels.rooms, { where: { projectId: ctx.params.projectId }, orderBy: [{ field: 'createdAt', direction: 'asc' }] });
        return { body: { items } };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/projects/:projectId/milestones', summary: "A project's reached milestones, newest first", tags: TAGS, auth: 'user', params: projectParams, query: consistentQuery,
      responses: { 200: 'Milestones', ...READ },
      handler: async (ctx) => {
        await awaitPosition(deps, ctx);
        await requireMember(deps, ctx.params.projectId, ctx.user.id);
        const items = await readStore.find<MilestoneView>(ReadModels.milestones, { where: { projectId: ctx.params.projectId }, orderBy: [{ field: 'position', direction: 'desc' }] });
        return { body: { items } };
      },
    }),
  ];
}
