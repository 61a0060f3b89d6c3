/** The bounds every external tool runs under, shown with real processes. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { memoryBoundAvailable, minimalEnv, runBounded } from './bounded-process.js';

const python = ['/usr/bin/python3', '/usr/local/bin/python3'].find((candidate) => existsSync(candidate));

describe('a bounded run', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'resoft-bounded-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const base = { cwd: dir, env: minimalEnv(dir), timeoutMs: 20_000, outputBytes: 1024 * 1024, memoryBytes: 512 * 1024 * 1024 };

  const gone = async (pid: number): Promise<boolean> => {
    for (let i = 0; i < 100; i += 1) {
      try {
        process.kill(pid, 0);
      } catch {
        return true;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return false;
  };

  it('kills the tool and everything it started when it runs past the timeout', async () => {
    // The shell starts a sleeper in the background, prints its pid, then waits forever.
    const outcome = await runBounded({ ...base, command: '/bin/sh', args: ['-c', 'sleep 600 & echo $!; while :; do sleep 1; done'], timeoutMs: 500 });
    expect(outcome.timedOut).toBe(true);
    const grandchild = Number(outcome.stdout.trim());
    expect(grandchild).toBeGreaterThan(0);
    expect(await gone(grandchild)).toBe(true);
  });

  it('stops a tool that writes more than the output cap, keeping what fit', async () => {
    const outcome = await runBounded({ ...base, command: '/usr/bin/yes', args: ['flood'], outputBytes: 10_000 });
    expect(outcome.outputCapped).toBe(true);
    expect(outcome.timedOut).toBe(false);
    expect(outcome.stdout.length).toBe(10_000);
  });

  it('gives the tool a minimal environment, none of ours', async () => {
    process.env.RESOFT_TEST_SECRET = 'do-not-leak';
    try {
      const outcome = await runBounded({ ...base, command: '/usr/bin/env', args: [] });
      expect(outcome.stdout).not.toContain('RESOFT_TEST_SECRET');
      expect(outcome.stdout.split('\n').filter(Boolean).map((line) => line.split('=')[0]).sort()).toEqual(['HOME', 'LANG', 'LC_ALL', 'PATH', 'TMPDIR']);
    } finally {
      delete process.env.RESOFT_TEST_SECRET;
    }
  });

  it('passes arguments as they are, never through a shell', async () => {
    const outcome = await runBounded({ ...base, command: '/bin/echo', args: ['$(touch pwned)', '; rm -rf /'] });
    expect(outcome.stdout).toBe('$(touch pwned) ; rm -rf /\n');
  });

  it('reports a tool that cannot be started instead of throwing', async () => {
    const outcome = await runBounded({ ...base, command: path.join(dir, 'no-such-tool'), args: [] });
    expect(outcome.exitCode).not.toBe(0);
  });
});

const memoryDescribe = memoryBoundAvailable() && python ? describe : describe.skip;
if (!memoryBoundAvailable()) console.warn('memory bound suite skipped: prlimit (util-linux) is not installed here');
else if (!python) console.warn('memory bound suite skipped: no system python3 to allocate memory with');

memoryDescribe('the memory bound', () => {
  it('makes a tool that allocates past it fail', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'resoft-bounded-'));
    try {
      const outcome = await runBounded({
        command: python!, args: ['-c', 'x = bytearray(600 * 1024 * 1024); print("allocated")'], cwd: dir, env: minimalEnv(dir),
        timeoutMs: 20_000, outputBytes: 1024 * 1024, memoryBytes: 256 * 1024 * 1024,
      });
      expect(outcome.stdout).not.toContain('allocated');
      expect(outcome.exitCode).not.toBe(0);
      expect(outcome.stderr).toContain('MemoryError');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
