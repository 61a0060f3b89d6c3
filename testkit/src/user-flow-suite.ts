import fs from 'node:fs';
/**
 * The spine's HTTP user flows as a suite, run unchanged against every
 * deployment shape: the embedded all-in-one and the distributed processes.
 */
import { ApiClient, type Session } from './api-client.js';
import type { TestServer } from './test-server.js';

/** A distributed deployment waits for its Kafka consumer group to form. */
const STARTUP_TIMEOUT_MS = 120_000;

export type StartServer = (extraEnv?: Record<string, string>, dataDir?: string) => Promise<TestServer>;

export function describeUserFlows(deployment: string, startTestServer: StartServer, describeIt: jest.Describe = describe): void {
describeIt(`a team works together over the HTTP API (${deployment})`, () => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.baseUrl);
  }, STARTUP_TIMEOUT_MS);
  afterAll(async () => {
    await server.stop();
    fs.rmSync(server.config.dataDir, { recursive: true, force: true });
  });

  it('registers, signs in, creates a project, adds a member, opens a room, chats with a mention and reads it back', async () => {
    const ann = await api.signUp('ann');
    const bob = await api.signUp('bob');

    const project = await api.post('/api/projects', { name: 'Apollo', description: 'Moon shot' }, ann.accessToken);
    expect(project.status).toBe(201);
    expect(project.body.position).toBeGreaterThan(0);
    const projectId: string = project.body.id;

    const added = await api.post(`/api/projects/${projectId}/members`, { username: 'bob', role: 'editor' }, ann.accessToken);
    expect(added.status).toBe(201);

    const room = await api.post('/api/collaboration/rooms', { projectId, name: 'General' }, ann.accessToken);
    expect(room.status).toBe(201);
    const roomId: string = room.body.id;
    expect((await api.post(`/api/collaboration/rooms/${roomId}/join`, {}, ann.accessToken)).status).toBe(200);
    expect((await api.post(`/api/collaboration/rooms/${roomId}/join`, {}, bob.accessToken)).status).toBe(200);

    const text = 'Hi @bob, can you check this?\n```python\nprint("hello")\n```';
    const posted = await api.post('/api/collaboration/chat', { roomId, text }, ann.accessToken);
    expect(posted.status).toBe(201);
    expect(posted.body.mentions).toEqual([bob.userId]);

    // Read-your-writes: the history asked for `after` the post's position contains it.
    const history = await api.get(`/api/collaboration/chat/${roomId}/history?after=${posted.body.position}`, bob.accessToken);
    expect(history.status).toBe(200);
    expect(history.headers.get('resoft-consistency')).toBe('fresh');
    expect(history.body.messages).toEqual([
      expect.objectContaining({ id: posted.body.id, authorId: ann.userId, text, mentions: [bob.userId], codeBlocks: [{ language: 'python', code: 'print("hello")' }], deleted: false }),
    ]);

    const members = await api.get(`/api/projects/${projectId}/members?after=${posted.body.position}`, bob.accessToken);
    expect(members.body.items.map((m: { username: string; role: string }) => [m.username, m.role])).toEqual([['ann', 'owner'], ['bob', 'editor']]);

    const mine = await api.get(`/api/projects?after=${posted.body.position}`, bob.accessToken);
    expect(mine.body.items).toEqual([expect.objectContaining({ id: projectId, name: 'Apollo', role: 'editor', memberCount: 2 })]);
  });

  it('pages chat history from newest to oldest with a cursor, and hides deleted text', async () => {
    const owner = await api.signUp('carol');
    const projectId = (await api.post('/api/projects', { name: 'Paging' }, owner.accessToken)).body.id;
    const roomId = (await api.post('/api/collaboration/rooms', { projectId, name: 'Busy' }, owner.accessToken)).body.id;
    await api.post(`/api/collaboration/rooms/${roomId}/join`, {}, owner.accessToken);
    const ids: string[] = [];
    let last = 0;
    for (let i = 1; i <= 5; i += 1) {
      const r = await api.post('/api/collaboration/chat', { roomId, text: `message ${i}` }, owner.accessToken);
      ids.push(r.body.id);
      last = r.body.position;
    }
    const deleted = await api.request('DELETE', `/api/collaboration/chat/${roomId}/${ids[1]}`, { token: owner.accessToken });
    expect(deleted.status).toBe(200);

    const first = await api.get(`/api/collaboration/chat/${roomId}/history?limit=2&after=${deleted.body.position}`, owner.accessToken);
    expect(first.body.messages.map((m: { text: string }) => m.text)).toEqual(['message 4', 'message 5']);
    const second = await api.get(`/api/collaboration/chat/${roomId}/history?limit=2&before=${first.body.nextCursor}`, owner.accessToken);
    expect(second.body.messages.map((m: { text: string; deleted: boolean }) => [m.text, m.deleted])).toEqual([['', true], ['message 3', false]]);
    const third = await api.get(`/api/collaboration/chat/${roomId}/history?limit=2&before=${second.body.nextCursor}`, owner.accessToken);
    expect(third.body.messages.map((m: { text: string }) => m.text)).toEqual(['message 1']);
    expect(third.body.nextCursor).toBeNull();
    expect(last).toBeGreaterThan(0);
  });

  it('rotates refresh tokens and revokes the session when an old one is reused', async () => {
    const dan: Session = await api.signUp('dan');
    const rotated = await api.post('/api/auth/refresh', { refreshToken: dan.refreshToken });
    expect(rotated.status).toBe(200);
    expect(rotated.body.refreshToken).not.toBe(dan.refreshToken);
    expect((await api.get('/api/auth/me?after=' + rotated.body.position, rotated.body.accessToken)).body.username).toBe('dan');

    const reused = await api.post('/api/auth/refresh', { refreshToken: dan.refreshToken });
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('refresh_token_reused');
    // The whole family is revoked: the newest token no longer works either.
    const afterReuse = await api.post('/api/auth/refresh', { refreshToken: rotated.body.refreshToken });
    expect(afterReuse.status).toBe(401);
  });

  it('signs out: the refresh token stops working', async () => {
    const eve = await api.signUp('eve');
    const out = await api.post('/api/auth/logout', { refreshToken: eve.refreshToken }, eve.accessToken);
    expect(out.status).toBe(200);
    expect((await api.post('/api/auth/refresh', { refreshToken: eve.refreshToken })).status).toBe(401);
  });

  it('refuses a wrong password and a duplicate email or username', async () => {
    await api.signUp('fay');
    expect((await api.post('/api/auth/login', { email: 'fay@example.com', password: 'wrong password' })).status).toBe(401);
    expect((await api.post('/api/auth/login', { email: 'nobody@example.com', password: 'wrong password' })).status).toBe(401);
    const sameEmail = await api.post('/api/auth/register', { email: 'FAY@example.com', username: 'fay2', password: 'long enough' });
    expect([sameEmail.status, sameEmail.body.error.code]).toEqual([409, 'email_taken']);
    const sameName = await api.post('/api/auth/register', { email: 'other@example.com', username: 'Fay', password: 'long enough' });
    expect([sameName.status, sameName.body.error.code]).toEqual([409, 'username_taken']);
  });

  it('gives back the username when a registration fails on a taken email, so nothing is left half-done', async () => {
    await api.signUp('hal');
    const clash = await api.post('/api/auth/register', { email: 'hal@example.com', username: 'brandnew', password: 'long enough' });
    expect([clash.status, clash.body.error.code]).toEqual([409, 'email_taken']);
    const retry = await api.post('/api/auth/register', { email: 'brandnew@example.com', username: 'brandnew', password: 'long enough' });
    expect(retry.status).toBe(201);
  });

  it('keeps sign-ins valid across a restart, because the signing key is kept in the data directory', async () => {
    const gus = await api.signUp('gus');
    const dataDir = server.config.dataDir;
    await server.stop({ keepData: true });
    server = await startTestServer({}, dataDir);
    api = new ApiClient(server.baseUrl);
    // After a restart the projections may still be catching up (in a distributed deployment the
    // consumer group forms again first): read your own sign-in, as a client would, with ?after=.
    const me = await api.readWhenFresh('/api/auth/me', gus.position, gus.accessToken, 90_000);
    expect([me.status, me.body.username]).toEqual([200, 'gus']);
  }, STARTUP_TIMEOUT_MS);
});
}
