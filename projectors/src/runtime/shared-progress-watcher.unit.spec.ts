import { SharedProgressWatcher } from './shared-progress-watcher.js';

const reachedAtLeast = (progress: number, position: number) => progress >= position;

describe('SharedProgressWatcher', () => {
  it('serves 100 concurrent waiters from one read loop: reads do not grow with the number of waiters', async () => {
    let progress = 0;
    const watcher = new SharedProgressWatcher({ read: async () => progress, reached: reachedAtLeast, pollMs: 5 });
    const waits = Array.from({ length: 100 }, (_, i) => watcher.waitFor(1 + (i % 10), 10_000));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const readsWhileWaiting = watcher.reads;
    progress = 10;

    expect(await Promise.all(waits)).toEqual(Array.from({ length: 100 }, () => true));
    expect(watcher.waiting).toBe(0);
    // Time-based polling of 5 ms over ~50 ms is ~10 reads, each serving all 100 waiters; a per-waiter loop would be 100× that.
    expect(readsWhileWaiting).toBeLessThan(100);
  });

  it('answers false at the bound even when the read never answers (an engine that froze)', async () => {
    const watcher = new SharedProgressWatcher<number>({ read: () => new Promise<number>(() => undefined), reached: reachedAtLeast });
    const started = Date.now();
    expect(await Promise.all([watcher.waitFor(5, 200), watcher.waitFor(6, 200)])).toEqual([false, false]);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(watcher.waiting).toBe(0);
  });

  it('keeps waiting through failing reads and answers once a read shows the position', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const watcher = new SharedProgressWatcher({
      read: async () => {
        calls++;
        if (calls <= 3) throw new Error('read store unavailable');
        return 7;
      },
      reached: reachedAtLeast,
      pollMs: 1,
      onError: (error) => errors.push(error),
    });
    expect(await watcher.waitFor(7, 5_000)).toBe(true);
    // Three failures in a row are one outage: reported once, not once per read.
    expect(errors).toHaveLength(1);
    expect(calls).toBe(4);
  });

  it('answers at once, without reading, a position a previous read already showed reached', async () => {
    const watcher = new SharedProgressWatcher({ read: async () => 9, reached: reachedAtLeast });
    expect(await watcher.waitFor(9, 1_000)).toBe(true);
    const reads = watcher.reads;
    expect(await watcher.waitFor(3, 1_000)).toBe(true);
    expect(await watcher.waitFor(0, 1_000)).toBe(true);
    expect(watcher.reads).toBe(reads);
  });

  it('stops reading when nobody waits', async () => {
    const watcher = new SharedProgressWatcher({ read: async () => 0, reached: reachedAtLeast, pollMs: 1 });
    expect(await watcher.waitFor(1, 30)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const reads = watcher.reads;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(watcher.reads).toBe(reads);
  });
});
