import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CollabClient } from '@resoft/collab-client';
import { connectClient } from '@resoft/testkit';
import { exposedMetrics, OBSERVABILITY_DIR, referencedMetrics, prometheusBinary, startPrometheus, type PromSample, type PrometheusServer } from '@resoft/testkit/observability';
import { RoutedClient, serve, stopAll, type ServiceProcess } from '@resoft/testkit/processes';

const engines = { KAFKA_BROKERS: process.env['KAFKA_BROKERS'], MONGO_URL: process.env['MONGO_URL'], REDIS_URL: process.env['REDIS_URL'] };
const missing = Object.entries(engines).filter(([, value]) => !value).map(([name]) => name);
if (missing.length) console.log(`process metrics test skipped: ${missing.join(', ')} not set (infra/engines/*.sh start print them)`);
const describeWithEngines = missing.length ? describe.skip : describe;
const prometheus = prometheusBinary();
if (!prometheus) console.log('the Prometheus scrape tests are skipped: no `prometheus` binary (bash infra/engines/prometheus.sh install)');
const itWithPrometheus = prometheus ? it : it.skip;

const SERVICES = ['command', 'query', 'gateway', 'projectors', 'relay'] as const;
const total = (samples: PromSample[]) => samples.reduce((sum, s) => sum + s.value, 0);

