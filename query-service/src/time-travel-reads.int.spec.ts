/**
 * `?asOf=` on the project, its members, rooms and milestones, and a room's chat history: at every
 * moment recorded during the test, the answer replayed from the event store equals what the live
 * read API answered then.
 */
import { ApiClient, successfulBody, type Session, startTestServer, type TestServer } from '@resoft/testkit';

interface Moment {
  readonly position: number;
  readonly project: unknown;
  readonly members: unknown;
  readonly milestones: unknown;
  readonly rooms: unknown;
  readonly chat: unknown;
}

const projectShape = (b: any) => ({ name: b.name, description: b.description, archived: b.archived ?? false, role: b.role });
const membersShape = (b: any) => (b.items as any[]).map((m) => ({ userId: m.userId, username: m.username, role: m.role })).sort((a, b) => a.userId.localeCompare(b.userId));
const milestonesShape = (b: any) => (b.items as any[]).map((m) => ({ name: m.name, description: m.description, reachedAt: m.reachedAt, position: m.position }));

describe('reads as of a past moment (?asOf=)', () => {
  let server: TestServer;
  let api: ApiClient;
  let owner: Session;
  let ann: Session;
  let projectId = '';
  let roomId = '';
  const moments: Moment[] = [];

  const ok = successfulBody;

  /** What the live API answers right after the write at `position`. */
  async function record(position: number): Promise<void> {
    const fresh = await api.readWhenFresh(`/api/projects/${projectId}`, position, owner.accessToken);
    const get = (path: string) => ok(api.get(path, owner.accessToken));
    moments.push({
      position,
      project: projectShape(fresh.body),
      members: membersShape(await get(`/api/projects/${projectId}/members`)),
      milestones: milestonesShape(await get(`/api/projects/${projectId}/milestones`)),
      rooms: (await get(`/api/projects/${projectId}/rooms`)).items,
      chat: roomId ? (await get(`/api/collaboration/chat/${roomId}/history?limit=3`)) : null,
    });
  }

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.baseUrl);
    owner = await api.signUp('owner');
    ann = await api.signUp('ann');
    const created = await ok(api.post('/api/projects', { name: 'Then', description: 'first' }, owner.accessToken));
    projectId = created.id;
    await record(created.position);
    await record((await ok(api.post(`/api/projects/${projectId}/members`, { userId: ann.userId, role: 'viewer' }, owner.accessToken))).position);
    await record((await ok(api.request('PATCH', `/api/projects/${projectId}`, { token: owner.accessToken, body: { name: 'Now', description: 'second' } }))).position);
    await record((await ok(api.post(`/api/projects/${projectId}/milestones`, { name: 'Beta', description: 'first cut' }, owner.accessToken))).position);
    const room = await ok(api.post('/api/collaboration/rooms', { projectId, name: 'General' }, owner.accessToken));
    roomId = room.id;
    await ok(api.post(`/api/collaboration/rooms/${roomId}/join`, {}, owner.accessToken));
    const messages: string[] = [];
    for (const text of ['one', 'two', 'three', 'four']) {
      const posted = await ok(api.post('/api/collaboration/chat', { roomId, text }, owner.accessToken));
      messages.push(posted.id);
      await record(posted.position);
    }
    await record((await ok(api.request('PATCH', `/api/collaboration/chat/${roomId}/${messages[1]}`, { token: owner.accessToken, body: { text: 'two, edited' } }))).position);
    await record((await ok(api.request('DELETE', `/api/collaboration/chat/${roomId}/${messages[3]}`, { token: owner.accessToken }))).position);
    await record((await ok(api.request('PATCH', `/api/projects/${projectId}/members/${ann.userId}`, { token: owner.accessToken, body: { role: 'editor' } }))).position);
    await record((await ok(api.request('DELETE', `/api/projects/${projectId}/members/${ann.userId}`, { token: owner.accessToken }))).position);
  });
  afterAll(() => server.stop());

  it('answers the project, members, milestones and chat as the live API answered at every recorded position', async () => {
    for (const moment of moments) {
      const get = async (path: string) => {
        const r = await api.get(`${path}${path.includes('?') ? '&' : '?'}asOf=${moment.position}`, owner.accessToken);
        expect([path, r.status]).toEqual([path, 200]);
        return r.body;
      };
      expect(projectShape(await get(`/api/projects/${projectId}`))).toEqual(moment.project);
      expect(membersShape(await get(`/api/projects/${projectId}/members`))).toEqual(moment.members);
      expect(milestonesShape(await get(`/api/projects/${projectId}/milestones`))).toEqual(moment.milestones);
      expect((await get(`/api/projects/${projectId}/rooms`)).items).toEqual(moment.rooms);
      if (moment.chat) {
        const { asOf: _asOf, ...chat } = await get(`/api/collaboration/chat/${roomId}/history?limit=3`);
        expect(chat).toEqual(moment.chat);
      }
    }
  });

  it('answers 404 before the project existed and 400 to a moment that is not one', async () => {
    const before = await api.get(`/api/projects/${projectId}?asOf=1`, owner.accessToken);
    expect([before.status, before.body.error.code]).toEqual([404, 'project_not_found']);
    const bad = await api.get(`/api/projects/${projectId}/members?asOf=2026-02-30T25:00:00Z`, owner.accessToken);
    expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_as_of']);
  });
});
