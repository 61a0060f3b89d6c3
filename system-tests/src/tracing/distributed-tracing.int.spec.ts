import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RoutedClient, serve, stopAll, type ServiceProcess } from '@resoft/testkit/processes';

// Jaeger (infra/engines/jaeger.sh start prints both) receives the spans over OTLP and answers the query API.
const engines = {
  KAFKA_BROKERS: process.env['KAFKA_BROKERS'],
  MONGO_URL: process.env['MONGO_URL'],
  REDIS_URL: process.env['REDIS_URL'],
  JAEGER_OTLP_ENDPOINT: process.env['JAEGER_OTLP_ENDPOINT'],
  JAEGER_QUERY_URL: process.env['JAEGER_QUERY_URL'],
};
const missing = Object.entries(engines).filter(([, value]) => !value).map(([name]) => name);
if (missing.length) console.warn(`distributed tracing test skipped: ${missing.join(', ')} not set (infra/engines/*.sh start print them)`);
const describeWithEngines = missing.length ? describe.skip : describe;

interface JaegerSpan {
  readonly spanID: string;
  readonly operationName: string;
  readonly processID: string;
  readonly references: readonly { refType: string; spanID: string }[];
}
interface JaegerTrace {
  readonly spans: readonly JaegerSpan[];
  readonly processes: Record<string, { serviceName: string }>;
}

/** The trace as Jaeger's query API holds it once `done` says it is complete; the last one seen after the deadline. */
async function traceFromJaeger(traceId: string, done: (trace: JaegerTrace) => boolean, timeoutMs = 60_000): Promise<JaegerTrace | null> {
  const deadline = Date.now() + timeoutMs;
  let last: JaegerTrace | null = null;
  while (Date.now() < deadline) {
    const response = await fetch(`${engines.JAEGER_QUERY_URL}/api/traces/${traceId}`);
    if (response.ok) {
      last = ((await response.json()) as { data: JaegerTrace[] }).data[0] ?? null;
      if (last && done(last)) return last;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return last;
}

const REQUIRED = [
  'POST /api/collaboration/chat', // the command's HTTP span (command process)
  'command room', // the command execution
  'event-store append',
  'relay publish', // relay process, Kafka producer
  'projection apply', // projectors process, one per projection that handles the event
  'GET /api/collaboration/chat/:roomId/history', // the read on the query process
  'read-your-writes wait',
];

describeWithEngines('one chat message is one trace across command, relay, projectors and query processes (Jaeger)', () => {
  const processes: ServiceProcess[] = [];
  let dataDir: string;
  let api: RoutedClient;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-tracing-'));
    const run = randomUUID().replace(/-/g, '').slice(0, 12);
    const env = {
      PORT: '0', HOST: '127.0.0.1', RESOFT_DATA_DIR: dataDir, RESOFT_SCRYPT_COST: '1024', RESOFT_AUTH_RATE_LIMIT: '10000', RESOFT_EVENT_POLL_MS: '20',
      RESOFT_JWT_SECRET: `secret-${run}-${'x'.repeat(32)}`,
      KAFKA_BROKERS: engines.KAFKA_BROKERS!, RESOFT_KAFKA_TOPIC: `resoft-trace-${run}`, RESOFT_KAFKA_PARTITIONS: '3', RESOFT_KAFKA_GROUP: `projectors-${run}`,
      MONGO_URL: engines.MONGO_URL!, RESOFT_MONGO_DATABASE: `resoft_trace_${run}`,
      REDIS_URL: engines.REDIS_URL!,
      OTEL_EXPORTER_OTLP_ENDPOINT: engines.JAEGER_OTLP_ENDPOINT!, OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      // The read below waits for its write through Kafka; on a loaded machine that took over the 2 s default (a stale 404).
      RESOFT_READ_WAIT_MS: '15000',
    };
    processes.push(...(await Promise.all([serve('command', env), serve('relay', env), serve('projectors', env), serve('query', env)])));
    api = new RoutedClient(processes[0]!.client, processes[3]!.client);
  }, 120_000);

  afterAll(async () => {
    await stopAll(processes);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('registers, creates a project and a room, posts a chat with a mention and reads it back: Jaeger shows one trace over four services', async () => {
    const ann = await api.signUp('trace_ann');
    const bob = await api.signUp('trace_bob');
    const projectId = (await api.post('/api/projects', { name: 'Traced' }, ann.accessToken)).body.id;
    expect((await api.post(`/api/projects/${projectId}/members`, { username: 'trace_bob', role: 'editor' }, ann.accessToken)).status).toBe(201);
    const roomId = (await api.post('/api/collaboration/rooms', { projectId, name: 'General' }, ann.accessToken)).body.id;
    await api.post(`/api/collaboration/rooms/${roomId}/join`, {}, ann.accessToken);
    await api.post(`/api/collaboration/rooms/${roomId}/join`, {}, bob.accessToken);

    const posted = await api.post('/api/collaboration/chat', { roomId, text: 'Traced hello @trace_bob' }, ann.accessToken);
    expect([posted.status, posted.body.mentions]).toEqual([201, [bob.userId]]);
    const traceresponse = posted.headers.get('traceresponse');
    expect(traceresponse).toMatch(/^00-[\da-f]{32}-[\da-f]{16}-01$/);
    const traceId = traceresponse!.split('-')[1]!;

    // The client carries the trace on to the read that waits for its write, as a browser would.
    const history = await api.request('GET', `/api/collaboration/chat/${roomId}/history?after=${posted.body.position}`, { token: bob.accessToken, headers: { traceparent: traceresponse! } });
    expect([history.status, history.headers.get('resoft-consistency')]).toEqual([200, 'fresh']);
    expect(history.body.messages).toEqual([expect.objectContaining({ text: 'Traced hello @trace_bob' })]);

    const names = (trace: JaegerTrace) => new Set(trace.spans.map((s) => s.operationName));
    const services = (trace: JaegerTrace) => new Set(trace.spans.map((s) => trace.processes[s.processID]?.serviceName));
    const trace = await traceFromJaeger(traceId, (t) => REQUIRED.every((name) => names(t).has(name)) && services(t).size >= 4);
    expect(trace).not.toBeNull();
    expect([...names(trace!)].filter((name) => REQUIRED.includes(name)).sort()).toEqual([...REQUIRED].sort());
    expect([...services(trace!)].sort()).toEqual(expect.arrayContaining(['resoft-command', 'resoft-projectors', 'resoft-query', 'resoft-relay']));

    // The chain is connected: each projection apply is a child of a relay publish, which is a child of the append.
    const byId = new Map(trace!.spans.map((s) => [s.spanID, s]));
    const parentName = (span: JaegerSpan) => byId.get(span.references.find((r) => r.refType === 'CHILD_OF')?.spanID ?? '')?.operationName;
    const applies = trace!.spans.filter((s) => s.operationName === 'projection apply');
    expect(applies.length).toBeGreaterThan(0);
    for (const apply of applies) expect(parentName(apply)).toBe('relay publish');
    for (const publish of trace!.spans.filter((s) => s.operationName === 'relay publish')) expect(parentName(publish)).toBe('event-store append');
    const read = trace!.spans.find((s) => s.operationName === 'GET /api/collaboration/chat/:roomId/history')!;
    expect(parentName(read)).toBe('POST /api/collaboration/chat');
  }, 150_000);
});
