import { MembersController } from './members-controller.js';
import { TestHost, scriptedApi, toasts, type Answers } from './test-host.fixture.js';

const realFetch = globalThis.fetch;
afterAll(() => (globalThis.fetch = realFetch));

const alice = { userId: 'u-alice', username: 'alice', role: 'owner' };
const bob = { userId: 'u-bob', username: 'bob', role: 'viewer' };

function setUp(answers: Answers) {
  const host = new TestHost();
  const { api, requests } = scriptedApi(answers);
  const told = toasts();
  const members = new MembersController(host, { api: () => api, projectId: () => 'p-1', notify: told.notify });
  return { host, members, requests, told };
}

describe('the members of a project page', () => {
  it('loads the members with the signed-in token, asks the page to render them, and knows roles and names', async () => {
    const { host, members, requests } = setUp({ 'GET /api/projects/p-1/members': { status: 200, body: { items: [alice, bob] } } });
    const before = host.updates;
    await members.load();
    expect(members.members).toEqual([alice, bob]);
    expect(host.updates).toBeGreaterThan(before);
    expect(requests[0]).toMatchObject({ method: 'GET', path: '/api/projects/p-1/members', authorization: 'Bearer token-1' });
    expect(members.roleOf('u-bob')).toBe('viewer');
    expect(members.roleOf('u-stranger')).toBeNull();
    expect(members.names().get('u-alice')).toBe('alice');
  });

  it('keeps the last list shown when a reload fails, and says why the load failed', async () => {
    let fail = false;
    const { members } = setUp({
      'GET /api/projects/p-1/members': () => (fail ? { status: 503, body: { error: { code: 'unavailable', message: 'Try again later' } } } : { status: 200, body: { items: [alice] } }),
    });
    await members.load();
    fail = true;
    await expect(members.load()).rejects.toThrow('Try again later');
    expect(members.members).toEqual([alice]);
  });

  it('adds a member by username, tells it, and shows the new list', async () => {
    let items = [alice];
    const { members, requests, told } = setUp({
      'GET /api/projects/p-1/members': () => ({ status: 200, body: { items } }),
      'POST /api/projects/p-1/members': (body) => {
        items = [alice, { ...bob, role: (body as { role: string }).role }];
        return { status: 201, body: { position: 7 } };
      },
    });
    await members.add('bob', 'editor');
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ username: 'bob', role: 'editor' });
    expect(told.seen).toEqual([{ kind: 'success', text: 'bob was added as editor.' }]);
    expect(members.members.map((m) => `${m.username}:${m.role}`)).toEqual(['alice:owner', 'bob:editor']);
    expect(members.error).toBe('');
  });

  it('says in the form when there is no such user, and clears the message on the next try', async () => {
    const { members, host } = setUp({
      'POST /api/projects/p-1/members': { status: 404, body: { error: { code: 'not_found', message: 'User not found' } } },
    });
    await members.add('nobody', 'viewer');
    expect(members.error).toBe('There is no user named nobody.');
    const updates = host.updates;
    const again = members.add('nobody', 'viewer');
    expect(members.error).toBe('');
    expect(host.updates).toBeGreaterThan(updates);
    await again;
  });

  it('tells a refused role change and still shows the roles as the server has them', async () => {
    const { members, told, requests } = setUp({
      'GET /api/projects/p-1/members': { status: 200, body: { items: [alice, bob] } },
      'PATCH /api/projects/p-1/members/u-bob': { status: 403, body: { error: { code: 'forbidden', message: 'Only owners change roles' } } },
    });
    await members.changeRole('u-bob', 'owner');
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['PATCH /api/projects/p-1/members/u-bob', 'GET /api/projects/p-1/members']);
    expect(told.seen).toEqual([{ kind: 'error', text: 'Only owners change roles' }]);
    expect(members.roleOf('u-bob')).toBe('viewer');
  });
});
