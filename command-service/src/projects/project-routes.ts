/** Project lifecycle and membership commands; owners manage, the decider enforces it. */
import { projectDecider, projectStreamId, userDecider, userStreamId } from '@resoft/domain';
import { newId } from '@resoft/infra';
import { HttpError, defineRoute, type RouteSpec } from '@resoft/http-kit';
import { requestMetadata } from '../command-handling/request-metadata.js';
import type { CommandServiceDeps } from '../command-service-deps.js';
import { addMemberBody, changeRoleBody, createProjectBody, memberParams, projectParams, updateProjectBody } from './project-schemas.js';
import { Created, MemberAdded, Written } from '@resoft/contracts';

const TAGS = ['projects'];
const WRITE = { 400: 'Invalid input', 401: 'Not signed in', 403: 'Your role does not allow this', 404: 'Project not found (or you are not a member)', 409: 'Conflicts with the project state' };

export function projectRoutes(deps: CommandServiceDeps): RouteSpec[] {
  const { executor, claims } = deps;

  async function resolveUser(body: { userId?: string | undefined; username?: string | undefined; email?: string | undefined }) {
    const userId = body.userId ?? (body.username ? await claims.holder('username', body.username) : await claims.holder('email', body.email ?? ''));
    const user = userId ? await executor.read(userStreamId(userId), userDecider) : null;
    if (!user?.exists || user.erased) throw new HttpError(404, 'user_not_found', 'No registered user matches');
    return user;
  }

  return [
    defineRoute({
      method: 'post', path: '/api/projects', summary: 'Create a project (you become its owner)', tags: TAGS, auth: 'user', body: createProjectBody,
      responses: { 201: { description: 'Created', body: Created }, 400: 'Invalid input', 401: 'Not signed in' },
      handler: async (ctx) => {
        const projectId = newId();
        const outcome = await executor.execute(projectStreamId(projectId), projectDecider, () => ({
          type: 'CreateProject' as const, actorId: ctx.user.id, actorUsername: ctx.user.username, projectId, ...ctx.body,
        }), requestMetadata(ctx));
        return { status: 201, body: { id: projectId, position: outcome.position } };
      },
    }),
    defineRoute({
      method: 'patch', path: '/api/projects/:projectId', summary: 'Rename or describe a project', tags: TAGS, auth: 'user', params: projectParams, body: updateProjectBody,
      responses: { 200: { description: 'Changed', body: Written }, ...WRITE },
      handler: async (ctx) => {
        const outcome = await executor.execute(projectStreamId(ctx.params.projectId), projectDecider, () => ({ type: 'UpdateProjectDetails' as const, actorId: ctx.user.id, ...ctx.body }), requestMetadata(ctx));
        return { body: { position: outcome.position } };
      },
    }),
    defineRoute({
      method: 'delete', path: '/api/projects/:projectId', summary: 'Archive a project (its history stays)', tags: TAGS, auth: 'user', params: projectParams,
      responses: { 200: { description: 'Archived', body: Written }, ...WRITE },
      handler: async (ctx) => {
        const outcome = await executor.execute(projectStreamId(ctx.params.projectId), projectDecider, () => ({ type: 'ArchiveProject' as const, actorId: ctx.user.id }), requestMetadata(ctx));
        return { body: { position: outcome.position } };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/projects/:projectId/members', summary: 'Add a member by user id, username or email', tags: TAGS, auth: 'user', params: projectParams, body: addMemberBody,
      responses: { 201: { description: 'Added', body: MemberAdded }, ...WRITE },
      handler: async (ctx) => {
        const user = await resolveUser(ctx.body);
        const outcome = await executor.execute(projectStreamId(ctx.params.projectId), projectDecider, () => ({
          type: 'AddProjectMember' as const, actorId: ctx.user.id, userId: user.userId, username: user.username, role: ctx.body.role,
        }), requestMetadata(ctx));
        return { status: 201, body: { userId: user.userId, role: ctx.body.role, position: outcome.position } };
      },
    }),
    defineRoute({
      method: 'patch', path: '/api/projects/:projectId/members/:userId', summary: "Change a member's role", tags: TAGS, auth: 'user', params: memberParams, body: changeRoleBody,
      responses: { 200: { description: 'Changed', body: Written }, ...WRITE },
      handler: async (ctx) => {
        const outcome = await executor.execute(projectStreamId(ctx.params.projectId), projectDecider, () => ({
          type: 'ChangeProjectMemberRole' as const, actorId: ctx.user.id, userId: ctx.params.userId, role: ctx.body.role,
        }), requestMetadata(ctx));
        return { body: { position: outcome.position } };
      },
    }),
    defineRoute({
      method: 'delete', path: '/api/projects/:projectId/members/:userId', summary: 'Remove a member (or leave the project yourself)', tags: TAGS, auth: 'user', params: memberParams,
      responses: { 200: { description: 'Removed', body: Written }, ...WRITE },
      handler: async (ctx) => {
        const outcome = await executor.execute(projectStreamId(ctx.params.projectId), projectDecider, () => ({
          type: 'RemoveProjectMember' as const, actorId: ctx.user.id, userId: ctx.params.userId,
        }), requestMetadata(ctx));
        return { body: { position: outcome.position } };
      },
    }),
  ];
}
