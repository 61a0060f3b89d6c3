/**
 * A small pool of ESLint worker threads: jobs wait for an idle worker; each
 * job has a wall-clock bound (past it the worker is terminated and replaced)
 * and each worker a heap bound (past it the worker dies and is replaced).
 * A dead worker is restarted for the next job, so one bad file costs one
 * job, never the pool.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EslintJob, EslintReply } from './eslint-worker.js';

export interface EslintPoolOptions {
  readonly size: number;
  /** Heap of each worker (V8's old generation). */
  readonly heapMb: number;
}

/** A job that did not end with a reply: the worker was stopped at the bound, or died. */
export class EslintJobStopped extends Error {
  constructor(message: string, readonly reason: 'timeout' | 'died') {
    super(message);
  }
}

/**
 * The compiled worker next to this file; when this file runs from its
 * TypeScript source (the tests), the compiled one in dist/ (`tsc -b` builds it).
 */
function workerScript(): URL {
  const beside = new URL('./eslint-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return new URL(fileURLToPath(beside).replace(/\/src\/code-quality\/eslint-worker\.js$/, '/dist/code-quality/eslint-worker.js'), 'file://');
}

interface Pending {
  readonly job: Omit<EslintJob, 'id'>;
  readonly timeoutMs: number;
  readonly resolve: (reply: Exclude<EslintReply, { error: string }>) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  worker: Worker | null;
  busy: boolean;
}

export class EslintPool {
  private readonly slots: Slot[];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  /** Workers started, for tests and diagnostics: more than `size` means some were replaced. */
  started = 0;

  constructor(private readonly options: EslintPoolOptions) {
    this.slots = Array.from({ length: Math.max(1, options.size) }, () => ({ worker: null, busy: false }));
  }

  lint(job: Omit<EslintJob, 'id'>, timeoutMs: number): Promise<Exclude<EslintReply, { error: string }>> {
    if (this.closed) return Promise.reject(new Error('the ESLint pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ job, timeoutMs, resolve, reject });
      this.pump();
    });
  }

  /** Starts a worker ahead of the first job (its ESLint configuration takes a moment to load). */
  warm(): void {
    const slot = this.slots[0]!;
    slot.worker ??= this.spawn();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new Error('the ESLint pool is closed'));
    await Promise.all(this.slots.map(async (slot) => {
      const worker = slot.worker;
      slot.worker = null;
      await worker?.terminate();
    }));
  }

  private spawn(): Worker {
    this.started += 1;
    const worker = new Worker(workerScript(), { resourceLimits: { maxOldGenerationSizeMb: this.options.heapMb, maxYoungGenerationSizeMb: 64 } });
    // An idle worker does not keep the process alive.
    worker.unref();
    return worker;
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy || this.queue.length === 0) continue;
      this.run(slot, this.queue.shift()!);
    }
  }

  private run(slot: Slot, pending: Pending): void {
    slot.busy = true;
    const worker = (slot.worker ??= this.spawn());
    const id = this.nextId++;
    let settled = false;
    const settle = (outcome: () => void, replace: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (replace) {
        if (slot.worker === worker) slot.worker = null;
        void worker.terminate();
      }
      slot.busy = false;
      outcome();
      if (!this.closed) this.pump();
    };
    const onMessage = (reply: EslintReply) => {
      if (reply.id !== id) return;
      if ('error' in reply) settle(() => pending.reject(new Error(reply.error)), false);
      else settle(() => pending.resolve(reply), false);
    };
    const onError = (error: Error) => settle(() => pending.reject(new EslintJobStopped(`ESLint's worker died: ${error.message}`, 'died')), true);
    const onExit = (code: number) => settle(() => pending.reject(new EslintJobStopped(`ESLint's worker exited (code ${code})`, 'died')), true);
    const timer = setTimeout(() => settle(() => pending.reject(new EslintJobStopped(`ESLint did not finish within ${pending.timeoutMs} ms and was stopped`, 'timeout')), true), pending.timeoutMs);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ ...pending.job, id } satisfies EslintJob);
  }
}
