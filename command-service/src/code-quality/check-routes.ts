/**
 * Code-quality checks on the command side: submit a check (pasted code,
 * uploaded files, or project files at a version; `?wait=true` waits, bounded,
 * for the result), and what this
 * process's runner can run (`/linters`, `/health`). A check inside a project
 * needs membership; without a project it is personal to its requester.
 * A submission within the limits on open checks (429 beyond) stores its code
 * in the source store first, then appends `CheckRequested` naming it by hash.
 */
import { z } from 'zod';
import { CheckAccepted, CheckFinished, CodeQualityHealth, Linters } from '@resoft/contracts';
import {
  checkDecider, checkedFile, checkStreamId, foldCheckReport, languageSchema, linterNameSchema, pastedFile, prepareCheck,
  reject, requireProjectRole, textAddress, upcast, type CheckEvent, type CheckFile, type CheckReport, type RecordedEvent,
} from '@resoft/domain';
import { newId } from '@resoft/infra';
import { type EventStore } from '@resoft/ports';
import { type CheckConfig } from '../command-service-config.js';
import { defineRoute, HttpError, uuidSchema, type RouteSpec } from '@resoft/http-kit';
import { requestMetadata } from '../command-handling/request-metadata.js';
import type { CommandServiceDeps } from '../command-service-deps.js';
import { loadProjectContext } from '../projects/project-context-loader.js';
import { projectTreeOf, readProjectContext } from './project-tree.js';
import { admitCheck } from './check-admission.js';

const TAGS = ['code-quality'];

const fileSchema = z.strictObject({
  path: z.string().min(1).max(200).describe('Relative path, e.g. src/app.py; its extension gives the language'),
  content: z.string(),
  context: z.boolean().optional().describe('Part of the uploaded tree that the linters read (imports resolve against it) but do not check: no findings, no score'),
});

const checkBody = z.strictObject({
  projectId: uuidSchema.optional().describe('The project the check belongs to (members see it); omit for a personal check'),
  language: languageSchema.optional().describe('Detected from file names, or from the content of pasted code, when omitted'),
  linters: z.array(linterNameSchema).min(1).max(4).optional().describe('Default: every linter of the languages submitted'),
  code: z.string().optional().describe('Pasted code (one file)'),
  filename: z.string().min(1).max(200).optional().describe('A name for pasted code'),
  files: z.array(fileSchema).min(1).max(1000).optional().describe('Uploaded files'),
  projectFiles: z.array(z.strictObject({
    fileId: uuidSchema, version: z.number().int().min(0).optional().describe('Default: the latest version'),
  })).min(1).max(1000).optional().describe("Files of the project (needs projectId), each at a version"),
})
  .refine((b) => [b.code, b.files, b.projectFiles].filter((source) => source !== undefined).length === 1, { message: 'Send one of code (pasted), files (uploaded) or projectFiles' })
  .refine((b) => b.projectFiles === undefined || b.projectId !== undefined, { message: 'projectFiles needs the projectId they belong to', path: ['projectId'] });

const checkQuery = z.object({
  wait: z.enum(['true', 'false']).optional().transform((v) => v === 'true').describe('Wait (bounded) for the result'),
});

const publicBounds = ({ maxFiles, maxFileBytes, maxFindingsPerFile, timeoutMs, memoryMb, outputBytes, waitMs, maxOpenPerUser, maxOpenPerProject }: CheckConfig) =>
  ({ maxFiles, maxFileBytes, maxFindingsPerFile, timeoutMs, memoryMb, outputBytes, waitMs, maxOpenPerUser, maxOpenPerProject });

/** How long a request waits for the backlog to have read the log once (only just after start) before answering 503. */
const BACKLOG_LOAD_WAIT_MS = 5_000;

const FINISHED = new Set(['CheckCompleted', 'CheckFailed']);

