/**
 * Bad input on every route, derived from the OpenAPI document so that none is
 * missed: malformed, mistyped, incomplete, unknown-keyed and oversized bodies,
 * bad path and query values. Each gets a 4xx JSON error, writes nothing and
 * leaves the server healthy.
 */
import { randomUUID } from 'node:crypto';
import { ApiClient, type ApiResponse, type Session, startTestServer, type TestServer } from '@resoft/testkit';

type JsonSchema = { type?: string; format?: string; pattern?: string; enum?: unknown[]; minimum?: number; maximum?: number; minLength?: number; maxLength?: number; properties?: Record<string, JsonSchema>; required?: string[] };

interface Operation {
  /** `METHOD /path/{param}` as in the OpenAPI document. */
  readonly key: string;
  readonly method: string;
  readonly template: string;
  readonly body?: JsonSchema;
  readonly pathParams: readonly { name: string; schema: JsonSchema }[];
  readonly queryParams: readonly { name: string; schema: JsonSchema }[];
}

const SOME_ID = randomUUID();

/** A body each operation accepts, so that one field at a time can be made bad. */
const VALID_BODIES: Record<string, Record<string, unknown>> = {
  'POST /api/auth/register': { email: 'late@example.com', username: 'late', password: 'long enough' },
  'POST /api/auth/login': { email: 'late@example.com', password: 'long enough' },
  'POST /api/auth/refresh': { refreshToken: 'some-token' },
  'POST /api/auth/logout': { refreshToken: 'some-token' },
  'PATCH /api/auth/me': { displayName: 'Ann', bio: 'Hello', avatarUrl: 'https://example.com/ann.png' },
  'DELETE /api/auth/me': { password: 'long enough' },
  'POST /api/projects': { name: 'Valid', description: 'Valid' },
  'PATCH /api/projects/{projectId}': { name: 'Valid', description: 'Valid' },
  'POST /api/projects/{projectId}/members': { username: 'someone', role: 'viewer' },
  'PATCH /api/projects/{projectId}/members/{userId}': { role: 'editor' },
  'POST /api/projects/{projectId}/milestones': { name: 'Valid', description: 'Valid' },
  'POST /api/collaboration/rooms': { projectId: SOME_ID, name: 'Valid', description: 'Valid' },
  'POST /api/collaboration/chat': { roomId: SOME_ID, text: 'Valid' },
  'PATCH /api/collaboration/chat/{roomId}/{messageId}': { text: 'Valid' },
  'POST /api/agent-activities': { projectId: SOME_ID, agent: 'developer', title: 'Valid' },
  'POST /api/agent-activities/{activityId}/progress': { progress: 10, message: 'Valid' },
  'POST /api/agent-activities/{activityId}/complete': { summary: 'Valid' },
  'POST /api/agent-activities/{activityId}/fail': { summary: 'Valid' },
  'POST /api/v1/templates/{id}/preview': { variables: { kubernetes: true }, file: 'README.md' },
  'POST /api/v1/templates/apply': { projectId: SOME_ID, templateId: 'microservice', variables: {}, overwrite: false },
  'POST /api/projects/{projectId}/files': { path: 'src/valid.py', content: 'Valid' },
  'PUT /api/projects/{projectId}/files/{fileId}/content': { content: 'Valid' },
  'PATCH /api/projects/{projectId}/files/{fileId}': { path: 'src/valid.py' },
  'POST /api/projects/{projectId}/files/{fileId}/restore': { version: 0 },
  'POST /api/code-quality/check': { code: 'x = 1\n', language: 'python' },
  'POST /api/projects/{projectId}/analytics/sql': { query: 'SELECT 1' },
  'POST /api/notifications/read': { ids: [], upToPosition: 1 },
  'POST /api/projects/{projectId}/files/{fileId}/checkpoints': { version: 0, label: 'Valid' },
};

/** Valid values of the required query parameters, so that one parameter at a time can be made bad. */
const VALID_QUERIES: Record<string, Record<string, string>> = {
  'GET /api/audit/proofs/inclusion': { position: '1' },
  'GET /api/audit/proofs/consistency': { from: '1', to: '2' },
};

