/**
 * Read-your-writes for a whole process: one loop reads the projections' progress (one cheap snapshot
 * per tick, whatever the number of waiting requests) and wakes every waiter the snapshot satisfies.
 * A waiter's bound is its own timer, so it answers by its deadline even when a snapshot read is slow
 * or the read store does not answer (issue 15: 62 read-store calls every 5 ms per waiting request made
 * six clients wait up to 5.9 s against a 2 s bound).
 */

export interface SharedProgressWatcherOptions<S> {
  /** Reads the progress of every projection at once; it is only ever read, never repaired. */
  readonly read: () => Promise<S>;
  /** Whether a snapshot shows every event up to `position` applied. Must stay true for later snapshots (progress only grows). */
  readonly reached: (snapshot: S, position: number) => boolean;
  /** Pause between two reads while someone waits. Default 5 ms. */
  readonly pollMs?: number;
  /** Told when a read fails (the first of a run of failures, then at most every 5 s); the loop keeps going while waiters remain, backing off up to 500 ms. */
  readonly onError?: (error: unknown) => void;
}

interface Waiter {
  readonly position: number;
  readonly resolve: (reached: boolean) => void;
  readonly timer: NodeJS.Timeout;
}

export class SharedProgressWatcher<S> {
  private readonly waiters = new Set<Waiter>();
  private latest: S | null = null;
  private running = false;
  /** Reads done since the watcher was made (diagnostics and tests). */
  reads = 0;

  constructor(private readonly options: SharedProgressWatcherOptions<S>) {}

  /** How many requests wait right now. */
  get waiting(): number {
    return this.waiters.size;
  }

  /** Resolves true once every event up to `position` is applied, false when `timeoutMs` has passed (a hard bound). */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    // A snapshot that showed the position reached still does: progress only grows.
    if (position <= 0 || (this.latest !== null && this.options.reached(this.latest, position))) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        position,
        resolve,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          resolve(false);
        }, timeoutMs),
      };
      this.waiters.add(waiter);
      this.run();
    });
  }

  /** The one loop: runs while anyone waits, stops by itself when nobody does. */
  private run(): void {
    if (this.running) return;
    this.running = true;
    void (async () => {
      let failures = 0;
      let reportedAt = 0;
      try {
        while (this.waiters.size > 0) {
          try {
            this.reads++;
            const snapshot = await this.options.read();
            this.latest = snapshot;
            for (const waiter of this.waiters) {
              if (!this.options.reached(snapshot, waiter.position)) continue;
              clearTimeout(waiter.timer);
              this.waiters.delete(waiter);
              waiter.resolve(true);
            }
            failures = 0;
          } catch (error) {
            failures++;
            // A read store that refuses at once would otherwise be asked, and logged, every few ms.
            if (failures === 1 || Date.now() - reportedAt >= 5_000) {
              reportedAt = Date.now();
              this.options.onError?.(error);
            }
          }
          const pause = failures === 0 ? (this.options.pollMs ?? 5) : Math.min(500, (this.options.pollMs ?? 5) * 2 ** failures);
          if (this.waiters.size > 0) await new Promise((resolve) => setTimeout(resolve, pause));
        }
      } finally {
        this.running = false;
      }
    })();
  }
}
