/**
 * Erasure without breaking the chain (issue 13, item 3), on the embedded SQLite stores: a user registers,
 * works in a project and a room, erases their account; afterwards no read model, rebuild, bundle or file of
 * the data directory holds their personal data in clear, and every proof and `resoft audit verify` pass.
 */
import fs from 'node:fs';
import path from 'node:path';
import { verifyInclusion } from '@resoft/domain';
import { ApiClient, type Session, startTestServer, type TestServer } from '@resoft/testkit';
import { runCli } from '@resoft/testkit/processes';
import { rebuildCommand, unzip } from '@resoft/cli';

const quiet = { write: () => true } as unknown as NodeJS.WriteStream;
const PASSWORD = 'correct horse battery';
/** Distinctive values, so finding one in a file can only mean the user's data. */
const ZOE = { username: 'zoe_q7x', email: 'zoe.q7x@example.org', displayName: 'Zoë Quixotic-Q7X', bio: 'Bio of Zoe: loves Q7X-widgets', avatarUrl: 'https://avatars.example.org/zoe-q7x.png' };
const ZOE_VALUES = Object.values(ZOE);

/** Every file under the data directory whose bytes hold one of the values (as UTF-8), with the value found. */
function filesHolding(dir: string, values: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const bytes = fs.readFileSync(full);
        for (const value of values) if (bytes.includes(Buffer.from(value, 'utf8'))) found.push(`${path.relative(dir, full)}: ${value}`);
      }
    }
  };
  walk(dir);
  return found;
}

