/**
 * The catch-up loop behind `EventStore.subscribeToAll`, independent of any
 * database: read the global log in batches from a position, hand each batch to
 * the handler, and when caught up sleep until woken. Adapters supply the read
 * and the wake; `WakeSignal` is a ready-made wake for in-process notification
 * plus a fallback timer.
 */
import type { RecordedEvent } from '@resoft/domain';
import type { SubscribeOptions, Subscription } from './event-store.js';
import type { RecentAppends } from './recent-appends.js';

export const DEFAULT_SUBSCRIPTION_BATCH_SIZE = 500;

/** Reads events with a position strictly greater than `after`, in log order. */
export type ReadAfter = (after: number, maxCount: number) => Promise<RecordedEvent[]>;

/**
 * Tells a caught-up subscription when to read again. `generation` changes
 * whenever new events may have been appended; `wait(since, signal)` resolves
 * at once if it already moved past `since`, otherwise when it does, when a
 * fallback timer fires, or when `signal` aborts (it then resolves, never rejects).
 */
export interface WakeSource {
  readonly generation: number;
  wait(since: number, signal: AbortSignal): Promise<void>;
}

/**
 * `stop()` waits for the running handler, so a handler must not await its own
 * subscription's `stop()` (nor the store's `close()`): that would wait on itself.
 */
export interface CatchUpSubscription extends Subscription {
  /** Settles when the loop has ended, whether stopped or failed. */
  readonly finished: Promise<void>;
  /**
   * Hands `events` (consecutive, in log order) to the handler at once, in the caller's turn, when the
   * subscription is exactly caught up: parked waiting for a wake, its last handler's promise settled,
   * and `events[0]` the position right after its own. Returns false, calling nothing, otherwise (the
   * loop then reads them as it would have). Never throws: a handler that throws or rejects stops the
   * subscription through `onError`, as a failure in the loop does.
   */
  offer(events: readonly RecordedEvent[]): boolean;
}

export function startCatchUpSubscription(
  options: SubscribeOptions & { readonly readAfter: ReadAfter; readonly wake: WakeSource },
): CatchUpSubscription {
  const { readAfter, wake, onEvents } = options;
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_SUBSCRIPTION_BATCH_SIZE);
  const stopping = new AbortController();
  let position = options.after;
  /** True while the loop waits for a wake after an empty read: the only time `offer` may hand events over. */
  let parked = false;
  /** The promise of a handler called by `offer`, until it settles (it never rejects: see `failed`). */
  let inline: Promise<void> | null = null;
  /** What an inline handler threw; the loop ends with it. */
  let failed: { readonly error: unknown } | null = null;

  const loop = async (): Promise<void> => {
    while (!stopping.signal.aborted) {
      parked = false;
      // A handler `offer` called runs to completion before the loop hands out the next batch.
      if (inline) await inline;
      if (stopping.signal.aborted) break;
      // The generation is taken before the read, so an append that commits
      // after the read's snapshot but before we go to sleep still wakes us.
      const seen = wake.generation;
      const events = await readAfter(position, batchSize);
      if (stopping.signal.aborted) break;
      if (events.length === 0) {
        parked = true;
        await wake.wait(seen, stopping.signal);
        continue;
      }
      await onEvents(events);
      position = events[events.length - 1]!.position;
    }
    parked = false;
    if (inline) await inline;
    if (failed) throw failed.error;
  };

  const fail = (error: unknown): void => {
    failed ??= { error };
    // Wakes the parked loop, which then ends with the error.
    stopping.abort();
  };

  const offer = (events: readonly RecordedEvent[]): boolean => {
    if (!parked || inline || stopping.signal.aborted || events.length === 0 || events[0]!.position !== position + 1) return false;
    position = events[events.length - 1]!.position;
    let handled: Promise<void>;
    try {
      handled = onEvents(events as RecordedEvent[]);
    } catch (error) {
      fail(error);
      return true;
    }
    const settled = handled.then(
      () => {
        if (inline === settled) inline = null;
      },
      (error: unknown) => {
        if (inline === settled) inline = null;
        fail(error);
      },
    );
    inline = settled;
    return true;
  };

  const finished = loop().then(
    () => undefined,
    (error: unknown) => {
      stopping.abort();
      reportError(options.onError, error);
    },
  );

  return {
    finished,
    offer,
    async stop() {
      stopping.abort();
      await finished;
    },
  };
}

function reportError(onError: ((error: unknown) => void) | undefined, error: unknown): void {
  if (!onError) {
    // A subscription that dies silently leaves a projection stale forever; make it visible.
    process.emitWarning(error instanceof Error ? error : String(error), 'SubscriptionStopped');
    return;
  }
  try {
    onError(error);
  } catch {
    // The subscription is already stopped; a failing error handler has nothing left to break.
  }
}

/**
 * Wakes every waiting subscription after appends in this process, once per
 * turn of the event loop (so a burst of appends is read as one batch), and,
 * failing that, after `fallbackMs`: the only way to notice appends made by
 * another process on the same database. Either way the generation moves on.
 */
