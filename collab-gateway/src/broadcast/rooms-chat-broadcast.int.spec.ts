/**
 * Rooms over the socket: joining and leaving are events, presence is live, chat follows the HTTP
 * path's rules (mentions notify, edits and deletions propagate, history pages), project events
 * reach every member's connection, and a reconnecting client gets what it missed.
 */
import type { CollabClient } from '@resoft/collab-client';
import { collabFixture, connectClient, until, type CollabFixture, startTestServer, type TestServer } from '@resoft/testkit';

let server: TestServer;
let fixture: CollabFixture;
const clients: CollabClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  fixture = await collabFixture(server.baseUrl, { editors: 2 });
});
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});
afterAll(() => server.stop());

async function client(session: { accessToken: string }, options: { minReconnectDelayMs?: number } = {}): Promise<CollabClient> {
  const c = await connectClient(server.baseUrl, session, options);
  clients.push(c);
  return c;
}

describe('rooms, presence and chat over the socket', () => {
  it('records joining as an event, shows who is online, and tells the room', async () => {
    const ann = await client(fixture.editors[0]!);
    const bob = await client(fixture.editors[1]!);
    await ann.join(fixture.roomId);
    const joinedFrame = ann.next('collaboration:user_joined', (f) => f.userId === fixture.editors[1]!.userId);
    const joined = await bob.join(fixture.roomId);
    expect(joined.projectId).toBe(fixture.projectId);
    expect(joined.presence.filter((p) => p.status === 'online').map((p) => p.username).sort()).toEqual([fixture.editors[0]!.username, fixture.editors[1]!.username].sort());
    expect((await joinedFrame).roomId).toBe(fixture.roomId);
    const members = await fixture.api.get(`/api/collaboration/rooms/${fixture.roomId}/members?after=${ann.lastPosition}`, fixture.owner.accessToken);
    expect(members.body.items.map((m: any) => m.userId)).toEqual(expect.arrayContaining([fixture.editors[0]!.userId, fixture.editors[1]!.userId]));

    const away = ann.next('collaboration:presence', (f) => f.presence.some((p) => p.userId === fixture.editors[1]!.userId && p.status === 'away' && p.typing));
    await bob.setPresence('away', { typing: true, viewing: fixture.fileId });
    expect((await away).presence.find((p) => p.userId === fixture.editors[1]!.userId)?.viewing).toBe(fixture.fileId);

    const offline = ann.next('collaboration:presence', (f) => f.presence.some((p) => p.userId === fixture.editors[1]!.userId && p.status === 'offline'));
    bob.close();
    expect((await offline).presence.find((p) => p.userId === fixture.editors[1]!.userId)?.lastSeen).toEqual(expect.any(String));
  });

  it('posts chat with the HTTP rules: mentions notify the mentioned member, edits and deletions reach the room', async () => {
    const ann = await client(fixture.editors[0]!);
    const bob = await client(fixture.editors[1]!);
    await ann.join(fixture.roomId);
    await bob.join(fixture.roomId);
    const mention = bob.next('collaboration:mention');
    const posted = bob.next('collaboration:message', (f) => f.kind === 'posted');
    const sent = await ann.chat(fixture.roomId, `@${fixture.editors[1]!.username} look:\n\`\`\`python\nprint(1)\n\`\`\``);
    expect(sent.mentions).toEqual([fixture.editors[1]!.userId]);
    expect((await mention).messageId).toBe(sent.messageId);
    expect((await posted).message).toMatchObject({ messageId: sent.messageId, authorId: fixture.editors[0]!.userId, mentions: [fixture.editors[1]!.userId] });

    const edited = bob.next('collaboration:message', (f) => f.kind === 'edited');
    await ann.editChat(fixture.roomId, sent.messageId, 'never mind');
    expect((await edited).message.text).toBe('never mind');
    await expect(bob.editChat(fixture.roomId, sent.messageId, 'hijack')).rejects.toMatchObject({ code: 'not_your_message' });
    const deleted = bob.next('collaboration:message', (f) => f.kind === 'deleted');
    await ann.deleteChat(fixture.roomId, sent.messageId);
    expect((await deleted).message).toMatchObject({ messageId: sent.messageId, deleted: true, text: null });
  });

  it('pages chat history, newest page last-in-order', async () => {
    const ann = await client(fixture.editors[0]!);
    await ann.join(fixture.roomId);
    let last = 0;
    for (let i = 0; i < 5; i += 1) last = (await ann.chat(fixture.roomId, `page message ${i}`)).position;
    await fixture.api.get(`/api/collaboration/chat/${fixture.roomId}/history?after=${last}`, fixture.owner.accessToken);
    const newest = await ann.history(fixture.roomId, undefined, 3);
    expect(newest.messages.map((m) => m.text)).toEqual(['page message 2', 'page message 3', 'page message 4']);
    const older = await ann.history(fixture.roomId, newest.nextBefore!, 2);
    expect(older.messages.map((m) => m.text)).toEqual(['page message 0', 'page message 1']);
  });

  it('reads history with the rule and cursor of the HTTP route: any member of the project, joined or not; an outsider sees no room', async () => {
    const ann = await client(fixture.editors[0]!);
    await ann.join(fixture.roomId);
    let last = 0;
    for (let i = 0; i < 3; i += 1) last = (await ann.chat(fixture.roomId, `shared read ${i}`)).position;
    const http = await fixture.api.get(`/api/collaboration/chat/${fixture.roomId}/history?after=${last}&limit=2`, fixture.owner.accessToken);
    const viewer = await client(fixture.viewer);
    const page = await viewer.history(fixture.roomId, undefined, 2);
    expect(page.messages.map((m) => m.position)).toEqual(http.body.messages.map((m: { position: number }) => m.position));
    expect(page.nextCursor).toBe(http.body.nextCursor);
    expect(page.nextBefore).toBe(page.nextCursor);
    const outsider = await client(fixture.outsider);
    await expect(outsider.history(fixture.roomId)).rejects.toMatchObject({ code: 'room_not_found' });
  });

  it('refuses a non-member: joining a room or opening a file of a project they are not in', async () => {
    const outsider = await client(fixture.outsider);
    await expect(outsider.join(fixture.roomId)).rejects.toMatchObject({ code: 'project_not_found' });
    await expect(outsider.open(fixture.projectId, fixture.fileId)).rejects.toMatchObject({ code: 'project_not_found' });
  });

  it('broadcasts project events — a file lock, a milestone — to members connected to the project', async () => {
    const ann = await client(fixture.editors[0]!);
    await ann.join(fixture.roomId);
    const locked = ann.next('collaboration:event', (f) => f.eventType === 'FileLocked');
    await fixture.api.post(`/api/projects/${fixture.projectId}/files/${fixture.fileId}/lock`, {}, fixture.owner.accessToken);
    expect((await locked).data).toMatchObject({ fileId: fixture.fileId, lockedBy: fixture.owner.userId });
    await fixture.api.post(`/api/projects/${fixture.projectId}/files/${fixture.fileId}/unlock`, {}, fixture.owner.accessToken);
    const milestone = ann.next('collaboration:event', (f) => f.eventType === 'MilestoneReached');
    await fixture.api.post(`/api/projects/${fixture.projectId}/milestones`, { name: 'Beta' }, fixture.owner.accessToken);
    expect((await milestone).data).toMatchObject({ name: 'Beta' });
  });

  it('replays what a reconnecting client missed, from the last position it saw', async () => {
    const ann = await client(fixture.editors[0]!, { minReconnectDelayMs: 300 });
    const bob = await client(fixture.editors[1]!);
    await ann.join(fixture.roomId);
    await bob.join(fixture.roomId);
    ann.dropConnection();
    await until(() => ann.state !== 'open');
    const missed = await bob.chat(fixture.roomId, 'said while Ann was away');
    const replayed = await ann.next('collaboration:message', (f) => f.message.messageId === missed.messageId);
    expect(replayed.message.text).toBe('said while Ann was away');
    expect(ann.lastPosition).toBeGreaterThanOrEqual(missed.position);
  });

  it('records leaving as an event and tells the room', async () => {
    const ann = await client(fixture.editors[0]!);
    const bob = await client(fixture.editors[1]!);
    await ann.join(fixture.roomId);
    await bob.join(fixture.roomId);
    const left = ann.next('collaboration:user_left', (f) => f.userId === fixture.editors[1]!.userId);
    await bob.leave(fixture.roomId);
    expect((await left).roomId).toBe(fixture.roomId);
    await expect(bob.chat(fixture.roomId, 'still here?')).rejects.toMatchObject({ code: 'not_in_room' });
  });
});
