/** A project's activity feed (filter by type, person and period) and its agent activities. */
import { ActivityPage, AgentActivities } from '@resoft/contracts';
import { type FieldCondition } from '@resoft/ports';
import { defineRoute, type RouteSpec } from '@resoft/http-kit';
import { ReadModels, type ActivityView, type AgentActivityView } from '@resoft/projectors';
import { readYourWrites } from '../consistency/read-your-writes.js';
import { readGuards } from '../auth/read-guards.js';
import type { QueryServiceDeps } from '../query-service-deps.js';
import { activityQuery, consistentQuery, projectParams } from '../query-schemas.js';

const READ = { 401: 'Not signed in', 404: 'Project not found (or you are not a member)' };

export function timelineQueries(deps: QueryServiceDeps): RouteSpec[] {
  const afterWrites = readYourWrites(deps);
  const { projectMember } = readGuards(deps);
  const { readStore } = deps;
  return [
    defineRoute({
      consistency: afterWrites, guard: projectMember('projectId'),
      method: 'get', path: '/api/projects/:projectId/activity', summary: "A project's activity feed, newest first, cursor-paged", tags: ['timeline'], auth: 'user', params: projectParams, query: activityQuery,
      responses: { 200: { description: 'Entries and the cursor for the older page', body: ActivityPage }, 400: 'Invalid filter', ...READ },
      handler: async (ctx) => {
        const { type, actorId, since, until, before, limit } = ctx.query;
        const occurredAt: FieldCondition | undefined =
          since || until ? { ...(since ? { $gte: new Date(since).toISOString() } : {}), ...(until ? { $lte: new Date(until).toISOString() } : {}) } : undefined;
        const page = await readStore.find<ActivityView>(ReadModels.activity, {
          where: {
            projectId: ctx.params.projectId,
            ...(type ? { type } : {}),
            ...(actorId ? { actorId } : {}),
            ...(occurredAt ? { occurredAt } : {}),
            ...(before ? { position: { $lt: before } } : {}),
          },
          orderBy: [{ field: 'position', direction: 'desc' }],
          limit: limit + 1,
        });
        const items = page.slice(0, limit);
        return { body: { items, nextCursor: page.length > limit ? (items[items.length - 1]?.position ?? null) : null } };
      },
    }),
    defineRoute({
      consistency: afterWrites, guard: projectMember('projectId'),
      method: 'get', path: '/api/projects/:projectId/agent-activities', summary: "A project's agent activities, newest first", tags: ['agent-activities'], auth: 'user', params: projectParams, query: consistentQuery,
      responses: { 200: { description: 'Agent activities', body: AgentActivities }, ...READ },
      handler: async (ctx) => {
        const items = await readStore.find<AgentActivityView>(ReadModels.agentActivities, { where: { projectId: ctx.params.projectId }, orderBy: [{ field: 'startedAt', direction: 'desc' }] });
        return { body: { items } };
      },
    }),
  ];
}
