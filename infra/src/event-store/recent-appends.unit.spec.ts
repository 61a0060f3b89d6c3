import type { RecordedEvent } from '@resoft/domain';
import { RecentAppends } from './recent-appends.js';

const at = (position: number): RecordedEvent => ({ id: `e${position}`, type: 'T', streamId: 's', revision: position, position, data: {}, metadata: {} as RecordedEvent['metadata'] });
const positions = (events: RecordedEvent[] | null) => events?.map((e) => e.position) ?? null;

describe('recent appends', () => {
  it('hands out only a gapless run starting right after the position, and nothing it does not hold', () => {
    const recent = new RecentAppends(100);
    recent.add([1, 2, 3].map(at));
    // Position 4 was appended by another process: not held.
    recent.add([5, 6].map(at));
    expect(positions(recent.take(0, 10))).toEqual([1, 2, 3]);
    expect(positions(recent.take(1, 1))).toEqual([2]);
    expect(recent.take(3, 10)).toBeNull();
    expect(positions(recent.take(4, 10))).toEqual([5, 6]);
    expect(recent.take(6, 10)).toBeNull();
  });

  it('forgets the oldest beyond its capacity, so a subscriber far behind reads the store', () => {
    const recent = new RecentAppends(10);
    for (let p = 1; p <= 25; p += 1) recent.add([at(p)]);
    expect(recent.take(0, 5)).toBeNull();
    expect(positions(recent.take(20, 100))).toEqual([21, 22, 23, 24, 25]);
  });
});
