/**
 * The behaviour every `EventBus` adapter must show, as one jest suite. An adapter's int spec calls
 * `describeEventBusContract` with a factory that returns a fresh bus (an empty topic) for each test.
 * At-least-once is the contract: assertions tolerate redelivery wherever the port allows it, and
 * every wait is a bounded poll, never a fixed sleep.
 */
import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@resoft/domain';
import type { BusConsumer, BusRecord, EventBus } from './event-bus.js';

export interface BusUnderTest {
  readonly bus: EventBus;
  /** Partitions of the bus's topic: with more than one, two members of a group must both get work. */
  readonly partitions: number;
  dispose(): Promise<void>;
}

export interface EventBusContractOptions {
  /** Per-test timeout for jest. Default 30 s. */
  readonly testTimeoutMs?: number;
  /** How long a test polls for deliveries before failing. Default 10 s. */
  readonly deliveryDeadlineMs?: number;
}

interface Delivery {
  readonly consumer: string;
  readonly partition: number;
  readonly events: RecordedEvent[];
  /** False when the handler threw for this delivery. */
  readonly accepted: boolean;
}

let position = 0;

function recordedEvent(streamId: string, revision: number, data: unknown = { n: revision }): RecordedEvent {
  position += 1;
  return {
    id: randomUUID(),
    type: 'ThingHappened',
    streamId,
    revision,
    position,
    data,
    metadata: {
      actor: 'user-1',
      correlationId: randomUUID(),
      causationId: null,
      occurredAt: new Date().toISOString(),
      schema: 1,
      prevHash: '0'.repeat(64),
      hash: 'f'.repeat(64),
    },
  };
}

/** `revisions` events on each of `streams` new streams, interleaved the way a global log interleaves them. */
function interleaved(streams: number, revisions: number): RecordedEvent[] {
  const ids = Array.from({ length: streams }, () => `thing-${randomUUID()}`);
  const events: RecordedEvent[] = [];
  for (let revision = 0; revision < revisions; revision++) {
    for (const streamId of ids) events.push(recordedEvent(streamId, revision));
  }
  return events;
}

function keyed(events: readonly RecordedEvent[]): BusRecord[] {
  return events.map((event) => ({ key: event.streamId, event }));
}

function idsOf(deliveries: readonly Delivery[], accepted = true): Set<string> {
  return new Set(deliveries.filter((d) => d.accepted || !accepted).flatMap((d) => d.events.map((e) => e.id)));
}

/**
 * At-least-once per-key order: whenever an event arrives, every earlier event of its stream has
 * arrived before (a redelivery may repeat events, never skip ahead). Returns the violations.
 */
function orderViolations(deliveries: readonly Delivery[]): string[] {
  const highest = new Map<string, number>();
  const violations: string[] = [];
  for (const event of deliveries.flatMap((d) => d.events)) {
    const seen = highest.get(event.streamId) ?? -1;
    if (event.revision > seen + 1) violations.push(`${event.streamId}@${event.revision} arrived after @${seen}`);
    highest.set(event.streamId, Math.max(seen, event.revision));
  }
  return violations;
}

