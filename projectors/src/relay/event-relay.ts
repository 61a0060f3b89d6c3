/**
 * The relay fans the event store's global log out to the bus: it tails the log from its checkpoint
 * (`relay` in the read store), publishes each batch keyed by stream id, and moves the checkpoint only
 * once the bus acknowledged the batch — so a crash between the two publishes the batch again
 * (at-least-once; consumers skip what they already applied) and never loses one.
 *
 * With the checkpoint, in the same atomic write, it records per bus partition the global position of
 * the last event it published there (`relay_partitions`, one document `p<n>` per partition). Within
 * one partition the relay's order is the log's order, so that is what `bus-progress.ts` needs to tell
 * when every event up to a position has been projected.
 *
 * Failures: a failed publish or read-store write is retried after a pause, from the stored checkpoint,
 * once the topic exists again (it is created anew when lost). A checkpoint found lower than this relay
 * wrote is its own write undone (see `relay`), not a rival: it goes on from there.
 * A checkpoint that moved ahead of the relay means another relay instance is active: this one stands
 * down (reports through `onLost` and `problem`) rather than race it, and stands by. A standby that
 * sees the checkpoint stay put for `takeoverAfterMs` while the log has events beyond it concludes the
 * active relay is gone and takes over from the stored checkpoint; if that relay was only slow, the
 * next checkpoint write tells one of the two to stand down again. The checkpoint's compare-and-set
 * is what keeps them from both moving it; a batch published twice in the hand-over is within the
 * at-least-once contract (consumers skip what they already applied).
 */
import type { RecordedEvent } from '@resoft/domain';
import { openSpanPerTrace, type Logger } from '@resoft/infra';
import { CheckpointMovedError, type CollectionSpec, type EventBus, type EventStore, type ReadStore, type Subscription, type WriteOp } from '@resoft/ports';
import { PositionWatch } from '../runtime/position-watch.js';

export const RELAY_CHECKPOINT = 'relay';

/** Where the relay records the last global position it published to each partition. */
export const relayPartitionsCollection: CollectionSpec = { name: 'relay_partitions', indexes: [] };

export interface RelayPartitionView {
  readonly id: string;
  readonly partition: number;
  /** Global position of the last event the relay published to this partition. */
  readonly position: number;
  readonly [field: string]: unknown;
}

export const relayPartitionDocId = (partition: number): string => `p${partition}`;

export interface EventRelayOptions {
  /** Most events read and published at once. Default 500. */
  readonly batchSize?: number;
  /** Pause before retrying after a failed publish or write. Default 1 s. */
  readonly retryDelayMs?: number;
  /** Told when the relay stood down because another instance moved the checkpoint. */
  readonly onLost?: (error: CheckpointMovedError) => void;
  /** A standby takes over when the checkpoint has not moved for this long while events wait. Default 10 s. */
  readonly takeoverAfterMs?: number;
  /** How often a standby looks at the checkpoint and the log's head. Default 1 s. */
  readonly standbyCheckMs?: number;
  /** Told when a standby takes over. */
  readonly onTakeover?: (position: number) => void;
}

export class EventRelay {
  private subscription: Subscription | null = null;
  private stopped = false;
  private failure: string | null = null;
  private readonly watch = new PositionWatch();
  private standbyTimer: NodeJS.Timeout | null = null;

  /** Where this instance is; setting it wakes the waiters it satisfies. */
  private get position(): number {
    return this.watch.position;
  }

  private set position(value: number) {
    this.watch.set(value);
  }

  constructor(
    private readonly events: EventStore,
    private readonly bus: EventBus,
    private readonly readStore: ReadStore,
    private readonly log: Logger,
    private readonly options: EventRelayOptions,
  ) {
  }

  /** Global position of the last event published and checkpointed by this instance. */
  get checkpoint(): number {
    return this.position;
  }

  /** Why the relay is not keeping up (a failure being retried, or it stood down), or null. */
  get problem(): string | null {
    return this.failure;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.readStore.ensureCollection(relayPartitionsCollection);
    await this.bus.ensureTopic();
    await this.subscribeFromStoredCheckpoint();
  }

