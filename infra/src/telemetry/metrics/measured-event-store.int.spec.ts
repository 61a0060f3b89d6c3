import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '@resoft/domain';
import { describeEventStoreContract } from '@resoft/ports/contracts';
import { WrongExpectedRevisionError } from '@resoft/ports';
import { SqliteEventStore } from '@resoft/adapter-sqlite';
import { MeasuredEventStore } from './measured-event-store.js';
import { PrometheusMetrics } from './prometheus-metrics.js';
import { discardMetrics } from './metrics.js';

const newEvent = (type = 'ThingHappened'): NewEvent => ({
  id: randomUUID(), type, data: { n: 1 },
  metadata: { actor: null, correlationId: randomUUID(), causationId: null, occurredAt: new Date().toISOString(), schema: 1 },
});

function sqliteStore() {
  const dir = mkdtempSync(join(tmpdir(), 'resoft-measured-store-'));
  const store = new SqliteEventStore({ file: join(dir, 'events.db') });
  return { store, dispose: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })) };
}

// Measuring must not change what the store does: the decorator passes the port's contract suite.
describeEventStoreContract('MeasuredEventStore over SQLite', async () => {
  const { store, dispose } = sqliteStore();
  return { store: new MeasuredEventStore(store, discardMetrics), dispose };
});

describe('MeasuredEventStore', () => {
  it('times appends by outcome, counts events per append, and tells listeners only of appends that went through', async () => {
    const { store, dispose } = sqliteStore();
    const metrics = new PrometheusMetrics({ nodeMetrics: false });
    const measured = new MeasuredEventStore(store, metrics);
    const heard: string[] = [];
    measured.onAppend((streamId, events, result) => heard.push(`${streamId}:${events.map((e) => e.type).join(',')}@${result.position}`));
    measured.onAppend(() => {
      throw new Error('a listener that fails does not fail the write');
    });
    try {
      await measured.append('thing-1', [newEvent('A'), newEvent('B'), newEvent('C')], 'no_stream');
      await expect(measured.append('thing-1', [newEvent('D')], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect(heard).toEqual(['thing-1:A,B,C@3']);
      const text = await metrics.exposition();
      expect(text).toMatch(/^resoft_event_store_append_duration_seconds_count\{outcome="ok"\} 1$/m);
      expect(text).toMatch(/^resoft_event_store_append_duration_seconds_count\{outcome="conflict"\} 1$/m);
      expect(text).toMatch(/^resoft_event_store_append_events_sum 3$/m);
      expect(text).toMatch(/^resoft_event_store_append_events_bucket\{le="2"\} 0$/m);
      expect(text).toMatch(/^resoft_event_store_append_events_bucket\{le="5"\} 1$/m);
    } finally {
      await dispose();
    }
  });
});
