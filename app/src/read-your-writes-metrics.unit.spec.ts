import { PrometheusMetrics } from '@resoft/infra';
import { measuredWaitForPosition } from './read-your-writes-metrics.js';

describe('read-your-writes metrics', () => {
  it('times each wait by outcome and counts the stale answers, passing the answer through', async () => {
    const metrics = new PrometheusMetrics({ nodeMetrics: false });
    const asked: [number, number][] = [];
    const wait = measuredWaitForPosition(metrics, async (position, timeoutMs) => {
      asked.push([position, timeoutMs]);
      return position <= 10;
    });
    expect([await wait(5, 2000), await wait(10, 2000), await wait(11, 2000)]).toEqual([true, true, false]);
    expect(asked).toEqual([[5, 2000], [10, 2000], [11, 2000]]);
    const text = await metrics.exposition();
    expect(text).toMatch(/^resoft_read_your_writes_wait_seconds_count\{outcome="fresh"\} 2$/m);
    expect(text).toMatch(/^resoft_read_your_writes_wait_seconds_count\{outcome="stale"\} 1$/m);
    expect(text).toMatch(/^resoft_read_your_writes_stale_total 1$/m);
  });
});