export function describeEventBusContract(name: string, create: () => Promise<BusUnderTest>, options: EventBusContractOptions = {}): void {
  const testTimeoutMs = options.testTimeoutMs ?? 30_000;
  const deadlineMs = options.deliveryDeadlineMs ?? 10_000;

  describe(`EventBus contract: ${name}`, () => {
    let subject: BusUnderTest;
    let bus: EventBus;
    let consumers: BusConsumer[];

    beforeEach(async () => {
      subject = await create();
      bus = subject.bus;
      consumers = [];
      await bus.ensureTopic();
    }, testTimeoutMs);

    afterEach(async () => {
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      await subject.dispose();
    }, testTimeoutMs);

    async function waitUntil(done: () => boolean, what: string): Promise<void> {
      const deadline = Date.now() + deadlineMs;
      while (!done()) {
        if (Date.now() > deadline) throw new Error(`Timed out after ${deadlineMs} ms waiting until ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }

    async function waitUntilAsync(done: () => Promise<boolean>, what: string): Promise<void> {
      const deadline = Date.now() + deadlineMs;
      while (!(await done())) {
        if (Date.now() > deadline) throw new Error(`Timed out after ${deadlineMs} ms waiting until ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }

    /** Starts a consumer that records every delivery into `deliveries`; `handle` may throw to reject a batch. */
    async function consume(
      group: string,
      deliveries: Delivery[],
      consumer = 'c1',
      handle: (events: RecordedEvent[]) => Promise<void> = async () => undefined,
      onError?: (error: unknown) => void,
    ): Promise<BusConsumer> {
      const started = await bus.consume({
        group,
        onBatch: async (events, partition) => {
          try {
            await handle(events);
          } catch (error) {
            deliveries.push({ consumer, partition, events, accepted: false });
            throw error;
          }
          deliveries.push({ consumer, partition, events, accepted: true });
        },
        ...(onError ? { onError } : {}),
      });
      consumers.push(started);
      return started;
    }

    function allArrived(deliveries: readonly Delivery[], events: readonly RecordedEvent[]): () => boolean {
      return () => {
        const arrived = idsOf(deliveries);
        return events.every((event) => arrived.has(event.id));
      };
    }

    it(
      'delivers every published event with identical content to each group, including groups that start after the publish',
      async () => {
        const events = [
          recordedEvent('project-1', 0, { name: 'Résumé ✓ 日本語', tags: ['a', 'b'], nested: { empty: null, flag: false, n: -1.5 } }),
          recordedEvent('project-1', 1, { big: 'x'.repeat(20_000) }),
          recordedEvent('room-2', 0, []),
          recordedEvent('user-3', 0, 'just a string'),
        ];
        await bus.publish(keyed(events.slice(0, 2)));
        await bus.publish(keyed(events.slice(2)));
        await bus.publish([]);
        // Ensuring an existing topic changes nothing and reports its real partition count.
        const partitions = await bus.ensureTopic();
        expect(Number.isInteger(partitions) && partitions >= 1).toBe(true);
        expect(await bus.ensureTopic()).toBe(partitions);

        const first: Delivery[] = [];
        const second: Delivery[] = [];
        await consume(`group-${randomUUID()}`, first);
        await consume(`group-${randomUUID()}`, second);
        await waitUntil(allArrived(first, events), 'the first group has every event');
        await waitUntil(allArrived(second, events), 'the second group has every event');

        for (const deliveries of [first, second]) {
          const byId = new Map(deliveries.flatMap((d) => d.events).map((event) => [event.id, event]));
          expect(events.map((event) => byId.get(event.id))).toEqual(events);
        }
      },
      testTimeoutMs,
    );

    it(
      "keeps each stream's events in order and on one partition across many streams",
      async () => {
        const deliveries: Delivery[] = [];
        await consume(`group-${randomUUID()}`, deliveries);
        const events = interleaved(20, 8);
        for (let start = 0; start < events.length; start += 40) await bus.publish(keyed(events.slice(start, start + 40)));

        await waitUntil(allArrived(deliveries, events), 'every event has arrived');
        expect(orderViolations(deliveries)).toEqual([]);
        const partitions = new Map<string, Set<number>>();
        for (const { partition, events: batch } of deliveries) {
          for (const event of batch) partitions.set(event.streamId, (partitions.get(event.streamId) ?? new Set()).add(partition));
        }
        expect([...partitions.values()].filter((used) => used.size > 1)).toEqual([]);
        for (const { partition } of deliveries) expect(partition).toBeLessThan(subject.partitions);
      },
      testTimeoutMs,
    );

    it(
      'names, through partitionOf, the partition each key lands on (the relay records per partition what it published)',
      async () => {
        const deliveries: Delivery[] = [];
        await consume(`group-${randomUUID()}`, deliveries);
        const events = interleaved(24, 1);
        await bus.publish(keyed(events));

        await waitUntil(allArrived(deliveries, events), 'every event has arrived');
        const wrong = deliveries.flatMap(({ partition, events: batch }) =>
          batch.filter((event) => bus.partitionOf(event.streamId) !== partition).map((event) => `${event.streamId} arrived on ${partition}, partitionOf says ${bus.partitionOf(event.streamId)}`),
        );
        expect(wrong).toEqual([]);
        if (subject.partitions > 1) expect(new Set(events.map((event) => bus.partitionOf(event.streamId))).size).toBeGreaterThan(1);
      },
      testTimeoutMs,
    );

    it(
      'resumes a group after its last committed batch when its consumer stops and a new one starts',
      async () => {
        const group = `group-${randomUUID()}`;
        const before: Delivery[] = [];
        const consumer = await consume(group, before);
        const earlier = interleaved(5, 3);
        // One publish at a time, each consumed before the next, so the first run spans several batches.
        for (let start = 0; start < earlier.length; start += 5) {
          const slice = earlier.slice(start, start + 5);
          await bus.publish(keyed(slice));
          await waitUntil(allArrived(before, slice), 'a slice has arrived');
        }
        await consumer.stop();

        const later = interleaved(5, 2);
        await bus.publish(keyed(later));
        const after: Delivery[] = [];
        await consume(group, after, 'c2');
        await waitUntil(allArrived(after, later), 'the restarted group has the later events');

        // Only the last batch of each partition may come again (its commit might not have landed).
        const lastBatches = new Map<number, Delivery>();
        for (const delivery of before) lastBatches.set(delivery.partition, delivery);
        const mayRepeat = idsOf([...lastBatches.values()]);
        const laterIds = new Set(later.map((event) => event.id));
        const repeated = [...idsOf(after)].filter((id) => !laterIds.has(id) && !mayRepeat.has(id));
        expect(repeated).toEqual([]);
        expect(orderViolations([...before, ...after])).toEqual([]);
      },
      testTimeoutMs,
    );

    it(
      'delivers a batch again when its handler throws, and loses nothing',
      async () => {
        const events = interleaved(3, 6);
        const poisoned = events[7]!;
        const deliveries: Delivery[] = [];
        const errors: unknown[] = [];
        let failuresLeft = 2;
        await consume(
          `group-${randomUUID()}`,
          deliveries,
          'c1',
          async (batch) => {
            if (failuresLeft > 0 && batch.some((event) => event.id === poisoned.id)) {
              failuresLeft -= 1;
              throw new Error('projection failed');
            }
          },
          (error) => errors.push(error),
        );
        await bus.publish(keyed(events));

        await waitUntil(allArrived(deliveries, events), 'every event has been accepted');
        expect(deliveries.filter((d) => !d.accepted)).toHaveLength(2);
        expect(errors).toHaveLength(2);
        expect(errors[0]).toMatchObject({ message: 'projection failed' });
        expect(orderViolations(deliveries)).toEqual([]);
      },
      testTimeoutMs,
    );

    it(
      'splits the work of one group between its consumers: each event is handled by one of them',
      async () => {
        const group = `group-${randomUUID()}`;
        const deliveries: Delivery[] = [];
        await consume(group, deliveries, 'c1');
        await consume(group, deliveries, 'c2');
        const events = interleaved(30, 2);
        await bus.publish(keyed(events));

        await waitUntil(allArrived(deliveries, events), 'every event has been handled');
        const handlers = new Map<string, Set<string>>();
        for (const { consumer, events: batch } of deliveries) {
          for (const event of batch) handlers.set(event.id, (handlers.get(event.id) ?? new Set()).add(consumer));
        }
        expect([...handlers.values()].filter((by) => by.size > 1)).toEqual([]);
        const busy = new Set(deliveries.map((d) => d.consumer));
        expect(busy.size).toBe(subject.partitions > 1 ? 2 : 1);
        expect(orderViolations(deliveries)).toEqual([]);
      },
      testTimeoutMs,
    );

    it(
      'counts the active members of a group: none before, each consumer while it takes part, none after they stop',
      async () => {
        const group = `group-${randomUUID()}`;
        expect(await bus.activeMembers(group)).toBe(0);
        const first = await consume(group, [], 'c1');
        const second = await consume(group, [], 'c2');
        await waitUntilAsync(async () => (await bus.activeMembers(group)) === 2, 'both consumers are members');
        await first.stop();
        await second.stop();
        await waitUntilAsync(async () => (await bus.activeMembers(group)) === 0, 'the group is empty');
      },
      testTimeoutMs,
    );

    it(
      'stops a consumer only after its running handler returns, and a later member of the group continues from there',
      async () => {
        const group = `group-${randomUUID()}`;
        const deliveries: Delivery[] = [];
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        let running = false;
        const blocking = await consume(group, deliveries, 'c1', async () => {
          running = true;
          await released;
        });
        const first = recordedEvent(`thing-${randomUUID()}`, 0);
        await bus.publish(keyed([first]));
        await waitUntil(() => running, 'the handler runs');

        let stopped = false;
        const stopping = blocking.stop().then(() => (stopped = true));
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(stopped).toBe(false);
        release();
        await stopping;
        expect(idsOf(deliveries)).toEqual(new Set([first.id]));

        const events = interleaved(6, 2);
        await bus.publish(keyed(events));
        const after: Delivery[] = [];
        await consume(group, after, 'c2');
        await waitUntil(allArrived(after, events), 'the new member has every later event');
        expect(orderViolations([...deliveries, ...after])).toEqual([]);
      },
      testTimeoutMs,
    );
  });
}
