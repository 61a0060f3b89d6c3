/**
 * ESLint off the event loop: a dense file is linted in a worker thread while
 * this thread keeps answering; a run past its bound is stopped and its
 * worker replaced; findings come back capped, counted in full.
 */
import { EslintLinter } from './eslint-linter.js';

const bounds = (timeoutMs: number) => ({ timeoutMs, memoryBytes: 512 * 1024 * 1024, outputBytes: 4 * 1024 * 1024, maxFindingsPerFile: 200 });
/** 120 KB of `x;` lines: one no-undef error per line. */
const DENSE = 'x;\n'.repeat(40_000);

/** The longest gap between ticks of a 10 ms timer while `work` runs: how long the event loop was held. */
async function longestStall<T>(work: Promise<T>): Promise<{ result: T; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 10);
  try {
    return { result: await work, stallMs };
  } finally {
    clearInterval(ticker);
  }
}

describe('ESLint in worker threads', () => {
  const eslint = new EslintLinter({ workers: 1, heapMb: 512 });

  afterAll(() => eslint.close());

  it('lints a 120 KB file of dense findings without holding the event loop for 200 ms, capped and counted in full', async () => {
    // The worker's start (loading ESLint) is not what is measured.
    // Best of three: on a loaded machine the OS may not schedule this process for a moment, which looks like a
    // stall; ESLint on this thread held it for 20–55 s every time, so one clean run out of three tells them apart.
    const stalls: number[] = [];
    let result = await eslint.run([{ path: 'warm.js', content: 'export const a = 1;\n' }], bounds(60_000));
    for (let attempt = 0; attempt < 3 && !stalls.some((ms) => ms < 200); attempt += 1) {
      const measured = await longestStall(eslint.run([{ path: 'dense.js', content: DENSE }], bounds(120_000)));
      result = measured.result;
      stalls.push(measured.stallMs);
    }
    expect(result.status).toBe('ok');
    expect(result.counts.error).toBe(40_000);
    expect(result.findings).toHaveLength(200);
    expect(result.truncated.findingsDropped).toBe(40_000 - 200);
    expect(Math.min(...stalls)).toBeLessThan(200);
  }, 180_000);

  it('stops a run past its bound, says so, and lints the next file with a fresh worker', async () => {
    const stopped = await eslint.run([{ path: 'dense.js', content: DENSE }], bounds(50));
    expect(stopped).toMatchObject({ status: 'timeout', findings: [] });
    expect(stopped.message).toContain('did not finish within 50 ms');
    const next = await eslint.run([{ path: 'next.js', content: 'console.log(missing);\n' }], bounds(60_000));
    expect(next.status).toBe('ok');
    expect(next.findings.map((f) => f.ruleId)).toEqual(['no-undef']);
  }, 120_000);

  it('reports a worker that died at its heap bound as an error, and starts a new worker for the next run', async () => {
    // Too small a heap even to load ESLint: every worker dies.
    const starved = new EslintLinter({ workers: 1, heapMb: 8 });
    try {
      const first = await starved.run([{ path: 'a.js', content: 'x;\n' }], bounds(60_000));
      expect(first).toMatchObject({ status: 'error', findings: [] });
      expect(first.message).toMatch(/worker (died|exited)/);
      const second = await starved.run([{ path: 'b.js', content: 'x;\n' }], bounds(60_000));
      expect(second.status).toBe('error');
      expect((starved as unknown as { pool: { started: number } }).pool.started).toBe(2);
    } finally {
      await starved.close();
    }
  }, 120_000);
});
