/** Project files over HTTP: create, list, read at any version, replace, restore, rename, lock and delete. */
import { ApiClient, type Session, startTestServer, type TestServer } from '@resoft/testkit';

let server: TestServer;
let api: ApiClient;
let owner: Session;
let editor: Session;
let projectId: string;

const put = (path: string, body: unknown, token: string) => api.request('PUT', path, { body, token });
const fresh = (path: string, position: number, token: string) => api.get(`${path}${path.includes('?') ? '&' : '?'}after=${position}`, token);

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.baseUrl);
  [owner, editor] = await Promise.all([api.signUp('fiona'), api.signUp('edgar')]);
  projectId = (await api.post('/api/projects', { name: 'Files' }, owner.accessToken)).body.id;
  await api.post(`/api/projects/${projectId}/members`, { userId: editor.userId, role: 'editor' }, owner.accessToken);
});
afterAll(() => server.stop());

describe('project files', () => {
  it('keeps every version of a file, readable and restorable, with who changed what', async () => {
    const created = await api.post(`/api/projects/${projectId}/files`, { path: 'src/app.py', content: 'print("one")\n' }, editor.accessToken);
    expect(created.status).toBe(201);
    const base = `/api/projects/${projectId}/files/${created.body.id}`;
    const second = await put(`${base}/content`, { content: 'print("one")\nprint("two")\n' }, owner.accessToken);
    expect(second.body).toEqual({ position: expect.any(Number), changed: true });

    const head = await fresh(base, second.body.position, editor.accessToken);
    expect(head.body).toMatchObject({ path: 'src/app.py', version: 1, text: 'print("one")\nprint("two")\n', updatedBy: owner.userId });
    expect((await api.get(`${base}?version=0`, editor.accessToken)).body).toMatchObject({ version: 0, latestVersion: 1, text: 'print("one")\n' });

    const restored = await api.post(`${base}/restore`, { version: 0 }, editor.accessToken);
    expect(restored.status).toBe(200);
    expect((await fresh(base, restored.body.position, editor.accessToken)).body).toMatchObject({ version: 2, text: 'print("one")\n' });
    const versions = (await api.get(`${base}/versions`, editor.accessToken)).body.items;
    expect(versions.map((v: any) => [v.version, v.kind, v.authorId, v.inserted, v.removed])).toEqual([
      [0, 'created', editor.userId, 13, 0],
      [1, 'changed', owner.userId, 13, 0],
      [2, 'restored', editor.userId, 0, 13],
    ]);
    expect(versions[2].restoredFrom).toBe(0);
    expect((await api.get(`${base}?version=3`, editor.accessToken)).status).toBe(404);
  });

  it('lists live files by path, refuses a taken path, and frees it on delete', async () => {
    const a = await api.post(`/api/projects/${projectId}/files`, { path: 'docs/b.md', content: 'b' }, editor.accessToken);
    const b = await api.post(`/api/projects/${projectId}/files`, { path: 'docs/a.md' }, editor.accessToken);
    const taken = await api.post(`/api/projects/${projectId}/files`, { path: 'docs/a.md' }, owner.accessToken);
    expect([taken.status, taken.body.error.code]).toEqual([409, 'path_taken']);
    const listed = await fresh(`/api/projects/${projectId}/files`, b.body.position, owner.accessToken);
    const paths = listed.body.items.map((f: any) => f.path);
    expect(paths.filter((p: string) => p.startsWith('docs/'))).toEqual(['docs/a.md', 'docs/b.md']);
    expect(listed.body.items[0]).not.toHaveProperty('text');

    const deleted = await api.request('DELETE', `/api/projects/${projectId}/files/${a.body.id}`, { token: editor.accessToken });
    expect(deleted.status).toBe(200);
    expect((await api.post(`/api/projects/${projectId}/files`, { path: 'docs/b.md', content: 'again' }, editor.accessToken)).status).toBe(201);
    expect((await api.get(`/api/projects/${projectId}/files/${a.body.id}?after=${deleted.body.position}`, editor.accessToken)).status).toBe(404);
  });

  it('lets only the lock holder change a locked file, until it is unlocked', async () => {
    const file = await api.post(`/api/projects/${projectId}/files`, { path: 'locked.txt', content: 'x' }, editor.accessToken);
    const base = `/api/projects/${projectId}/files/${file.body.id}`;
    expect((await api.post(`${base}/lock`, {}, editor.accessToken)).status).toBe(200);
    const refused = await put(`${base}/content`, { content: 'owner was here' }, owner.accessToken);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'file_locked']);
    expect((await api.request('PATCH', base, { body: { path: 'moved.txt' }, token: owner.accessToken })).status).toBe(409);
    expect((await put(`${base}/content`, { content: 'holder edits' }, editor.accessToken)).status).toBe(200);
    expect((await api.post(`${base}/unlock`, {}, owner.accessToken)).status).toBe(200);
    expect((await put(`${base}/content`, { content: 'owner was here' }, owner.accessToken)).status).toBe(200);
  });

  it('refuses unsafe paths and oversized content with the field named', async () => {
    const escape = await api.post(`/api/projects/${projectId}/files`, { path: '../../etc/passwd' }, editor.accessToken);
    expect([escape.status, escape.body.error.code]).toEqual([400, 'invalid_path']);
    const big = await api.post(`/api/projects/${projectId}/files`, { path: 'big.txt', content: 'é'.repeat(600_000) }, editor.accessToken);
    expect([big.status, big.body.error.code]).toEqual([400, 'file_too_large']);
  });
});
