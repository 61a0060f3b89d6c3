/**
 * What other members see must look like what it is: display names and file paths are kept in NFC
 * and refuse bidi controls, separators and control characters; avatars are https only. Each
 * refusal is a 400 that says what is wrong.
 */
import { ApiClient, type Session, startTestServer, type TestServer } from '@resoft/testkit';

let server: TestServer;
let api: ApiClient;
let ann: Session;

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.baseUrl);
  ann = await api.signUp('names-ann');
});
afterAll(() => server.stop());

const fieldMessages = (body: any): string[] => (body.error.fields ?? []).map((f: { path: string; message: string }) => `${f.path}: ${f.message}`);

describe('display names', () => {
  it('refuses a bidi override at registration and in the profile, naming the character', async () => {
    const registered = await api.post('/api/auth/register', { email: 'rlo@example.com', username: 'rlo-user', password: 'correct horse battery', displayName: 'Mallory\u202Egnp.exe' });
    expect(registered.status).toBe(400);
    expect(fieldMessages(registered.body)).toEqual(['body.displayName: must not contain a bidirectional control character (U+202E)']);
    const updated = await api.request('PATCH', '/api/auth/me', { token: ann.accessToken, body: { displayName: 'Ann\u2028Admin' } });
    expect(updated.status).toBe(400);
    expect(fieldMessages(updated.body)).toEqual(['body.displayName: must not contain a line or paragraph separator (U+2028)']);
  });

  it('stores a display name in NFC', async () => {
    const updated = await api.request('PATCH', '/api/auth/me', { token: ann.accessToken, body: { displayName: 'Rene\u0301e' } });
    expect(updated.status).toBe(200);
    const me = await api.readWhenFresh('/api/auth/me', updated.body.position, ann.accessToken);
    expect(me.body.displayName).toBe('Ren\u00e9e');
  });
});

describe('avatar URLs', () => {
  it.each(['http://example.com/ann.png', 'javascript:alert(1)', 'data:image/png;base64,AAAA'])('refuses %s with a message', async (avatarUrl) => {
    const answer = await api.request('PATCH', '/api/auth/me', { token: ann.accessToken, body: { avatarUrl } });
    expect(answer.status).toBe(400);
    expect(fieldMessages(answer.body)).toEqual(['body.avatarUrl: must be an https:// URL']);
  });

  it('accepts an https URL', async () => {
    expect((await api.request('PATCH', '/api/auth/me', { token: ann.accessToken, body: { avatarUrl: 'https://example.com/ann.png' } })).status).toBe(200);
  });
});

describe('file paths', () => {
  let projectId: string;
  beforeAll(async () => {
    projectId = (await api.post('/api/projects', { name: 'Paths' }, ann.accessToken)).body.id;
  });

  it.each([
    ['src/invoice\u202Etxt.py', 'bidirectional control character (U+202E)'],
    ['src/\u2066hidden\u2069.py', 'bidirectional control character (U+2066)'],
    ['notes\u2029.md', 'line or paragraph separator (U+2029)'],
    ['tab\u0009.py', 'control character (U+0009)'],
  ])('refuses %j with a message naming the character', async (path, what) => {
    const answer = await api.post(`/api/projects/${projectId}/files`, { path, content: '' }, ann.accessToken);
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toBe(`The file path must not contain a ${what}`);
  });

  it('keeps a path in NFC, so the same name typed two ways is taken once', async () => {
    const created = await api.post(`/api/projects/${projectId}/files`, { path: 'docs/re\u0301sume\u0301.md', content: 'x' }, ann.accessToken);
    expect(created.status).toBe(201);
    const again = await api.post(`/api/projects/${projectId}/files`, { path: 'docs/r\u00e9sum\u00e9.md', content: 'y' }, ann.accessToken);
    expect([again.status, again.body.error.code]).toEqual([409, 'path_taken']);
    const files = await api.readWhenFresh(`/api/projects/${projectId}/files`, created.body.position, ann.accessToken);
    expect(files.body.items.map((f: { path: string }) => f.path)).toEqual(['docs/r\u00e9sum\u00e9.md']);
  });
});
