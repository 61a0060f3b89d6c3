/**
 * Code-quality checks on the command side: submit a check (pasted code or
 * files; `?wait=true` waits, bounded, for the result), and what this
 * process's runner can run (`/linters`, `/health`). A check inside a project
 * needs membership; without a project it is personal to its requester.
 */
import { z } from 'zod';
import {
  checkDecider, checkStreamId, foldCheckReport, languageSchema, linterNameSchema, pastedFile, prepareCheck,
  type CheckEvent, type CheckReport, type RecordedEvent,
} from '@resoft/domain';
import { defineRoute, newId, uuidSchema, type CheckConfig, type EventStore, type RouteSpec } from '@resoft/infra';
import { requestMetadata } from '../command-handling/request-metadata.js';
import type { CommandServiceDeps } from '../command-service-deps.js';
import { loadProjectContext } from '../projects/project-context-loader.js';

const TAGS = ['code-quality'];

const fileSchema = z.strictObject({
  path: z.string().min(1).max(200).describe('Relative path, e.g. src/app.py; its extension gives the language'),
  content: z.string(),
});

const checkBody = z.strictObject({
  projectId: uuidSchema.optional().describe('The project the check belongs to (members see it); omit for a personal check'),
  language: languageSchema.optional().describe('Detected from file names, or from the content of pasted code, when omitted'),
  linters: z.array(linterNameSchema).min(1).max(4).optional().describe('Default: every linter of the languages submitted'),
  code: z.string().optional().describe('Pasted code (one file)'),
  filename: z.string().min(1).max(200).optional().describe('A name for pasted code'),
  files: z.array(fileSchema).min(1).max(1000).optional().describe('Uploaded files'),
}).refine((b) => (b.code === undefined) !== (b.files === undefined), { message: 'Send either code (pasted) or files (uploaded), not both' });

const checkQuery = z.object({
  wait: z.enum(['true', 'false']).optional().transform((v) => v === 'true').describe('Wait (bounded) for the result'),
});

const publicBounds = ({ maxFiles, maxFileBytes, maxFindingsPerFile, timeoutMs, memoryMb, outputBytes, waitMs }: CheckConfig) =>
  ({ maxFiles, maxFileBytes, maxFindingsPerFile, timeoutMs, memoryMb, outputBytes, waitMs });

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
  return foldCheckReport(events.map((e: RecordedEvent) => ({ event: { type: e.type, data: e.data } as CheckEvent, occurredAt: e.metadata.occurredAt, position: e.position })));
}

export function checkRoutes(deps: CommandServiceDeps): RouteSpec[] {
  const { executor, checks, store } = deps;
  return [
    defineRoute({
      method: 'post', path: '/api/code-quality/check', summary: 'Run a code-quality check on pasted code or uploaded files',
      tags: TAGS, auth: 'user', query: checkQuery, body: checkBody,
      responses: {
        200: 'With wait=true: the finished check', 202: 'Accepted: the check id and the position of CheckRequested (pass it as ?after= to the check read)',
        400: 'Invalid input, nothing to check, or too many files', 401: 'Not signed in', 404: 'Project not found', 409: 'The project is archived', 413: 'Body too large',
      },
      handler: async (ctx) => {
        const { body } = ctx;
        const submitted = body.code !== undefined ? [pastedFile(body.code, body.language, body.filename)] : body.files!;
        const prepared = prepareCheck(submitted, { language: body.language, linters: body.linters }, checks.config);
        const checkId = newId();
        const outcome = await executor.execute(checkStreamId(checkId), checkDecider, async () => ({
          type: 'RequestCheck' as const, checkId, actorId: ctx.user.id, source: body.code !== undefined ? 'paste' as const : 'upload' as const,
          project: body.projectId ? await loadProjectContext(executor, body.projectId) : null, ...prepared,
        }), requestMetadata(ctx));
        if (!ctx.query.wait) return { status: 202, body: { id: checkId, position: outcome.position, status: 'requested' } };
        const finished = await waitForCheckEnd(store, checkId, outcome.position - 1, checks.config.waitMs);
        const report = await readCheckReport(store, checkId);
        if (!finished || !report) return { status: 202, body: { id: checkId, position: report?.position ?? outcome.position, status: report?.status ?? 'requested' } };
        return { status: 200, body: { id: checkId, position: report.position, status: report.status, check: report } };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/code-quality/linters', summary: 'The linters this deployment runs: languages, versions, availability, options', tags: TAGS, auth: 'user',
      responses: { 200: 'Linters', 401: 'Not signed in' },
      handler: async () => ({ body: { linters: await checks.engine.inventory(), memoryBounded: checks.engine.memoryBounded, bounds: publicBounds(checks.config) } }),
    }),
    defineRoute({
      method: 'get', path: '/api/code-quality/health', summary: "The check runner's state and each linter's availability", tags: TAGS, auth: 'none',
      responses: { 200: 'Healthy or degraded (some linters unavailable)' },
      handler: async () => {
        const linters = await checks.engine.inventory();
        const unavailable = linters.filter((l) => !l.available);
        const runner = checks.runner?.stats() ?? null;
        return {
          body: {
            status: unavailable.length === 0 && runner?.following !== false ? 'ok' : 'degraded',
            linters: Object.fromEntries(linters.map((l) => [l.name, l.available ? 'available' : `unavailable: ${l.reason}`])),
            runner,
          },
        };
      },
    }),
  ];
}
