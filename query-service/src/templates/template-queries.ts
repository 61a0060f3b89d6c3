/**
 * The template catalog (list, show, preview) and template runs (status,
 * live progress over Server-Sent Events, zip download). Preview renders
 * through the same engine call as apply. A run is visible to members of its
 * project only; anyone else is told it does not exist.
 */
import { z } from 'zod';
import { TemplateCatalog, TemplateDescription, TemplatePreview, TemplateRun } from '@resoft/contracts';
import { templateRunStreamId, type RecordedEvent, type TemplateRunEvent } from '@resoft/domain';
import { afterPositionSchema, defineRoute, HttpError, openEventStream, uuidSchema, type RouteSpec } from '@resoft/http-kit';
import { ReadModels, type TemplateRunView } from '@resoft/projectors';
import { describe as describeTemplate, describeTemplateRefusal, fileTree, renderTemplate, summarize, zip, type Rendering, type Template } from '@resoft/templates';
import { requireMember } from '../auth/membership.js';
import { readYourWrites } from '../consistency/read-your-writes.js';
import type { QueryServiceDeps } from '../query-service-deps.js';

const TAGS = ['templates'];
const slug = z.string().regex(/^[a-z][a-z0-9-]{0,60}$/, 'is lower-case letters, digits and dashes');
const templateParams = z.object({ id: slug });
const runParams = z.object({ id: uuidSchema });
const catalogQuery = z.object({
  category: slug.optional().describe('Only templates of this category'),
  tag: z.string().regex(/^[a-z0-9][a-z0-9+.-]{0,30}$/).optional().describe('Only templates with this tag'),
  q: z.string().regex(/^[A-Za-z0-9_.+-]{1,60}$/, 'is one word').optional().describe('Keyword in the id, name, description or tags'),
});
const filePath = z.string().min(1).max(400).describe('Also return the rendered content of this file');
/** Preview by GET: every query parameter but `file` is a variable (text; integers and booleans are read from it). */
const previewQuery = z.record(z.string().max(100), z.string().max(1000, 'must be at most 1000 characters')).refine((q) => Object.keys(q).length <= 100, 'too many variables');
const previewBody = z.strictObject({
  variables: z.record(z.string().max(100), z.union([z.string().max(1000), z.number(), z.boolean()])).default({}),
  file: filePath.optional(),
});
const FINISHED = new Set(['TemplateRunCompleted', 'TemplateRunFailed']);
/** How long one progress stream stays open at most; a client reconnects with Last-Event-ID. */
const MAX_STREAM_MS = 10 * 60_000;

function requireTemplate(deps: QueryServiceDeps, id: string): Template {
  const template = deps.templates.get(id);
  if (!template) throw new HttpError(404, 'template_not_found', `No template "${id}" in the catalog`);
  return template;
}

function renderOrRefuse(template: Template, variables: Readonly<Record<string, unknown>>, prefix: string): Rendering {
  try {
    return renderTemplate(template, variables);
  } catch (error) {
    const refusal = describeTemplateRefusal(error, prefix);
    if (refusal) throw new HttpError(400, refusal.code, refusal.message, refusal.fields);
    throw error;
  }
}

function preview(rendering: Rendering, file: string | undefined) {
  const shown = file === undefined ? undefined : rendering.files.find((f) => f.path === file);
  if (file !== undefined && !shown) throw new HttpError(404, 'file_not_found', `The rendered template has no file "${file}"`);
  return {
    templateId: rendering.templateId,
    version: rendering.version,
    variables: rendering.values,
    totalBytes: rendering.totalBytes,
    files: rendering.files.map(({ path, size, sha256 }) => ({ path, size, sha256 })),
    tree: fileTree(rendering.files),
    ...(shown ? { file: { path: shown.path, size: shown.size, sha256: shown.sha256, content: shown.content } } : {}),
  };
}

/** A run's events from the event store (the source of truth, no projection lag), after checking the reader is a member. */
async function readRun(deps: QueryServiceDeps, runId: string, userId: string): Promise<RecordedEvent[]> {
  const events = await deps.eventStore.readStream(templateRunStreamId(runId));
  const projectId = (events[0]?.data as { projectId?: string } | undefined)?.projectId;
  if (!projectId) throw new HttpError(404, 'template_run_not_found', 'Template run not found');
  try {
    await requireMember(deps, projectId, userId);
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) throw new HttpError(404, 'template_run_not_found', 'Template run not found');
    throw error;
  }
  return events;
}

const progressEvent = (event: RecordedEvent) => ({ id: event.position, event: event.type, data: { type: event.type, position: event.position, occurredAt: event.metadata.occurredAt, ...(event.data as object) } });

