/**
 * The events this process appended and a read-only subscriber (the audit log builder) has not taken
 * yet, as sealed and committed, in log order. Such a subscriber is handed them from here instead of
 * reading them back and parsing them again: in the all-in-one that re-read cost about as much as the
 * append itself. Only a run of consecutive positions starting right after the subscriber's position
 * is handed out; anything else (another process's appends in between, events beyond the capacity)
 * is read from the store as before. Nothing is kept while no read-only subscriber is open, and what
 * every open one has passed is dropped, so the buffer stays small unless a subscriber falls behind.
 *
 * Its readers are also woken by each `add` (see `wake`), not on the next turn of the event loop as
 * other subscribers are: an appender that never yields (a batch import, bench:store's loop) would
 * otherwise pile every event it appends up here until it ends, and the garbage collector's copying of
 * that pile cost more than the audit log's hashing of it.
 *
 * A reader that asked for it (`SubscribeOptions.takeAppendsInline`) is first offered each append's
 * events in the append's own turn (`handInline`): taken when it is exactly caught up and not busy,
 * so they are not held at all; what no reader needs from here is not kept. A reader that cannot take
 * them then (busy, behind) finds them here as before.
 */
import type { RecordedEvent } from '@resoft/domain';
import type { WakeSource } from './catch-up-subscription.js';

/**
 * The reason the readers' waits are called off with: `abort()` without one builds a DOMException with
 * a stack trace per call, about 1 % of the HTTP mixed workload's CPU when it ran once per append.
 */
const CALLED_OFF = Object.freeze({ name: 'CalledOff', message: 'an append or the base wake came first' });

export class RecentAppends {
  private events: RecordedEvent[] = [];
  /** Each open read-only subscriber's position: events at or before the lowest are not needed any more. */
  private readonly readers = new Map<symbol, number>();
  /** How many non-empty `add`s there were: part of the readers' wake generation. */
  private added = 0;
  private readonly waiters = new Set<() => void>();
  /** Readers offered each `add`'s events first; true when one took them (it is then past them). */
  private readonly inline = new Map<symbol, (events: readonly RecordedEvent[]) => boolean>();

  constructor(private readonly capacity: number) {}

  /** Registers a read-only subscriber at `after`; its `take`s then say how far it got. */
  open(after: number): symbol {
    const reader = Symbol('reader');
    this.readers.set(reader, after);
    return reader;
  }

  /** Offers `reader` each added run of events first, in the adding turn (see `CatchUpSubscription.offer`). */
  handInline(reader: symbol, offer: (events: readonly RecordedEvent[]) => boolean): void {
    if (this.readers.has(reader)) this.inline.set(reader, offer);
  }

  close(reader: symbol): void {
    this.readers.delete(reader);
    this.inline.delete(reader);
    if (this.readers.size === 0) this.events = [];
  }

  /** Adds committed events (in position order). */
  add(events: readonly RecordedEvent[]): void {
    if (this.readers.size === 0 || events.length === 0) return;
    if (this.inline.size > 0 && this.handedInline(events)) return;
    this.events.push(...events);
    // Over capacity the oldest go (in steps, not per append: slicing a long array per append costs more than it saves); their reader reads the store.
    if (this.events.length > this.capacity + (this.capacity >> 2)) this.events = this.events.slice(-this.capacity);
    this.added += 1;
    if (this.waiters.size === 0) return;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /**
   * The wake of this buffer's readers: `base` (other processes' appends, the fallback timer) and, a
   * microtask after it, every `add` of this process, so they take each append's events while young.
   */
  wake(base: WakeSource): WakeSource {
    const recent = this;
    return {
      get generation() {
        return base.generation + recent.added;
      },
      wait(since: number, signal: AbortSignal): Promise<void> {
        if (signal.aborted || base.generation + recent.added !== since) return Promise.resolve();
        // Whichever comes first; the other is called off, so no timer or listener is left behind.
        const either = new AbortController();
        const stop = (): void => either.abort(CALLED_OFF);
        signal.addEventListener('abort', stop, { once: true });
        recent.waiters.add(stop);
        return base.wait(base.generation, either.signal).then(() => {
          signal.removeEventListener('abort', stop);
          recent.waiters.delete(stop);
        });
      },
    };
  }

  /** Up to `maxCount` events at positions after+1, after+2, … without a gap; null when after+1 is not held. */
  take(reader: symbol, after: number, maxCount: number): RecordedEvent[] | null {
    this.readers.set(reader, after);
    this.dropPassed();
    const events = this.events;
    if (events.length === 0 || events[0]!.position > after + 1 || events[events.length - 1]!.position <= after) return null;
    const start = this.firstAfter(after);
    if (events[start]!.position !== after + 1) return null;
    const run: RecordedEvent[] = [];
    for (let i = start; i < events.length && run.length < maxCount && events[i]!.position === after + 1 + run.length; i += 1) run.push(events[i]!);
    return run;
  }

  /** Offers the events to the inline readers; true when every reader took them (nothing to hold or wake). */
  private handedInline(events: readonly RecordedEvent[]): boolean {
    const last = events[events.length - 1]!.position;
    let taken = 0;
    for (const [reader, offer] of this.inline) {
      // A reader closed by its own handler is not counted (nor reopened).
      if (!offer(events) || !this.readers.has(reader)) continue;
      taken += 1;
      this.readers.set(reader, last);
    }
    if (taken < this.readers.size) return false;
    // What was held for a reader before it caught up is passed now.
    if (this.events.length > 0) this.dropPassed();
    return true;
  }

  /** How many events are held (for tests). */
  get size(): number {
    return this.events.length;
  }

  private dropPassed(): void {
    const lowest = Math.min(...this.readers.values());
    const keepFrom = this.firstAfter(lowest);
    // Dropped in steps too: a reader that takes a few events at a time would otherwise copy the array
    // each time. A slice that copies no more than it drops costs O(1) per event, so a reader that keeps
    // up (the builder) releases what it passed at once, while the events are still young.
    const kept = this.events.length - keepFrom;
    if (keepFrom > 0 && (kept === 0 || keepFrom >= 1024 || kept <= keepFrom)) this.events = this.events.slice(keepFrom);
  }

  /** Index of the first held event after `position` (positions only grow: binary search). */
  private firstAfter(position: number): number {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.events[mid]!.position <= position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