export class WakeSignal implements WakeSource {
  private current = 0;
  private scheduled = false;
  private readonly waiters = new Set<() => void>();
  /**
   * One fallback timer for every waiter, not one each: the subscriptions it wakes read at one
   * generation, so those at the same position share one read (sharedReads) instead of each polling.
   */
  private fallback: NodeJS.Timeout | null = null;

  constructor(private readonly fallbackMs: number) {}

  get generation(): number {
    return this.current;
  }

  notify(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.wakeAll();
    });
  }

  wait(since: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (signal.aborted || this.current !== since) return resolve();
      const finish = (): void => {
        signal.removeEventListener('abort', finish);
        this.waiters.delete(finish);
        if (this.waiters.size === 0) this.stopFallback();
        resolve();
      };
      signal.addEventListener('abort', finish, { once: true });
      this.waiters.add(finish);
      // A fallback wake is a new generation too: another process may have appended, and a read
      // kept for the old generation (sharedReads) must not answer for it.
      this.fallback ??= setTimeout(() => {
        this.fallback = null;
        this.wakeAll();
      }, this.fallbackMs);
    });
  }

  private wakeAll(): void {
    this.current += 1;
    this.stopFallback();
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  private stopFallback(): void {
    if (this.fallback) clearTimeout(this.fallback);
    this.fallback = null;
  }
}

/** How many recent batches `sharedReads` keeps: one per position the subscriptions are at, in practice one or two. */
const SHARED_READS_KEPT = 8;

/**
 * Subscriptions woken by the same append all ask for the events after the same position: the first
 * read is kept and handed to the others, so N caught-up projections (and the gateway's hub) read and
 * parse each new event once, not N times. Safe because the log only grows: a non-empty batch read
 * after a position stays a correct answer (later events come with the next read). Failed reads are
 * not kept.
 *
 * An empty read is kept only with `generation` (the wake the subscriptions park on), and only for
 * that generation: having handled a batch, every subscription reads once more and finds nothing, and
 * those N empty reads become one. Safe for subscriptions that take the generation before they read
 * (the loop does): an append that commits after the kept read's snapshot moves the generation on
 * later (WakeSignal.notify; the fallback timer for other processes), which wakes them all, as it
 * would have woken each after its own empty read. Without `generation`, empty reads are not kept.
 */
export function sharedReads(readAfter: ReadAfter, kept = SHARED_READS_KEPT, generation?: () => number): ReadAfter {
  const recent = new Map<string, Promise<RecordedEvent[]>>();
  return (after, maxCount) => {
    const key = generation ? `${after}:${maxCount}:${generation()}` : `${after}:${maxCount}`;
    const known = recent.get(key);
    if (known) return known.then((events) => events.slice());
    const read = readAfter(after, maxCount);
    recent.set(key, read);
    if (recent.size > kept) recent.delete(recent.keys().next().value!);
    read.then(
      (events) => {
        if (events.length === 0 && !generation && recent.get(key) === read) recent.delete(key);
      },
      () => {
        if (recent.get(key) === read) recent.delete(key);
      },
    );
    return read.then((events) => events.slice());
  };
}

/**
 * The subscriptions an event store has handed out, so `close()` can stop them
 * all: every adapter starts them the same way, from its own `readAll` and wake,
 * sharing reads between subscriptions at the same position.
 */
export class CatchUpSubscriptions {
  private readonly running = new Set<CatchUpSubscription>();
  /** For subscriptions parked on `wake`: empty reads shared within one of its generations too. */
  private readonly readAfter: ReadAfter;
  /** For those parked on another wake (RecentAppends'): only non-empty reads shared. */
  private readonly readAfterAnyWake: ReadAfter;

  constructor(
    readAfter: ReadAfter,
    private readonly wake: WakeSource,
    /** For subscribers with `readOnlyEvents`: the events this process's appends sealed, where they are still held. */
    private readonly recent?: RecentAppends,
  ) {
    this.readAfter = sharedReads(readAfter, SHARED_READS_KEPT, () => wake.generation);
    this.readAfterAnyWake = sharedReads(readAfter);
  }

  start(options: SubscribeOptions): Subscription {
    const { recent, readAfter, readAfterAnyWake } = this;
    const reader = options.readOnlyEvents && recent ? recent.open(options.after) : null;
    const read: ReadAfter = reader && recent ? (after, maxCount) => Promise.resolve(recent.take(reader, after, maxCount) ?? readAfterAnyWake(after, maxCount)) : readAfter;
    const subscription = startCatchUpSubscription({ ...options, readAfter: read, wake: reader && recent ? recent.wake(this.wake) : this.wake });
    // Each append of this process is offered to it in the append's turn; what it cannot take then is held as before.
    if (reader && recent && options.takeAppendsInline) recent.handInline(reader, subscription.offer);
    this.running.add(subscription);
    void subscription.finished.then(() => {
      this.running.delete(subscription);
      if (reader) recent?.close(reader);
    });
    return subscription;
  }

  /** Stops every running subscription, waiting for in-flight handlers. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.running].map((subscription) => subscription.stop()));
  }
}
