/** Query schemas of the audit-log routes (tree heads, proofs). */
import { z } from 'zod';

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
