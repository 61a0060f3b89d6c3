/**
 * The inbox over HTTP: `GET /api/notifications` (a page, newest first, with the unread count) and
 * `GET /api/notifications/live`, Server-Sent Events that deliver each new notification as the
 * projection records it, so the header's count is live on every page without the gateway.
 */
import { defineRoute, openEventStream, pageLimitSchema, type RouteSpec } from '@resoft/http-kit';
import { z } from 'zod';
import { readYourWrites } from '../consistency/read-your-writes.js';
import type { QueryServiceDeps } from '../query-service-deps.js';
import { consistentQuery } from '../query-schemas.js';
import { readInbox } from './inbox-reader.js';
import { InboxPage } from '@resoft/contracts';

const TAGS = ['notifications'];
const inboxQuery = consistentQuery.extend({
  unread: z.enum(['true', 'false']).optional().describe('Only unread notifications'),
  before: z.coerce.number().int().min(1).optional().describe('Cursor: only notifications older than this position'),
  limit: pageLimitSchema,
});
/** How long one live stream stays open at most (the browser reconnects with Last-Event-ID); a caller may ask for less. */
const liveQuery = z.object({
  timeoutSeconds: z.coerce.number().int().min(1).max(600).default(600).describe('Close the stream after this many seconds'),
  since: z.coerce.number().int().min(0).optional().describe("Also deliver notifications after this position (the inbox's latestPosition), so none falls between reading the inbox and opening the stream"),
});
/** New events are looked at together, at most this often, so a busy log costs one inbox read per tick. */
const LIVE_TICK_MS = 250;

export function notificationQueries(deps: QueryServiceDeps): RouteSpec[] {
  const afterWrites = readYourWrites(deps);
  return [
    defineRoute({
      consistency: afterWrites,
      method: 'get', path: '/api/notifications', summary: 'Your inbox: mentions, check results on your projects, template runs you started; newest first, with the unread count', tags: TAGS, auth: 'user', query: inboxQuery,
      responses: { 200: { description: 'Notifications, the unread count and the cursor for older ones', body: InboxPage }, 400: 'Invalid query', 401: 'Not signed in' },
      handler: async (ctx) => {
        return { body: await readInbox(deps, ctx.user.id, { unreadOnly: ctx.query.unread === 'true', before: ctx.query.before, limit: ctx.query.limit }) };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/notifications/live', summary: 'Your new notifications as Server-Sent Events (`notification` with the entry and the unread count); resumes after Last-Event-ID', tags: TAGS, auth: 'user', query: liveQuery,
      responses: { 200: { description: 'Server-Sent Events: `ready` with the position it starts after, then `notification` with the entry and the unread count', contentType: 'text/event-stream' }, 400: 'Invalid query', 401: 'Not signed in' },
      handler: async (ctx) => {
        const userId = ctx.user.id;
        const stream = openEventStream(ctx.req, ctx.res);
        let last = Number(stream.lastEventId ?? ctx.query.since ?? NaN);
        if (!Number.isSafeInteger(last) || last < 0) last = (await readInbox(deps, userId, { unreadOnly: false, limit: 1 })).latestPosition;
        stream.send({ event: 'ready', data: { after: last } });
        let wanted = 0;
        let timer: ReturnType<typeof setTimeout> | null = null;
        // One read at a time; events that arrive meanwhile schedule the next one when it ends.
        const deliver = async (): Promise<void> => {
          const upTo = wanted;
          await deps.waitForPosition(upTo, deps.readWaitMs);
          const fresh = await readInbox(deps, userId, { unreadOnly: false, after: last, limit: 50 });
          for (const item of [...fresh.items].reverse()) {
            last = Math.max(last, item.position);
            stream.send({ id: item.position, event: 'notification', data: { notification: item, unread: fresh.unread } });
          }
          return upTo < wanted ? deliver() : undefined;
        };
        const schedule = (): void => {
          timer ??= setTimeout(() => {
            void deliver().catch((error: unknown) => ctx.log.warn({ err: error }, 'notification stream read failed')).finally(() => (timer = null));
          }, LIVE_TICK_MS);
        };
        const subscription = deps.eventStore.subscribeToAll({
          after: await deps.eventStore.headPosition(),
          onEvents: async (events) => {
            wanted = Math.max(wanted, ...events.map((e) => e.position));
            if (!stream.closed) schedule();
          },
          onError: (error) => {
            ctx.log.warn({ err: error }, 'notification stream stopped');
            stream.close();
          },
        });
        // Whatever arrived after the given position but before the subscription goes out now.
        if (stream.lastEventId !== null || ctx.query.since !== undefined) schedule();
        const timeout = setTimeout(() => stream.close(), ctx.query.timeoutSeconds * 1000);
        timeout.unref();
        await stream.done;
        clearTimeout(timeout);
        if (timer) clearTimeout(timer);
        await subscription.stop();
        return {};
      },
    }),
  ];
}