/** Values of the wrong type, or out of the schema's bounds, for one property. */
function badValues(schema: JsonSchema): [label: string, value: unknown][] {
  const bad: [string, unknown][] = [];
  if (schema.type === 'string') {
    bad.push(['a number', 12345], ['null', null]);
    if (schema.minLength) bad.push(['too short', 'x'.repeat(schema.minLength - 1)]);
    if (schema.maxLength) bad.push(['too long', 'x'.repeat(schema.maxLength + 1)]);
    if (schema.enum) bad.push(['not a choice', 'nonsense']);
    if (schema.format) bad.push([`not a ${schema.format}`, 'not_a_value']);
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    bad.push(['a string', '10'], ['a boolean', true]);
    if (schema.type === 'integer') bad.push(['a fraction', 1.5]);
    if (schema.minimum !== undefined) bad.push(['too small', schema.minimum - 1]);
    if (schema.maximum !== undefined && schema.maximum < 1e6) bad.push(['too large', schema.maximum + 1]);
  }
  return bad;
}

/** Query-string values a parameter must refuse. */
function badQueryValues(schema: JsonSchema): string[] {
  if (schema.type === 'integer') {
    return ['abc', '1.5', ...(schema.minimum !== undefined ? [String(schema.minimum - 1)] : []), ...(schema.maximum !== undefined && schema.maximum < 1e6 ? [String(schema.maximum + 1)] : [])];
  }
  if (schema.format === 'date-time') return ['yesterday', '2024-13-01T00:00:00Z'];
  if (schema.format === 'uuid') return ['not_a_uuid'];
  if (schema.pattern) return ['no spaces!'];
  if (Array.isArray(schema.enum)) return ['not-one-of-them'];
  return [];
}

