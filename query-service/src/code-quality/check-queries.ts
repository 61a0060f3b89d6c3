/**
 * Reading code-quality checks: one check with what is new since the previous
 * run, its exports (SARIF, JSON, Markdown), the code it checked (from the
 * source store, by the hashes the request recorded), and a project's history
 * with the score trend. A project's check is visible to its members only; a personal
 * check to its requester only; anyone else is told it does not exist.
 */
import { z } from 'zod';
import { CHECK_EXPORT_MEDIA_TYPES, CheckAnswer, CheckExport, CheckHistory, CheckSources } from '@resoft/contracts';
import { checkStreamId, mayReadProject, newSince, toMarkdown, toSarif, upcast, type CheckRequestedData, type Finding } from '@resoft/domain';
import { MissingSourcesError, readCheckedSources, type Filter } from '@resoft/ports';
import { defineRoute, HttpError, pageLimitSchema, uuidSchema, type RouteSpec } from '@resoft/http-kit';
import { ReadModels, memberDocId, type CheckView, type ProjectMemberView } from '@resoft/projectors';
import { readYourWrites } from '../consistency/read-your-writes.js';
import { readGuards } from '../auth/read-guards.js';
import type { QueryServiceDeps } from '../query-service-deps.js';
import { consistentQuery, projectParams } from '../query-schemas.js';
import { withMarkdownSources, withSarifArtifacts, type CheckedSource } from './check-source-exports.js';

const TAGS = ['code-quality'];
const checkParams = z.object({ checkId: uuidSchema });
const exportQuery = consistentQuery.extend({
  format: z.enum(['sarif', 'json', 'markdown']).default('json'),
  sources: z.enum(['true', 'false']).optional().transform((v) => v === 'true').describe('Include the code that was checked (from the source store)'),
});
const historyQuery = consistentQuery.extend({ limit: pageLimitSchema });

const notFound = (): never => {
  throw new HttpError(404, 'check_not_found', 'Check not found');
};

