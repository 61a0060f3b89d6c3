import { describeEphemeralContract } from './ephemeral.contract.js';
import { InProcessEphemeral, InProcessEphemeralHub } from './in-process-ephemeral.js';

describeEphemeralContract('InProcessEphemeral', async () => {
  const hub = new InProcessEphemeralHub();
  const opened: InProcessEphemeral[] = [];
  return {
    async open() {
      const ephemeral = new InProcessEphemeral({ hub });
      opened.push(ephemeral);
      return ephemeral;
    },
    async dispose() {
      await Promise.all(opened.map((ephemeral) => ephemeral.close()));
    },
  };
});

async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('InProcessEphemeral', () => {
  it('sweeps expired values, members and windows that nobody reads', async () => {
    const hub = new InProcessEphemeralHub({ sweepIntervalMs: 20 });
    const ephemeral = new InProcessEphemeral({ hub });
    try {
      for (let n = 0; n < 100; n += 1) {
        await ephemeral.set(`cursor:${n}`, 'x', 30);
        await ephemeral.putMember(`room-${n % 7}`, `user-${n}`, 'x', 30);
        await ephemeral.hit(`ip:${n}`, 30);
      }
      await ephemeral.set('kept', 'x', 60_000);
      expect(hub.size).toBe(301);
      await eventually(() => hub.size === 1, 'expired entries are swept');
      expect(await ephemeral.get('kept')).toBe('x');
    } finally {
      await ephemeral.close();
    }
  });

  it('instances opened without a hub share nothing', async () => {
    const one = new InProcessEphemeral();
    const two = new InProcessEphemeral();
    try {
      const received: string[] = [];
      await two.subscribe('room-1', (message) => received.push(message));
      await one.set('k', 'v', 60_000);
      await one.publish('room-1', 'hello');
      await new Promise((resolve) => setImmediate(resolve));
      expect(await two.get('k')).toBeNull();
      expect(received).toEqual([]);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('reports what a handler throws to onError', async () => {
    const errors: unknown[] = [];
    const ephemeral = new InProcessEphemeral({ onError: (error) => errors.push(error) });
    try {
      await ephemeral.subscribe('room-1', () => {
        throw new Error('handler failed');
      });
      await ephemeral.publish('room-1', 'x');
      await eventually(() => errors.length === 1, 'the error is reported');
      expect((errors[0] as Error).message).toBe('handler failed');
    } finally {
      await ephemeral.close();
    }
  });
});
