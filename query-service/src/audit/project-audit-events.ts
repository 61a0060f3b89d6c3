/**
 * The project audit page's source: the project's events (every stream of it),
 * filtered and paged in log order, each with its leaf index and RFC 9162
 * inclusion proof against the latest signed tree head, so the browser checks
 * the hashes, the proofs and the tree head's signature itself instead of
 * trusting a server's "ok". Members may read it, as they may read each of
 * these streams in the stream view.
 */
import type { RecordedEvent } from '@resoft/domain';
import { HttpError, defineRoute, type RouteSpec } from '@resoft/infra';
import { requireMember } from '../auth/membership.js';
import { awaitPosition } from '../consistency/read-your-writes.js';
import type { QueryServiceDeps } from '../query-service-deps.js';
import { projectParams } from '../query-schemas.js';
import { projectAuditEventsQuery } from './audit-log-schemas.js';
import { projectEvents, projectStreamIds } from './project-history.js';
import { ProofSource } from './proof-source.js';
import { redact } from './redaction.js';

export function projectAuditEventsRoute(deps: QueryServiceDeps): RouteSpec {
  return defineRoute({
    method: 'get', path: '/api/projects/:projectId/audit/events',
    summary: "A project's events (all its streams) in log order, filterable by type, actor and time, each with its inclusion proof against the latest signed tree head",
    tags: ['audit'], auth: 'user', params: projectParams, query: projectAuditEventsQuery,
    responses: { 200: 'A page of events with proofs, the tree head they are proven against, and the next cursor', 400: 'Invalid filter', 401: 'Not signed in', 404: 'Project not found (or not yours to see), or no signed tree head of that size' },
    handler: async (ctx) => {
      await awaitPosition(deps, ctx);
      const { projectId } = ctx.params;
      await requireMember(deps, projectId, ctx.user.id);
      const { type, actor, since, until, fromPosition, limit, treeSize } = ctx.query;
      const sinceIso = since ? new Date(since).toISOString() : undefined;
      const untilIso = until ? new Date(until).toISOString() : undefined;
      const matches = (e: RecordedEvent) =>
        e.position >= fromPosition && (!type || e.type === type) && (!actor || e.metadata.actor === actor) &&
        (!sinceIso || e.metadata.occurredAt >= sinceIso) && (!untilIso || e.metadata.occurredAt <= untilIso);
      const all = await projectEvents(deps, await projectStreamIds(deps, projectId));
      const selected = all.filter(matches);
      const page = selected.slice(0, limit);
      const head = treeSize === undefined ? await deps.auditLog.latestTreeHead() : await deps.auditLog.treeHeadOfSize(treeSize);
      if (treeSize !== undefined && !head) throw new HttpError(404, 'tree_head_not_found', `No signed tree head has size ${treeSize}`);
      const signed = head ? page.filter((e) => e.position <= head.lastPosition) : [];
      const leaves = await deps.auditLog.leavesAt(signed.map((e) => e.position));
      const provable = signed.filter((e) => (leaves.get(e.position)?.index ?? Infinity) < head!.treeSize);
      const proofs = head ? await new ProofSource(deps.auditLog).inclusions(provable.map((e) => leaves.get(e.position)!.index), head.treeSize) : [];
      const proofOf = new Map(provable.map((e, i) => [e.position, { leafIndex: leaves.get(e.position)!.index, proof: proofs[i]!.map((h) => h.toString('hex')) }]));
      const next = selected[limit];
      return {
        body: {
          projectId, treeHead: head, total: selected.length, nextPosition: next ? next.position : null,
          // An event no signed tree head covers yet has no proof (null): it is checked by its stream's chain only.
          events: page.map((event) => ({ event: redact(event), inclusion: proofOf.get(event.position) ?? null })),
        },
      };
    },
  });
}
