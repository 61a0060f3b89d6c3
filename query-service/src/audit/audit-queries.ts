/**
 * The audit view: a stream's raw events for members of its project (your own
 * user stream for yourself), and verification of the audit trail: owners for
 * their project (every stream of it, files and documents included),
 * administrators for everything.
 */
import { verifyProvenEvents, type AuditReport, type ProvenEvent, type RecordedEvent } from '@resoft/domain';
import { AuditVerification, StreamEventsPage } from '@resoft/contracts';
import { verifyAuditLog } from '@resoft/infra';
import { HttpError, defineRoute, type RouteSpec } from '@resoft/http-kit';
import { ReadModels } from '@resoft/projectors';
import { isAdmin, requireMember } from '../auth/membership.js';
import { readYourWrites } from '../consistency/read-your-writes.js';
import { readGuards } from '../auth/read-guards.js';
import type { QueryServiceDeps } from '../query-service-deps.js';
import { streamEventsQuery, streamParams, verifyQuery } from '../query-schemas.js';
import { projectEvents, projectStreamIds } from './project-history.js';
import { ProofSource } from './proof-source.js';
import { redact } from './redaction.js';

/** The answer keeps the chain report's `firstBrokenLink` (a broken stream link) beside the audit log's `firstProblem`. */
const withBrokenLink = (report: AuditReport) => ({ ...report, firstBrokenLink: report.firstProblem?.link ?? null });

export function auditQueries(deps: QueryServiceDeps): RouteSpec[] {
  const afterWrites = readYourWrites(deps);
  const { streamReader } = readGuards(deps);
  const { eventStore } = deps;

  /** Every stream of the project, chains from revision 0 and each event's inclusion proof against the latest signed tree head. */
  async function verifyProject(projectId: string): Promise<AuditReport> {
    const head = await deps.auditLog.latestTreeHead();
    const proofs = new ProofSource(deps.auditLog);
    const proven: ProvenEvent[] = [];
    for (const event of await projectEvents(deps, await projectStreamIds(deps, projectId))) {
      const leaf = head && event.position <= head.lastPosition ? await deps.auditLog.leafAt(event.position) : null;
      proven.push(leaf && head && leaf.index < head.treeSize ? { event, inclusion: { leafIndex: leaf.index, proof: await proofs.inclusion(leaf.index, head.treeSize) } } : { event });
    }
    return verifyProvenEvents(proven, head, deps.auditKeys.publicKeys);
  }

  return [
    defineRoute({
      consistency: afterWrites, guard: streamReader('streamId'),
      method: 'get', path: '/api/streams/:streamId/events', summary: "A stream's raw event history (audit view), filterable by type and time", tags: ['audit'], auth: 'user', params: streamParams, query: streamEventsQuery,
      responses: { 200: { description: 'Events in stream order (secrets redacted)', body: StreamEventsPage }, 400: 'Invalid filter', 401: 'Not signed in', 404: 'Stream not found (or not yours to see)' },
      handler: async (ctx) => {
        const { streamId } = ctx.params;
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
      method: 'get', path: '/api/audit/verify', summary: 'Verify the audit trail (stream hash chains, audit-log leaves, inclusion proofs and signed tree heads): of one project (its owners) or of everything (administrators)', tags: ['audit'], auth: 'user', query: verifyQuery,
      responses: { 200: { description: 'OK with counts, or the first broken link', body: AuditVerification }, 401: 'Not signed in', 403: 'Owners and administrators only', 404: 'Project not found' },
      handler: async (ctx) => {
        const admin = await isAdmin(deps, ctx.user.id);
        const { projectId } = ctx.query;
        if (!projectId) {
          if (!admin) throw new HttpError(403, 'admins_only', 'Verifying everything is for administrators (RESOFT_ADMINS); owners pass ?projectId=');
          return { body: { scope: 'all', ...withBrokenLink(await verifyAuditLog(eventStore, deps.auditLog, deps.auditKeys.publicKeys)) } };
        }
        if (!admin) await requireMember(deps, projectId, ctx.user.id, 'owner');
        else if (!(await deps.readStore.get(ReadModels.projects, projectId))) throw new HttpError(404, 'project_not_found', 'Project not found');
        return { body: { scope: 'project', projectId, ...withBrokenLink(await verifyProject(projectId)) } };
      },
    }),
  ];
}
