/**
 * The main thread's side of the benchmark's load generators (`pipeline-appender.ts`): starts a few
 * appender worker threads on the mode's event store file and runs a paced phase across them.
 */
import { Worker } from 'node:worker_threads';
import { absoluteNow, type AppendOrder, type AppenderReport, type AppenderSetup } from './pipeline-appender.js';

export interface PacedAppendResult {
  /** Highest position appended. */
  readonly last: number;
  /** From the phase's start until the last worker's last append resolved. */
  readonly appendSeconds: number;
}

export class AppenderPool {
  private constructor(private readonly workers: readonly Worker[]) {}

  static async start(count: number, setup: AppenderSetup): Promise<AppenderPool> {
    const workers = Array.from({ length: count }, () => new Worker(new URL('./pipeline-appender.js', import.meta.url), { workerData: setup }));
    await Promise.all(workers.map((worker) => new Promise((resolve, reject) => {
      worker.once('online', resolve);
      worker.once('error', reject);
    })));
    return new AppenderPool(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Appends `events` chat steps of `phase` at `rate` per second in all, shared round-robin; `onSample` gets every sampled append as it resolves. */
  paced(phase: string, events: number, rate: number, sampleEvery: number, onSample: (position: number, appendedAt: number) => void): Promise<PacedAppendResult> {
    const startAt = absoluteNow() + 20;
    const finished = this.workers.map((worker, index) => new Promise<{ last: number; finishedAt: number }>((resolve, reject) => {
      const onMessage = (report: AppenderReport): void => {
        if (report.type === 'sample') return onSample(report.position, report.at);
        worker.off('message', onMessage);
        if (report.type === 'done') resolve(report);
        else reject(new Error(`appender ${index}: ${report.message}`));
      };
      worker.on('message', onMessage);
      worker.postMessage({ phase, events, rate, workers: this.workers.length, index, sampleEvery, startAt } satisfies AppendOrder);
    }));
    return Promise.all(finished).then((done) => ({
      last: Math.max(...done.map((d) => d.last)),
      appendSeconds: (Math.max(...done.map((d) => d.finishedAt)) - startAt) / 1000,
    }));
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => new Promise((resolve) => {
      worker.once('exit', resolve);
      worker.postMessage('close');
    })));
  }
}