export function checkQueries(deps: QueryServiceDeps): RouteSpec[] {
  const afterWrites = readYourWrites(deps);
  const { projectMember } = readGuards(deps);
  const { readStore, eventStore, sources } = deps;

  /** The files a check recorded, each with its text; the event store, not a read model, holds what was submitted. */
  async function checkedSources(checkId: string): Promise<CheckedSource[]> {
    const [requested] = await eventStore.readStream(checkStreamId(checkId), { maxCount: 1 });
    if (!requested || requested.type !== 'CheckRequested') notFound();
    const { files } = upcast<CheckRequestedData>(requested!).data;
    try {
      return (await readCheckedSources(sources, files)).map(({ path, language, sha256, bytes, lines, origin, content }) => ({ path, language, sha256, bytes, lines, ...(origin ? { origin } : {}), content }));
    } catch (error) {
      if (error instanceof MissingSourcesError) throw new HttpError(410, 'sources_missing', error.message);
      throw error;
    }
  }

  async function readableCheck(checkId: string, userId: string): Promise<CheckView> {
    const check = (await readStore.get<CheckView>(ReadModels.checks, checkId)) ?? notFound();
    if (check.projectId === null) {
      if (check.requestedBy !== userId) notFound();
    } else if (!mayReadProject((await readStore.get<ProjectMemberView>(ReadModels.projectMembers, memberDocId(check.projectId, userId)))?.role)) {
      notFound();
    }
    return check;
  }

  /** The last completed check before this one, in the same project (or the same person's personal checks). */
  async function previousRun(check: CheckView): Promise<CheckView | null> {
    const where: Filter = check.projectId === null
      ? { requestedBy: check.requestedBy, projectId: null, status: 'completed', requestedPosition: { $lt: check.requestedPosition } }
      : { projectId: check.projectId, status: 'completed', requestedPosition: { $lt: check.requestedPosition } };
    const [previous] = await readStore.find<CheckView>(ReadModels.checks, { where, orderBy: [{ field: 'requestedPosition', direction: 'desc' }], limit: 1 });
    return previous ?? null;
  }

  const withNewSinceLastRun = async (check: CheckView) => {
    const previous = check.status === 'completed' ? await previousRun(check) : null;
    const fresh: Finding[] | null = previous ? newSince(check.findings, previous.findings) : null;
    return { ...check, newSinceLastRun: previous && fresh ? { previousCheckId: previous.id, count: fresh.length, findings: fresh } : null };
  };

  return [
    defineRoute({
      consistency: afterWrites,
      method: 'get', path: '/api/code-quality/checks/:checkId', summary: 'One check: status, findings, score and grade, and what is new since the previous run',
      tags: TAGS, auth: 'user', params: checkParams, query: consistentQuery,
      responses: { 200: { description: 'The check', body: CheckAnswer }, 401: 'Not signed in', 404: 'Check not found (or not yours to see)' },
      handler: async (ctx) => {
        return { body: await withNewSinceLastRun(await readableCheck(ctx.params.checkId, ctx.user.id)) };
      },
    }),
    defineRoute({
      consistency: afterWrites,
      method: 'get', path: '/api/code-quality/checks/:checkId/export', summary: 'A check exported as SARIF 2.1.0, JSON or a Markdown report',
      tags: TAGS, auth: 'user', params: checkParams, query: exportQuery,
      responses: {
        200: { description: 'The export (application/json, application/sarif+json or text/markdown)', body: CheckExport, contentType: CHECK_EXPORT_MEDIA_TYPES }, 401: 'Not signed in', 404: 'Check not found (or not yours to see)',
        410: 'With sources=true: the source store no longer holds the code',
      },
      handler: async (ctx) => {
        const check = await readableCheck(ctx.params.checkId, ctx.user.id);
        const name = `check-${check.id}`;
        const code = ctx.query.sources ? await checkedSources(check.id) : null;
        if (ctx.query.format === 'markdown') {
          ctx.res.status(200).type('text/markdown; charset=utf-8').setHeader('Content-Disposition', `inline; filename="${name}.md"`);
          ctx.res.send(code ? withMarkdownSources(toMarkdown(check), code) : toMarkdown(check));
          return {};
        }
        if (ctx.query.format === 'sarif') {
          ctx.res.status(200).type('application/sarif+json').setHeader('Content-Disposition', `inline; filename="${name}.sarif"`);
          ctx.res.send(JSON.stringify(code ? withSarifArtifacts(toSarif(check), code) : toSarif(check), null, 2));
          return {};
        }
        const body = await withNewSinceLastRun(check);
        return { body: code ? { ...body, sources: code } : body, headers: { 'Content-Disposition': `inline; filename="${name}.json"` } };
      },
    }),
    defineRoute({
      consistency: afterWrites,
      method: 'get', path: '/api/code-quality/checks/:checkId/sources', summary: 'The code a check linted: each file with its text, SHA-256 and size (to reopen a check)',
      tags: TAGS, auth: 'user', params: checkParams, query: consistentQuery,
      responses: { 200: { description: 'The files', body: CheckSources }, 401: 'Not signed in', 404: 'Check not found (or not yours to see)', 410: 'The source store no longer holds the code (or it does not match its recorded hash)' },
      handler: async (ctx) => {
        const check = await readableCheck(ctx.params.checkId, ctx.user.id);
        return { body: { id: check.id, files: await checkedSources(check.id) } };
      },
    }),
    defineRoute({
      consistency: afterWrites, guard: projectMember('projectId'),
      method: 'get', path: '/api/projects/:projectId/checks', summary: "A project's check history, newest first, with what each run added and the score trend",
      tags: TAGS, auth: 'user', params: projectParams, query: historyQuery,
      responses: { 200: { description: 'History and trend', body: CheckHistory }, 401: 'Not signed in', 404: 'Project not found (or you are not a member)' },
      handler: async (ctx) => {
        // One more than asked, so the oldest listed run can be compared with the one before it.
        const checks = await readStore.find<CheckView>(ReadModels.checks, {
          where: { projectId: ctx.params.projectId }, orderBy: [{ field: 'requestedPosition', direction: 'desc' }], limit: ctx.query.limit + 1,
        });
        const completed = checks.filter((c) => c.status === 'completed');
        const previousOf = new Map(completed.map((c, i) => [c.id, completed[i + 1] ?? null]));
        const items = checks.slice(0, ctx.query.limit).map((c) => {
          const previous = previousOf.get(c.id) ?? null;
          return {
            id: c.id, status: c.status, score: c.score, grade: c.grade, formulaVersion: c.formulaVersion, counts: c.counts,
            files: c.files.map((f) => f.path), linters: c.linters, requestedBy: c.requestedBy, requestedAt: c.requestedAt, finishedAt: c.finishedAt,
            position: c.position, newSinceLastRun: previous ? newSince(c.findings, previous.findings).length : null,
          };
        });
        const trend = items.filter((c) => c.status === 'completed').reverse().map((c) => ({ checkId: c.id, finishedAt: c.finishedAt, score: c.score, grade: c.grade }));
        return { body: { items, trend } };
      },
    }),
  ];
}
