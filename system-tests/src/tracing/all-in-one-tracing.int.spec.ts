/**
 * Tracing in the all-in-one: WebSocket frames, the gateway's broadcasts and document flushes, template
 * runs and check runs (a span per linter) are exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is
 * set, and the events they record carry the trace. The receiver is a stand-in at the process boundary
 * that keeps the protobuf bodies; span names are plain UTF-8 strings inside them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CollabClient } from '@resoft/collab-client';
import { collabFixture, connectClient, until, type CollabFixture, startTestServer, type TestServer } from '@resoft/testkit';

let bodies: Buffer[] = [];
let receiver: http.Server;
let server: TestServer;
let fixture: CollabFixture;
const clients: CollabClient[] = [];

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/v1/traces') bodies.push(Buffer.concat(chunks));
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  server = await startTestServer({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`, OTEL_TRACES_SAMPLER: 'always_on' });
  fixture = await collabFixture(server.baseUrl, { editors: 2 });
}, 60_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await server?.stop();
  await new Promise((resolve) => receiver.close(resolve));
});

const exported = (): string => Buffer.concat(bodies).toString('latin1');

describe('tracing in the all-in-one', () => {
  it('traces frames, broadcasts, document flushes, template runs and each linter of a check, and stamps the trace into events', async () => {
    const ann = await connectClient(server.baseUrl, fixture.editors[0]!);
    const bob = await connectClient(server.baseUrl, fixture.editors[1]!);
    clients.push(ann, bob);
    await ann.join(fixture.roomId);
    await bob.join(fixture.roomId);
    const heard = bob.next('collaboration:message', (f) => f.kind === 'posted');
    const sent = await ann.chat(fixture.roomId, `traced over the socket @${fixture.editors[1]!.username}`);
    await heard;

    const doc = await ann.open(fixture.projectId, fixture.fileId);
    await doc.ready;
    doc.insert(0, '# traced edit\n');

    const applied = await fixture.api.post('/api/v1/templates/apply', { projectId: fixture.projectId, templateId: 'microservice', variables: { service_name: 'traced-api', package_name: 'traced' } }, fixture.owner.accessToken);
    expect(applied.status).toBe(201);
    expect(applied.headers.get('traceresponse')).toMatch(/^00-[\da-f]{32}-[\da-f]{16}-01$/);
    const checked = await fixture.api.post('/api/code-quality/check?wait=true', { code: 'const unused = 1;\n', language: 'javascript', linters: ['eslint'] }, fixture.owner.accessToken);
    expect(checked.status).toBeLessThan(300);

    // The chat event stores the trace of the frame that posted it; a read sent on with traceparent joins that trace.
    const stream = await fixture.api.get(`/api/streams/room-${fixture.roomId}/events?type=ChatMessagePosted&after=${sent.position}`, fixture.owner.accessToken);
    expect(stream.status).toBe(200);
    const traceparent: string | undefined = stream.body.events.at(-1)?.metadata?.traceparent;
    expect(traceparent).toMatch(/^00-[\da-f]{32}-[\da-f]{16}-01$/);
    const traceId = Buffer.from(traceparent!.split('-')[1]!, 'hex').toString('latin1'); // ids are raw bytes in OTLP protobuf

    const names = ['ws collaboration:chat', 'gateway broadcast', 'document flush', 'template run', 'POST /api/v1/templates/apply', 'check run', 'linter eslint', 'projection apply', 'event-store append'];
    const deadline = Date.now() + 30_000;
    await until(() => Date.now() > deadline || names.every((name) => exported().includes(name)), 100);
    expect(names.filter((name) => !exported().includes(name))).toEqual([]);
    expect(exported()).toContain(traceId);
    expect(exported()).toContain('resoft'); // service.name of the all-in-one
  }, 120_000);
});
