import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '@resoft/domain';
import { MeasuredEventStore, PrometheusMetrics } from '@resoft/infra';
import { SqliteEventStore } from '@resoft/adapter-sqlite';
import { observeCommandEvents } from './command-event-metrics.js';

const event = (type: string, data: Record<string, unknown>, occurredAt = new Date().toISOString()): NewEvent => ({
  id: randomUUID(), type, data, metadata: { actor: null, correlationId: randomUUID(), causationId: null, occurredAt, schema: 1 },
});

describe('check and template metrics counted from appended events', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'resoft-command-metrics-'));
    store = new SqliteEventStore({ file: join(dir, 'events.db') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records linter run times by status, sandbox refusals, the wait of a check for its runner, template runs, and the runner\'s queue', async () => {
    const metrics = new PrometheusMetrics({ nodeMetrics: false });
    const events = new MeasuredEventStore(store, metrics);
    observeCommandEvents(metrics, events, { stats: () => ({ queued: 3, running: 1 }) });

    const requestedAt = new Date(Date.now() - 4_000).toISOString();
    await events.append('check-c1', [event('CheckRequested', { checkId: 'c1' }, requestedAt)], 'no_stream');
    await events.append('check-c1', [event('CheckStarted', { checkId: 'c1', runnerId: 'r', leaseUntil: 0 })], 0);
    await events.append('check-c1', [
      event('LinterFinished', { checkId: 'c1', linter: 'ruff', status: 'ok', durationMs: 300 }),
      event('LinterFinished', { checkId: 'c1', linter: 'pylint', status: 'unavailable', durationMs: 0, message: 'unavailable: no sandbox' }),
      event('LinterFinished', { checkId: 'c1', linter: 'mypy', status: 'timeout', durationMs: 30_000, message: 'mypy did not finish' }),
    ], 1);
    await events.append('template-run-t1', [event('TemplateRunStarted', { runId: 't1' }), event('TemplateRunCompleted', { runId: 't1' })], 'no_stream');
    await events.append('template-run-t2', [event('TemplateRunStarted', { runId: 't2' }), event('TemplateRunFailed', { runId: 't2' })], 'no_stream');

    // The wait is recorded after a read of the check's request.
    let text = '';
    for (let tries = 0; !/resoft_check_wait_seconds_count 1/.test(text) && tries < 100; tries += 1) {
      text = await metrics.exposition();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(text).toMatch(/^resoft_check_linter_duration_seconds_count\{linter="ruff",status="ok"\} 1$/m);
    expect(text).toMatch(/^resoft_check_linter_duration_seconds_sum\{linter="ruff",status="ok"\} 0\.3$/m);
    expect(text).toMatch(/^resoft_check_linter_duration_seconds_bucket\{le="20",linter="mypy",status="timeout"\} 0$/m);
    expect(text).toMatch(/^resoft_check_sandbox_refusals_total\{linter="pylint"\} 1$/m);
    expect(text).not.toMatch(/resoft_check_sandbox_refusals_total\{linter="mypy"\}/);
    expect(text).toMatch(/^resoft_check_wait_seconds_count 1$/m);
    // Requested four seconds before the claim: in the (2.5, 5] bucket.
    expect(text).toMatch(/^resoft_check_wait_seconds_bucket\{le="2\.5"\} 0$/m);
    expect(text).toMatch(/^resoft_check_wait_seconds_bucket\{le="5"\} 1$/m);
    expect(text).toMatch(/^resoft_template_runs_total\{outcome="started"\} 2$/m);
    expect(text).toMatch(/^resoft_template_runs_total\{outcome="completed"\} 1$/m);
    expect(text).toMatch(/^resoft_template_runs_total\{outcome="failed"\} 1$/m);
    expect(text).toMatch(/^resoft_check_queue_depth 3$/m);
    expect(text).toMatch(/^resoft_check_running 1$/m);
  });
});
