/**
 * Keeps one projection up to date: subscribes to the event log from its
 * stored checkpoint and applies each delivered batch atomically. When the
 * stored checkpoint is not where the runner left it (a rebuild was promoted,
 * or another process projected), it resubscribes from the stored value.
 */
import type { RecordedEvent } from '@resoft/domain';
import { type Logger } from '@resoft/infra';
import { CheckpointMovedError, type EventStore, type ReadStore, type Subscription } from '@resoft/ports';
import { applyBatch } from './apply-batch.js';
import type { CheckpointMoves } from './checkpoint-moves.js';
import type { Projection } from './projection.js';
import { PositionWatch } from './position-watch.js';

export class ProjectionRunner {
  private subscription: Subscription | null = null;
  private stopped = false;
  private failure: string | null = null;
  private readonly watch = new PositionWatch();

  /** Where this instance is; setting it wakes the waiters it satisfies. */
  private get position(): number {
    return this.watch.position;
  }

  private set position(value: number) {
    this.watch.set(value);
  }

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    readonly projection: Projection,
    private readonly log: Logger,
    /** Shared by the runners of one process: their checkpoint-only moves of a turn go in one write. */
    private readonly checkpointMoves?: CheckpointMoves,
  ) {
  }

  get checkpoint(): number {
    return this.position;
  }

  /** Why the projection is not keeping up (its last batch failed and is being retried), or null. */
  get problem(): string | null {
    return this.failure;
  }

  async start(): Promise<void> {
    for (const spec of this.projection.collections) await this.readStore.ensureCollection(spec);
    await this.subscribeFromStoredCheckpoint();
  }

  /** Resolves true once this has reached `position`, false after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.watch.waitFor(position, timeoutMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.stop();
    this.subscription = null;
  }

  private async subscribeFromStoredCheckpoint(): Promise<void> {
    this.position = await this.readStore.getCheckpoint(this.projection.name);
    this.subscription = this.events.subscribeToAll({
      after: this.position,
      onEvents: (batch) => this.handle(batch),
      onError: (error) => this.recover(error),
    });
  }

  private async handle(batch: RecordedEvent[]): Promise<void> {
    const stored = await this.readStore.getCheckpoint(this.projection.name);
    if (stored !== this.position) throw new CheckpointMovedError(this.projection.name, this.position, stored);
    this.position = await applyBatch(this.readStore, this.projection, stored, batch, this.checkpointMoves ? { checkpointMoves: this.checkpointMoves } : {});
    this.failure = null;
  }

  /** A moved checkpoint or a failed write: resubscribe from what is stored, after a pause for real failures. */
  private recover(error: unknown): void {
    if (this.stopped) return;
    const moved = error instanceof CheckpointMovedError;
    if (!moved) {
      this.failure = `failed at position ${this.position}: ${(error as Error)?.message ?? String(error)}`;
      this.log.error({ err: error, projection: this.projection.name }, 'projection failed; retrying');
    }
    setTimeout(() => {
      if (this.stopped) return;
      this.subscribeFromStoredCheckpoint().catch((e: unknown) => this.recover(e));
    }, moved ? 0 : 1000).unref();
  }
}
