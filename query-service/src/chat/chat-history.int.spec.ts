/**
 * The chat-history read that the HTTP route and the gateway share: who may read (any member of the
 * room's project, joined or not; anyone else learns nothing, not even that the room exists) and the
 * cursor that pages back to the first message without gaps or repeats, the same in both shapes.
 */
import { DomainError } from '@resoft/domain';
import { SqliteReadStore } from '@resoft/adapter-sqlite';
import { ReadModels, chatProjection, memberDocId, projectsProjection, roomsProjection, type ChatMessageView } from '@resoft/projectors';
import { readChatHistory, readChatPageJson } from './chat-history.js';

const ROOM = 'room-1';
const store = new SqliteReadStore({ file: ':memory:' });

beforeAll(async () => {
  for (const projection of [chatProjection, roomsProjection, projectsProjection]) for (const spec of projection.collections) await store.ensureCollection(spec);
  const message = (position: number): ChatMessageView => ({
    id: `m${position}`, roomId: ROOM, projectId: 'p1', authorId: 'ann', text: `message ${position}`, mentions: [], codeBlocks: [],
    postedAt: new Date(position * 1000).toISOString(), editedAt: null, deleted: false, position,
  });
  await store.write({
    ops: [
      { kind: 'put', collection: ReadModels.rooms, doc: { id: ROOM, projectId: 'p1', name: 'General' } },
      { kind: 'put', collection: ReadModels.projectMembers, doc: { id: memberDocId('p1', 'viv'), projectId: 'p1', userId: 'viv', username: 'viv', role: 'viewer', addedAt: '2026-01-01T00:00:00Z' } },
      ...[3, 5, 8, 13, 21].map((position) => ({ kind: 'put' as const, collection: ReadModels.chatMessages, doc: message(position) })),
      { kind: 'put', collection: ReadModels.chatMessages, doc: { ...message(34), id: 'elsewhere', roomId: 'room-2' } },
    ],
  });
});
afterAll(() => store.close());

describe('readChatHistory', () => {
  it('pages a member back to the first message, newest page first, each page in posting order', async () => {
    const newest = await readChatHistory(store, { roomId: ROOM, limit: 2, viewer: 'viv' });
    expect(newest).toMatchObject({ messages: [{ position: 13 }, { position: 21 }], nextCursor: 13 });
    const middle = await readChatHistory(store, { roomId: ROOM, limit: 2, before: newest.nextCursor!, viewer: 'viv' });
    expect(middle.messages.map((m) => m.position)).toEqual([5, 8]);
    const oldest = await readChatHistory(store, { roomId: ROOM, limit: 2, before: middle.nextCursor!, viewer: 'viv' });
    expect(oldest).toMatchObject({ messages: [{ position: 3 }], nextCursor: null });
  });

  it('answers the same page and cursor as stored JSON text, for the HTTP route', async () => {
    const parsed = await readChatHistory(store, { roomId: ROOM, limit: 3, before: 21, viewer: 'viv' });
    const text = await readChatPageJson(store, { roomId: ROOM, limit: 3, before: 21 });
    expect(text.messages.map((m) => JSON.parse(m) as ChatMessageView)).toEqual(parsed.messages);
    expect(text.nextCursor).toBe(parsed.nextCursor);
  });

  it('tells a non-member and a missing room the same thing: room_not_found', async () => {
    for (const request of [{ roomId: ROOM, viewer: 'stranger' }, { roomId: 'no-such-room', viewer: 'viv' }]) {
      const refused = await readChatHistory(store, { ...request, limit: 10 }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(DomainError);
      expect(refused).toMatchObject({ kind: 'not_found', code: 'room_not_found' });
    }
  });
});
