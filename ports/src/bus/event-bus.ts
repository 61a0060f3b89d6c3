/**
 * The event bus port: how recorded events travel from the relay (which tails the event store's log)
 * to projectors and the gateway. Adapters pass `event-bus.contract.ts`.
 *
 * Delivery guarantees, the same in every adapter:
 * - **Acknowledged publish.** `publish` resolves only once the bus holds every record durably enough
 *   for its engine (Kafka: all in-sync replicas); the relay moves its checkpoint only after that.
 * - **At-least-once.** A group's position advances only after `onBatch` resolves. A batch whose
 *   handler rejects, or whose consumer stops or loses the partition before the position is stored,
 *   is delivered again — to the same consumer after a back-off, or to another member of the group.
 *   Handlers must therefore be idempotent (skip a stream revision they have already applied).
 * - **Per-key order.** Records are keyed by stream id; all records of one key go to one partition
 *   and arrive in publish order (for publishes awaited one after the other). A redelivery may repeat
 *   events, but an event never arrives before every earlier event of its key has arrived at least once.
 *   There is no order between keys.
 * - **Groups.** Every group receives every event; within a group each partition is consumed by one
 *   member at a time, so members split the work. A new group starts at the oldest retained event.
 */
import type { RecordedEvent } from '@resoft/domain';

/** One event to publish, keyed by its stream id. */
export interface BusRecord {
  readonly key: string;
  readonly event: RecordedEvent;
  /** The trace the record travels in (W3C `traceparent`, as a record header); default: the event's own. */
  readonly traceparent?: string | undefined;
}

export interface ConsumeOptions {
  /** Consumers sharing a group split the partitions; each group keeps its own position. */
  readonly group: string;
  /**
   * Called with events of one partition in order. Calls on one consumer never overlap; the position
   * is stored after the returned promise resolves. Rejecting makes the same events come again.
   */
  readonly onBatch: (events: RecordedEvent[], partition: number) => Promise<void>;
  /** Told each time `onBatch` rejects, before the redelivery (for logs and readiness). */
  readonly onError?: (error: unknown) => void;
  /** Told when the consumer works again after failures reported through `onError` (for readiness). */
  readonly onRecovered?: () => void;
}

export interface BusConsumer {
  /** Leaves the group and resolves once no `onBatch` of this consumer is running. Idempotent. */
  stop(): Promise<void>;
}

export interface EventBus {
  /**
   * Creates the topic with the configured partitions when it is missing; harmless when it exists.
   * Resolves with the topic's real partition count, which for an existing topic may differ from the configured one.
   */
  ensureTopic(): Promise<number>;
  /** Resolves once every record is acknowledged by the bus; rejects when any is not (publish again). */
  publish(records: readonly BusRecord[]): Promise<void>;
  /** Joins `group` and resolves once this consumer takes part in it; delivery then runs until `stop`. */
  consume(options: ConsumeOptions): Promise<BusConsumer>;
  /**
   * The partition a record keyed `key` lands on: the bus's own partitioning rule, over the topic's
   * real partition count once `ensureTopic` has resolved (before it, the configured count). The relay
   * records per partition what it published there, so it must agree with `publish`.
   */
  partitionOf(key: string): number;
  /** How many consumers take part in `group` right now, in every process (0 for an unknown group). */
  activeMembers(group: string): Promise<number>;
  /**
   * Per partition, the offset `group` committed (-1: none yet) and how many records it has not
   * committed yet (issue 16's consumer lag); absent where the bus keeps no offsets.
   */
  consumerLag?(group: string): Promise<readonly { readonly partition: number; readonly committed: number; readonly lag: number }[]>;
  /** Stops every consumer and releases connections; later calls reject. Calling it twice is harmless. */
  close(): Promise<void>;
}