describe('bad input over the HTTP API', () => {
  let server: TestServer;
  let api: ApiClient;
  let ann: Session;
  let operations: Operation[];
  let before: { id: string; position: number };

  const bodyOperations = () => operations.filter((op) => op.body);

  /** A valid value for a path parameter: any id will do, since validation comes before any lookup. */
  const pathFor = (op: Operation, overrides: Record<string, string> = {}) =>
    op.template.replace(/\{(\w+)\}/g, (_, name: string) => overrides[name] ?? (op.pathParams.find((p) => p.name === name)?.schema.format === 'uuid' ? randomUUID() : `project-${randomUUID()}`));

  const send = (op: Operation, options: { path?: string; body?: unknown; rawBody?: string } = {}) =>
    api.request(op.method, options.path ?? pathFor(op), { token: ann.accessToken, ...options });

  /** `status code field-paths`, or a note that the answer is not the documented error shape. */
  function outcome(response: ApiResponse, options: { fieldsOnly?: boolean } = {}): string {
    const error = response.body?.error;
    const jsonError = response.headers.get('content-type')?.startsWith('application/json') && typeof error?.code === 'string' && typeof error.message === 'string' && error.message.length > 0 && typeof error.requestId === 'string';
    if (!jsonError) return `${response.status} <not a JSON error: ${JSON.stringify(response.body)?.slice(0, 120)}>`;
    const paths = [...new Set((error.fields ?? []).map((f: { path: string }) => f.path))].filter((p) => !options.fieldsOnly || p !== 'body').sort();
    return [response.status, error.code, ...paths].join(' ');
  }

  /** Sends each case and compares all outcomes at once, so a failure lists every offending route. */
  async function expectOutcomes(cases: { name: string; send: () => Promise<ApiResponse>; expected: string }[], options: { fieldsOnly?: boolean } = {}) {
    expect(cases.length).toBeGreaterThan(0);
    const actual: Record<string, string> = {};
    for (const c of cases) actual[c.name] = outcome(await c.send(), options);
    expect(actual).toEqual(Object.fromEntries(cases.map((c) => [c.name, c.expected])));
  }

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.baseUrl);
    ann = await api.signUp('ann');
    const { body: document } = await api.get('/api/openapi.json');
    operations = Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([template, byMethod]) =>
      Object.entries(byMethod).map(([method, op]) => {
        const parameters = (op.parameters ?? []) as { name: string; in: string; schema: JsonSchema }[];
        return {
          key: `${method.toUpperCase()} ${template}`, method: method.toUpperCase(), template,
          body: op.requestBody?.content['application/json'].schema,
          pathParams: parameters.filter((p) => p.in === 'path'),
          queryParams: parameters.filter((p) => p.in === 'query'),
        };
      }),
    );
    const created = await api.post('/api/projects', { name: 'Before' }, ann.accessToken);
    before = created.body;
  });
  afterAll(() => server.stop());

  it('has a valid sample body for exactly the operations that take a body', () => {
    expect(bodyOperations().map((op) => op.key).sort()).toEqual(Object.keys(VALID_BODIES).sort());
  });

  it('answers 400 malformed_json to a body that is not JSON, on every route that takes a body', async () => {
    await expectOutcomes(bodyOperations().flatMap((op) =>
      ['{"name": ', "{'name': 'single quotes'}", '{"trailing": 1,}', 'undefined'].map((rawBody) => ({
        name: `${op.key} with ${rawBody}`, send: () => send(op, { rawBody }), expected: '400 malformed_json',
      })),
    ));
  });

  it('answers 400 validation_failed to JSON that is not an object, or to no body at all', async () => {
    await expectOutcomes(bodyOperations().flatMap((op) =>
      ['[]', '"text"', '42', 'null', ''].map((rawBody) => ({
        name: `${op.key} with ${rawBody || 'no body'}`, send: () => send(op, rawBody ? { rawBody } : {}), expected: '400 validation_failed body',
      })),
    ));
  });

  it('names each missing required field', async () => {
    await expectOutcomes(bodyOperations().flatMap((op) =>
      (op.body?.required ?? []).map((field) => {
        const { [field]: _missing, ...rest } = VALID_BODIES[op.key] ?? {};
        return { name: `${op.key} without ${field}`, send: () => send(op, { body: rest }), expected: `400 validation_failed body.${field}` };
      }),
    ));
  });

  it('names each field given a value of the wrong type or out of bounds', async () => {
    const cases = bodyOperations().flatMap((op) =>
      Object.entries(op.body?.properties ?? {}).flatMap(([field, schema]) =>
        badValues(schema).map(([label, value]) => ({
          name: `${op.key} with ${field} ${label}`, send: () => send(op, { body: { ...VALID_BODIES[op.key], [field]: value } }), expected: `400 validation_failed body.${field}`,
        })),
      ),
    );
    // A rule on the whole body may fire as well: a member named by a username and a bad email is named twice.
    await expectOutcomes(cases, { fieldsOnly: true });
  });

  it('refuses unknown extra fields, because bodies are strict', async () => {
    const answers = [];
    for (const op of bodyOperations()) {
      const response = await send(op, { body: { ...VALID_BODIES[op.key], isAdmin: true } });
      answers.push([op.key, outcome(response), response.body?.error?.message?.includes('isAdmin')]);
    }
    expect(answers).toEqual(bodyOperations().map((op) => [op.key, '400 validation_failed body', true]));
  });

  it('answers 413 body_too_large to a body over the configured limit, on every route that takes a body', async () => {
    const padding = 'x'.repeat(server.config.maxBodyBytes);
    await expectOutcomes(bodyOperations().map((op) => ({
      name: op.key, send: () => send(op, { body: { ...VALID_BODIES[op.key], padding } }), expected: '413 body_too_large',
    })));
  });

  it('answers 400 to a path parameter that is not an id, on every route that has one', async () => {
    await expectOutcomes(operations.flatMap((op) =>
      op.pathParams.map(({ name }) => ({
        name: `${op.key} with ${name}=not_a_uuid`,
        send: () => send(op, { path: pathFor(op, { [name]: 'not_a_uuid' }), ...(op.body ? { body: VALID_BODIES[op.key] } : {}) }),
        expected: `400 validation_failed params.${name}`,
      })),
    ));
  });

  it('answers 400 to bad query values, such as limit=0, limit=abc and since=yesterday', async () => {
    const cases = operations.flatMap((op) =>
      op.queryParams.flatMap(({ name, schema }) =>
        badQueryValues(schema).map((value) => ({
          name: `${op.key}?${name}=${value}`,
          send: () => send(op, { path: `${pathFor(op)}?${new URLSearchParams({ ...VALID_QUERIES[op.key], [name]: value })}` }),
          expected: `400 validation_failed query.${name}`,
        })),
      ),
    );
    expect(cases.map((c) => c.name)).toEqual(expect.arrayContaining([
      'GET /api/collaboration/chat/{roomId}/history?limit=0', 'GET /api/collaboration/chat/{roomId}/history?limit=abc', 'GET /api/projects/{projectId}/activity?since=yesterday',
    ]));
    const unchecked = operations.flatMap((op) => op.queryParams.filter((p) => badQueryValues(p.schema).length === 0).map((p) => `${op.key}?${p.name}`));
    expect(unchecked).toEqual([]);
    // A route with required query parameters needs valid values for the others.
    const required = operations.filter((op) => op.queryParams.some((p) => (p as { required?: boolean }).required)).map((op) => op.key);
    expect(required.sort()).toEqual(Object.keys(VALID_QUERIES).sort());
    await expectOutcomes(cases);
  });

  it('answers 400 naming the parameter to an inverted consistency range (from > to)', async () => {
    const response = await api.get('/api/audit/proofs/consistency?from=5&to=2', ann.accessToken);
    expect(outcome(response)).toBe('400 invalid_range');
    expect(response.body.error.message).toContain('must not be greater than to');
  });

  it('answers 404 JSON to an unknown route or method, signed in or not', async () => {
    const unknown = [
      ['GET', '/api/nothing-here', ann.accessToken],
      ['GET', '/api/nothing-here', undefined],
      ['PUT', '/api/projects', ann.accessToken],
      ['POST', '/api/projects/extra/segments/here', undefined],
    ] as const;
    const answers = [];
    for (const [method, path, token] of unknown) answers.push(outcome(await api.request(method, path, token ? { token } : {})));
    expect(answers).toEqual(unknown.map(() => '404 route_not_found'));
  });

  // Last on purpose: it checks that none of the refused requests above left anything behind.
  it('still serves valid requests afterwards, and wrote nothing for any refused one', async () => {
    expect((await api.get('/healthz')).status).toBe(200);
    expect((await api.get('/readyz')).status).toBe(200);

    // ProjectCreated is one event: the log grew by exactly one since the project made before the refused writes.
    const after = await api.post('/api/projects', { name: 'After' }, ann.accessToken);
    expect([after.status, after.body.position]).toEqual([201, before.position + 1]);
    const mine = await api.get(`/api/projects?after=${after.body.position}`, ann.accessToken);
    expect(mine.body.items.map((p: { name: string }) => p.name).sort()).toEqual(['After', 'Before']);

    // The sample registration was refused many times over; its username and email are still free.
    const late = await api.post('/api/auth/register', VALID_BODIES['POST /api/auth/register']);
    expect(late.status).toBe(201);
  });
});

