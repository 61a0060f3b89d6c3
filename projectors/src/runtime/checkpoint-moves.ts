/**
 * Checkpoint moves of batches that write nothing else, written together. Most projections handle
 * few event types, so after a chat message or a document change most of the in-process runners
 * only move their checkpoint: one transaction each, a dozen per event. The moves asked for in one
 * turn of the event loop go to the read store as one `writeBatches` (one transaction on SQLite, one
 * bulk write on MongoDB), each still a compare-and-set of its own that succeeds or fails alone.
 */
import { CheckpointMovedError, type Checkpoint, type ReadStore } from '@resoft/ports';

interface PendingMove {
  readonly checkpoint: Checkpoint;
  readonly settle: (error?: unknown) => void;
}

export class CheckpointMoves {
  private pending: PendingMove[] = [];

  constructor(private readonly store: ReadStore) {}

  /**
   * Moves `checkpoint.name` from `expected` to `position` with the other moves of this turn. Rejects
   * as `write` would for a batch of its own: CheckpointMovedError when another writer moved it.
   */
  move(checkpoint: Checkpoint): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => void this.flush());
      this.pending.push({ checkpoint, settle: (error?: unknown) => (error === undefined ? resolve() : reject(error)) });
    });
  }

  private async flush(): Promise<void> {
    const moves = this.pending;
    this.pending = [];
    try {
      await this.store.writeBatches(moves.map(({ checkpoint }) => ({ ops: [], checkpoint })));
      for (const move of moves) move.settle();
    } catch (error) {
      // The batches settled one by one: each checkpoint now says whether its own move went through.
      await this.settleEach(moves, error);
    }
  }

  private async settleEach(moves: readonly PendingMove[], error: unknown): Promise<void> {
    let stored: Map<string, number>;
    try {
      stored = await this.store.readCheckpoints(moves.map(({ checkpoint }) => checkpoint.name));
    } catch {
      for (const move of moves) move.settle(error);
      return;
    }
    for (const { checkpoint, settle } of moves) {
      const at = stored.get(checkpoint.name) ?? 0;
      if (at === checkpoint.position) settle();
      else if (at !== checkpoint.expected) settle(new CheckpointMovedError(checkpoint.name, checkpoint.expected, at));
      else settle(error);
    }
  }
}
