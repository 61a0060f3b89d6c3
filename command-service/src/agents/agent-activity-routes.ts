/** Recording what the ResoftAI agents do on a project: start, progress, completion or failure. */
import { z } from 'zod';
import { agentActivityDecider, agentRoleSchema, agentStreamId, type AgentActivityCommand } from '@resoft/domain';
import { newId } from '@resoft/infra';
import { defineRoute, uuidSchema, type RouteSpec } from '@resoft/http-kit';
import { requestMetadata } from '../command-handling/request-metadata.js';
import type { CommandServiceDeps } from '../command-service-deps.js';
import { loadProjectContext } from '../projects/project-context-loader.js';
import { Created, Written } from '@resoft/contracts';

const TAGS = ['agent-activities'];
const WRITE = { 400: 'Invalid input', 401: 'Not signed in', 403: 'Needs the editor role', 404: 'Activity or project not found', 409: 'The activity has finished, or the project is archived' };
const activityParams = z.object({ activityId: uuidSchema });
const startBody = z.strictObject({ projectId: uuidSchema, agent: agentRoleSchema, title: z.string().trim().min(1).max(200) });
const progressBody = z.strictObject({ progress: z.number().int().min(0).max(100), message: z.string().max(2000).default('') });
const summaryBody = z.strictObject({ summary: z.string().max(10_000).default('') });

type Step = { type: 'RecordAgentProgress'; progress: number; message: string } | { type: 'CompleteAgentActivity' | 'FailAgentActivity'; summary: string };

export function agentActivityRoutes(deps: CommandServiceDeps): RouteSpec[] {
  const { executor } = deps;
  const step = (suffix: string, summary: string, body: typeof progressBody | typeof summaryBody, toStep: (b: never) => Step): RouteSpec =>
    defineRoute({
      method: 'post', path: `/api/agent-activities/:activityId/${suffix}`, summary, tags: TAGS, auth: 'user', params: activityParams, body,
      responses: { 200: { description: 'Recorded', body: Written }, ...WRITE },
      handler: async (ctx) => {
        const outcome = await executor.execute(agentStreamId(ctx.params.activityId), agentActivityDecider, async (activity) => ({
          ...toStep(ctx.body as never), actorId: ctx.user.id, project: await loadProjectContext(executor, activity.projectId),
        }) as AgentActivityCommand, requestMetadata(ctx));
        return { body: { position: outcome.position } };
      },
    });

  return [
    defineRoute({
      method: 'post', path: '/api/agent-activities', summary: 'Start an agent activity on a project', tags: TAGS, auth: 'user', body: startBody,
      responses: { 201: { description: 'Started', body: Created }, ...WRITE },
      handler: async (ctx) => {
        const activityId = newId();
        const outcome = await executor.execute(agentStreamId(activityId), agentActivityDecider, async () => ({
          type: 'StartAgentActivity' as const, activityId, agent: ctx.body.agent, title: ctx.body.title, actorId: ctx.user.id,
          project: await loadProjectContext(executor, ctx.body.projectId),
        }), requestMetadata(ctx));
        return { status: 201, body: { id: activityId, position: outcome.position } };
      },
    }),
    step('progress', 'Record progress of a running activity', progressBody, (b: z.output<typeof progressBody>) => ({ type: 'RecordAgentProgress', ...b })),
    step('complete', 'Complete an activity with a summary', summaryBody, (b: z.output<typeof summaryBody>) => ({ type: 'CompleteAgentActivity', ...b })),
    step('fail', 'Mark an activity failed with a summary', summaryBody, (b: z.output<typeof summaryBody>) => ({ type: 'FailAgentActivity', ...b })),
  ];
}
