/**
 * The code a check linted lives in the source store, on the real all-in-one server: it is read back
 * by hash to reopen a check and for the exports, only by those who may see the check; a check
 * recorded before the code left the log (its code inline in the event) still runs, reads and
 * exports the same; and the OpenAPI document declares the 429 of the bounded queues.
 */
import { randomUUID } from 'node:crypto';
import { checkStreamId } from '@resoft/domain';
import { SqliteEventStore } from '@resoft/adapter-sqlite';
import { MongoSourceStore } from '@resoft/adapter-mongodb';
import { ApiClient, type Session, startTestServer, type TestServer } from '@resoft/testkit';

const MONGO_URL = process.env['MONGO_URL'];
if (!MONGO_URL) console.warn('source store on MongoDB over HTTP skipped: MONGO_URL is not set (infra/engines/ferretdb.sh start prints it)');
const describeOnMongo = MONGO_URL ? describe : describe.skip;

const CODE = 'export const greeting = "hello";\nconst unused = `a ``` fence`;\n';

describe('the code of a check, from the source store', () => {
  let server: TestServer;
  let api: ApiClient;
  let ann: Session;
  let zed: Session;

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.baseUrl);
    ann = await api.signUp('ann');
    zed = await api.signUp('zed');
  }, 60_000);
  afterAll(() => server.stop());

  it('reopens a check with the code it linted, to its requester only', async () => {
    const submitted = await api.post('/api/code-quality/check?wait=true', { code: CODE, language: 'javascript', filename: 'greeting.js' }, ann.accessToken);
    expect(submitted.status).toBe(200);
    const sources = await api.readWhenFresh(`/api/code-quality/checks/${submitted.body.id}/sources`, submitted.body.position, ann.accessToken);
    expect(sources.status).toBe(200);
    expect(sources.body.files).toEqual([{ path: 'greeting.js', language: 'javascript', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), bytes: Buffer.byteLength(CODE), lines: 2, content: CODE }]);
    expect((await api.get(`/api/code-quality/checks/${submitted.body.id}/sources`, zed.accessToken)).status).toBe(404);
    expect((await api.get(`/api/code-quality/checks/${randomUUID()}/sources`, ann.accessToken)).status).toBe(404);
  }, 60_000);

  it('exports the code with the findings when asked: JSON, SARIF artifacts, Markdown blocks that the code cannot close', async () => {
    const submitted = await api.post('/api/code-quality/check?wait=true', { code: CODE, language: 'javascript', filename: 'greeting.js' }, ann.accessToken);
    const base = `/api/code-quality/checks/${submitted.body.id}/export`;
    await api.readWhenFresh(base, submitted.body.position, ann.accessToken);

    const json = await api.get(`${base}?format=json&sources=true`, ann.accessToken);
    expect(json.body.sources.map((s: { path: string; content: string }) => [s.path, s.content])).toEqual([['greeting.js', CODE]]);
    expect((await api.get(`${base}?format=json`, ann.accessToken)).body).not.toHaveProperty('sources');

    const sarif = await api.get(`${base}?format=sarif&sources=true`, ann.accessToken);
    const [run] = sarif.body.runs;
    expect(run.artifacts).toEqual([{ location: { uri: 'greeting.js' }, length: Buffer.byteLength(CODE), sourceLanguage: 'javascript', hashes: { 'sha-256': expect.any(String) }, contents: { text: CODE } }]);

    const markdown = await api.get(`${base}?format=markdown&sources=true`, ann.accessToken);
    expect(markdown.body).toContain('## Code\n\n### greeting.js\n\n````javascript\n' + CODE.trimEnd() + '\n````\n');
  }, 60_000);

  it('still runs, shows and reopens a check recorded with its code inline in the event', async () => {
    const checkId = randomUUID();
    const code = 'var legacy = 1;\nvar other = 2;\nvar third = 3;\n';
    // A second connection to the server's event file, as the CLI would: the server notices within its poll interval.
    const store = new SqliteEventStore({ file: server.config.eventStoreFile });
    try {
      await store.append(checkStreamId(checkId), [{
        id: randomUUID(), type: 'CheckRequested',
        data: { checkId, projectId: null, requestedBy: ann.userId, source: 'paste', linters: ['eslint'], ignoredFiles: [], files: [{ path: 'legacy.js', content: code, language: 'javascript' }] },
        metadata: { actor: ann.userId, correlationId: 'schema-1', causationId: null, occurredAt: new Date().toISOString(), schema: 1 },
      }], 'no_stream');
      let check;
      for (let attempt = 0; attempt < 300; attempt += 1) {
        check = await api.get(`/api/code-quality/checks/${checkId}`, ann.accessToken);
        if (check.status === 200 && check.body.status === 'completed') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(check!.body).toMatchObject({ status: 'completed', files: [{ path: 'legacy.js', language: 'javascript', lines: 3 }] });
      expect(check!.body.findings.map((f: { uri: string }) => f.uri)).toContain('legacy.js');
      const sources = await api.get(`/api/code-quality/checks/${checkId}/sources`, ann.accessToken);
      expect(sources.body.files.map((f: { content: string }) => f.content)).toEqual([code]);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('declares the 429 of the bounded queues in the OpenAPI document', async () => {
    const { body } = await api.get('/api/openapi.json');
    expect(Object.keys(body.paths['/api/code-quality/check'].post.responses)).toEqual(expect.arrayContaining(['202', '429', '503']));
    expect(body.paths['/api/code-quality/checks/{checkId}/sources'].get.responses).toHaveProperty('200');
  });
});

describeOnMongo('the code of a check, with MONGO_URL', () => {
  it('is stored once in MongoDB and read back from there by the runner and the reads', async () => {
    const database = `resoft_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const server = await startTestServer({ MONGO_URL: MONGO_URL!, RESOFT_MONGO_DATABASE: database });
    const api = new ApiClient(server.baseUrl);
    const mongo = await MongoSourceStore.connect({ url: MONGO_URL!, database });
    try {
      const ann = await api.signUp('ann');
      const first = await api.post('/api/code-quality/check?wait=true', { code: CODE, language: 'javascript' }, ann.accessToken);
      const second = await api.post('/api/code-quality/check?wait=true', { code: CODE, language: 'javascript' }, ann.accessToken);
      expect([first.body.status, second.body.status]).toEqual(['completed', 'completed']);
      expect(await mongo.size()).toEqual({ count: 1, bytes: Buffer.byteLength(CODE) });
      const sources = await api.readWhenFresh(`/api/code-quality/checks/${second.body.id}/sources`, second.body.position, ann.accessToken);
      expect(sources.body.files.map((f: { content: string }) => f.content)).toEqual([CODE]);
    } finally {
      await mongo.database.dropDatabase().catch(() => undefined);
      await mongo.close();
      await server.stop();
    }
  }, 120_000);
});
