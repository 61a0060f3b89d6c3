import type { RecordedEvent } from '@resoft/domain';
import { sharedReads, type ReadAfter } from './catch-up-subscription.js';

const event = (position: number): RecordedEvent =>
  ({ id: `e${position}`, type: 'ThingHappened', streamId: 's', revision: position - 1, position, data: {}, metadata: {} }) as unknown as RecordedEvent;

/** A log the test appends to, counting the reads that reach it. */
function countedLog() {
  const log: RecordedEvent[] = [];
  const calls: number[] = [];
  const readAfter: ReadAfter = async (after, maxCount) => {
    calls.push(after);
    return log.filter((e) => e.position > after).slice(0, maxCount);
  };
  return { log, calls, readAfter };
}

describe('reads shared between subscriptions at the same position', () => {
  it('reads new events once for every subscription that asks for them, each getting its own array', async () => {
    const { log, calls, readAfter } = countedLog();
    log.push(event(1), event(2));
    const shared = sharedReads(readAfter);
    const [a, b, c] = await Promise.all([shared(0, 500), shared(0, 500), shared(0, 500)]);
    expect(c).toEqual(a);
    expect(calls).toEqual([0]);
    expect(a!.map((e) => e.position)).toEqual([1, 2]);
    expect(b).toEqual(a);
    expect(b).not.toBe(a);
    // One that comes later to the same position still gets the batch without reading again.
    expect((await shared(0, 500)).length).toBe(2);
    expect(calls).toEqual([0]);
  });

  it('never keeps an empty answer, so an append after it is seen by the next read', async () => {
    const { log, calls, readAfter } = countedLog();
    const shared = sharedReads(readAfter);
    expect(await shared(0, 500)).toEqual([]);
    log.push(event(1));
    expect((await shared(0, 500)).map((e) => e.position)).toEqual([1]);
    expect(calls).toEqual([0, 0]);
  });

  it('with a wake generation, keeps an empty answer for that generation only: N subscriptions finding nothing read once, an append is seen once the generation moves', async () => {
    const { log, calls, readAfter } = countedLog();
    let generation = 7;
    const shared = sharedReads(readAfter, 8, () => generation);
    expect(await Promise.all([shared(0, 500), shared(0, 500), shared(0, 500)])).toEqual([[], [], []]);
    expect(calls).toEqual([0]);
    log.push(event(1));
    // The append's wake moves the generation on (WakeSignal.notify): the next read sees it.
    generation += 1;
    expect((await shared(0, 500)).map((e) => e.position)).toEqual([1]);
    expect(calls).toEqual([0, 0]);
  });

  it('never keeps a failed read', async () => {
    let fail = true;
    const shared = sharedReads(async () => {
      if (fail) throw new Error('database is locked');
      return [event(1)];
    });
    await expect(shared(0, 10)).rejects.toThrow('database is locked');
    fail = false;
    expect((await shared(0, 10)).length).toBe(1);
  });

  it('keeps only the most recent batches', async () => {
    const { log, calls, readAfter } = countedLog();
    for (let p = 1; p <= 20; p += 1) log.push(event(p));
    const shared = sharedReads(readAfter, 2);
    await shared(0, 1);
    await shared(1, 1);
    await shared(2, 1);
    await shared(0, 1); // pushed out by the two after it: read again
    expect(calls).toEqual([0, 1, 2, 0]);
  });
});
