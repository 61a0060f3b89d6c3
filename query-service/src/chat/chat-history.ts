/**
 * A room's chat history, one page at a time, newest page first: the read behind the HTTP route and the
 * gateway's `collaboration:chat_history` frame. It knows nothing of HTTP or sockets: a reader who may not
 * read the room (domain's `mayReadRoom`: any member of the room's project, joined or not) gets the same
 * `room_not_found` rejection as for a room that does not exist, and each edge maps it its own way.
 */
import { ChatPageCollector, mayReadRoom, parseAsOf, reject, roomStreamId } from '@resoft/domain';
import { readBackwardsFrom, type EventStore, type ReadStore } from '@resoft/ports';
import { ReadModels, memberDocId, type ChatMessageView, type ProjectMemberView, type RoomView } from '@resoft/projectors';

export interface ChatHistoryRequest {
  readonly roomId: string;
  /** Cursor: only messages older than this position (the `nextCursor` of the previous page). */
  readonly before?: number | undefined;
  readonly limit: number;
  /** The user asking; the room's project decides whether they may read. */
  readonly viewer: string;
}

/** A page's place in a room's history, whoever reads it. */
export type ChatPageRequest = Omit<ChatHistoryRequest, 'viewer'>;

export interface ChatHistoryPage<M> {
  /** In posting order (oldest first). */
  readonly messages: M[];
  /** Pass as `before` for the older page; null on the oldest page. */
  readonly nextCursor: number | null;
}

/** The room, when the viewer may read it; otherwise `room_not_found`, so a room outside your projects does not show. */
export async function requireRoomReader(readStore: ReadStore, roomId: string, viewer: string): Promise<RoomView> {
  return requireReaderOfRoom(readStore, await readStore.get<RoomView>(ReadModels.rooms, roomId), viewer);
}

/** The same check for a room already read (null: it does not exist); the viewer's membership is read now. */
export async function requireReaderOfRoom(readStore: ReadStore, room: RoomView | null, viewer: string): Promise<RoomView> {
  const member = room ? await readStore.get<ProjectMemberView>(ReadModels.projectMembers, memberDocId(room.projectId, viewer)) : null;
  if (!room || !mayReadRoom(member?.role)) return reject('not_found', 'room_not_found', 'Room not found');
  return room;
}

/** One more than asked, newest first, so the page knows whether an older one exists. */
const pageQuery = (request: ChatPageRequest) => ({
  where: { roomId: request.roomId, ...(request.before ? { position: { $lt: request.before } } : {}) },
  orderBy: [{ field: 'position', direction: 'desc' as const }],
  limit: request.limit + 1,
});

function cut<M>(newestFirst: M[], limit: number, positionOf: (message: M) => number): ChatHistoryPage<M> {
  const messages = newestFirst.slice(0, limit).reverse();
  const oldest = messages[0];
  return { messages, nextCursor: newestFirst.length > limit && oldest !== undefined ? positionOf(oldest) : null };
}

/** A page of messages as read-model views. */
export async function readChatHistory(readStore: ReadStore, request: ChatHistoryRequest): Promise<ChatHistoryPage<ChatMessageView>> {
  await requireRoomReader(readStore, request.roomId, request.viewer);
  return cut(await readStore.find<ChatMessageView>(ReadModels.chatMessages, pageQuery(request)), request.limit, (m) => m.position);
}

/**
 * The same page with each message as the JSON text the store holds: the hottest read, never parsed and
 * serialised again (only the oldest, for the cursor). The caller has checked the reader
 * (`requireRoomReader`): the HTTP route checks on every request and keeps pages across readers.
 */
export async function readChatPageJson(readStore: ReadStore, request: ChatPageRequest): Promise<ChatHistoryPage<string>> {
  return cut(await readStore.findJson(ReadModels.chatMessages, pageQuery(request)), request.limit, (m) => (JSON.parse(m) as ChatMessageView).position);
}

/** Time travel (issue 13): the page as it was at `asOf`, the room's stream read backwards from that moment until the page is full. */
export async function readChatHistoryAsOf(stores: { readonly readStore: ReadStore; readonly eventStore: EventStore }, request: ChatHistoryRequest, asOf: string) {
  await requireRoomReader(stores.readStore, request.roomId, request.viewer);
  const page = new ChatPageCollector(request.limit, request.before);
  await readBackwardsFrom(stores.eventStore, roomStreamId(request.roomId), parseAsOf(asOf), (event) => page.add(event));
  return page.page();
}
