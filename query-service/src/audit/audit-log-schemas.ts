/** Query schemas of the audit-log routes (tree heads, proofs). */
import { z } from 'zod';
import { afterPositionSchema, uuidSchema } from '@resoft/http-kit';

const treeSize = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const treeHeadsQuery = z.object({
  fromSize: treeSize.default(0).describe('Only tree heads of at least this size'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const inclusionQuery = z.object({
  position: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).describe("The event's global position"),
  treeSize: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional().describe('Prove against the signed tree head of this size (default: the latest)'),
});

export const consistencyQuery = z.object({
  from: treeSize.describe('The older tree size'),
  to: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).describe('The newer tree size (at least from), at most the latest signed one'),
});

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

/** The project audit page's event browser: filters, and a position cursor for paging in log order. */
export const projectAuditEventsQuery = z.object({
  after: afterPositionSchema,
  type: z.string().regex(/^[A-Za-z]{1,60}$/).optional().describe('Only events of this type'),
  actor: uuidSchema.optional().describe('Only events caused by this user'),
  since: isoTime.optional().describe('Only events that occurred at or after this time'),
  until: isoTime.optional().describe('Only events that occurred at or before this time'),
  fromPosition: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).default(1).describe('Cursor: only events at or after this global position'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  treeSize: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional().describe('Prove against the signed tree head of this size (default: the latest), so that every page of one walk uses the same head'),
});
