/** Marking notifications read: some by id, or everything up to a position (the inbox's "mark all read"). */
import { inboxDecider, inboxStreamId } from '@resoft/domain';
import { defineRoute, type RouteSpec } from '@resoft/http-kit';
import { z } from 'zod';
import { requestMetadata } from '../command-handling/request-metadata.js';
import type { CommandServiceDeps } from '../command-service-deps.js';
import { MarkedRead } from '@resoft/contracts';

/** `<event id>:<user id>`, as the inbox lists them. */
const notificationIdSchema = z.string().regex(/^[0-9a-f-]{36}:[0-9a-f-]{36}$/, 'must be a notification id from the inbox');
export const markReadBody = z.strictObject({
  ids: z.array(notificationIdSchema).max(200, 'must name at most 200 notifications').default([]).describe('Notifications to mark read'),
  upToPosition: z.number().int().min(1).optional().describe("Mark everything at or before this position read (the inbox's latestPosition)"),
});

export function notificationRoutes(deps: CommandServiceDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'post', path: '/api/notifications/read', summary: 'Mark notifications read: some by id, or all up to a position', tags: ['notifications'], auth: 'user', body: markReadBody,
      responses: { 200: { description: 'Marked (changed is false when they already were)', body: MarkedRead }, 400: 'Invalid input, or nothing named', 401: 'Not signed in' },
      handler: async (ctx) => {
        const outcome = await deps.executor.execute(inboxStreamId(ctx.user.id), inboxDecider, () => ({
          type: 'MarkNotificationsRead' as const, userId: ctx.user.id, notificationIds: ctx.body.ids, upToPosition: ctx.body.upToPosition ?? null,
        }), requestMetadata(ctx));
        return { body: { changed: outcome.events.length > 0, position: outcome.position } };
      },
    }),
  ];
}
