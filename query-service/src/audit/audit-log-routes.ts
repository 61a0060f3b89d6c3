/**
 * The transparency-log routes: the public keys (JWKS), signed tree heads,
 * inclusion proofs for events you may see, consistency proofs between tree
 * sizes, a project's audit bundle (owners; administrators for any) and its
 * events with their proofs for the audit page (members).
 */
import { AuditKeys, ConsistencyProofAnswer, InclusionProofAnswer, TreeHeads } from '@resoft/contracts';
import { HttpError, defineRoute, type RouteSpec } from '@resoft/http-kit';
import { readGuards } from '../auth/read-guards.js';
import type { QueryServiceDeps } from '../query-service-deps.js';
import { projectParams } from '../query-schemas.js';
import { buildAuditBundle } from './audit-bundle.js';
import { consistencyQuery, inclusionQuery, treeHeadsQuery } from './audit-log-schemas.js';
import { projectAuditEventsRoute } from './project-audit-events.js';
import { ProofSource } from './proof-source.js';
import { requireStreamReader } from './stream-access.js';

const hex = (hashes: readonly Buffer[]) => hashes.map((h) => h.toString('hex'));

export function auditLogRoutes(deps: QueryServiceDeps): RouteSpec[] {
  const { projectAuditor } = readGuards(deps);
  const { auditLog } = deps;

  async function signedHead(size: number | undefined) {
    const head = size === undefined ? await auditLog.latestTreeHead() : await auditLog.treeHeadOfSize(size);
    if (!head) throw new HttpError(404, 'tree_head_not_found', size === undefined ? 'The audit log has no signed tree head yet' : `No signed tree head has size ${size}`);
    return head;
  }

  return [
    defineRoute({
      method: 'get', path: '/api/audit/keys', summary: 'The public keys that sign tree heads (JWKS, Ed25519), retired keys included', tags: ['audit'], auth: 'none',
      responses: { 200: { description: 'JWKS', body: AuditKeys } },
      handler: async () => ({ body: { keys: deps.auditKeys.publicKeys } }),
    }),
    defineRoute({
      method: 'get', path: '/api/audit/tree-heads', summary: 'Signed tree heads of the audit log, oldest first', tags: ['audit'], auth: 'user', query: treeHeadsQuery,
      responses: { 200: { description: 'Tree heads and the current log size', body: TreeHeads }, 400: 'Invalid query', 401: 'Not signed in' },
      handler: async (ctx) => {
        const heads = await auditLog.treeHeads({ fromSize: ctx.query.fromSize, limit: ctx.query.limit });
        const latest = await auditLog.latestTreeHead();
        return { body: { items: heads, latest, logSize: (await auditLog.state()).size } };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/audit/proofs/inclusion', summary: "An event's inclusion proof (RFC 9162) against a signed tree head", tags: ['audit'], auth: 'user', query: inclusionQuery,
      responses: { 200: { description: 'Leaf index and hash, the audit path, the signed tree head', body: InclusionProofAnswer }, 400: 'Invalid query', 401: 'Not signed in', 404: 'No such event (or not yours to see), or no signed tree head covers it yet' },
      handler: async (ctx) => {
        const { position, treeSize } = ctx.query;
        const [event] = await deps.eventStore.readAll({ after: position - 1, maxCount: 1 });
        if (!event || event.position !== position) throw new HttpError(404, 'event_not_found', `No event at position ${position}`);
        await requireStreamReader(deps, event.streamId, ctx.user.id, { admins: true });
        const head = await signedHead(treeSize);
        const leaf = await auditLog.leafAt(position);
        if (!leaf || leaf.index >= head.treeSize) throw new HttpError(404, 'not_yet_signed', `No signed tree head covers position ${position} yet; tree heads are signed every few seconds`);
        const proof = await new ProofSource(auditLog).inclusion(leaf.index, head.treeSize);
        return { body: { position, streamId: event.streamId, revision: event.revision, leafIndex: leaf.index, leafHash: leaf.hash.toString('hex'), treeSize: head.treeSize, proof: hex(proof), treeHead: head } };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/audit/proofs/consistency', summary: 'A consistency proof (RFC 9162) that the tree of `from` leaves is a prefix of the tree of `to` leaves', tags: ['audit'], auth: 'user', query: consistencyQuery,
      responses: { 200: { description: 'The proof, with the signed tree heads of both sizes when they exist', body: ConsistencyProofAnswer }, 400: 'Invalid query (from > to)', 401: 'Not signed in', 404: 'to is beyond the latest signed tree head' },
      handler: async (ctx) => {
        const { from, to } = ctx.query;
        if (from > to) throw new HttpError(400, 'invalid_range', `from (${from}) must not be greater than to (${to})`);
        const latest = await signedHead(undefined);
        if (to > latest.treeSize) throw new HttpError(404, 'tree_head_not_found', `The latest signed tree head has size ${latest.treeSize}; to=${to} is beyond it`);
        const proof = await new ProofSource(auditLog).consistency(from, to);
        return { body: { from, to, proof: hex(proof), fromHead: await auditLog.treeHeadOfSize(from), toHead: await auditLog.treeHeadOfSize(to) } };
      },
    }),
    defineRoute({
      guard: projectAuditor('projectId'),
      method: 'get', path: '/api/projects/:projectId/audit/bundle', summary: "Download a project's audit bundle: every event of its streams with inclusion proofs, the signed tree head, the keys (zip)", tags: ['audit'], auth: 'user', params: projectParams,
      responses: { 200: { description: 'The bundle (zip: events, proofs, tree head, keys; docs/audit.md)', contentType: 'application/zip' }, 400: 'Invalid id', 401: 'Not signed in', 403: 'Owners and administrators only', 404: 'Project not found', 409: 'No signed tree head yet' },
      handler: async (ctx) => {
        const { projectId } = ctx.params;
        const bundle = await buildAuditBundle(deps, projectId, new Date());
        ctx.res.status(200).setHeader('Content-Type', 'application/zip');
        ctx.res.setHeader('Content-Disposition', `attachment; filename="audit-${projectId}.zip"`);
        ctx.res.end(bundle);
        return {};
      },
    }),
    projectAuditEventsRoute(deps),
  ];
}
