import { FairQueue } from './fair-queue.js';

const drain = <T>(queue: FairQueue<T>): T[] => {
  const taken: T[] = [];
  for (let item = queue.shift(); item !== undefined; item = queue.shift()) taken.push(item);
  return taken;
};

describe('the fair queue', () => {
  it("serves another owner's item after at most one item of an owner with a long backlog", () => {
    const queue = new FairQueue<string>();
    for (let n = 1; n <= 12; n += 1) queue.push('ann', `ann-${n}`);
    expect(queue.shift()).toBe('ann-1');
    queue.push('bob', 'bob-1');
    expect(queue.shift()).toBe('bob-1');
    expect(drain(queue)).toEqual(Array.from({ length: 11 }, (_, i) => `ann-${i + 2}`));
  });

  it('alternates between owners, keeping each owner\'s own order', () => {
    const queue = new FairQueue<string>();
    for (const item of ['a1', 'a2', 'a3']) queue.push('a', item);
    for (const item of ['b1', 'b2']) queue.push('b', item);
    queue.push('c', 'c1');
    expect(drain(queue)).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
  });

  it('an owner who keeps resubmitting as soon as its lane empties does not starve the others', () => {
    const queue = new FairQueue<string>();
    for (let n = 1; n <= 3; n += 1) queue.push('ann', `ann-${n}`);
    queue.push('cy', 'cy-1');
    const taken = [queue.shift(), queue.shift()];
    queue.push('cy', 'cy-2');
    taken.push(queue.shift(), queue.shift());
    queue.push('cy', 'cy-3');
    taken.push(queue.shift(), queue.shift());
    expect(taken).toEqual(['ann-1', 'cy-1', 'ann-2', 'cy-2', 'ann-3', 'cy-3']);
  });

  it('removes a queued item wherever it is, and ignores an item pushed twice', () => {
    const queue = new FairQueue<string>();
    queue.push('a', 'a1');
    queue.push('a', 'a1');
    queue.push('a', 'a2');
    queue.push('b', 'b1');
    expect(queue.size).toBe(3);
    expect(queue.remove('a1')).toBe(true);
    expect(queue.remove('a1')).toBe(false);
    expect(queue.has('a2')).toBe(true);
    expect(drain(queue)).toEqual(['a2', 'b1']);
    expect(queue.size).toBe(0);
  });

  it('a stream of newcomers does not starve an owner who is already waiting', () => {
    const queue = new FairQueue<string>();
    queue.push('ann', 'ann-1');
    queue.push('ann', 'ann-2');
    queue.push('ann', 'ann-3');
    const taken: string[] = [];
    for (let n = 0; n < 40; n += 1) {
      queue.push(`newcomer-${n}`, `new-${n}`);
      taken.push(queue.shift()!);
    }
    // Ann waits behind the owners already waiting when she was last served (and one who arrived just
    // after), never behind those who arrived later.
    const annAt = ['ann-1', 'ann-2', 'ann-3'].map((item) => taken.indexOf(item));
    expect(annAt.every((at) => at >= 0)).toBe(true);
    for (let i = 1; i < annAt.length; i += 1) {
      // newcomer-k is pushed just before take k.
      const between = taken.slice(annAt[i - 1]! + 1, annAt[i]).map((item) => Number(item.replace('new-', '')));
      expect(between.every((k) => k <= annAt[i - 1]! + 1)).toBe(true);
    }
  });
});