describe('a smaller body limit (RESOFT_MAX_BODY_BYTES)', () => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startTestServer({ RESOFT_MAX_BODY_BYTES: '1024' });
    api = new ApiClient(server.baseUrl);
  });
  afterAll(() => server.stop());

  it('refuses a body over it with 413 even when the body is otherwise valid, and accepts one under it', async () => {
    const bea = await api.signUp('bea');
    // The schema allows descriptions of up to 2000 characters; the body limit cuts in first.
    const over = await api.post('/api/projects', { name: 'Long', description: 'x'.repeat(1500) }, bea.accessToken);
    expect([over.status, over.body.error.code, over.body.error.message]).toEqual([413, 'body_too_large', expect.stringContaining('1024')]);
    expect((await api.post('/api/projects', { name: 'Short', description: 'x'.repeat(900) }, bea.accessToken)).status).toBe(201);
  });
});

describe('rate limiting of sign-in (RESOFT_AUTH_RATE_LIMIT)', () => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startTestServer({ RESOFT_AUTH_RATE_LIMIT: '3' });
    api = new ApiClient(server.baseUrl);
  });
  afterAll(() => server.stop());

  it('answers 429 with Retry-After once a client is over the limit, even for the right password', async () => {
    const credentials = { email: 'cal@example.com', password: 'correct horse battery' };
    const attempts = [
      await api.post('/api/auth/register', { ...credentials, username: 'cal' }),
      await api.post('/api/auth/login', { ...credentials, password: 'wrong password' }),
      await api.post('/api/auth/login', { ...credentials, password: 'wrong again' }),
      await api.post('/api/auth/login', credentials),
    ];
    expect(attempts.map((a) => a.status)).toEqual([201, 401, 401, 429]);
    const limited = attempts[3]!;
    expect(limited.body.error).toEqual(expect.objectContaining({ code: 'rate_limited', message: expect.stringMatching(/\S/) }));
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    // Registration and refresh share the limit; other routes do not count.
    expect((await api.post('/api/auth/register', { email: 'dee@example.com', username: 'dee', password: 'long enough' })).status).toBe(429);
    expect((await api.post('/api/auth/refresh', { refreshToken: 'whatever' })).status).toBe(429);
    expect((await api.get('/healthz')).status).toBe(200);
  });
});
