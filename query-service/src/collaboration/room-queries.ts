/** Rooms, who is in them, and their chat history (cursor-paged, newest page first). */
import { ChatPageCollector, parseAsOf, roomStreamId } from '@resoft/domain';
import { JsonText, defineRoute, readBackwardsFrom, type RouteSpec } from '@resoft/infra';
import { ReadModels, type ChatMessageView, type RoomMemberView, type UserView } from '@resoft/projectors';
import { requireRoomMember } from '../auth/membership.js';
import { awaitPosition } from '../consistency/read-your-writes.js';
import type { QueryServiceDeps } from '../query-service-deps.js';
import { consistentQuery, historyQuery, roomParams } from '../query-schemas.js';
import { ChatHistoryPage, Room, RoomMembers } from '@resoft/contracts';

const TAGS = ['collaboration'];
const READ = { 401: 'Not signed in', 404: 'Room not found (or you are not a member of its project)' };

export function roomQueries(deps: QueryServiceDeps): RouteSpec[] {
  const { readStore } = deps;
  return [
    defineRoute({
      method: 'get', path: '/api/collaboration/rooms/:roomId', summary: 'One room', tags: TAGS, auth: 'user', params: roomParams, query: consistentQuery,
      responses: { 200: { description: 'The room', body: Room }, ...READ },
      handler: async (ctx) => {
        await awaitPosition(deps, ctx);
        return { body: await requireRoomMember(deps, ctx.params.roomId, ctx.user.id) };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/collaboration/rooms/:roomId/members', summary: 'Who has joined a room', tags: TAGS, auth: 'user', params: roomParams, query: consistentQuery,
      responses: { 200: { description: 'Room members', body: RoomMembers }, ...READ },
      handler: async (ctx) => {
        await awaitPosition(deps, ctx);
        await requireRoomMember(deps, ctx.params.roomId, ctx.user.id);
        const members = await readStore.find<RoomMemberView>(ReadModels.roomMembers, { where: { roomId: ctx.params.roomId } });
        const users = await readStore.getMany<UserView>(ReadModels.users, members.map((m) => m.userId));
        const joined = new Map(members.map((m) => [m.userId, m.joinedAt]));
        return { body: { items: users.map((u) => ({ userId: u.id, username: u.username, displayName: u.displayName, avatarUrl: u.avatarUrl, joinedAt: joined.get(u.id) })) } };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/collaboration/chat/:roomId/history', summary: 'Chat history, newest page first; pass nextCursor as `before` for older pages; `?asOf=` as it was then', tags: TAGS, auth: 'user', params: roomParams, query: historyQuery,
      responses: { 200: { description: 'Messages in posting order, and the cursor for the older page', body: ChatHistoryPage }, 400: 'Invalid asOf', ...READ },
      handler: async (ctx) => {
        await awaitPosition(deps, ctx);
        await requireRoomMember(deps, ctx.params.roomId, ctx.user.id);
        const { before, limit, asOf } = ctx.query;
        if (asOf !== undefined) {
          // Time travel (issue 13): the room's stream read backwards from the moment until the page is full, paged like the live history.
          const page = new ChatPageCollector(limit, before);
          await readBackwardsFrom(deps.eventStore, roomStreamId(ctx.params.roomId), parseAsOf(asOf), (event) => page.add(event));
          return { body: { asOf, ...page.page() } };
        }
        // The hottest read: the messages go out as the store holds them, never parsed and serialised again.
        const page = await readStore.findJson(ReadModels.chatMessages, {
          where: { roomId: ctx.params.roomId, ...(before ? { position: { $lt: before } } : {}) },
          orderBy: [{ field: 'position', direction: 'desc' }],
          limit: limit + 1,
        });
        const hasMore = page.length > limit;
        const messages = page.slice(0, limit).reverse();
        const nextCursor = hasMore && messages[0] !== undefined ? (JSON.parse(messages[0]) as ChatMessageView).position : null;
        return { body: JsonText.object('messages', messages, { nextCursor }) };
      },
    }),
  ];
}
