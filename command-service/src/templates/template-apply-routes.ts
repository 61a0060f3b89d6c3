/**
 * Applying a catalog template to a project. Before anything is appended the
 * variables are checked and the template rendered (a 400 names each bad
 * field), the caller's role is checked (editors and owners), and every
 * rendered path is checked against the project's files: valid, unique, and
 * free (without `overwrite`) or not locked by someone else (with it). Then the run starts, each rendered
 * file becomes a project file (`ProjectFiles.write`) and is recorded as
 * progress, and the run completes — or fails with the reason, which the
 * answer carries together with the run id.
 */
import { z } from 'zod';
import { TemplateApplied } from '@resoft/contracts';
import { DomainError, fileTreeDecider, lockAllows, fileTreeStreamId, normaliseFilePath, requireProjectRole, templateRunDecider, templateRunStreamId, type TemplateRunCommand } from '@resoft/domain';
import { inSpan, newId, type Logger } from '@resoft/infra';
import { defineRoute, HttpError, uuidSchema, type RouteSpec } from '@resoft/http-kit';
import { describeTemplateRefusal, renderTemplate, type Rendering, type Template } from '@resoft/templates';
import type { CommandExecutor } from '../command-handling/command-executor.js';
import type { CommandMetadata } from '../command-handling/command-metadata.js';
import { requestMetadata } from '../command-handling/request-metadata.js';
import type { CommandServiceDeps } from '../command-service-deps.js';
import { MAX_FILE_BYTES, type ProjectFiles } from '../files/project-files.js';
import { loadProjectContext } from '../projects/project-context-loader.js';

const applyBody = z.strictObject({
  projectId: uuidSchema,
  templateId: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'is a template id such as "microservice"'),
  variables: z.record(z.string().max(100), z.union([z.string().max(1000), z.number(), z.boolean()])).default({}),
  overwrite: z.boolean().default(false),
});

/** Renders, turning the engine's refusals into 400s that name the field. */
export function renderOrRefuse(template: Template, variables: Readonly<Record<string, unknown>>): Rendering {
  try {
    return renderTemplate(template, variables);
  } catch (error) {
    const refusal = describeTemplateRefusal(error);
    if (refusal) throw new HttpError(400, refusal.code, refusal.message, refusal.fields);
    throw error;
  }
}

export interface TemplateRunOutcome {
  readonly runId: string;
  readonly status: 'completed' | 'failed';
  readonly position: number;
  readonly reason?: string;
}

/** Names up to five paths of a list, for a message. */
const listed = (paths: readonly string[]): string => `${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ', …' : ''}`;

/**
 * Refuses before the run starts, so a refused apply writes nothing: a caller below editor (403, or
 * 404 for a non-member); any rendered path that is not a valid project path, or that two rendered
 * files share once normalised, or whose content is too large (400); without `overwrite`, files
 * already at rendered paths (409); with it, files there that another member has locked (409).
 * Every target is checked before the first file is written.
 */
async function checkBeforeRun(executor: CommandExecutor, rendering: Rendering, input: { projectId: string; actorId: string; overwrite: boolean }): Promise<void> {
  requireProjectRole(await loadProjectContext(executor, input.projectId), input.actorId, 'editor');
  const invalid: string[] = [];
  const targets: string[] = [];
  for (const file of rendering.files) {
    try {
      targets.push(normaliseFilePath(file.path));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      invalid.push(`${file.path}: ${error.message}`);
    }
    if (Buffer.byteLength(file.content) > MAX_FILE_BYTES) invalid.push(`${file.path}: larger than ${MAX_FILE_BYTES} bytes`);
  }
  if (invalid.length > 0) throw new HttpError(400, 'invalid_target_paths', `The template renders files the project cannot hold: ${listed(invalid)}`);
  const twice = targets.filter((path, i) => targets.indexOf(path) !== i);
  if (twice.length > 0) throw new HttpError(400, 'invalid_target_paths', `The template renders several files at ${listed([...new Set(twice)])}`);

  const tree = await executor.read(fileTreeStreamId(input.projectId), fileTreeDecider);
  const taken = targets.filter((path) => tree.paths.has(path));
  if (!input.overwrite) {
    if (taken.length > 0) throw new HttpError(409, 'files_exist', `The project already has ${taken.length} of these files (${listed(taken)}); apply with "overwrite": true to replace them`);
    return;
  }
  const locked = taken.filter((path) => {
    return !lockAllows(tree.files.get(tree.paths.get(path)!)?.lockedBy ?? null, input.actorId);
  });
  if (locked.length > 0) throw new HttpError(409, 'files_locked', `Another member has locked ${locked.length} of these files (${listed(locked)}): nothing was written; apply again once they are unlocked`);
}

