/**
 * The catch-up loop behind `EventStore.subscribeToAll`, independent of any
 * database: read the global log in batches from a position, hand each batch to
 * the handler, and when caught up sleep until woken. Adapters supply the read
 * and the wake; `WakeSignal` is a ready-made wake for in-process notification
 * plus a fallback timer.
 */
import type { RecordedEvent } from '@resoft/domain';
import type { SubscribeOptions, Subscription } from './event-store.js';

export const DEFAULT_SUBSCRIPTION_BATCH_SIZE = 500;

/** Reads events with a position strictly greater than `after`, in log order. */
export type ReadAfter = (after: number, maxCount: number) => Promise<RecordedEvent[]>;

/**
 * Resolves once new events may have been appended since the call, or when
 * `signal` aborts (then it must resolve, not reject, and release its timers).
 */
export type WaitForWake = (signal: AbortSignal) => Promise<void>;

/**
 * `stop()` waits for the running handler, so a handler must not await its own
 * subscription's `stop()` (nor the store's `close()`): that would wait on itself.
 */
export interface CatchUpSubscription extends Subscription {
  /** Settles when the loop has ended, whether stopped or failed. */
  readonly finished: Promise<void>;
}

export function startCatchUpSubscription(
  options: SubscribeOptions & { readonly readAfter: ReadAfter; readonly waitForWake: WaitForWake },
): CatchUpSubscription {
  const { readAfter, waitForWake, onEvents } = options;
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_SUBSCRIPTION_BATCH_SIZE);
  let position = options.after;
  let stopped = false;
  let armed: AbortController | null = null;

  const loop = async (): Promise<void> => {
    while (!stopped) {
      // The wait is armed before the read, so an append that commits after the
      // read's snapshot but before we go to sleep still wakes us.
      const wake = new AbortController();
      armed = wake;
      const woken = waitForWake(wake.signal);
      const events = await readAfter(position, batchSize);
      if (stopped) break;
      if (events.length === 0) {
        await woken;
        continue;
      }
      wake.abort();
      await onEvents(events);
      position = events[events.length - 1]!.position;
    }
  };

  const finished = loop().then(
    () => undefined,
    (error: unknown) => {
      stopped = true;
      reportError(options.onError, error);
    },
  );
  // The loop may end by itself (handler error) with a wait still armed; stop()
  // aborts it either way so no timer outlives the subscription.
  void finished.then(() => armed?.abort());

  return {
    finished,
    async stop() {
      stopped = true;
      armed?.abort();
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
 * Wakes every waiting subscription when `notify` is called (after a committed
 * append in this process) and, failing that, after `fallbackMs` — the only way
 * to notice appends made by another process on the same database.
 */
export class WakeSignal {
  private readonly waiters = new Set<() => void>();

  constructor(private readonly fallbackMs: number) {}

  notify(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  readonly wait: WaitForWake = (signal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const finish = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        this.waiters.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, this.fallbackMs);
      signal.addEventListener('abort', finish, { once: true });
      this.waiters.add(finish);
    });
}
