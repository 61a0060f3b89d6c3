/**
 * How far the pipeline trails the event log, read at each scrape from the stores every process
 * shares: per projection the events not yet projected and how long the oldest of them has waited,
 * the same for the relay, and (with a bus) the consumer group's lag per partition. With a bus a
 * projection counts as having reached position P by the read-your-writes rule of bus-progress.ts,
 * so the lag is what a `?after=` read would wait for.
 */
import type { GaugeSample, Metrics } from '@resoft/infra';
import type { EventBus, EventStore, ReadStore } from '@resoft/ports';
import { allProjections, partitionCheckpointName, RELAY_CHECKPOINT, relayPartitionsCollection, type RelayPartitionView } from '@resoft/projectors';

/** Events not yet applied above `reached`, and seconds the first of them has waited (0 when none). */
async function lagAfter(events: EventStore, head: number, reached: number, now: number): Promise<{ events: number; seconds: number }> {
  if (reached >= head) return { events: 0, seconds: 0 };
  const [next] = await events.readAll({ after: reached, maxCount: 1 });
  const seconds = next ? Math.max(0, (now - Date.parse(next.metadata.occurredAt)) / 1000) : 0;
  return { events: head - reached, seconds };
}

/** Per projection, the highest position it has applied everything up to. */
async function projectedUpTo(readModels: ReadStore, withBus: boolean): Promise<Map<string, number>> {
  const names = allProjections.map((p) => p.name);
  if (!withBus) {
    const checkpoints = await readModels.readCheckpoints(names);
    return new Map(names.map((name) => [name, checkpoints.get(name) ?? 0]));
  }
  const relay = (await readModels.readCheckpoints([RELAY_CHECKPOINT])).get(RELAY_CHECKPOINT) ?? 0;
  const published = await readModels.find<RelayPartitionView>(relayPartitionsCollection.name);
  const checkpoints = await readModels.readCheckpoints(published.flatMap(({ partition }) => names.map((name) => partitionCheckpointName(name, partition))));
  // A partition the projection has fully applied does not hold it back; one it trails holds it at its checkpoint.
  return new Map(names.map((name) => [name, Math.min(relay, ...published.map(({ partition, position }) => {
    const at = checkpoints.get(partitionCheckpointName(name, partition)) ?? 0;
    return at >= position ? Number.POSITIVE_INFINITY : at;
  }))]));
}

export function observeProjectionLag(metrics: Metrics, events: EventStore, readModels: ReadStore, withBus: boolean): void {
  let last: Promise<{ events: GaugeSample[]; seconds: GaugeSample[] }> | null = null;
  let lastAt = 0;
  // Both gauges come from one read of the stores per scrape.
  const read = () => {
    if (last && Date.now() - lastAt < 1000) return last;
    lastAt = Date.now();
    last = (async () => {
      const [head, reached] = await Promise.all([events.headPosition(), projectedUpTo(readModels, withBus)]);
      const now = Date.now();
      const lags = await Promise.all([...reached].map(async ([projection, at]) => ({ projection, ...(await lagAfter(events, head, at, now)) })));
      return {
        events: lags.map((l) => ({ labels: { projection: l.projection }, value: l.events })),
        seconds: lags.map((l) => ({ labels: { projection: l.projection }, value: l.seconds })),
      };
    })();
    return last;
  };
  metrics.observe({ name: 'resoft_projection_lag_events', help: 'Events in the log that a projection has not applied yet.', labelNames: ['projection'] }, async () => (await read()).events);
  metrics.observe({ name: 'resoft_projection_lag_seconds', help: 'How long the oldest event a projection has not applied has been in the log (0 when caught up).', labelNames: ['projection'] }, async () => (await read()).seconds);
}

/**
 * The relay's lag, from the stores: reported by the projectors process (whose work it holds up), so
 * it stays visible while no relay runs at all.
 */
export function observeRelayLag(metrics: Metrics, events: EventStore, readModels: ReadStore): void {
  const read = async () => {
    const [head, checkpoints] = await Promise.all([events.headPosition(), readModels.readCheckpoints([RELAY_CHECKPOINT])]);
    return lagAfter(events, head, checkpoints.get(RELAY_CHECKPOINT) ?? 0, Date.now());
  };
  metrics.observe({ name: 'resoft_relay_lag_events', help: 'Events in the log the relay has not published to the bus yet.' }, async () => [{ value: (await read()).events }]);
  metrics.observe({ name: 'resoft_relay_lag_seconds', help: 'How long the oldest event not yet on the bus has been in the log (0 when caught up).' }, async () => [{ value: (await read()).seconds }]);
}

/** Reported by each relay process: whether it stands by for another. */
export function observeRelayStandby(metrics: Metrics, standingBy: () => boolean): void {
  metrics.observe({ name: 'resoft_relay_standing_by', help: '1 while this relay stands by because another relay moved the checkpoint, else 0.' }, () => [{ value: standingBy() ? 1 : 0 }]);
}

export function observeConsumerLag(metrics: Metrics, bus: EventBus, group: string): void {
  if (!bus.consumerLag) return;
  const consumerLag = bus.consumerLag.bind(bus);
  let last: ReturnType<typeof consumerLag> | null = null;
  let lastAt = 0;
  // Both gauges come from one round trip to the brokers per scrape.
  const read = () => {
    if (!last || Date.now() - lastAt >= 1000) {
      lastAt = Date.now();
      last = consumerLag(group);
    }
    return last;
  };
  const labelNames = ['consumer_group', 'partition'];
  metrics.observe(
    { name: 'resoft_kafka_consumer_lag_messages', help: 'Records on a partition of the event topic that the consumer group has not committed yet.', labelNames },
    async () => (await read()).map(({ partition, lag }) => ({ labels: { consumer_group: group, partition }, value: lag })),
  );
  // With the lag, tells a stuck consumer (offset still, records waiting) from a busy one (offset moving).
  metrics.observe(
    { name: 'resoft_kafka_consumer_committed_offset', help: 'Offset the consumer group last committed on a partition of the event topic (-1: none yet).', labelNames },
    async () => (await read()).map(({ partition, committed }) => ({ labels: { consumer_group: group, partition }, value: committed })),
  );
}
