import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@resoft/domain';
import { describeEventBusContract } from './event-bus.contract.js';
import { InProcessEventBus } from './in-process-event-bus.js';

describeEventBusContract('InProcessEventBus with one partition', async () => {
  const bus = new InProcessEventBus();
  return { bus, partitions: 1, dispose: () => bus.close() };
});

describeEventBusContract('InProcessEventBus with three partitions', async () => {
  const bus = new InProcessEventBus({ partitions: 3, maxBatchSize: 7 });
  return { bus, partitions: 3, dispose: () => bus.close() };
});

function event(streamId: string, revision: number): RecordedEvent {
  return {
    id: randomUUID(),
    type: 'ThingHappened',
    streamId,
    revision,
    position: revision + 1,
    data: { list: [1, 2] },
    metadata: { actor: null, correlationId: 'c', causationId: null, occurredAt: '2026-01-01T00:00:00.000Z', schema: 1, prevHash: '0'.repeat(64), hash: '1'.repeat(64) },
  };
}

async function waitUntil(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('InProcessEventBus', () => {
  it('hands out frozen copies, so neither the publisher nor a handler can change what another group sees', async () => {
    const bus = new InProcessEventBus();
    const published = event('thing-1', 0);
    await bus.publish([{ key: published.streamId, event: published }]);
    (published.data as { list: number[] }).list.push(3);
    const seen: RecordedEvent[] = [];
    const consumer = await bus.consume({ group: 'g', onBatch: async (events) => void seen.push(...events) });
    await waitUntil(() => seen.length === 1, 'the event arrives');
    expect(seen[0]!.data).toEqual({ list: [1, 2] });
    expect(Object.isFrozen((seen[0]!.data as { list: number[] }).list)).toBe(true);
    await consumer.stop();
    await bus.close();
  });

  it('rejects a record without a key and publishes none of that call', async () => {
    const bus = new InProcessEventBus();
    await expect(bus.publish([{ key: 'thing-1', event: event('thing-1', 0) }, { key: '', event: event('thing-2', 0) }])).rejects.toThrow(TypeError);
    const seen: RecordedEvent[] = [];
    await bus.consume({ group: 'g', onBatch: async (events) => void seen.push(...events) });
    await bus.publish([{ key: 'thing-3', event: event('thing-3', 0) }]);
    await waitUntil(() => seen.length > 0, 'the later event arrives');
    expect(seen.map((e) => e.streamId)).toEqual(['thing-3']);
    await bus.close();
  });

  it('stops its consumers on close and rejects later calls; closing twice is harmless', async () => {
    const bus = new InProcessEventBus();
    let calls = 0;
    await bus.consume({ group: 'g', onBatch: async () => void (calls += 1) });
    await bus.close();
    await bus.close();
    await expect(bus.publish([{ key: 'thing-1', event: event('thing-1', 0) }])).rejects.toThrow('closed');
    await expect(bus.consume({ group: 'g', onBatch: async () => undefined })).rejects.toThrow('closed');
    expect(calls).toBe(0);
  });

  it('drops events every group has passed, and a group that starts later begins at the oldest kept event', async () => {
    const bus = new InProcessEventBus();
    const seen: RecordedEvent[] = [];
    const first = await bus.consume({ group: 'early', onBatch: async (events) => void seen.push(...events) });
    await bus.publish([0, 1, 2].map((n) => ({ key: 'thing-1', event: event('thing-1', n) })));
    await waitUntil(() => seen.length === 3, 'the early group has every event');
    await first.stop();
    await bus.publish([{ key: 'thing-1', event: event('thing-1', 3) }]);

    const late: RecordedEvent[] = [];
    await bus.consume({ group: 'late', onBatch: async (events) => void late.push(...events) });
    await waitUntil(() => late.length === 1, 'the late group has the kept event');
    expect(late.map((e) => e.revision)).toEqual([3]);
    await bus.close();
  });

  it('keeps redelivering a batch whose handler keeps failing, backing off, until the handler recovers', async () => {
    const bus = new InProcessEventBus({ redeliveryDelayMs: 5, maxRedeliveryDelayMs: 20 });
    let attempts = 0;
    let healthy = false;
    const accepted: RecordedEvent[] = [];
    await bus.consume({
      group: 'g',
      onBatch: async (events) => {
        attempts += 1;
        if (!healthy) throw new Error('read store down');
        accepted.push(...events);
      },
      onError: () => {
        throw new Error('a failing error hook must not stop delivery');
      },
    });
    await bus.publish([{ key: 'thing-1', event: event('thing-1', 0) }]);
    await waitUntil(() => attempts >= 5, 'several attempts were made');
    healthy = true;
    await waitUntil(() => accepted.length === 1, 'the event is accepted');
    await bus.close();
  });
});