export function templateQueries(deps: QueryServiceDeps): RouteSpec[] {
  const afterWrites = readYourWrites(deps);
  const READ = { 401: 'Not signed in' };
  return [
    defineRoute({
      method: 'get', path: '/api/v1/templates', summary: 'The template catalog, filtered by category, tag or keyword', tags: TAGS, auth: 'user', query: catalogQuery,
      responses: { 200: { description: 'Templates', body: TemplateCatalog }, 400: 'Invalid filter', ...READ },
      handler: async (ctx) => ({ body: { items: deps.templates.list({ category: ctx.query.category, tag: ctx.query.tag, keyword: ctx.query.q }).map((t) => summarize(t.manifest)) } }),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/templates/:id', summary: 'One template: its variables (JSON Schema), install commands, requirements and dependencies', tags: TAGS, auth: 'user', params: templateParams,
      responses: { 200: { description: 'The template', body: TemplateDescription }, 404: 'No such template', ...READ },
      handler: async (ctx) => ({ body: describeTemplate(requireTemplate(deps, ctx.params.id)) }),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/templates/:id/preview', summary: 'Preview a template: file tree with sizes (variables as query parameters; `file` adds one file\'s content)', tags: TAGS, auth: 'user', params: templateParams, query: previewQuery,
      responses: { 200: { description: 'The rendered tree', body: TemplatePreview }, 400: 'Invalid variables (each field named)', 404: 'No such template or file', ...READ },
      handler: async (ctx) => {
        const { file, ...variables } = ctx.query;
        if (file !== undefined) filePath.parse(file);
        return { body: preview(renderOrRefuse(requireTemplate(deps, ctx.params.id), variables, 'query'), file) };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/templates/:id/preview', summary: 'Preview a template with typed variables in the body', tags: TAGS, auth: 'user', params: templateParams, body: previewBody,
      responses: { 200: { description: 'The rendered tree', body: TemplatePreview }, 400: 'Invalid variables (each field named)', 404: 'No such template or file', ...READ },
      handler: async (ctx) => ({ body: preview(renderOrRefuse(requireTemplate(deps, ctx.params.id), ctx.body.variables, 'body.variables'), ctx.body.file) }),
    }),
    defineRoute({
      consistency: afterWrites,
      method: 'get', path: '/api/v1/template-runs/:id', summary: 'A template run: status, variables and the files rendered so far', tags: TAGS, auth: 'user', params: runParams, query: z.object({ after: afterPositionSchema }),
      responses: { 200: { description: 'The run', body: TemplateRun }, 404: 'Run not found (or you are not a member of its project)', ...READ },
      handler: async (ctx) => {
        const run = await deps.readStore.get<TemplateRunView>(ReadModels.templateRuns, ctx.params.id);
        if (!run) throw new HttpError(404, 'template_run_not_found', 'Template run not found');
        await requireMember(deps, run.projectId, ctx.user.id).catch((error: unknown) => {
          throw error instanceof HttpError && error.status === 404 ? new HttpError(404, 'template_run_not_found', 'Template run not found') : error;
        });
        return { body: run };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/v1/template-runs/:id/events', summary: "A run's progress as Server-Sent Events (replayed, then live until it completes or fails; resumes after Last-Event-ID)", tags: TAGS, auth: 'user', params: runParams,
      responses: { 200: { description: 'Server-Sent Events: TemplateRunStarted, TemplateFileRendered…, TemplateRunCompleted or TemplateRunFailed, each with the event\'s data, type, position and occurredAt', contentType: 'text/event-stream' }, 404: 'Run not found (or you are not a member of its project)', ...READ },
      handler: async (ctx) => {
        const streamId = templateRunStreamId(ctx.params.id);
        const history = await readRun(deps, ctx.params.id, ctx.user.id);
        const stream = openEventStream(ctx.req, ctx.res);
        const resumeAfter = Number(stream.lastEventId ?? 0) || 0;
        let last = 0;
        const deliver = (event: RecordedEvent): void => {
          if (event.streamId !== streamId || event.position <= last) return;
          last = event.position;
          if (event.position > resumeAfter) stream.send(progressEvent(event));
          if (FINISHED.has(event.type)) stream.close();
        };
        history.forEach(deliver);
        if (stream.closed) return {};
        const subscription = deps.eventStore.subscribeToAll({
          after: last,
          onEvents: async (events) => events.forEach(deliver),
          onError: (error) => {
            ctx.log.warn({ err: error }, 'template run progress stream stopped');
            stream.close();
          },
        });
        const timeout = setTimeout(() => stream.close(), MAX_STREAM_MS);
        timeout.unref();
        await stream.done;
        clearTimeout(timeout);
        await subscription.stop();
        return {};
      },
    }),
    defineRoute({
      method: 'get', path: '/api/v1/template-runs/:id/zip', summary: "Download a completed run's files as a zip (rendered again from the recorded template version and variables)", tags: TAGS, auth: 'user', params: runParams,
      responses: { 200: { description: 'The rendered files (zip)', contentType: 'application/zip' }, 404: 'Run not found (or you are not a member of its project)', 409: 'The run did not complete, or the catalog no longer has its template version', ...READ },
      handler: async (ctx) => {
        const events = (await readRun(deps, ctx.params.id, ctx.user.id)) as unknown as (RecordedEvent & TemplateRunEvent)[];
        const started = events[0];
        if (started?.type !== 'TemplateRunStarted') throw new HttpError(404, 'template_run_not_found', 'Template run not found');
        if (events[events.length - 1]?.type !== 'TemplateRunCompleted') throw new HttpError(409, 'template_run_not_completed', 'Only a completed run can be downloaded');
        const { templateId, templateVersion, variables } = started.data;
        const template = deps.templates.get(templateId);
        if (!template || template.manifest.version !== templateVersion) {
          throw new HttpError(409, 'template_version_unavailable', `The catalog no longer has ${templateId} ${templateVersion}`);
        }
        const rendering = renderTemplate(template, variables);
        const recorded = events.flatMap((e) => (e.type === 'TemplateFileRendered' ? [`${e.data.path}:${e.data.sha256}`] : []));
        if (recorded.join('\n') !== rendering.files.map((f) => `${f.path}:${f.sha256}`).join('\n')) {
          throw new HttpError(409, 'template_output_changed', 'Rendering the recorded template again gives different files than the run recorded');
        }
        ctx.res.status(200).setHeader('Content-Type', 'application/zip');
        ctx.res.setHeader('Content-Disposition', `attachment; filename="${templateId}-${ctx.params.id}.zip"`);
        ctx.res.end(zip(rendering.files));
        return {};
      },
    }),
  ];
}
