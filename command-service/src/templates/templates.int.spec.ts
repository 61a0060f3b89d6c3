/**
 * The template marketplace over HTTP: catalog, preview, apply as a run with
 * progress events (replayed over Server-Sent Events), the run's read model,
 * the zip download, and who may do what.
 */
import { randomUUID } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { CURRENT_SCHEMA, templateRunStreamId } from '@resoft/domain';
import { SqliteEventStore } from '@resoft/adapter-sqlite';
import { ApiClient, successfulBody, type Session, startTestServer, type TestServer } from '@resoft/testkit';

let server: TestServer;
let api: ApiClient;
let owner: Session, editor: Session, viewer: Session, outsider: Session;
let projectId: string;

const ok = successfulBody;

/** Reads a Server-Sent Events response to its end: each event's name and parsed data. */
async function readEvents(path: string, token: string): Promise<{ status: number; contentType: string | null; events: { event: string; id: string; data: any }[] }> {
  const response = await fetch(server.baseUrl + path, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: AbortSignal.timeout(20_000) });
  const text = await response.text();
  const events = text.split('\n\n').filter((block) => block.includes('data: ')).map((block) => {
    const field = (name: string) => block.split('\n').find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2) ?? '';
    return { event: field('event'), id: field('id'), data: JSON.parse(field('data')) };
  });
  return { status: response.status, contentType: response.headers.get('content-type'), events };
}

/** The names of the entries of a zip, read from its central directory, and each entry's content. */
function unzip(archive: Buffer): Map<string, string> {
  const entries = new Map<string, string>();
  let offset = 0;
  while (archive.readUInt32LE(offset) === 0x04034b50) {
    const packed = archive.readUInt32LE(offset + 18);
    const nameLength = archive.readUInt16LE(offset + 26);
    const name = archive.subarray(offset + 30, offset + 30 + nameLength).toString();
    const start = offset + 30 + nameLength;
    entries.set(name, inflateRawSync(archive.subarray(start, start + packed)).toString());
    offset = start + packed;
  }
  return entries;
}

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.baseUrl);
  [owner, editor, viewer, outsider] = await Promise.all(['tplowner', 'tpleditor', 'tplviewer', 'tploutsider'].map((name) => api.signUp(name))) as [Session, Session, Session, Session];
  projectId = (await ok(api.post('/api/projects', { name: 'Templates' }, owner.accessToken))).id;
  await ok(api.post(`/api/projects/${projectId}/members`, { userId: editor.userId, role: 'editor' }, owner.accessToken));
  await ok(api.post(`/api/projects/${projectId}/members`, { userId: viewer.userId, role: 'viewer' }, owner.accessToken));
});
afterAll(() => server.stop());

describe('the catalog', () => {
  it('lists the three templates and filters by category, tag and keyword', async () => {
    const ids = async (query = '') => (await ok(api.get(`/api/v1/templates${query}`, viewer.accessToken))).items.map((t: { id: string }) => t.id);
    expect(await ids()).toEqual(['data-pipeline', 'microservice', 'ml-project']);
    expect(await ids('?category=backend')).toEqual(['microservice']);
    expect(await ids('?tag=dbt')).toEqual(['data-pipeline']);
    expect(await ids('?q=MLflow')).toEqual(['ml-project']);
    expect(await ids('?q=nothing-like-this')).toEqual([]);
  });

  it('shows a template with its variables as JSON Schema, install commands and requirements', async () => {
    const template = await ok(api.get('/api/v1/templates/microservice', viewer.accessToken));
    expect(template.variables.properties.kubernetes).toMatchObject({ type: 'boolean', default: false, title: 'Kubernetes manifests' });
    expect(template.variables.properties.python_version.enum).toEqual(['3.10', '3.11', '3.12']);
    expect(template.install).toContain('pytest');
    expect((await api.get('/api/v1/templates/nope', viewer.accessToken)).status).toBe(404);
  });
});