/** Resolves when the check's stream has its final event, or after `timeoutMs`; true when it finished. */
export function waitForCheckEnd(store: EventStore, checkId: string, after: number, timeoutMs: number): Promise<boolean> {
  const streamId = checkStreamId(checkId);
  return new Promise((resolve) => {
    let done = false;
    const finish = (finished: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // Not awaited: stop() waits for the running handler, which may be the one calling finish.
      void subscription.stop();
      resolve(finished);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    const subscription = store.subscribeToAll({
      after,
      onEvents: async (events) => {
        if (events.some((e) => e.streamId === streamId && FINISHED.has(e.type))) finish(true);
      },
      onError: () => finish(false),
    });
  });
}

export async function readCheckReport(store: EventStore, checkId: string): Promise<CheckReport | null> {
  const events = await store.readStream(checkStreamId(checkId));
  return foldCheckReport(events.map((e: RecordedEvent) => ({ event: { type: e.type, data: upcast(e).data } as CheckEvent, occurredAt: e.metadata.occurredAt, position: e.position })));
}

/** The text of project files at their versions; the file store checks the reader is a member. */
async function readProjectFiles(deps: CommandServiceDeps, projectId: string, refs: readonly { fileId: string; version?: number | undefined }[], actorId: string, maxFiles: number): Promise<CheckFile[]> {
  if (refs.length > maxFiles) reject('invalid', 'too_many_files', `A check takes at most ${maxFiles} files (${refs.length} submitted)`);
  const files: CheckFile[] = [];
  for (const ref of refs) {
    const file = await deps.files.read(projectId, ref.fileId, ref.version, actorId);
    files.push({ path: file.path, content: file.text, origin: { fileId: ref.fileId, version: file.version } });
  }
  return files;
}

export function checkRoutes(deps: CommandServiceDeps): RouteSpec[] {
  const { executor, checks, store } = deps;
  const { backlog, sources } = checks;
  return [
    defineRoute({
      method: 'post', path: '/api/code-quality/check', summary: 'Run a code-quality check on pasted code or uploaded files',
      tags: TAGS, auth: 'user', query: checkQuery, body: checkBody,
      responses: {
        200: { description: 'With wait=true: the finished check', body: CheckFinished },
        202: { description: 'Accepted (or, with wait=true, not finished within the wait): the check id and the position of CheckRequested (pass it as ?after= to the check read)', body: CheckAccepted },
        400: 'Invalid input, nothing to check, or too many files', 401: 'Not signed in', 404: 'Project not found', 409: 'The project is archived', 413: 'Body too large',
        429: 'Too many checks queued or running: for you (RESOFT_CHECK_MAX_OPEN_PER_USER) or for the project (RESOFT_CHECK_MAX_OPEN_PER_PROJECT); Retry-After says when to try again',
        503: 'The check queue is still loading after a restart; Retry-After says when to try again',
      },
      handler: async (ctx) => {
        const { body } = ctx;
        const source = body.code !== undefined ? 'paste' as const : body.files !== undefined ? 'upload' as const : 'project_file' as const;
        // Membership first: a non-member learns nothing, not even that the project is busy.
        const project = body.projectId ? await loadProjectContext(executor, body.projectId) : null;
        if (project) requireProjectRole(project, ctx.user.id, 'viewer');
        const submitted = source === 'paste' ? [pastedFile(body.code!, body.language, body.filename)] : source === 'upload' ? body.files! : await readProjectFiles(deps, body.projectId!, body.projectFiles!, ctx.user.id, checks.config.maxFiles);
        const prepared = prepareCheck(submitted, { language: body.language, linters: body.linters }, checks.config);
        // The project tree: uploads carry theirs; a check of project files reads the project's other files as context.
        const tree = source === 'project_file' && prepared.files.length > 0
          ? await readProjectContext(
            () => deps.files.livePaths(body.projectId!, ctx.user.id), (fileId) => deps.files.read(body.projectId!, fileId, undefined, ctx.user.id),
            prepared.files, new Set(prepared.files.map((f) => f.language)), checks.config.maxFileBytes,
          )
          : { context: [], manifests: [] };
        const { requirements, packageTypes } = projectTreeOf([...submitted, ...tree.manifests]);
        const linted = [...prepared.files, ...tree.context];
        const checkId = newId();
        // Nothing to check is a 400 from the decider, whatever the queue holds.
        const admitted = prepared.files.length > 0 && prepared.linters.length > 0;
        if (admitted) {
          if (!(await backlog.caughtUp(BACKLOG_LOAD_WAIT_MS))) throw new HttpError(503, 'checks_loading', 'The check queue is still loading; try again shortly', undefined, { 'Retry-After': '2' });
          admitCheck(backlog, checks.config, { checkId, requestedBy: ctx.user.id, projectId: body.projectId ?? null });
        }
        let outcome;
        try {
          // Stored before the event that names it, so a reader of the event always finds the code.
          const stored = admitted ? await sources.put(linted.map((file) => file.content)) : linted.map((file) => textAddress(file.content));
          const files = linted.map((file, i) => checkedFile(file, stored[i]!));
          outcome = await executor.execute(checkStreamId(checkId), checkDecider, async () => ({
            type: 'RequestCheck' as const, checkId, actorId: ctx.user.id, source,
            project: body.projectId ? await loadProjectContext(executor, body.projectId) : null,
            linters: prepared.linters, files, ignoredFiles: prepared.ignoredFiles, requirements, packageTypes,
          }), requestMetadata(ctx));
        } catch (error) {
          backlog.release(checkId);
          throw error;
        }
        if (!ctx.query.wait) return { status: 202, body: { id: checkId, position: outcome.position, status: 'requested' } };
        const finished = await waitForCheckEnd(store, checkId, outcome.position - 1, checks.config.waitMs);
        const report = await readCheckReport(store, checkId);
        if (!finished || !report) return { status: 202, body: { id: checkId, position: report?.position ?? outcome.position, status: report?.status ?? 'requested' } };
        return { status: 200, body: { id: checkId, position: report.position, status: report.status, check: report } };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/code-quality/linters', summary: 'The linters this deployment runs: languages, versions, availability, options', tags: TAGS, auth: 'user',
      responses: { 200: { description: 'Linters', body: Linters }, 401: 'Not signed in' },
      handler: async () => ({ body: { linters: await checks.engine.inventory(), memoryBounded: checks.engine.memoryBounded, bounds: publicBounds(checks.config) } }),
    }),
    defineRoute({
      method: 'get', path: '/api/code-quality/health', summary: "The check runner's state and each linter's availability", tags: TAGS, auth: 'none',
      responses: { 200: { description: 'Healthy or degraded (some linters unavailable, or no sandbox for Python linters). `isolation` says how Python linters are isolated: "bubblewrap" (each run in its own sandbox), "none (opted in)" (no sandbox could start and RESOFT_CHECK_ALLOW_UNSANDBOXED=true: they run unsandboxed) or "unavailable" (no sandbox could start: Python checks are refused)', body: CodeQualityHealth } },
      handler: async () => {
        const [linters, sandbox] = await Promise.all([checks.engine.inventory(), checks.engine.isolation()]);
        const unavailable = linters.filter((l) => !l.available);
        const runner = checks.runner?.stats() ?? null;
        return {
          body: {
            status: unavailable.length === 0 && sandbox.isolation === 'bubblewrap' && runner?.following !== false ? 'ok' : 'degraded',
            isolation: sandbox.isolation,
            // Public: names availability only; why a linter is unavailable is on the signed-in /linters.
            linters: Object.fromEntries(linters.map((l) => [l.name, l.available ? 'available' : 'unavailable'])),
            runner,
          },
        };
      },
    }),
  ];
}
