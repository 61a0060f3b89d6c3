/**
 * The project audit page's source: the project's events (every stream of it),
 * filtered and paged in log order, each with its leaf index and RFC 9162
 * inclusion proof against the latest signed tree head, so the browser checks
 * the hashes, the proofs and the tree head's signature itself instead of
 * trusting a server's "ok". Members may read it, as they may read each of
 * these streams in the stream view.
 */
import type { RecordedEvent } from '@resoft/domain';
import { lastRevisionAsOf, type EventStore } from '@resoft/ports';
import { HttpError, defineRoute, type RouteSpec } from '@resoft/http-kit';
import { readGuards } from '../auth/read-guards.js';
import { readYourWrites } from '../consistency/read-your-writes.js';
import type { QueryServiceDeps } from '../query-service-deps.js';
import { projectParams } from '../query-schemas.js';
import { projectAuditEventsQuery } from './audit-log-schemas.js';
import { projectStreamIds } from './project-history.js';
import { ProofSource } from './proof-source.js';
import { redact } from './redaction.js';
import { ProjectAuditEventsPage } from '@resoft/contracts';

export function projectAuditEventsRoute(deps: QueryServiceDeps): RouteSpec {
  return defineRoute({
    consistency: readYourWrites(deps), guard: readGuards(deps).projectMember('projectId'),
    method: 'get', path: '/api/projects/:projectId/audit/events',
    summary: "A project's events (all its streams) in log order, filterable by type, actor and time, each with its inclusion proof against the latest signed tree head",
    tags: ['audit'], auth: 'user', params: projectParams, query: projectAuditEventsQuery,
    responses: { 200: { description: 'A page of events with proofs, the tree head they are proven against, and the next cursor (null on the last page)', body: ProjectAuditEventsPage }, 400: 'Invalid filter', 401: 'Not signed in', 404: 'Project not found (or not yours to see), or no signed tree head of that size' },
    handler: async (ctx) => {
      const { projectId } = ctx.params;
      const { type, actor, since, until, fromPosition, limit, treeSize } = ctx.query;
      const sinceIso = since ? new Date(since).toISOString() : undefined;
      const untilIso = until ? new Date(until).toISOString() : undefined;
      const matches = (e: RecordedEvent) =>
        (!type || e.type === type) && (!actor || e.metadata.actor === actor) &&
        (!sinceIso || e.metadata.occurredAt >= sinceIso) && (!untilIso || e.metadata.occurredAt <= untilIso);
      const selected = await mergedPage(deps.eventStore, await projectStreamIds(deps, projectId), fromPosition, matches, limit + 1);
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
          projectId, treeHead: head, nextPosition: next ? next.position : null,
          // An event no signed tree head covers yet has no proof (null): it is checked by its stream's chain only.
          events: page.map((event) => ({ event: redact(event), inclusion: proofOf.get(event.position) ?? null })),
        },
      };
    },
  });
}

const CHUNK = 200;

/**
 * The first `count` matching events at or after `fromPosition` across the streams, in log order:
 * each stream is entered where that position falls (a binary search over its revisions) and read
 * forward in chunks only as far as the merge needs, so a page costs about what it shows (plus what
 * a filter skips), not the project's whole history.
 */
async function mergedPage(store: EventStore, streamIds: readonly string[], fromPosition: number, matches: (e: RecordedEvent) => boolean, count: number): Promise<RecordedEvent[]> {
  const before = { kind: 'position' as const, position: fromPosition - 1 };
  const cursors = await Promise.all(streamIds.map(async (streamId) => ({ streamId, next: (await lastRevisionAsOf(store, streamId, before)) + 1, buffer: [] as RecordedEvent[], done: false })));
  const found: RecordedEvent[] = [];
  while (found.length < count) {
    for (const cursor of cursors) {
      if (cursor.buffer.length > 0 || cursor.done) continue;
      const chunk = await store.readStream(cursor.streamId, { fromRevision: cursor.next, maxCount: CHUNK });
      cursor.buffer = chunk;
      cursor.next += chunk.length;
      cursor.done = chunk.length < CHUNK;
    }
    let earliest: (typeof cursors)[number] | null = null;
    for (const cursor of cursors) if (cursor.buffer.length > 0 && (!earliest || cursor.buffer[0]!.position < earliest.buffer[0]!.position)) earliest = cursor;
    if (!earliest) break;
    const event = earliest.buffer.shift()!;
    if (matches(event)) found.push(event);
  }
  return found;
}
