import { listenForMetrics, type MetricsListener } from './metrics-listener.js';
import { PrometheusMetrics } from './prometheus-metrics.js';

describe('the /metrics listener', () => {
  let listener: MetricsListener;
  const metrics = new PrometheusMetrics({ nodeMetrics: false });

  beforeAll(async () => {
    metrics.counter({ name: 'resoft_template_runs_total', help: 'Template runs.', labelNames: ['outcome'] }).add(1, { outcome: 'started' });
    listener = await listenForMetrics(metrics, { port: 0, host: '127.0.0.1' });
  });
  afterAll(() => listener.close());

  it('serves the exposition at GET /metrics with Prometheus\' content type', async () => {
    const response = await fetch(`http://127.0.0.1:${listener.port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await response.text()).toContain('resoft_template_runs_total{outcome="started"} 1');
  });

  it('answers 404 for anything else, so the listener exposes nothing but metrics', async () => {
    expect((await fetch(`http://127.0.0.1:${listener.port}/api/projects`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${listener.port}/metrics`, { method: 'POST' })).status).toBe(404);
  });
});
