import type { RecordedEvent } from '@resoft/domain';
import { RecentAppends } from './recent-appends.js';
import type { WakeSource } from './catch-up-subscription.js';

const at = (position: number): RecordedEvent => ({ id: `e${position}`, type: 'T', streamId: 's', revision: position, position, data: {}, metadata: {} as RecordedEvent['metadata'] });
const positions = (events: RecordedEvent[] | null) => events?.map((e) => e.position) ?? null;

describe('recent appends', () => {
  it('hands out only a gapless run starting right after the position, and nothing it does not hold', () => {
    const recent = new RecentAppends(100);
    const reader = recent.open(0);
    recent.add([1, 2, 3].map(at));
    // Position 4 was appended by another process: not held.
    recent.add([5, 6].map(at));
    expect(positions(recent.take(reader, 0, 10))).toEqual([1, 2, 3]);
    expect(positions(recent.take(reader, 1, 1))).toEqual([2]);
    expect(recent.take(reader, 3, 10)).toBeNull();
    expect(positions(recent.take(reader, 4, 10))).toEqual([5, 6]);
    expect(recent.take(reader, 6, 10)).toBeNull();
  });

  it('keeps nothing without a reader, drops what every reader passed, and forgets the oldest beyond its capacity', () => {
    const recent = new RecentAppends(10);
    recent.add([1, 2].map(at));
    expect(recent.size).toBe(0);
    const reader = recent.open(2);
    for (let p = 3; p <= 30; p += 1) recent.add([at(p)]);
    // Capacity 10: a reader still at 2 lost the oldest and reads the store for them.
    expect(recent.take(reader, 2, 5)).toBeNull();
    expect(positions(recent.take(reader, 25, 100))).toEqual([26, 27, 28, 29, 30]);
    expect(recent.take(reader, 30, 100)).toBeNull();
    expect(recent.size).toBe(0);
    recent.close(reader);
    recent.add([at(31)]);
    expect(recent.size).toBe(0);
  });

  it('wakes its readers within the appending turn, so an appender that never yields does not pile events up', async () => {
    const recent = new RecentAppends(100);
    recent.open(0);
    let baseWaits = 0;
    const base: WakeSource = { generation: 0, wait: (_since, signal) => { baseWaits += 1; return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })); } };
    const wake = recent.wake(base);
    const since = wake.generation;
    let woken = false;
    const waiting = wake.wait(since, new AbortController().signal).then(() => { woken = true; });
    recent.add([at(1)]);
    // Only microtasks in between: no timer, no setImmediate.
    await Promise.resolve();
    await Promise.resolve();
    expect(woken).toBe(true);
    await waiting;
    expect(baseWaits).toBe(1);
    expect(wake.generation).not.toBe(since);
    // A wait on an old generation returns at once.
    await wake.wait(since, new AbortController().signal);
  });

  it('holds nothing for readers that took an append inline, and still holds it for one that did not', () => {
    const recent = new RecentAppends(100);
    const inline = recent.open(0);
    const taken: number[] = [];
    let busy = false;
    recent.handInline(inline, (events) => {
      if (busy) return false;
      taken.push(...events.map((e) => e.position));
      return true;
    });
    recent.add([1, 2].map(at));
    expect(taken).toEqual([1, 2]);
    expect(recent.size).toBe(0);
    // Busy: held for it, in order, for its loop to take.
    busy = true;
    recent.add([at(3)]);
    expect(positions(recent.take(inline, 2, 10))).toEqual([3]);
    busy = false;
    // A second reader that reads through its loop keeps what the inline reader took.
    const reading = recent.open(3);
    recent.add([at(4)]);
    expect(taken).toEqual([1, 2, 4]);
    expect(positions(recent.take(reading, 3, 10))).toEqual([4]);
    recent.close(reading);
    recent.add([at(5)]);
    expect(taken).toEqual([1, 2, 4, 5]);
    expect(recent.size).toBe(0);
  });
});
