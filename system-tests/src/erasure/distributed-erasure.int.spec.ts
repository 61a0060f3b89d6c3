/**
 * Erasure on the distributed processes (Kafka-fed projectors, read models and data keys in a MongoDB-wire
 * engine, claims named with the secret every process shares): the erased user's read models forget them.
 * Engine files are not inspected here: MongoDB/FerretDB journals are outside what erasure controls (docs/audit.md).
 */
import { MongoKeyStore, MongoReadStore } from '@resoft/adapter-mongodb';
import { ReadModels } from '@resoft/projectors';
import { ApiClient, type TestServer } from '@resoft/testkit';
import { missingEngines, startDistributedTestServer } from '@resoft/testkit/processes';

const SKIP = `skipped: ${missingEngines.join(', ')} not set (infra/engines/*.sh start print them)`;
if (missingEngines.length) console.warn(`distributed erasure ${SKIP}`);
const PASSWORD = 'correct horse battery';
const ZOE = { username: 'zoe_d9w', email: 'zoe.d9w@example.org', displayName: 'Zoë Distributed-D9W', bio: 'D9W bio' };

(missingEngines.length ? describe.skip : describe)(`erasing a user on the distributed processes${missingEngines.length ? ` (${SKIP})` : ''}`, () => {
  let server: TestServer;
  afterAll(() => server?.stop());

  it('shows "erased user" in the read models built from the bus, and leaves a tombstone in the key store', async () => {
    server = await startDistributedTestServer();
    const api = new ApiClient(server.baseUrl);
    const owner = await api.signUp('owner');
    expect((await api.post('/api/auth/register', { email: ZOE.email, username: ZOE.username, password: PASSWORD, displayName: ZOE.displayName })).status).toBe(201);
    const zoe = (await api.post('/api/auth/login', { email: ZOE.email, password: PASSWORD })).body;
    await api.request('PATCH', '/api/auth/me', { token: zoe.accessToken, body: { bio: ZOE.bio } });
    const projectId = (await api.post('/api/projects', { name: 'Shared' }, owner.accessToken)).body.id;
    const added = await api.post(`/api/projects/${projectId}/members`, { email: ZOE.email, role: 'viewer' }, owner.accessToken);
    expect(added.status).toBe(201);
    const before = await api.readWhenFresh(`/api/projects/${projectId}/members`, added.body.position, owner.accessToken, 90_000);
    expect(before.body.items).toContainEqual(expect.objectContaining({ userId: zoe.user.id, username: ZOE.username, displayName: ZOE.displayName }));

    const erased = await api.request('DELETE', '/api/auth/me', { token: zoe.accessToken, body: { password: PASSWORD } });
    expect(erased.status).toBe(200);
    const after = await api.readWhenFresh(`/api/projects/${projectId}/members`, erased.body.position, owner.accessToken, 90_000);
    expect(after.body.items).toContainEqual(expect.objectContaining({ userId: zoe.user.id, username: 'erased-user', displayName: 'Erased user' }));

    const mongo = server.config.mongo!;
    const keys = await MongoKeyStore.connect(mongo);
    const readModels = await MongoReadStore.connect(mongo);
    try {
      expect(await keys.find(zoe.user.id)).toEqual({ status: 'erased', erasedAt: expect.any(String) });
      const stored = JSON.stringify([await readModels.find(ReadModels.users), await readModels.find(ReadModels.projectMembers), await readModels.find(ReadModels.activity)]);
      for (const value of Object.values(ZOE)) expect(stored).not.toContain(value);
    } finally {
      await keys.close();
      await readModels.close();
    }
  }, 300_000);
});
