/**
 * The audit view: a stream's raw events for members of its project (your own
 * user stream for yourself), and verification of the hash chain: owners for
 * their project, administrators for everything.
 */
import { ChainVerifier, userStreamId, type RecordedEvent } from '@resoft/domain';
import { HttpError, defineRoute, type RouteSpec } from '@resoft/infra';
import { ReadModels, type ProjectStreamView } from '@resoft/projectors';
import { isAdmin, requireMember } from '../auth/membership.js';
import { awaitPosition } from '../consistency/read-your-writes.js';
import type { QueryServiceDeps } from '../query-service-deps.js';
import { streamEventsQuery, streamParams, verifyQuery } from '../query-schemas.js';
import { redact } from './redaction.js';

const PAGE = 1000;

export function auditQueries(deps: QueryServiceDeps): RouteSpec[] {
  const { readStore, eventStore } = deps;

  async function verifyStreams(streamIds: readonly string[]) {
    const verifier = new ChainVerifier();
    for (const streamId of streamIds) {
      for (let from = 0; ; from += PAGE) {
        const page = await eventStore.readStream(streamId, { fromRevision: from, maxCount: PAGE });
        if (!page.every((e) => verifier.check(e)) || page.length < PAGE) break;
      }
    }
    return verifier.report();
  }

  async function verifyEverything() {
    const verifier = new ChainVerifier();
    for (let after = 0; ; ) {
      const page = await eventStore.readAll({ after, maxCount: PAGE });
      if (page.length === 0 || !page.every((e) => verifier.check(e))) break;
      after = page[page.length - 1]!.position;
    }
    return verifier.report();
  }

  return [
    defineRoute({
      method: 'get', path: '/api/streams/:streamId/events', summary: "A stream's raw event history (audit view), filterable by type and time", tags: ['audit'], auth: 'user', params: streamParams, query: streamEventsQuery,
      responses: { 200: 'Events in stream order (secrets redacted)', 400: 'Invalid filter', 401: 'Not signed in', 404: 'Stream not found (or not yours to see)' },
      handler: async (ctx) => {
        await awaitPosition(deps, ctx);
        const { streamId } = ctx.params;
        if (streamId !== userStreamId(ctx.user.id)) {
          const owner = await readStore.get<ProjectStreamView>(ReadModels.streams, streamId);
          if (!owner) throw new HttpError(404, 'stream_not_found', 'Stream not found');
          await requireMember(deps, owner.projectId, ctx.user.id);
        }
        const { type, since, until, fromRevision, limit } = ctx.query;
        const sinceIso = since ? new Date(since).toISOString() : undefined;
        const untilIso = until ? new Date(until).toISOString() : undefined;
        const page = await eventStore.readStream(streamId, { fromRevision, maxCount: limit });
        const matches = (e: RecordedEvent) =>
          (!type || e.type === type) && (!sinceIso || e.metadata.occurredAt >= sinceIso) && (!untilIso || e.metadata.occurredAt <= untilIso);
        const last = page[page.length - 1];
        return { body: { streamId, events: page.filter(matches).map(redact), nextRevision: page.length === limit && last ? last.revision + 1 : null } };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/audit/verify', summary: 'Verify the audit hash chain: of one project (its owners) or of everything (administrators)', tags: ['audit'], auth: 'user', query: verifyQuery,
      responses: { 200: 'OK with counts, or the first broken link', 401: 'Not signed in', 403: 'Owners and administrators only', 404: 'Project not found' },
      handler: async (ctx) => {
        const admin = await isAdmin(deps, ctx.user.id);
        const { projectId } = ctx.query;
        if (!projectId) {
          if (!admin) throw new HttpError(403, 'admins_only', 'Verifying everything is for administrators (RESOFT_ADMINS); owners pass ?projectId=');
          return { body: { scope: 'all', ...(await verifyEverything()) } };
        }
        if (!admin) await requireMember(deps, projectId, ctx.user.id, 'owner');
        else if (!(await readStore.get(ReadModels.projects, projectId))) throw new HttpError(404, 'project_not_found', 'Project not found');
        const streams = await readStore.find<ProjectStreamView>(ReadModels.streams, { where: { projectId }, orderBy: [{ field: 'firstPosition', direction: 'asc' }] });
        return { body: { scope: 'project', projectId, ...(await verifyStreams(streams.map((s) => s.id))) } };
      },
    }),
  ];
}
