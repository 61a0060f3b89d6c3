/** Read-your-writes waits (issue 16): how long `?after=` reads waited, and how many were answered stale. */
import { secondsSince, type Metrics } from '@resoft/infra';

export type WaitForPosition = (position: number, timeoutMs: number) => Promise<boolean>;

export function measuredWaitForPosition(metrics: Metrics, wait: WaitForPosition): WaitForPosition {
  const duration = metrics.histogram({ name: 'resoft_read_your_writes_wait_seconds', help: 'Time a read with ?after= waited for the projections, by outcome (fresh, stale).', labelNames: ['outcome'] });
  const stale = metrics.counter({ name: 'resoft_read_your_writes_stale_total', help: 'Reads with ?after= answered stale: the projections had not reached the position within the bound.' });
  return async (position, timeoutMs) => {
    const started = process.hrtime.bigint();
    const fresh = await wait(position, timeoutMs);
    duration.record(secondsSince(started), { outcome: fresh ? 'fresh' : 'stale' });
    if (!fresh) stale.add();
    return fresh;
  };
}