describe('preview', () => {
  it('renders the tree with sizes, switches conditional folders, and shows one file', async () => {
    const without = await ok(api.get('/api/v1/templates/microservice/preview', viewer.accessToken));
    expect(without.files.map((f: { path: string }) => f.path)).not.toContain('k8s/deployment.yaml');
    const withK8s = await ok(api.get('/api/v1/templates/microservice/preview?kubernetes=true&replicas=5&file=k8s/deployment.yaml', viewer.accessToken));
    expect(withK8s.files.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(['k8s/deployment.yaml', 'k8s/service.yaml', 'k8s/kustomization.yaml']));
    expect(withK8s.file.content).toContain('replicas: 5');
    expect(withK8s.tree.find((n: { name: string }) => n.name === 'k8s')).toMatchObject({ type: 'dir', size: expect.any(Number) });
    expect(withK8s.totalBytes).toBe(withK8s.files.reduce((sum: number, f: { size: number }) => sum + f.size, 0));
  });

  it('gives the same answer by GET with text variables and by POST with typed ones', async () => {
    const byGet = await ok(api.get('/api/v1/templates/microservice/preview?kubernetes=true&port=9000', viewer.accessToken));
    const byPost = await ok(api.post('/api/v1/templates/microservice/preview', { variables: { kubernetes: true, port: 9000 } }, viewer.accessToken));
    expect(byPost).toEqual(byGet);
  });

  it('refuses bad variables with a 400 that names each field', async () => {
    const byGet = await api.get('/api/v1/templates/microservice/preview?port=80&kubernetes=perhaps', viewer.accessToken);
    expect(byGet.status).toBe(400);
    expect(byGet.body.error.fields).toEqual([{ path: 'query.port', message: 'must be at least 1024' }, { path: 'query.kubernetes', message: 'must be true or false' }]);
    const byPost = await api.post('/api/v1/templates/microservice/preview', { variables: { service_name: '../../etc' } }, viewer.accessToken);
    expect(byPost.status).toBe(400);
    expect(byPost.body.error.fields).toEqual([{ path: 'body.variables.service_name', message: 'must match ^[a-z][a-z0-9-]*[a-z0-9]$' }]);
    expect((await api.get('/api/v1/templates/microservice/preview?file=missing.txt', viewer.accessToken)).status).toBe(404);
  });
});

