import { startTestServer, type TestServer, ApiClient } from '@resoft/testkit';
import { Created, ErrorBody, ProjectList } from '@resoft/contracts';

type Operation = { responses: Record<string, { description: string; content?: Record<string, { schema: Record<string, unknown> }> }> };
const operations = (document: { paths: Record<string, Record<string, Operation>> }) =>
  Object.entries(document.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })));

describe('the OpenAPI document', () => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.baseUrl);
  });
  afterAll(() => server.stop());

  it('is OpenAPI 3.1 and lists the write and read endpoints', async () => {
    const { status, body } = await api.get('/api/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining([
      '/api/auth/register', '/api/auth/login', '/api/auth/refresh', '/api/auth/logout', '/api/auth/me',
      '/api/projects', '/api/projects/{projectId}', '/api/projects/{projectId}/members', '/api/projects/{projectId}/members/{userId}',
      '/api/collaboration/rooms', '/api/collaboration/rooms/{roomId}/join', '/api/collaboration/rooms/{roomId}/leave', '/api/collaboration/chat',
      '/api/collaboration/chat/{roomId}/history', '/api/projects/{projectId}/activity', '/api/agent-activities', '/api/audit/verify', '/api/streams/{streamId}/events',
    ]));
  });

  it('describes request bodies with the same rules the server enforces', async () => {
    const { body } = await api.get('/api/openapi.json');
    const register = body.paths['/api/auth/register'].post.requestBody.content['application/json'].schema;
    expect(register.required).toEqual(expect.arrayContaining(['email', 'username', 'password']));
    expect(register.properties.password.minLength).toBe(8);
    expect(register.additionalProperties).toBe(false);
    // The documented limit is the enforced one.
    const tooShort = await api.post('/api/auth/register', { email: 'x@example.com', username: 'xyz', password: 'a'.repeat(register.properties.password.minLength - 1) });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.error.fields).toEqual([expect.objectContaining({ path: 'body.password' })]);
  });

  it('marks authenticated operations with bearer security and documents path parameters', async () => {
    const { body } = await api.get('/api/openapi.json');
    const getProject = body.paths['/api/projects/{projectId}'].get;
    expect(getProject.security).toEqual([{ bearerAuth: [] }]);
    expect(getProject.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'projectId', in: 'path', required: true })]));
    expect(body.paths['/api/auth/login'].post.security).toBeUndefined();
  });

  it('serves an interactive docs page that loads the document', async () => {
    const page = await api.get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.body).toContain('swagger-ui-bundle.js');
    expect((await api.get('/api/docs/swagger-ui-bundle.js')).status).toBe(200);
    expect((await api.get('/api/docs/init.js')).body).toContain('/api/openapi.json');
  });
  it('gives every error answer the one ErrorBody schema, and the server\'s errors match it', async () => {
    const { body } = await api.get('/api/openapi.json');
    expect(body.components.schemas.ErrorBody.properties.error.required).toEqual(expect.arrayContaining(['code', 'message', 'requestId']));
    const errors = operations(body).flatMap(({ name, operation }) => Object.entries(operation.responses).filter(([status]) => Number(status) >= 400).map(([status, answer]) => ({ name, status, answer })));
    expect(errors.length).toBeGreaterThan(100);
    for (const { name, status, answer } of errors) {
      expect({ name, status, schema: answer.content?.['application/json']?.schema }).toEqual({ name, status, schema: { $ref: '#/components/schemas/ErrorBody' } });
    }
    const notFound = await api.get('/api/projects/00000000-0000-4000-8000-000000000000', 'not-a-token');
    expect(notFound.status).toBe(401);
    expect(ErrorBody.safeParse(notFound.body).success).toBe(true);
    const invalid = await api.post('/api/auth/register', { email: 'nope' });
    expect(ErrorBody.parse(invalid.body).error.fields?.length).toBeGreaterThan(0);
  });

  it('publishes the body schema of success answers, and the server answers what it publishes', async () => {
    const { body } = await api.get('/api/openapi.json');
    const created = body.paths['/api/projects'].post.responses['201'].content['application/json'].schema;
    expect(created.required).toEqual(expect.arrayContaining(['id', 'position']));
    const listed = body.paths['/api/projects'].get.responses['200'].content['application/json'].schema;
    expect(listed.properties.items.items.required).toEqual(expect.arrayContaining(['id', 'name', 'role', 'memberCount']));

    const owner = await api.signUp('contractowner');
    const project = await api.post('/api/projects', { name: 'Contract' }, owner.accessToken);
    expect(Created.parse(project.body).id).toBe(project.body.id);
    const list = await api.get(`/api/projects?after=${project.body.position}`, owner.accessToken);
    expect(ProjectList.parse(list.body).items.map((p) => p.role)).toEqual(['owner']);
  });

  it('describes the body of every success answer: a JSON schema, or the media types of a non-JSON one', async () => {
    const { body } = await api.get('/api/openapi.json');
    const successes = operations(body).flatMap(({ name, operation }) => Object.entries(operation.responses).filter(([status]) => Number(status) < 300).map(([status, answer]) => ({ key: `${name} ${status}`, content: answer.content ?? {} })));
    expect(successes.length).toBeGreaterThan(80);
    expect(successes.filter((s) => Object.keys(s.content).length === 0).map((s) => s.key)).toEqual([]);
    // Every JSON answer has a real schema (not an empty one), and every media type some schema.
    for (const { key, content } of successes) {
      for (const [mediaType, { schema }] of Object.entries(content)) {
        expect({ key, mediaType, described: mediaType === 'application/json' ? schema['type'] === 'object' || Array.isArray(schema['anyOf']) : typeof schema['type'] === 'string' }).toEqual({ key, mediaType, described: true });
      }
    }
  });

  it('publishes a non-JSON answer under its media type: CSV and NDJSON beside the JSON of a `format=` read, bytes for a zip, one event for an event stream', async () => {
    const { body } = await api.get('/api/openapi.json');
    const timeline = body.paths['/api/projects/{projectId}/analytics/timeline'].get.responses['200'].content;
    expect(Object.keys(timeline)).toEqual(['application/json', 'text/csv', 'application/x-ndjson']);
    expect(timeline['application/json'].schema.required).toEqual(expect.arrayContaining(['position', 'columns', 'rows']));
    expect(timeline['text/csv'].schema).toEqual({ type: 'string' });
    expect(body.paths['/api/v1/template-runs/{id}/zip'].get.responses['200'].content).toEqual({ 'application/zip': { schema: { type: 'string', contentMediaType: 'application/zip', format: 'binary' } } });
    // Described per event (a schema fuzzer checks every event of the stream against it).
    const live = body.paths['/api/notifications/live'].get.responses['200'].content['text/event-stream'].schema;
    expect([live.type, live.required, Object.keys(live.properties)]).toEqual(['object', ['data'], ['event', 'data', 'id', 'retry']]);
  });
});