/** The projections purge their files right after writing: a moment may pass between "fresh" and the purge. */
async function eventuallyNoFileHolds(dir: string, values: readonly string[], timeoutMs = 30_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = filesHolding(dir, values);
    if (found.length === 0 || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('erasing a user (crypto-shredding)', () => {
  let server: TestServer;
  let api: ApiClient;
  let owner: Session;
  let zoe: Session;
  let projectId: string;
  let erasedAt: number;
  /** Position of the event that added Zoe to the project (it carries her sealed username). */
  let memberAddedAt: number;

  beforeAll(async () => {
    server = await startTestServer({ RESOFT_ADMINS: 'root' });
    api = new ApiClient(server.baseUrl);
    owner = await api.signUp('owner');
    const registered = await api.post('/api/auth/register', { email: ZOE.email, username: ZOE.username, password: PASSWORD, displayName: ZOE.displayName });
    expect(registered.status).toBe(201);
    const login = await api.post('/api/auth/login', { email: ZOE.email, password: PASSWORD });
    zoe = { userId: login.body.user.id, username: ZOE.username, email: ZOE.email, accessToken: login.body.accessToken, refreshToken: login.body.refreshToken, position: login.body.position };
    expect((await api.request('PATCH', '/api/auth/me', { token: zoe.accessToken, body: { bio: ZOE.bio, avatarUrl: ZOE.avatarUrl } })).status).toBe(200);

    projectId = (await api.post('/api/projects', { name: 'Shared' }, owner.accessToken)).body.id;
    const added = await api.post(`/api/projects/${projectId}/members`, { username: ZOE.username, role: 'editor' }, owner.accessToken);
    expect(added.status).toBe(201);
    memberAddedAt = added.body.position;
    const room = (await api.post('/api/collaboration/rooms', { projectId, name: 'General' }, owner.accessToken)).body;
    await api.post(`/api/collaboration/rooms/${room.id}/join`, {}, zoe.accessToken);
    expect((await api.post('/api/collaboration/chat', { roomId: room.id, text: 'hello @owner' }, zoe.accessToken)).status).toBe(201);
    // Her own project: its creation event names her as owner.
    const created = await api.post('/api/projects', { name: 'Zoe\'s own' }, zoe.accessToken);
    const members = await api.readWhenFresh(`/api/projects/${projectId}/members`, created.body.position, owner.accessToken);
    expect(members.body.items).toContainEqual(expect.objectContaining({ userId: zoe.userId, username: ZOE.username, displayName: ZOE.displayName, avatarUrl: ZOE.avatarUrl }));
  }, 120_000);

  afterAll(async () => {
    await server.stop();
    fs.rmSync(server.config.dataDir, { recursive: true, force: true });
  });

  it('stores personal data sealed: the event store never holds it in clear, though the read models show it', async () => {
    expect(filesHolding(server.config.dataDir, ZOE_VALUES).filter((f) => f.startsWith('events.sqlite'))).toEqual([]);
    const me = await api.get('/api/auth/me', zoe.accessToken);
    expect(me.body).toMatchObject({ username: ZOE.username, email: ZOE.email, displayName: ZOE.displayName, bio: ZOE.bio });
  });

  it('refuses to erase without the right password, and erases nothing then', async () => {
    const refused = await api.request('DELETE', '/api/auth/me', { token: zoe.accessToken, body: { password: 'not my password' } });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'wrong_password']);
    expect((await api.get('/api/auth/me', zoe.accessToken)).body.displayName).toBe(ZOE.displayName);
  });

  it('erases the account: read models show "erased user", sign-in and the old tokens stop working', async () => {
    const erased = await api.request('DELETE', '/api/auth/me', { token: zoe.accessToken, body: { password: PASSWORD } });
    expect([erased.status, erased.body.erased]).toEqual([200, true]);
    erasedAt = erased.body.position;
    const members = await api.readWhenFresh(`/api/projects/${projectId}/members`, erasedAt, owner.accessToken);
    expect(members.body.items).toContainEqual(expect.objectContaining({ userId: zoe.userId, username: 'erased-user', displayName: 'Erased user', avatarUrl: null }));
    expect(JSON.stringify(members.body)).not.toContain(ZOE.username);
    expect((await api.get('/api/auth/me', zoe.accessToken)).status).toBe(401);
    expect((await api.post('/api/auth/login', { email: ZOE.email, password: PASSWORD })).status).toBe(401);
    expect((await api.post('/api/auth/refresh', { refreshToken: zoe.refreshToken })).status).toBe(401);
    const activity = await api.readWhenFresh(`/api/projects/${projectId}/activity`, erasedAt, owner.accessToken);
    expect(JSON.stringify(activity.body)).not.toMatch(/zoe/i);
  });

  it('leaves no erased value in clear in any file of the data directory (SQLite pages and WAL included)', async () => {
    expect(await eventuallyNoFileHolds(server.config.dataDir, ZOE_VALUES)).toEqual([]);
  }, 60_000);

  it('keeps every proof valid: `resoft audit verify` passes and an event carrying the erased username is still proven', async () => {
    for (let tries = 0; ((await api.get('/api/audit/tree-heads', owner.accessToken)).body.latest?.lastPosition ?? 0) < erasedAt; tries += 1) {
      if (tries > 300) throw new Error('no tree head covers the erasure');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const proof = await api.get(`/api/audit/proofs/inclusion?position=${memberAddedAt}`, owner.accessToken);
    expect(proof.status).toBe(200);
    const hashes = (proof.body.proof as string[]).map((h) => Buffer.from(h, 'hex'));
    expect(verifyInclusion(Buffer.from(proof.body.leafHash, 'hex'), proof.body.leafIndex, proof.body.treeSize, hashes, Buffer.from(proof.body.treeHead.rootHash, 'hex'))).toBe(true);
    const verify = await runCli(['audit', 'verify'], server.env);
    expect([verify.code, verify.stderr]).toEqual([0, '']);
    expect(verify.stdout).toMatch(/^OK: /);
  }, 120_000);

  it('exports a bundle of the erased user\'s project with no clear value in it, which the verifier accepts', async () => {
    const response = await fetch(`${server.baseUrl}/api/projects/${projectId}/audit/bundle`, { headers: { authorization: `Bearer ${owner.accessToken}` } });
    expect(response.status).toBe(200);
    const bundle = Buffer.from(await response.arrayBuffer());
    for (const [name, content] of unzip(bundle)) for (const value of ZOE_VALUES) expect(`${name}: ${content.includes(Buffer.from(value)) ? value : ''}`).toBe(`${name}: `);
    const file = path.join(server.config.dataDir, '..', `erasure-bundle-${process.pid}.zip`);
    fs.writeFileSync(file, bundle);
    try {
      const verified = await runCli(['audit', 'verify', '--bundle', file], server.env);
      expect(verified.code).toBe(0);
    } finally {
      fs.rmSync(file, { force: true });
    }
  }, 120_000);

  it('exports the project\'s raw events and activity feed with no clear value in them', async () => {
    for (const url of [`/api/projects/${projectId}/events/export?format=ndjson`, `/api/projects/${projectId}/events/export?format=csv`, `/api/projects/${projectId}/activity/export?format=csv`]) {
      const response = await fetch(server.baseUrl + url, { headers: { authorization: `Bearer ${owner.accessToken}` } });
      expect([url, response.status]).toEqual([url, 200]);
      const text = await response.text();
      expect(text.length).toBeGreaterThan(0);
      for (const value of ZOE_VALUES) expect(`${url}: ${text.includes(value) ? value : ''}`).toBe(`${url}: `);
    }
  });

  it('lets an administrator erase a user, and no one else', async () => {
    const root = await api.signUp('root');
    const yan = await api.signUp('yan');
    expect((await api.request('DELETE', `/api/admin/users/${yan.userId}`, { token: owner.accessToken })).status).toBe(403);
    expect((await api.request('DELETE', '/api/admin/users/not-a-uuid', { token: root.accessToken })).status).toBe(400);
    const erased = await api.request('DELETE', `/api/admin/users/${yan.userId}`, { token: root.accessToken });
    expect([erased.status, erased.body.erased]).toEqual([200, true]);
    expect((await api.request('DELETE', `/api/admin/users/${yan.userId}`, { token: root.accessToken })).status).toBe(404);
    expect((await api.request('DELETE', `/api/admin/users/${zoe.userId}`, { token: root.accessToken })).status).toBe(404);
    expect((await api.post('/api/auth/login', { email: yan.email, password: PASSWORD })).status).toBe(401);
  });

  it('cannot bring the data back with `resoft rebuild`', async () => {
    await server.stop({ keepData: true });
    await rebuildCommand([], server.env, quiet);
    expect(await eventuallyNoFileHolds(server.config.dataDir, ZOE_VALUES, 0)).toEqual([]);
    server = await startTestServer({ RESOFT_ADMINS: 'root' }, server.config.dataDir);
    api = new ApiClient(server.baseUrl);
    const login = await api.post('/api/auth/login', { email: owner.email, password: PASSWORD });
    const members = await api.get(`/api/projects/${projectId}/members`, login.body.accessToken);
    expect(members.body.items).toContainEqual(expect.objectContaining({ userId: zoe.userId, username: 'erased-user', displayName: 'Erased user' }));
    expect(JSON.stringify(members.body)).not.toContain(ZOE.username);
  }, 120_000);
});
