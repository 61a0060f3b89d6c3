/** Query-string and path schemas of the read API. Every read takes `after` for read-your-writes. */
import { z } from 'zod';
import { afterPositionSchema, pageLimitSchema, uuidSchema } from '@resoft/http-kit';

export const consistentQuery = z.object({ after: afterPositionSchema });

/** Time travel (issue 13): a global position or an ISO-8601 time, parsed by `parseAsOf` (which answers 400 invalid_as_of). */
export const asOfSchema = z.string().regex(/^(\d{1,15}|\d{4}-\d{2}-\d{2}[0-9T:.+Z-]{0,30})$/, 'must be a position or an ISO-8601 time').optional()
  .describe('Answer as of this moment: a global position or an ISO-8601 time (replayed from the event store)');
export const asOfQuery = consistentQuery.extend({ asOf: asOfSchema });
export const projectParams = z.object({ projectId: uuidSchema });
export const roomParams = z.object({ roomId: uuidSchema });

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

export const historyQuery = z.object({
  after: afterPositionSchema,
  asOf: asOfSchema,
  before: z.coerce.number().int().min(1).optional().describe('Cursor: only messages older than this position'),
  limit: pageLimitSchema,
});

export const activityQuery = z.object({
  after: afterPositionSchema,
  type: z.string().regex(/^[A-Za-z]{1,60}$/).optional().describe('Only events of this type'),
  actorId: uuidSchema.optional().describe('Only what this user did'),
  since: isoTime.optional(),
  until: isoTime.optional(),
  before: z.coerce.number().int().min(1).optional().describe('Cursor: only entries older than this position'),
  limit: pageLimitSchema,
});

export const streamParams = z.object({
  streamId: z.string().regex(/^[a-z]+-[A-Za-z0-9-]{1,100}$/, 'must be a stream id such as project-<id>'),
});

export const streamEventsQuery = z.object({
  after: afterPositionSchema,
  type: z.string().regex(/^[A-Za-z]{1,60}$/).optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
  fromRevision: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const verifyQuery = z.object({ projectId: uuidSchema.optional().describe('Verify one project (owners); omit to verify everything (administrators)') });
