/**
 * Applying a template checks every target path before writing any file: when one target is locked
 * by another member, the apply is refused and nothing is written (no file, no run).
 */
import { ApiClient, successfulBody, type Session, startTestServer, type TestServer } from '@resoft/testkit';

let server: TestServer;
let api: ApiClient;
let owner: Session, locker: Session, applier: Session;
let projectId: string;

const ok = successfulBody;

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.baseUrl);
  owner = await api.signUp('atomic-owner');
  locker = await api.signUp('atomic-locker');
  applier = await api.signUp('atomic-applier');
  projectId = (await ok(api.post('/api/projects', { name: 'Atomic' }, owner.accessToken))).id;
  for (const member of [locker, applier]) await ok(api.post(`/api/projects/${projectId}/members`, { userId: member.userId, role: 'editor' }, owner!.accessToken));
});
afterAll(() => server.stop());

describe('template apply', () => {
  it('refuses (409) when another member has locked one target, and writes nothing at all', async () => {
    const variables = { service_name: 'billing-api', package_name: 'billing' };
    const preview = await ok(api.post('/api/v1/templates/microservice/preview', { variables }, applier.accessToken));
    const paths: string[] = preview.files.map((f: { path: string }) => f.path);
    expect(paths.length).toBeGreaterThan(3);
    // The last file written: without the check up front, every other file would be written before the run failed on it.
    const lockedPath = paths[paths.length - 1]!;
    const file = await ok(api.post(`/api/projects/${projectId}/files`, { path: lockedPath, content: 'mine\n' }, locker.accessToken));
    const lock = await ok(api.post(`/api/projects/${projectId}/files/${file.id}/lock`, {}, locker.accessToken));

    const applied = await api.post('/api/v1/templates/apply', { projectId, templateId: 'microservice', variables, overwrite: true }, applier.accessToken);
    expect(applied.status).toBe(409);
    expect(applied.body.error.code).toBe('files_locked');
    expect(applied.body.error.message).toContain(lockedPath);

    const files = await api.readWhenFresh(`/api/projects/${projectId}/files`, lock.position, owner.accessToken);
    expect(files.body.items.map((f: { path: string }) => f.path)).toEqual([lockedPath]);
    const runs = await api.readWhenFresh(`/api/projects/${projectId}/activity?type=TemplateRunStarted`, lock.position, owner.accessToken);
    expect(runs.body.items).toEqual([]);
    expect((await ok(api.get(`/api/projects/${projectId}/files/${file.id}`, owner.accessToken))).text).toBe('mine\n');
  });

  it('applies with overwrite once the file is unlocked, the locker\'s file included', async () => {
    const listed = await ok(api.get(`/api/projects/${projectId}/files`, owner.accessToken));
    const fileId = listed.items[0].id;
    await ok(api.post(`/api/projects/${projectId}/files/${fileId}/unlock`, {}, locker.accessToken));
    const applied = await api.post('/api/v1/templates/apply', { projectId, templateId: 'microservice', variables: { service_name: 'billing-api', package_name: 'billing' }, overwrite: true }, applier.accessToken);
    expect(applied.status).toBe(201);
    expect(applied.body.status).toBe('completed');
  });
});