describeWithEngines('metrics of the distributed processes, scraped by Prometheus', () => {
  const processes = new Map<string, ServiceProcess>();
  let dataDir: string;
  let api: RoutedClient;
  let server: PrometheusServer | null = null;
  let collab: CollabClient | null = null;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-metrics-'));
    const run = randomUUID().replace(/-/g, '').slice(0, 12);
    const env = {
      PORT: '0', HOST: '127.0.0.1', RESOFT_METRICS_PORT: '0', RESOFT_DATA_DIR: dataDir, RESOFT_SCRYPT_COST: '1024', RESOFT_AUTH_RATE_LIMIT: '10000', RESOFT_EVENT_POLL_MS: '20',
      RESOFT_READ_WAIT_MS: '10000', RESOFT_JWT_SECRET: `secret-${run}-${'x'.repeat(32)}`,
      KAFKA_BROKERS: engines.KAFKA_BROKERS!, RESOFT_KAFKA_TOPIC: `resoft-metrics-${run}`, RESOFT_KAFKA_PARTITIONS: '3', RESOFT_KAFKA_GROUP: `projectors-${run}`,
      MONGO_URL: engines.MONGO_URL!, RESOFT_MONGO_DATABASE: `resoft_metrics_${run}`, REDIS_URL: engines.REDIS_URL!,
    };
    // The command process first: it creates the signing key the others read.
    processes.set('command', await serve('command', env));
    const others = await Promise.all(SERVICES.slice(1).map((service) => serve(service, env)));
    SERVICES.slice(1).forEach((service, i) => processes.set(service, others[i]!));
    api = new RoutedClient(processes.get('command')!.client, processes.get('query')!.client);
    if (prometheus) {
      server = await startPrometheus(prometheus, {
        targets: [...processes].map(([service, p]) => ({ address: `127.0.0.1:${p.metricsPort}`, labels: { role: service } })),
        ruleFiles: [path.join(OBSERVABILITY_DIR, 'rules', 'resoft-alerts.yml')],
      });
    }
  }, 120_000);

  afterAll(async () => {
    collab?.close();
    await server?.stop();
    await stopAll([...processes.values()]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves /metrics on its own port in every process, each sample labelled with the process\'s service', async () => {
    for (const [service, p] of processes) {
      expect(p.metricsPort).toEqual(expect.any(Number));
      const response = await fetch(`http://127.0.0.1:${p.metricsPort}/metrics`);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toMatch(new RegExp(`^nodejs_heap_size_used_bytes\\{service="${service}"\\} \\d`, 'm'));
      expect(text).toMatch(new RegExp(`^resoft_data_dir_free_bytes\\{service="${service}"\\} [1-9]`, 'm'));
    }
    // Not an API route: the API's port does not serve it, and the OpenAPI document does not list it.
    expect((await processes.get('query')!.client.get('/metrics')).status).toBe(404);
  });

  it('exposes every metric a dashboard or an alert rule refers to, in at least one process', async () => {
    // A gateway with a connection, and a write through it, so its per-frame metrics exist too.
    const dana = await api.signUp('metrics_dana');
    const projectId = (await api.post('/api/projects', { name: 'Measured' }, dana.accessToken)).body.id;
    const roomId = (await api.post('/api/collaboration/rooms', { projectId, name: 'Room' }, dana.accessToken)).body.id;
    collab = await connectClient(processes.get('gateway')!.client.baseUrl, dana);
    await collab.join(roomId);
    await collab.chat(roomId, 'measured over the socket');

    const exposed = new Set<string>();
    for (const p of processes.values()) for (const name of exposedMetrics(await (await fetch(`http://127.0.0.1:${p.metricsPort}/metrics`)).text())) exposed.add(name);
    const unknown = [...referencedMetrics()].flatMap(([file, names]) => [...names].filter((name) => !exposed.has(name)).map((name) => `${file}: ${name}`));
    expect(unknown).toEqual([]);
    // The check is not vacuous: the dashboards and rules name dozens of metrics.
    expect(new Set([...referencedMetrics().values()].flatMap((names) => [...names])).size).toBeGreaterThan(25);
  });

  itWithPrometheus('shows RED metrics per route moving with the traffic', async () => {
    const posts = 'sum(http_server_request_duration_seconds_count{service="command",http_request_method="POST",http_route="/api/projects",http_response_status_code="201"})';
    const before = total(await server!.query(posts));
    const erin = await api.signUp('metrics_erin');
    for (let i = 0; i < 5; i += 1) expect((await api.post('/api/projects', { name: `Red ${i}` }, erin.accessToken)).status).toBe(201);
    const last = await api.post('/api/projects', { name: 'Red last' }, erin.accessToken);
    expect((await api.get(`/api/projects?after=${last.body.position}`, erin.accessToken)).headers.get('resoft-consistency')).toBe('fresh');
    await server!.until(posts, (s) => total(s) >= before + 6);
    // Reads by their route template, never by the raw path, and the read-your-writes wait that answered fresh.
    await server!.until('sum(http_server_request_duration_seconds_count{service="query",http_route="/api/projects",http_request_method="GET"})', (s) => total(s) >= 1);
    expect(await server!.query('count(http_server_request_duration_seconds_count{http_route=~".*[0-9a-f]{8}-.*"})')).toEqual([]);
    await server!.until('sum(resoft_read_your_writes_wait_seconds_count{outcome="fresh"})', (s) => total(s) >= 1);
    await server!.until('sum(resoft_event_store_append_duration_seconds_count{service="command",outcome="ok"})', (s) => total(s) >= 6);
    await server!.until('sum(resoft_websocket_frames_received_total{service="gateway",frame_type="collaboration:join"})', (s) => total(s) >= 1);
    await server!.until('sum(resoft_websocket_frames_sent_total{service="gateway",frame_type="collaboration:welcome"})', (s) => total(s) >= 1);
    await server!.until('sum(resoft_gateway_connections)', (s) => total(s) === 1);
  }, 120_000);

  itWithPrometheus('shows the relay and projection lag rise while the relay is paused and fall back to 0 once it runs again', async () => {
    const relay = processes.get('relay')!.child;
    const lag = 'max(resoft_relay_lag_events)';
    const projectsLag = 'max(resoft_projection_lag_events{projection="projects"})';
    await server!.until(lag, (s) => s.length === 1 && s[0]!.value === 0);
    const fay = await api.signUp('metrics_fay');
    await server!.until(lag, (s) => s.length === 1 && s[0]!.value === 0);
    relay.kill('SIGSTOP');
    try {
      for (let i = 0; i < 3; i += 1) expect((await api.post('/api/projects', { name: `Lagging ${i}` }, fay.accessToken)).status).toBe(201);
      await server!.until(lag, (s) => s.length === 1 && s[0]!.value >= 3);
      await server!.until(projectsLag, (s) => s.length === 1 && s[0]!.value >= 3);
      await server!.until('max(resoft_relay_lag_seconds)', (s) => s.length === 1 && s[0]!.value > 0);
    } finally {
      relay.kill('SIGCONT');
    }
    await server!.until(lag, (s) => s.length === 1 && s[0]!.value === 0);
    await server!.until(projectsLag, (s) => s.length === 1 && s[0]!.value === 0);
    // Every projection, and the consumer group's lag on each of the topic's three partitions.
    expect((await server!.query('resoft_projection_lag_seconds')).length).toBeGreaterThanOrEqual(10);
    await server!.until('resoft_kafka_consumer_lag_messages', (s) => s.length === 3);
    await server!.until('max(resoft_relay_standing_by)', (s) => s.length === 1 && s[0]!.value === 0);
  }, 120_000);

  itWithPrometheus('loads the alert rules and evaluates each against the live series without an error', async () => {
    let rules = await server!.rules();
    expect(rules.length).toBe(8);
    // A rule's health is "unknown" until its first evaluation (every scrape interval).
    while (rules.some((r) => r.health === 'unknown')) {
      await new Promise((r) => setTimeout(r, 250));
      rules = await server!.rules();
    }
    expect(rules.filter((r) => r.health !== 'ok')).toEqual([]);
  });
});
