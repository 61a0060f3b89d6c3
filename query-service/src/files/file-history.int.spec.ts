/** A file's history in sessions with named versions (issue 12): grouping by author and idle gap, checkpoints by editors only. */
import { ApiClient, type Session, startTestServer, type TestServer } from '@resoft/testkit';

let server: TestServer;
let api: ApiClient;
let owner: Session;
let editor: Session;
let viewer: Session;
let projectId: string;

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.baseUrl);
  [owner, editor, viewer] = await Promise.all([api.signUp('hana'), api.signUp('ivo'), api.signUp('vera')]);
  projectId = (await api.post('/api/projects', { name: 'History' }, owner.accessToken)).body.id;
  await api.post(`/api/projects/${projectId}/members`, { userId: editor.userId, role: 'editor' }, owner.accessToken);
  await api.post(`/api/projects/${projectId}/members`, { userId: viewer.userId, role: 'viewer' }, owner.accessToken);
});
afterAll(() => server.stop());

describe('file history in sessions', () => {
  it('groups consecutive versions of one author into a session, starts another for another author, and shows named versions', async () => {
    const file = await api.post(`/api/projects/${projectId}/files`, { path: 'app.py', content: 'a = 1\n' }, owner.accessToken);
    const base = `/api/projects/${projectId}/files/${file.body.id}`;
    for (const content of ['a = 1\nb = 2\n', 'a = 1\nb = 2\nc = 3\n']) await api.request('PUT', `${base}/content`, { body: { content }, token: owner.accessToken });
    const bobs = await api.request('PUT', `${base}/content`, { body: { content: 'a = 10\nb = 2\nc = 3\n' }, token: editor.accessToken });
    const named = await api.post(`${base}/checkpoints`, { version: 2, label: '  before Ivo  ' }, editor.accessToken);
    expect([named.status, named.body.label]).toEqual([201, 'before Ivo']);

    const history = await api.readWhenFresh(`${base}/history`, Math.max(bobs.body.position, named.body.position), viewer.accessToken);
    expect(history.status).toBe(200);
    expect(history.body).toMatchObject({ gapSeconds: 300, latestVersion: 3, labels: [{ version: 2, label: 'before Ivo' }] });
    expect(history.body.sessions.map((s: any) => [s.kind, s.authorId, s.fromVersion, s.toVersion, s.labels.map((l: any) => l.label)])).toEqual([
      ['created', owner.userId, 0, 0, []],
      ['edited', owner.userId, 1, 2, ['before Ivo']],
      ['edited', editor.userId, 3, 3, []],
    ]);
  });

  it('lets only editors name versions, and refuses a version the file does not have', async () => {
    const file = await api.post(`/api/projects/${projectId}/files`, { path: 'other.py', content: 'x = 1\n' }, owner.accessToken);
    const base = `/api/projects/${projectId}/files/${file.body.id}`;
    const byViewer = await api.post(`${base}/checkpoints`, { version: 0, label: 'Mine' }, viewer.accessToken);
    const tooFar = await api.post(`${base}/checkpoints`, { version: 9, label: 'Future' }, editor.accessToken);
    const blank = await api.post(`${base}/checkpoints`, { version: 0, label: '   ' }, editor.accessToken);
    expect([byViewer.status, tooFar.status, tooFar.body.error.code, blank.status]).toEqual([403, 404, 'version_not_found', 400]);
    const badGap = await api.get(`${base}/history?gapSeconds=1`, viewer.accessToken);
    expect(badGap.status).toBe(400);
  });
});