describe('apply', () => {
  let run: any;
  let preview: any;

  beforeAll(async () => {
    const variables = { service_name: 'billing-api', package_name: 'billing', kubernetes: true };
    preview = await ok(api.post('/api/v1/templates/microservice/preview', { variables }, editor.accessToken));
    const applied = await api.post('/api/v1/templates/apply', { projectId, templateId: 'microservice', variables }, editor.accessToken);
    expect(applied.status).toBe(201);
    run = applied.body;
  });

  it('answers with the run id, its position and status', () => {
    expect(run).toEqual({ id: expect.any(String), status: 'completed', position: expect.any(Number), fileCount: preview.files.length, totalBytes: preview.totalBytes });
  });

  it('makes every rendered file a project file holding the previewed content', async () => {
    const listed = await ok(api.get(`/api/projects/${projectId}/files?after=${run.position}`, viewer.accessToken));
    expect(listed.items.map((f: { path: string; size: number }) => ({ path: f.path, size: f.size }))).toEqual(preview.files.map(({ path, size }: any) => ({ path, size })));
    const deployment = listed.items.find((f: { path: string }) => f.path === 'k8s/deployment.yaml');
    const file = await ok(api.get(`/api/projects/${projectId}/files/${deployment.id}`, viewer.accessToken));
    const shown = await ok(api.post('/api/v1/templates/microservice/preview', { variables: { service_name: 'billing-api', package_name: 'billing', kubernetes: true }, file: 'k8s/deployment.yaml' }, viewer.accessToken));
    expect(file.text).toBe(shown.file.content);
    expect(file.createdBy).toBe(editor.userId);
  });

  it('refuses to apply over existing files without overwrite (409, nothing appended), and replaces them with it', async () => {
    const variables = { service_name: 'billing-api', package_name: 'billing', kubernetes: true };
    const again = await api.post('/api/v1/templates/apply', { projectId, templateId: 'microservice', variables }, editor.accessToken);
    expect([again.status, again.body.error.code]).toEqual([409, 'files_exist']);
    expect(again.body.error.message).toContain(`The project already has ${preview.files.length} of these files`);
    const runs = await ok(api.get(`/api/projects/${projectId}/activity?type=TemplateRunStarted&after=${run.position}`, owner.accessToken));
    expect(runs.items).toHaveLength(1);
    const replaced = await api.post('/api/v1/templates/apply', { projectId, templateId: 'microservice', variables: { ...variables, port: 9100 }, overwrite: true }, editor.accessToken);
    expect([replaced.status, replaced.body.status]).toEqual([201, 'completed']);
    const listed = await ok(api.get(`/api/projects/${projectId}/files?after=${replaced.body.position}`, viewer.accessToken));
    const dockerfile = listed.items.find((f: { path: string }) => f.path === 'Dockerfile');
    expect(dockerfile.version).toBeGreaterThan(0);
    expect((await ok(api.get(`/api/projects/${projectId}/files/${dockerfile.id}`, viewer.accessToken))).text).toContain('EXPOSE 9100');
    expect(listed.items).toHaveLength(preview.files.length);
  });

  it('records a run whose files are exactly what the preview showed', async () => {
    const view = await ok(api.get(`/api/v1/template-runs/${run.id}?after=${run.position}`, viewer.accessToken));
    expect(view).toMatchObject({ id: run.id, projectId, templateId: 'microservice', templateVersion: '2.0.0', status: 'completed', startedBy: editor.userId, fileCount: preview.files.length, rendered: preview.files.length });
    expect(view.variables).toEqual(preview.variables);
    expect(view.files.map(({ path, size, sha256 }: any) => ({ path, size, sha256 }))).toEqual(preview.files);
    expect(view.files.every((f: { fileId: unknown }) => typeof f.fileId === 'string')).toBe(true);
  });

  it('streams the run as Server-Sent Events: started, one event per file with its index, completed', async () => {
    const { status, contentType, events } = await readEvents(`/api/v1/template-runs/${run.id}/events`, viewer.accessToken);
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/event-stream/);
    expect(events.map((e) => e.event)).toEqual(['TemplateRunStarted', ...preview.files.map(() => 'TemplateFileRendered'), 'TemplateRunCompleted']);
    const files = events.filter((e) => e.event === 'TemplateFileRendered').map((e) => e.data);
    expect(files.map((f) => [f.index, f.total, f.path, f.sha256, f.projectId])).toEqual(preview.files.map((f: any, i: number) => [i + 1, preview.files.length, f.path, f.sha256, projectId]));
    expect(Number(events[events.length - 1]?.id)).toBe(run.position);
  });

  it('resumes the stream after the Last-Event-ID a client sends back', async () => {
    const all = (await readEvents(`/api/v1/template-runs/${run.id}/events`, viewer.accessToken)).events;
    const response = await fetch(`${server.baseUrl}/api/v1/template-runs/${run.id}/events`, { headers: { authorization: `Bearer ${viewer.accessToken}`, 'last-event-id': all[all.length - 3]!.id } });
    const names = (await response.text()).split('\n').filter((line) => line.startsWith('event: '));
    expect(names).toEqual(['event: TemplateFileRendered', 'event: TemplateRunCompleted']);
  });

  it('downloads the run as a zip holding the rendered files', async () => {
    const response = await fetch(`${server.baseUrl}/api/v1/template-runs/${run.id}/zip`, { headers: { authorization: `Bearer ${viewer.accessToken}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const entries = unzip(Buffer.from(await response.arrayBuffer()));
    expect([...entries.keys()]).toEqual(preview.files.map((f: { path: string }) => f.path));
    expect(entries.get('src/billing/main.py')).toContain('title="billing-api"');
  });

  it('puts the run on the project timeline', async () => {
    const feed = await ok(api.get(`/api/projects/${projectId}/activity?type=TemplateRunStarted&after=${run.position}`, viewer.accessToken));
    expect(feed.items.map((i: { summary: string }) => i.summary)).toContain(`applied the template “microservice” (${preview.files.length} files)`);
  });

  it('checks variables before appending anything: 400 naming each field, and no run', async () => {
    const before = await ok(api.get(`/api/projects/${projectId}/activity?type=TemplateRunStarted&after=${run.position}`, owner.accessToken));
    const refused = await api.post('/api/v1/templates/apply', { projectId, templateId: 'ml-project', variables: { framework: 'jax', epochs: 0, colour: 'red' } }, editor.accessToken);
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields).toEqual([
      { path: 'variables.colour', message: 'is not a variable of template "ml-project"' },
      { path: 'variables.framework', message: 'must be one of sklearn, pytorch, tensorflow' },
      { path: 'variables.epochs', message: 'must be at least 1' },
    ]);
    const after = await ok(api.get(`/api/projects/${projectId}/activity?type=TemplateRunStarted`, owner.accessToken));
    expect(after.items).toHaveLength(before.items.length);
  });

  it('refuses names that would break the generated project and impossible dates, naming the field', async () => {
    const refused = await api.post('/api/v1/templates/apply', { projectId, templateId: 'data-pipeline', variables: { pipeline_name: 'airflow', start_date: '2026-02-31' } }, editor.accessToken);
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields).toEqual([
      { path: 'variables.pipeline_name', message: '"airflow" would shadow a module the generated project imports; choose another name' },
      { path: 'variables.start_date', message: '"2026-02-31" is not a calendar date (YYYY-MM-DD)' },
    ]);
    const keyword = await api.post('/api/v1/templates/microservice/preview', { variables: { package_name: 'import' } }, editor.accessToken);
    expect(keyword.status).toBe(400);
    expect(keyword.body.error.fields).toEqual([{ path: 'body.variables.package_name', message: '"import" is a Python keyword, so the package could not be imported' }]);
  });

  it('answers 404 for an unknown template', async () => {
    expect((await api.post('/api/v1/templates/apply', { projectId, templateId: 'nope' }, editor.accessToken)).status).toBe(404);
  });
});

describe('who may apply and read runs', () => {
  let runId: string;
  let second: string;
  beforeAll(async () => {
    second = (await ok(api.post('/api/projects', { name: 'Second' }, owner.accessToken))).id;
    await ok(api.post(`/api/projects/${second}/members`, { userId: editor.userId, role: 'editor' }, owner.accessToken));
    await ok(api.post(`/api/projects/${second}/members`, { userId: viewer.userId, role: 'viewer' }, owner.accessToken));
    runId = (await ok(api.post('/api/v1/templates/apply', { projectId: second, templateId: 'data-pipeline' }, owner.accessToken))).id;
  });

  it('lets editors and owners apply, refuses viewers (403) and non-members (404)', async () => {
    const apply = (session: Session) => api.post('/api/v1/templates/apply', { projectId: second, templateId: 'ml-project', overwrite: true }, session.accessToken);
    expect((await apply(viewer)).status).toBe(403);
    expect((await apply(outsider)).status).toBe(404);
    expect((await apply(editor)).status).toBe(201);
    expect((await apply(owner)).status).toBe(201);
  });

  it('tells a non-member the run does not exist, on every run read', async () => {
    for (const suffix of ['', '/events', '/zip']) {
      const response = await api.get(`/api/v1/template-runs/${runId}${suffix}`, outsider.accessToken);
      expect([suffix, response.status, response.body.error.code]).toEqual([suffix, 404, 'template_run_not_found']);
    }
  });
});

describe('live progress', () => {
  it('streams events of a run that is still going as they are appended, and ends with the run', async () => {
    // Another writer (a second command process) drives the run through the same event store file.
    const store = new SqliteEventStore({ file: server.config.eventStoreFile, synchronous: 'NORMAL', subscriptionFallbackMs: 20 });
    const runId = randomUUID();
    const append = (type: string, data: object) =>
      store.append(templateRunStreamId(runId), [{ id: randomUUID(), type, data: { runId, projectId, ...data }, metadata: { actor: editor.userId, correlationId: 'live-test', causationId: null, occurredAt: new Date().toISOString(), schema: CURRENT_SCHEMA } }], 'any');
    try {
      await append('TemplateRunStarted', { templateId: 'microservice', templateVersion: '1.0.0', variables: {}, fileCount: 1, overwrite: false, startedBy: editor.userId });
      const response = await fetch(`${server.baseUrl}/api/v1/template-runs/${runId}/events`, { headers: { authorization: `Bearer ${viewer.accessToken}` }, signal: AbortSignal.timeout(20_000) });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      let text = '';
      const readUntil = async (needle: string) => {
        while (!text.includes(needle)) {
          const { value, done } = await reader.read();
          if (done) break;
          text += Buffer.from(value).toString();
        }
        return text.includes(needle);
      };
      expect(await readUntil('event: TemplateRunStarted')).toBe(true);
      expect(text).not.toContain('TemplateFileRendered');
      await append('TemplateFileRendered', { path: 'README.md', size: 3, sha256: 'ab'.repeat(32), fileId: null, index: 1, total: 1 });
      expect(await readUntil('event: TemplateFileRendered')).toBe(true);
      await append('TemplateRunCompleted', { fileCount: 1, totalBytes: 3 });
      expect(await readUntil('event: TemplateRunCompleted')).toBe(true);
      expect((await reader.read()).done).toBe(true);
      expect(text.split('\n').filter((line) => line.startsWith('event: '))).toEqual(['event: TemplateRunStarted', 'event: TemplateFileRendered', 'event: TemplateRunCompleted']);
    } finally {
      await store.close();
    }
  });
});

