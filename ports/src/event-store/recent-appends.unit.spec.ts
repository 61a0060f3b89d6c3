import type { RecordedEvent } from '@resoft/domain';
import { RecentAppends } from './recent-appends.js';

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
});
