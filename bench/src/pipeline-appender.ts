/**
 * A load generator of the pipeline benchmark's distributed mode, run as a worker thread: it opens
 * the same SQLite event store file as the command process would (a separate connection, seen by the
 * relay only through its poll, as in a deployment) and appends its share of a paced phase, so the
 * rate does not depend on how busy the relay and consumers keep the main thread. One process with a
 * single event loop could not reach 500 appends/s while it also relayed and projected.
 *
 * Messages in: `AppendOrder`. Messages out: `AppenderReport` (a sample for every sampled append, then
 * `done`). Times are absolute (`performance.timeOrigin + performance.now()`), comparable between
 * threads of one machine.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteEventStore } from '@resoft/adapter-sqlite';
import { appendStep, ChatWorkload } from './pipeline-workload.js';

export interface AppenderSetup {
  readonly file: string;
  /** The workload's prefix and room count: must match the main thread's workload. */
  readonly prefix: string;
  readonly rooms: number;
}

export interface AppendOrder {
  readonly phase: string;
  readonly events: number;
  readonly rate: number;
  /** This worker appends the events n with n % workers === index. */
  readonly workers: number;
  readonly index: number;
  readonly sampleEvery: number;
  /** Absolute time of event 0's slot. */
  readonly startAt: number;
}

export type AppenderReport =
  | { readonly type: 'sample'; readonly position: number; readonly at: number }
  | { readonly type: 'done'; readonly last: number; readonly finishedAt: number }
  | { readonly type: 'failed'; readonly message: string };

export const absoluteNow = (): number => performance.timeOrigin + performance.now();

async function appendShare(store: SqliteEventStore, workload: ChatWorkload, order: AppendOrder): Promise<void> {
  let last = 0;
  for (let n = order.index; n < order.events; n += order.workers) {
    const wait = order.startAt + (n * 1000) / order.rate - absoluteNow();
    if (wait >= 1) await sleep(wait);
    const position = await appendStep(store, workload.chatStep(order.phase, n));
    last = Math.max(last, position);
    if (n % order.sampleEvery === order.sampleEvery - 1) parentPort!.postMessage({ type: 'sample', position, at: absoluteNow() } satisfies AppenderReport);
  }
  parentPort!.postMessage({ type: 'done', last, finishedAt: absoluteNow() } satisfies AppenderReport);
}

if (parentPort) {
  const setup = workerData as AppenderSetup;
  const store = new SqliteEventStore({ file: setup.file });
  const workload = new ChatWorkload(setup.prefix, setup.rooms);
  parentPort.on('message', (order: AppendOrder | 'close') => {
    if (order === 'close') {
      void store.close().finally(() => parentPort!.close());
      return;
    }
    appendShare(store, workload, order).catch((error: unknown) => parentPort!.postMessage({ type: 'failed', message: (error as Error).message } satisfies AppenderReport));
  });
}
