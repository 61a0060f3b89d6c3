/** Projects you belong to, one project, its members, rooms and milestones. */
import { foldProjectAsOf, foldRoomAsOf, happenedBy, parseAsOf, projectStreamId, upcast, type ProjectAsOf, type RoomAsOf } from '@resoft/domain';
import { HttpError, JsonText, defineRoute, type RouteSpec } from '@resoft/http-kit';
import { ReadModels, type MilestoneView, type ProjectMemberView, type ProjectStreamView, type ProjectView, type RoomView, type UserView } from '@resoft/projectors';
import { requireMember } from '../auth/membership.js';
import { readYourWrites } from '../consistency/read-your-writes.js';
import { AnswersPerChange } from '../consistency/answers-per-change.js';
import { readGuards } from '../auth/read-guards.js';
import type { QueryServiceDeps } from '../query-service-deps.js';
import { asOfQuery, consistentQuery, projectParams } from '../query-schemas.js';
import { Milestones, ProjectAnswer, ProjectList, ProjectMembers, Rooms } from '@resoft/contracts';

const TAGS = ['projects'];
const READ = { 401: 'Not signed in', 404: 'Project not found (or you are not a member)' };

export function projectQueries(deps: QueryServiceDeps): RouteSpec[] {
  const afterWrites = readYourWrites(deps);
  const { projectMember } = readGuards(deps);
  const { readStore } = deps;
  // Each user's list, kept until a membership or a project changes (a chat post changes neither).
  const projectLists = new AnswersPerChange([ReadModels.projectMembers, ReadModels.projects], deps.readModelMark);
  /** Time travel (issue 13): the project folded from its stream up to the moment. */
  const projectAsOf = async (projectId: string, asOf: string): Promise<ProjectAsOf> => {
    const moment = parseAsOf(asOf);
    const events = (await deps.eventStore.readStream(projectStreamId(projectId))).filter((e) => happenedBy(e, moment));
    // Members' usernames are sealed personal data: revealed (or "erased user") like in the read models.
    const project = foldProjectAsOf(deps.personalData ? await deps.personalData.reveal(events.map((e) => upcast(e))) : events);
    if (!project.exists) throw new HttpError(404, 'project_not_found', `The project did not exist as of ${asOf}`);
    return project;
  };
  return [
    defineRoute({
      consistency: afterWrites,
      method: 'get', path: '/api/projects', summary: 'Projects you are a member of, with your role', tags: TAGS, auth: 'user', query: consistentQuery,
      responses: { 200: { description: 'Your projects, most recently changed first', body: ProjectList }, 401: 'Not signed in' },
      handler: async (ctx) => ({
        body: await projectLists.answer(ctx.user.id, async () => {
          const memberships = await readStore.find<ProjectMemberView>(ReadModels.projectMembers, { where: { userId: ctx.user.id } });
          const projects = await readStore.getMany<ProjectView>(ReadModels.projects, memberships.map((m) => m.projectId));
          const roles = new Map(memberships.map((m) => [m.projectId, m.role]));
          const items = projects.map((p) => ({ ...p, role: roles.get(p.id) })).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
          return new JsonText(JSON.stringify({ items }));
        }),
      }),
    }),
    defineRoute({
      consistency: afterWrites, guard: projectMember('projectId'),
      method: 'get', path: '/api/projects/:projectId', summary: 'One project, with your role; `?asOf=` as it was then', tags: TAGS, auth: 'user', params: projectParams, query: asOfQuery,
      responses: { 200: { description: 'The project', body: ProjectAnswer }, 400: 'Invalid asOf', ...READ },
      handler: async (ctx) => {
        const member = await requireMember(deps, ctx.params.projectId, ctx.user.id); // the role is part of the answer
        if (ctx.query.asOf !== undefined) {
          const { name, description, archived } = await projectAsOf(ctx.params.projectId, ctx.query.asOf);
          return { body: { asOf: ctx.query.asOf, id: ctx.params.projectId, name, description, archived, role: member.role } };
        }
        const project = await readStore.get<ProjectView>(ReadModels.projects, ctx.params.projectId);
        return { body: { ...project, role: member.role } };
      },
    }),
    defineRoute({
      consistency: afterWrites, guard: projectMember('projectId'),
      method: 'get', path: '/api/projects/:projectId/members', summary: 'Members of a project with their roles and profiles; `?asOf=` as they were then', tags: TAGS, auth: 'user', params: projectParams, query: asOfQuery,
      responses: { 200: { description: 'Members', body: ProjectMembers }, 400: 'Invalid asOf', ...READ },
      handler: async (ctx) => {
        if (ctx.query.asOf !== undefined) return { body: { asOf: ctx.query.asOf, items: (await projectAsOf(ctx.params.projectId, ctx.query.asOf)).members } };
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
      consistency: afterWrites, guard: projectMember('projectId'),
      method: 'get', path: '/api/projects/:projectId/rooms', summary: "A project's collaboration rooms; `?asOf=` as they were then", tags: TAGS, auth: 'user', params: projectParams, query: asOfQuery,
      responses: { 200: { description: 'Rooms', body: Rooms }, 400: 'Invalid asOf', ...READ },
      handler: async (ctx) => {
        if (ctx.query.asOf !== undefined) {
          const moment = parseAsOf(ctx.query.asOf);
          const streams = await readStore.find<ProjectStreamView>(ReadModels.streams, { where: { projectId: ctx.params.projectId }, orderBy: [{ field: 'firstPosition', direction: 'asc' }] });
          const rooms: RoomAsOf[] = [];
          for (const stream of streams.filter((s) => s.kind === 'room')) {
            const room = foldRoomAsOf((await deps.eventStore.readStream(stream.id)).filter((e) => happenedBy(e, moment)));
            if (room) rooms.push(room);
          }
          return { body: { asOf: ctx.query.asOf, items: rooms } };
        }
        const items = await readStore.find<RoomView>(ReadModels.rooms, { where: { projectId: ctx.params.projectId }, orderBy: [{ field: 'createdAt', direction: 'asc' }] });
        return { body: { items } };
      },
    }),
    defineRoute({
      consistency: afterWrites, guard: projectMember('projectId'),
      method: 'get', path: '/api/projects/:projectId/milestones', summary: "A project's reached milestones, newest first; `?asOf=` as they were then", tags: TAGS, auth: 'user', params: projectParams, query: asOfQuery,
      responses: { 200: { description: 'Milestones', body: Milestones }, 400: 'Invalid asOf', ...READ },
      handler: async (ctx) => {
        if (ctx.query.asOf !== undefined) return { body: { asOf: ctx.query.asOf, items: (await projectAsOf(ctx.params.projectId, ctx.query.asOf)).milestones } };
        const items = await readStore.find<MilestoneView>(ReadModels.milestones, { where: { projectId: ctx.params.projectId }, orderBy: [{ field: 'position', direction: 'desc' }] });
        return { body: { items } };
      },
    }),
  ];
}
