/** Rooms, who is in them, and their chat history (cursor-paged, newest page first). */
import { JsonText, defineRoute, type RouteSpec } from '@resoft/http-kit';
import { ReadModels, type RoomMemberView, type RoomView, type UserView } from '@resoft/projectors';
import { readGuards } from '../auth/read-guards.js';
import { readYourWrites } from '../consistency/read-your-writes.js';
import { AnswersPerChange } from '../consistency/answers-per-change.js';
import { readChatHistoryAsOf, readChatPageJson, requireReaderOfRoom, requireRoomReader } from '../chat/chat-history.js';
import type { QueryServiceDeps } from '../query-service-deps.js';
import { consistentQuery, historyQuery, roomParams } from '../query-schemas.js';
import { ChatHistoryPage, Room, RoomMembers } from '@resoft/contracts';

const TAGS = ['collaboration'];
const HISTORY_PAGES_KEPT = 256;
const READ = { 401: 'Not signed in', 404: 'Room not found (or you are not a member of its project)' };

/** A room as read, and its page read on first use by a reader, once (again after a failed read). */
interface RoomPage {
  readonly room: RoomView | null;
  page(): Promise<JsonText>;
}

function roomPage(room: RoomView | null, read: () => Promise<JsonText>): RoomPage {
  let reading: Promise<JsonText> | undefined;
  return {
    room,
    page: () => (reading ??= read().catch((error: unknown) => {
      reading = undefined;
      throw error;
    })),
  };
}

export function roomQueries(deps: QueryServiceDeps): RouteSpec[] {
  const { readStore } = deps;
  const afterWrites = readYourWrites(deps);
  const { roomMember } = readGuards(deps);
  // A page of a room's messages with the room, kept until a message or a room changes anywhere; who may
  // read it (the viewer's membership of the room's project) is read on every request, and the page is
  // read only for a reader. Pages are larger than project lists (~18 KB for 50 messages): fewer are kept.
  const historyPages = new AnswersPerChange<RoomPage>([ReadModels.chatMessages, ReadModels.rooms], deps.readModelMark, HISTORY_PAGES_KEPT);
  return [
    defineRoute({
      consistency: afterWrites,
      method: 'get', path: '/api/collaboration/rooms/:roomId', summary: 'One room', tags: TAGS, auth: 'user', params: roomParams, query: consistentQuery,
      responses: { 200: { description: 'The room', body: Room }, ...READ },
      handler: async (ctx) => {
        return { body: await requireRoomReader(readStore, ctx.params.roomId, ctx.user.id) };
      },
    }),
    defineRoute({
      consistency: afterWrites, guard: roomMember('roomId'),
      method: 'get', path: '/api/collaboration/rooms/:roomId/members', summary: 'Who has joined a room', tags: TAGS, auth: 'user', params: roomParams, query: consistentQuery,
      responses: { 200: { description: 'Room members', body: RoomMembers }, ...READ },
      handler: async (ctx) => {
        const members = await readStore.find<RoomMemberView>(ReadModels.roomMembers, { where: { roomId: ctx.params.roomId } });
        const users = await readStore.getMany<UserView>(ReadModels.users, members.map((m) => m.userId));
        const joined = new Map(members.map((m) => [m.userId, m.joinedAt]));
        return { body: { items: users.map((u) => ({ userId: u.id, username: u.username, displayName: u.displayName, avatarUrl: u.avatarUrl, joinedAt: joined.get(u.id) })) } };
      },
    }),
    defineRoute({
      consistency: afterWrites,
      method: 'get', path: '/api/collaboration/chat/:roomId/history', summary: 'Chat history, newest page first; pass nextCursor as `before` for older pages; `?asOf=` as it was then', tags: TAGS, auth: 'user', params: roomParams, query: historyQuery,
      responses: { 200: { description: 'Messages in posting order, and the cursor for the older page', body: ChatHistoryPage }, 400: 'Invalid asOf', ...READ },
      handler: async (ctx) => {
        // Who may read is the read function's (domain's mayReadRoom), the same for the gateway's chat_history frame.
        const { before, limit, asOf } = ctx.query;
        const request = { roomId: ctx.params.roomId, before, limit, viewer: ctx.user.id };
        if (asOf !== undefined) return { body: { asOf, ...(await readChatHistoryAsOf(deps, request, asOf)) } };
        const kept = await historyPages.answer(`${request.roomId}\n${before ?? ''}\n${limit}`, async () => {
          const room = await readStore.get<RoomView>(ReadModels.rooms, request.roomId);
          return roomPage(room, async () => {
            const page = await readChatPageJson(readStore, request);
            return JsonText.object('messages', page.messages, { nextCursor: page.nextCursor });
          });
        });
        await requireReaderOfRoom(readStore, kept.room, request.viewer);
        return { body: await kept.page() };
      },
    }),
  ];
}
