import { PrometheusMetrics } from './prometheus-metrics.js';
import { discardMetrics } from './metrics.js';

/** The samples of one metric in a text exposition, as `labels → value`, labels sorted by name (`{a="1",b="2"}`). */
function samples(text: string, name: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labels = [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => `${k}="${v}"`).sort();
    found.set(labels.length ? `{${labels.join(',')}}` : '', Number(match[3]));
  }
  return found;
}

describe('the Prometheus exposition of the metrics port', () => {
  it('exposes counters, histograms and gauges with their help, type and labels, and the process label on every sample', async () => {
    const metrics = new PrometheusMetrics({ defaultLabels: { service: 'query' }, nodeMetrics: false });
    const requests = metrics.histogram({ name: 'http_server_request_duration_seconds', help: 'Duration of HTTP server requests.', labelNames: ['http_route', 'http_response_status_code'] });
    requests.record(0.02, { http_route: '/api/projects', http_response_status_code: 200 });
    requests.record(3, { http_route: '/api/projects', http_response_status_code: 500 });
    metrics.counter({ name: 'resoft_template_runs_total', help: 'Template runs.', labelNames: ['outcome'] }).add(2, { outcome: 'completed' });
    metrics.gauge({ name: 'resoft_check_queue_depth', help: 'Checks waiting.' }).set(4);

    const text = await metrics.exposition();
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toContain('# HELP http_server_request_duration_seconds Duration of HTTP server requests.');
    expect(text).toContain('# TYPE http_server_request_duration_seconds histogram');
    expect(text).toContain('# TYPE resoft_template_runs_total counter');
    const buckets = samples(text, 'http_server_request_duration_seconds_bucket');
    expect(buckets.get('{http_response_status_code="200",http_route="/api/projects",le="0.025",service="query"}')).toBe(1);
    expect(buckets.get('{http_response_status_code="500",http_route="/api/projects",le="2.5",service="query"}')).toBe(0);
    expect(buckets.get('{http_response_status_code="500",http_route="/api/projects",le="5",service="query"}')).toBe(1);
    expect(samples(text, 'resoft_template_runs_total').get('{outcome="completed",service="query"}')).toBe(2);
    expect(samples(text, 'resoft_check_queue_depth').get('{service="query"}')).toBe(4);
  });

  it('gives the same metric when two parts of a process ask for one name', async () => {
    const metrics = new PrometheusMetrics({ nodeMetrics: false });
    metrics.counter({ name: 'resoft_websocket_slow_consumer_closes_total', help: 'Slow consumers.' }).add();
    metrics.counter({ name: 'resoft_websocket_slow_consumer_closes_total', help: 'Slow consumers.' }).add();
    expect(samples(await metrics.exposition(), 'resoft_websocket_slow_consumer_closes_total').get('')).toBe(2);
  });

  it('reads observed gauges at each scrape, adding the samples of every reader and leaving out a reader that fails', async () => {
    const metrics = new PrometheusMetrics({ nodeMetrics: false });
    let lag = 7;
    const spec = { name: 'resoft_projection_lag_events', help: 'Lag.', labelNames: ['projection'] };
    metrics.observe(spec, () => [{ labels: { projection: 'chat' }, value: lag }]);
    metrics.observe(spec, async () => [{ labels: { projection: 'rooms' }, value: 1 }]);
    metrics.observe(spec, async () => {
      throw new Error('read store down');
    });
    expect(samples(await metrics.exposition(), 'resoft_projection_lag_events')).toEqual(new Map([['{projection="chat"}', 7], ['{projection="rooms"}', 1]]));
    lag = 0;
    expect(samples(await metrics.exposition(), 'resoft_projection_lag_events').get('{projection="chat"}')).toBe(0);
  });

  it('includes Node\'s event-loop delay and heap', async () => {
    const text = await new PrometheusMetrics().exposition();
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \S+$/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \S+$/m);
  });

  it('records nothing through the discarding registry', () => {
    expect(() => {
      discardMetrics.counter({ name: 'x_total', help: 'x' }).add(1, { a: 'b' });
      discardMetrics.histogram({ name: 'y_seconds', help: 'y' }).record(1);
      discardMetrics.observe({ name: 'z', help: 'z' }, () => [{ value: 1 }]);
    }).not.toThrow();
  });
});