  /** Resolves true once this has reached `position`, false after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.watch.waitFor(position, timeoutMs);
  }

  /** True while another relay is active and this one only watches. */
  get standingBy(): boolean {
    return this.standbyTimer !== null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.standbyTimer) clearInterval(this.standbyTimer);
    this.standbyTimer = null;
    await this.subscription?.stop();
    this.subscription = null;
  }

  private async subscribeFromStoredCheckpoint(): Promise<void> {
    this.position = await this.readStore.getCheckpoint(RELAY_CHECKPOINT);
    this.subscription = this.events.subscribeToAll({
      after: this.position,
      ...(this.options.batchSize ? { batchSize: this.options.batchSize } : {}),
      onEvents: (batch) => this.relay(batch),
      onError: (error) => this.recover(error),
    });
  }

  private async relay(batch: RecordedEvent[]): Promise<void> {
    const last = batch[batch.length - 1];
    if (!last) return;
    // Checked before publishing, so a relay that lost does not publish a batch the other one already did.
    const stored = await this.readStore.getCheckpoint(RELAY_CHECKPOINT);
    if (stored > this.position) throw new CheckpointMovedError(RELAY_CHECKPOINT, this.position, stored);
    if (stored < this.position) {
      // Nobody moves a checkpoint backwards on purpose: another relay only ever moves it forward. Lower
      // than this relay wrote means its own write was undone (an engine whose conditional updates are
      // not atomic, FerretDB v1, can lose an update to a concurrent one). Going on from the stored value
      // republishes the events in between, which consumers skip; standing down would be against itself.
      this.log.warn({ stored, wrote: this.position }, 'the relay checkpoint reads lower than this relay wrote: going on from the stored value');
      this.position = stored;
    }
    const spans = openSpanPerTrace('relay publish', batch.map((event) => event.metadata.traceparent), { role: 'producer', attributes: () => ({ 'messaging.batch.message_count': batch.length }) });
    try {
      await this.bus.publish(batch.map((event) => ({ key: event.streamId, event, traceparent: spans.traceparentFor(event.metadata.traceparent) })));
      spans.end();
    } catch (error) {
      spans.end(error);
      throw error;
    }
    await this.readStore.write({
      ops: this.partitionRecords(batch),
      checkpoint: { name: RELAY_CHECKPOINT, expected: this.position, position: last.position },
    });
    this.position = last.position;
    this.failure = null;
  }

  /** The last position of the batch in each partition it touched; positions only grow, so a put replaces. */
  private partitionRecords(batch: readonly RecordedEvent[]): WriteOp[] {
    const lastByPartition = new Map<number, number>();
    for (const event of batch) lastByPartition.set(this.bus.partitionOf(event.streamId), event.position);
    return [...lastByPartition].map(([partition, position]): WriteOp => ({
      kind: 'put',
      collection: relayPartitionsCollection.name,
      doc: { id: relayPartitionDocId(partition), partition, position } satisfies RelayPartitionView,
    }));
  }

  private recover(error: unknown): void {
    if (this.stopped) return;
    if (error instanceof CheckpointMovedError && error.actual > error.expected) {
      this.stopped = true;
      this.subscription = null;
      this.failure = `standing by: another relay moved the checkpoint to ${error.actual} (this one was at ${error.expected})`;
      this.log.warn({ err: error }, 'relay checkpoint moved: another relay is active; this one stands by');
      this.options.onLost?.(error);
      this.standBy(error.actual);
      return;
    }
    this.failure = `failed after position ${this.position}: ${(error as Error)?.message ?? String(error)}`;
    this.log.error({ err: error, position: this.position }, 'relay failed; retrying from the stored checkpoint');
    const subscription = this.subscription;
    this.subscription = null;
    setTimeout(() => {
      if (this.stopped) return;
      void (async () => {
        await subscription?.stop();
        // The topic may be gone (deleted, or a broker restarted on empty storage): create it again
        // before publishing, or every retry fails with "does not host this topic-partition".
        await this.bus.ensureTopic();
        await this.subscribeFromStoredCheckpoint();
      })().catch((e: unknown) => this.recover(e));
    }, this.options.retryDelayMs ?? 1000).unref();
  }

  /** Watches the checkpoint; takes over when it stays put while events wait. */
  private standBy(seen: number): void {
    let lastSeen = seen;
    let movedAt = Date.now();
    const takeoverAfter = this.options.takeoverAfterMs ?? 10_000;
    this.standbyTimer = setInterval(() => {
      void (async () => {
        // Only read, never repaired: completing the active relay's batch in flight could undo its next write.
        const stored = (await this.readStore.readCheckpoints([RELAY_CHECKPOINT])).get(RELAY_CHECKPOINT) ?? 0;
        if (stored !== lastSeen) {
          lastSeen = stored;
          movedAt = Date.now();
          return;
        }
        if (Date.now() - movedAt < takeoverAfter || (await this.events.headPosition()) <= stored || !this.standbyTimer) return;
        clearInterval(this.standbyTimer);
        this.standbyTimer = null;
        this.stopped = false;
        this.failure = null;
        this.log.warn({ position: stored }, 'the active relay made no progress while events waited: this one takes over');
        this.options.onTakeover?.(stored);
        await this.subscribeFromStoredCheckpoint();
      })().catch((error: unknown) => this.log.warn({ err: error }, 'relay standby check failed; trying again'));
    }, this.options.standbyCheckMs ?? 1000);
    this.standbyTimer.unref();
  }
}
