/**
 * Keeps projections current from the bus: one member of a consumer group that applies every given
 * projection (all by default) to each batch it is handed.
 *
 * Batches of different partitions interleave out of global order, so a projection cannot keep one
 * global checkpoint here. It keeps one per partition, `<projection>@p<partition>`, holding the
 * global position of the last event of that partition it applied. Within a partition the relay
 * published in log order, so those positions only grow and `applyBatch` works unchanged: a
 * redelivered event is at or below the checkpoint (or a position seen earlier in its batch: a standby
 * relay publishes again from an older checkpoint) and skipped, and the compare-and-set refuses a
 * batch another member applied first (after a rebalance), which the bus then delivers again.
 *
 * This is sound because every projection reads and writes only documents of the event's own stream
 * (a stream stays on one partition), or documents that carry this partition as their writer
 * (ProjectionUnitOfWork.writer: the analytics day documents gather a project's streams, one per partition).
 * `resoft rebuild` (with KAFKA_BROKERS set, the projectors stopped) writes the global `<projection>`
 * checkpoint and sets every `<projection>@p<n>` to the rebuilt position, so consumers started after
 * it skip what the rebuild holds.
 *
 * Projections of one batch read concurrently (each reads only its own collections), then their writes go
 * to the read store together (`writeBatches`: on MongoDB one bulk compare-and-set, the ops, one clear,
 * instead of three writes per projection; issue 15). Batches of different partitions run concurrently
 * (the Kafka adapter hands them over together): they share no document and no checkpoint.
 */
import type { RecordedEvent } from '@resoft/domain';
import type { Logger } from '@resoft/infra';
import type { BusConsumer, EventBus, ReadStore } from '@resoft/ports';
import { allProjections } from '../projections/all-projections.js';
import { projectBatch } from './apply-batch.js';
import type { Projection, ProjectionUnitOfWork } from './projection.js';

/** The same default as RESOFT_KAFKA_GROUP. */
export const DEFAULT_PROJECTOR_GROUP = 'resoft-projectors';

/** The checkpoint of one projection on one partition of the bus. */
export const partitionCheckpointName = (projection: string, partition: number): string => `${projection}@p${partition}`;

export interface BusProjectionConsumerOptions {
  /** The consumer group; members of one group split the partitions. Default `resoft-projectors`. */
  readonly group?: string;
  /** Default: every projection of the platform. */
  readonly projections?: readonly Projection[];
}

export class BusProjectionConsumer {
  readonly projections: readonly Projection[];
  private consumer: BusConsumer | null = null;
  private failure: string | null = null;
  /** The projections under their per-partition checkpoint names, made once per partition. */
  private readonly byPartition = new Map<number, readonly Projection[]>();
  /**
   * The checkpoint each per-partition projection was last written at by this member, so a batch costs
   * no read of it (one round trip per projection and batch on a remote read store). A stale entry (the
   * partition was another member's meanwhile) makes the write's compare-and-set refuse: the entry is
   * dropped and the redelivered batch reads the stored one.
   */
  private readonly written = new Map<string, number>();

  constructor(
    private readonly bus: EventBus,
    private readonly readStore: ReadStore,
    private readonly log: Logger,
    private readonly options: BusProjectionConsumerOptions = {},
  ) {
    this.projections = options.projections ?? allProjections;
  }

  /** Why the projections are not keeping up (the last batch failed and will come again), or null. */
  get problem(): string | null {
    return this.failure;
  }

  async start(): Promise<void> {
    for (const projection of this.projections) {
      for (const spec of projection.collections) await this.readStore.ensureCollection(spec);
    }
    this.consumer = await this.bus.consume({
      group: this.options.group ?? DEFAULT_PROJECTOR_GROUP,
      onBatch: (events, partition) => this.apply(events, partition),
      onError: (error) => this.report(error),
      onRecovered: () => {
        this.failure = null;
      },
    });
  }

  /** Leaves the group once the running batch is done; its uncommitted batches go to another member. */
  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    await consumer?.stop();
  }

  /**
   * Each projection is written atomically with its own checkpoint, all of them in one `writeBatches`
   * (a fixed number of read-store round trips per batch instead of a few per projection, issue 15): a
   * failure of some leaves the others ahead, and the redelivery skips what they already applied. The
   * call settles every projection's write before failing, so none is still running when the bus hands
   * the batch out again.
   */
  private async apply(events: RecordedEvent[], partition: number): Promise<void> {
    const projections = this.onPartition(partition);
    try {
      // Settled, not raced: no projection of this batch is still reading when the bus hands it out again.
      const settled = await Promise.allSettled(
        projections.map(async (projection) => {
          const checkpoint = this.written.get(projection.name) ?? (await this.readStore.getCheckpoint(projection.name));
          // Documents that gather several streams' events are this partition's own (ProjectionUnitOfWork.writer).
          return projectBatch(this.readStore, projection, checkpoint, events, { writer: `p${partition}` });
        }),
      );
      const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failed) throw failed.reason;
      const batches = settled.flatMap((result) => (result.status === 'fulfilled' && result.value ? [result.value] : []));
      if (batches.length > 0) await this.readStore.writeBatches(batches.map(({ write }) => write));
      for (const { write } of batches) this.written.set(write.checkpoint.name, write.checkpoint.position);
      // An erased user's names were just overwritten: the store's files must not keep them (WAL, free pages).
      if (batches.some(({ erases }) => erases)) await this.readStore.purgeOverwritten?.();
    } catch (error) {
      // Which projections got through is not known here: each reads its stored checkpoint on the redelivery.
      for (const projection of projections) this.written.delete(projection.name);
      throw error;
    }
    this.failure = null;
  }

  private onPartition(partition: number): readonly Projection[] {
    let projections = this.byPartition.get(partition);
    if (!projections) {
      projections = this.projections.map((projection): Projection => ({
        name: partitionCheckpointName(projection.name, partition),
        collections: projection.collections,
        handles: projection.handles,
        apply: (event, unit) => projection.apply(event, unit),
        // Without it a projection that defers work to the batch's end (files: text and snapshot; analytics: day documents) would never finish it here.
        ...(projection.finishBatch ? { finishBatch: (unit: ProjectionUnitOfWork) => projection.finishBatch!(unit) } : {}),
      }));
      this.byPartition.set(partition, projections);
    }
    return projections;
  }

  private report(error: unknown): void {
    this.failure = (error as Error)?.message ?? String(error);
    this.log.warn({ err: error }, 'projecting a bus batch failed; it will be delivered again');
  }
}
