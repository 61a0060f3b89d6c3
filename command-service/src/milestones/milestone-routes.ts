/** Recording that a project reached a milestone. */
import { projectDecider, projectStreamId } from '@resoft/domain';
import { newId } from '@resoft/infra';
import { defineRoute, type RouteSpec } from '@resoft/http-kit';
import { requestMetadata } from '../command-handling/request-metadata.js';
import type { CommandServiceDeps } from '../command-service-deps.js';
import { milestoneBody, projectParams } from '../projects/project-schemas.js';
import { Created } from '@resoft/contracts';

export function milestoneRoutes(deps: CommandServiceDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'post', path: '/api/projects/:projectId/milestones', summary: 'Record a reached milestone', tags: ['milestones'], auth: 'user', params: projectParams, body: milestoneBody,
      responses: { 201: { description: 'Recorded', body: Created }, 400: 'Invalid input', 401: 'Not signed in', 403: 'Needs the editor role', 404: 'Project not found', 409: 'Project archived' },
      handler: async (ctx) => {
        const milestoneId = newId();
        const outcome = await deps.executor.execute(projectStreamId(ctx.params.projectId), projectDecider, () => ({
          type: 'ReachMilestone' as const, actorId: ctx.user.id, milestoneId, ...ctx.body,
        }), requestMetadata(ctx));
        return { status: 201, body: { id: milestoneId, position: outcome.position } };
      },
    }),
  ];
}
