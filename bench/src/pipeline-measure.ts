/**
 * The measuring half of the pipeline benchmark, the same for every mode: append the workload (as
 * fast as the pipeline takes it, then at a steady rate), and time how long appended positions take
 * to be projected, through the mode's own notion of "projected".
 */
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { EventStore } from '@resoft/ports';
import { absoluteNow } from './pipeline-appender.js';
import type { AppenderPool } from './pipeline-appenders.js';
import { appendStep, type ChatWorkload } from './pipeline-workload.js';

/** What a mode offers the measurement: its event store, and when a position has been fully projected. */
export interface PipelineUnderTest {
  readonly events: EventStore;
  /** Resolves true once every projection has applied every event up to `position`, false after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<boolean>;
}

export interface PhaseResult {
  readonly events: number;
  /** From the first append until the last event was projected. */
  readonly seconds: number;
  /** From the first append until the last append resolved. */
  readonly appendSeconds: number;
  /** Lag of the sampled events, in ms, ascending. */
  readonly lagsMs: readonly number[];
  /** Samples not projected within the timeout. */
  readonly timedOut: number;
}

export interface MeasureOptions {
  readonly events: number;
  /** Appends per second in the paced phase. */
  readonly rate: number;
  /** Every n-th event of a phase is sampled for lag. */
  readonly sampleEvery: number;
  /** Chat events appended (and awaited) before measuring, after the setup. */
  readonly warmUpEvents: number;
  /** Longest wait for one position. */
  readonly timeoutMs: number;
}

class LagSampler {
  private readonly pending: Promise<void>[] = [];
  private readonly lags: number[] = [];
  private timedOut = 0;

  constructor(private readonly pipeline: PipelineUnderTest, private readonly timeoutMs: number) {}

  /** Starts timing `position` from `appended` (absolute ms: when its append resolved; default now). */
  sample(position: number, appended = absoluteNow()): void {
    this.pending.push(
      this.pipeline.waitFor(position, this.timeoutMs).then((reached) => {
        if (reached) this.lags.push(absoluteNow() - appended);
        else this.timedOut += 1;
      }),
    );
  }

  async results(): Promise<{ lagsMs: number[]; timedOut: number }> {
    await Promise.all(this.pending);
    return { lagsMs: [...this.lags].sort((a, b) => a - b), timedOut: this.timedOut };
  }
}

export async function warmUp(pipeline: PipelineUnderTest, workload: ChatWorkload, options: MeasureOptions): Promise<void> {
  let last = 0;
  for (const step of workload.setupSteps()) last = await appendStep(pipeline.events, step);
  for (let n = 0; n < options.warmUpEvents; n++) last = await appendStep(pipeline.events, workload.chatStep('warm', n));
  if (!(await pipeline.waitFor(last, options.timeoutMs))) throw new Error(`warm-up: position ${last} not projected within ${options.timeoutMs} ms`);
}

/**
 * Appends one event after the other, each in its own turn of the event loop (as separate requests
 * would arrive), without waiting for projections; ends when the last one is projected.
 */
export async function burstPhase(pipeline: PipelineUnderTest, workload: ChatWorkload, options: MeasureOptions): Promise<PhaseResult> {
  const sampler = new LagSampler(pipeline, options.timeoutMs);
  const start = performance.now();
  let last = 0;
  for (let n = 0; n < options.events; n++) {
    last = await appendStep(pipeline.events, workload.chatStep('burst', n));
    if (n % options.sampleEvery === options.sampleEvery - 1) sampler.sample(last);
    await nextTurn();
  }
  const appendSeconds = (performance.now() - start) / 1000;
  if (!(await pipeline.waitFor(last, options.timeoutMs))) throw new Error(`burst: position ${last} not projected within ${options.timeoutMs} ms`);
  const seconds = (performance.now() - start) / 1000;
  return { events: options.events, seconds, appendSeconds, ...(await sampler.results()) };
}

/** Appends at `options.rate` per second on a fixed schedule (catching up when behind); ends when the last one is projected. */
export async function pacedPhase(pipeline: PipelineUnderTest, workload: ChatWorkload, options: MeasureOptions): Promise<PhaseResult> {
  const sampler = new LagSampler(pipeline, options.timeoutMs);
  const start = performance.now();
  let last = 0;
  for (let n = 0; n < options.events; n++) {
    const due = start + (n * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait >= 1) await sleep(wait);
    else await nextTurn();
    last = await appendStep(pipeline.events, workload.chatStep('paced', n));
    if (n % options.sampleEvery === options.sampleEvery - 1) sampler.sample(last);
  }
  const appendSeconds = (performance.now() - start) / 1000;
  if (!(await pipeline.waitFor(last, options.timeoutMs))) throw new Error(`paced: position ${last} not projected within ${options.timeoutMs} ms`);
  const seconds = (performance.now() - start) / 1000;
  return { events: options.events, seconds, appendSeconds, ...(await sampler.results()) };
}

/**
 * The paced phase with the appends made by worker threads on their own connections to the event
 * store (as a command process would), at `options.rate` per second in all; lag from each sampled
 * append resolving in its worker until the main thread's pipeline says it is projected.
 */
export async function pacedPhaseFromWorkers(pipeline: PipelineUnderTest, appenders: AppenderPool, options: MeasureOptions): Promise<PhaseResult> {
  const sampler = new LagSampler(pipeline, options.timeoutMs);
  const start = absoluteNow();
  const { last, appendSeconds } = await appenders.paced('paced', options.events, options.rate, options.sampleEvery, (position, at) => sampler.sample(position, at));
  if (!(await pipeline.waitFor(last, options.timeoutMs))) throw new Error(`paced: position ${last} not projected within ${options.timeoutMs} ms`);
  const seconds = (absoluteNow() - start) / 1000;
  return { events: options.events, seconds, appendSeconds, ...(await sampler.results()) };
}

/**
 * `?after=` under concurrency, without HTTP: `rounds` times, one append, then `readers` waits for its
 * position started at once (as that many requests carrying the same token would); every waiter's time
 * from the append resolving to its answer is a sample.
 */
export async function readersPhase(pipeline: PipelineUnderTest, workload: ChatWorkload, readers: number, rounds: number, timeoutMs: number): Promise<PhaseResult> {
  const lags: number[] = [];
  let timedOut = 0;
  const start = performance.now();
  let appendMs = 0;
  for (let round = 0; round < rounds; round++) {
    const before = performance.now();
    const position = await appendStep(pipeline.events, workload.chatStep(`readers${readers}`, round));
    const appended = performance.now();
    appendMs += appended - before;
    const answers = await Promise.all(Array.from({ length: readers }, () => pipeline.waitFor(position, timeoutMs).then((reached) => ({ reached, ms: performance.now() - appended }))));
    for (const { reached, ms } of answers) {
      if (reached) lags.push(ms);
      else timedOut += 1;
    }
    await sleep(5);
  }
  return { events: rounds, seconds: (performance.now() - start) / 1000, appendSeconds: appendMs / 1000, lagsMs: lags.sort((a, b) => a - b), timedOut };
}
