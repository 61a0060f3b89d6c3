/** The audit page's event source: a project's events of every stream in log order, paged, filtered, each with a proof that verifies. */
import { auditLeafHash, verifyInclusion, type RecordedEvent } from '@resoft/domain';
import { ApiClient, type Session, startTestServer, type TestServer } from '@resoft/testkit';

interface Item {
  readonly event: RecordedEvent;
  readonly inclusion: { leafIndex: number; proof: string[] } | null;
}

describe('GET /api/projects/:id/audit/events', () => {
  let server: TestServer;
  let api: ApiClient;
  let owner: Session;
  let ann: Session;
  let projectId = '';

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.baseUrl);
    owner = await api.signUp('owner');
    ann = await api.signUp('ann');
    projectId = (await api.post('/api/projects', { name: 'Paged' }, owner.accessToken)).body.id;
    await api.post(`/api/projects/${projectId}/members`, { userId: ann.userId, role: 'editor' }, owner.accessToken);
    // Another project's events interleave with this one's.
    const other = (await api.post('/api/projects', { name: 'Other' }, ann.accessToken)).body.id;
    for (let n = 0; n < 4; n += 1) {
      await api.post(`/api/projects/${projectId}/files`, { path: `src/f${n}.py`, content: `x = ${n}\n` }, n % 2 ? ann.accessToken : owner.accessToken);
      await api.post(`/api/projects/${other}/files`, { path: `o${n}.py`, content: '' }, ann.accessToken);
      await api.post(`/api/projects/${projectId}/milestones`, { name: `M${n}`, description: '' }, owner.accessToken);
    }
    const last = await api.post(`/api/projects/${projectId}/milestones`, { name: 'Last', description: '' }, owner.accessToken);
    // Wait for a signed tree head over everything.
    for (let i = 0; i < 300; i += 1) {
      if (((await api.get('/api/audit/tree-heads?limit=1', owner.accessToken)).body.latest?.lastPosition ?? 0) >= last.body.position) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  afterAll(() => server.stop());

  const get = (query: string, token = owner.accessToken) => api.get(`/api/projects/${projectId}/audit/events?${query}`, token);

  it('pages through every stream of the project in log order, the pages together equal to one long page, each proof verifying', async () => {
    const all = (await get('limit=1000')).body;
    const positions = (all.events as Item[]).map((i) => i.event.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set((all.events as Item[]).map((i) => i.event.streamId.split('-')[0]))).toEqual(new Set(['project', 'files']));
    expect(all.nextPosition).toBeNull();
    const paged: number[] = [];
    for (let from: number | null = 1, guard = 0; from !== null && guard < 50; guard += 1) {
      const page: { events: Item[]; nextPosition: number | null } = (await get(`limit=3&fromPosition=${from}&treeSize=${all.treeHead.treeSize}`)).body;
      paged.push(...(page.events as Item[]).map((i) => i.event.position));
      from = page.nextPosition;
    }
    expect(paged).toEqual(positions);
    const root = Buffer.from(all.treeHead.rootHash, 'hex');
    for (const { event, inclusion } of all.events as Item[]) {
      expect(verifyInclusion(auditLeafHash(event, all.treeHead.leafV2From), inclusion!.leafIndex, all.treeHead.treeSize, inclusion!.proof.map((h) => Buffer.from(h, 'hex')), root)).toBe(true);
    }
  });

  it('filters by type and actor, for members only', async () => {
    const created = (await get('type=FileCreated&limit=1000')).body.events as Item[];
    expect(created.map((i) => i.event.data)).toHaveLength(4);
    const byAnn = (await get(`actor=${ann.userId}&limit=10`, ann.accessToken)).body;
    expect((byAnn.events as Item[]).map((i) => [i.event.type, i.event.metadata.actor])).toEqual([['FileCreated', ann.userId], ['FileCreated', ann.userId]]);
    expect(byAnn.nextPosition).toBeNull();
    // The owner's nine events (creation, a member, two files, five milestones), two then the rest.
    const first = (await get(`actor=${owner.userId}&limit=2`)).body;
    const rest = (await get(`actor=${owner.userId}&limit=1000&fromPosition=${first.nextPosition}`)).body.events as Item[];
    expect([...first.events, ...rest].map((i: Item) => i.event.type)).toEqual(['ProjectCreated', 'ProjectMemberAdded', 'FileCreated', 'MilestoneReached', 'MilestoneReached', 'FileCreated', 'MilestoneReached', 'MilestoneReached', 'MilestoneReached']);
    const outsider = await api.signUp('outsider');
    expect((await get('limit=1', outsider.accessToken)).status).toBe(404);
    expect((await get('treeSize=999999')).status).toBe(404);
  });
});
