/**
 * The events this process appended most recently, as sealed and committed, in log order. A
 * subscriber that only reads its events (the audit log builder) is handed them from here instead of
 * reading them back and parsing them again: in the all-in-one that re-read cost about as much as
 * the append itself. Only a run of consecutive positions starting right after the subscriber's
 * position is handed out; anything else (another process's appends in between, events older than
 * the buffer) is read from the store as before.
 */
import type { RecordedEvent } from '@resoft/domain';

export class RecentAppends {
  private events: RecordedEvent[] = [];

  constructor(private readonly capacity: number) {}

  /** Adds committed events (in position order). */
  add(events: readonly RecordedEvent[]): void {
    this.events.push(...events);
    // Trimmed in steps, not per append: slicing a long array on every small append would cost more than it saves.
    if (this.events.length > 2 * this.capacity) this.events = this.events.slice(-this.capacity);
  }

  /** Up to `maxCount` events at positions after+1, after+2, … without a gap; null when after+1 is not held. */
  take(after: number, maxCount: number): RecordedEvent[] | null {
    const events = this.events;
    if (events.length === 0 || events[0]!.position > after + 1 || events[events.length - 1]!.position <= after) return null;
    // Positions only grow, so the start is found by binary search.
    let lo = 0;
    let hi = events.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (events[mid]!.position <= after) lo = mid + 1;
      else hi = mid;
    }
    if (events[lo]!.position !== after + 1) return null;
    const run: RecordedEvent[] = [];
    for (let i = lo; i < events.length && run.length < maxCount && events[i]!.position === after + 1 + run.length; i += 1) run.push(events[i]!);
    return run;
  }
}
