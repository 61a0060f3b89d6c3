import { startTestServer, type TestServer } from '../testing/test-server.js';
import { ApiClient } from '../testing/api-client.js';

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
});