/** Runs an applied template to its end: each file written and recorded, then completion; a failure on the way is recorded, not thrown. */
export async function applyRendering(
  executor: CommandExecutor,
  files: ProjectFiles,
  rendering: Rendering,
  input: { projectId: string; actorId: string; overwrite: boolean },
  meta: CommandMetadata,
  log: Logger,
): Promise<TemplateRunOutcome> {
  await checkBeforeRun(executor, rendering, input);
  const runId = newId();
  const streamId = templateRunStreamId(runId);
  const step = (command: TemplateRunCommand) => executor.execute(streamId, templateRunDecider, () => command, meta);
  await executor.execute(streamId, templateRunDecider, async () => ({
    type: 'StartTemplateRun' as const, runId, templateId: rendering.templateId, templateVersion: rendering.version, variables: { ...rendering.values },
    fileCount: rendering.files.length, overwrite: input.overwrite, actorId: input.actorId, project: await loadProjectContext(executor, input.projectId),
  }), meta);
  try {
    for (const file of rendering.files) {
      const written = await files.write({ projectId: input.projectId, actorId: input.actorId, path: file.path, content: file.content, overwrite: input.overwrite }, meta);
      await step({ type: 'RecordTemplateFile', path: file.path, size: file.size, sha256: file.sha256, fileId: written.fileId });
    }
    const done = await step({ type: 'CompleteTemplateRun' });
    return { runId, status: 'completed', position: done.position };
  } catch (error) {
    const reason = error instanceof DomainError || error instanceof HttpError ? error.message : 'The run stopped on an unexpected error';
    if (!(error instanceof DomainError || error instanceof HttpError)) log.error({ err: error, runId }, 'template run failed');
    const failed = await step({ type: 'FailTemplateRun', reason });
    return { runId, status: 'failed', position: failed.position, reason };
  }
}

export function templateApplyRoutes(deps: CommandServiceDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'post', path: '/api/v1/templates/apply', summary: 'Apply a catalog template to a project (a template run)', tags: ['templates'], auth: 'user', body: applyBody,
      responses: {
        201: { description: 'The run completed: its id and the position of its last event', body: TemplateApplied }, 400: 'Invalid variables (each field named), or rendered paths the project cannot hold', 401: 'Not signed in', 403: 'Needs the editor role',
        404: 'Template or project not found', 409: 'Files already exist at rendered paths (without overwrite), another member locked one of them (with overwrite), the project is archived, or the run failed (the answer carries the run id and reason); a refusal before the run writes nothing',
      },
      handler: async (ctx) => {
        const template = deps.templates.get(ctx.body.templateId);
        if (!template) throw new HttpError(404, 'template_not_found', `No template "${ctx.body.templateId}" in the catalog`);
        const rendering = renderOrRefuse(template, ctx.body.variables);
        const outcome = await inSpan('template run', { parent: ctx.span, attributes: { 'resoft.template_id': rendering.templateId, 'resoft.files': rendering.files.length } }, (span) =>
          applyRendering(deps.executor, deps.files, rendering, { projectId: ctx.body.projectId, actorId: ctx.user.id, overwrite: ctx.body.overwrite }, { ...requestMetadata(ctx), trace: span }, ctx.log),
        );
        const body = { id: outcome.runId, status: outcome.status, position: outcome.position, fileCount: rendering.files.length, totalBytes: rendering.totalBytes };
        if (outcome.status === 'failed') return { status: 409, body: { ...body, error: { code: 'template_run_failed', message: outcome.reason, requestId: ctx.requestId } } };
        return { status: 201, body };
      },
    }),
  ];
}
