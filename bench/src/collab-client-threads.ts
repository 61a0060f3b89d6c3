/**
 * A level's editors spread over worker threads (BENCH_CLIENT_THREADS=n), each thread holding a
 * `ClientHost`, or all in the benchmark's own thread (the default). On one thread every replica's
 * apply of an edit waits for the others' (at 10 editors, nine Automerge applies one after another,
 * ≈ 0.5 ms each), so the median receiver's figure holds load-generator time that the first
 * receiver's does not. Threads take that queue away only when the machine has cores to spare: on a
 * busy 2-core machine their wake-ups added 1–2 ms to Hocuspocus's P50 (docs/performance.md,
 * 2026-12-04, "where the P50 goes"). Every system gets the same arrangement.
 */
import { Worker } from 'node:worker_threads';
import { ClientHost, type HostReport, type HostSetup, type TypingPlan } from './collab-client-host.js';

/** A host in a worker thread or in this one: the same calls either way. */
export interface HostHandle {
  readonly documentUrl: string | null;
  type(plan: TypingPlan): Promise<number[]>;
  settle(typed: readonly number[], timeoutMs: number): Promise<number>;
  report(): Promise<HostReport>;
  texts(): Promise<string[]>;
  close(): Promise<void>;
}

type Call = { id: number; method: 'type' | 'settle' | 'report' | 'texts' | 'close'; args: unknown[] };
type Answer = { id: number; result?: unknown; error?: string };

function inThisThread(host: ClientHost): HostHandle {
  return {
    documentUrl: host.documentUrl,
    type: (plan) => host.type(plan),
    settle: (typed, timeoutMs) => host.settle(typed, timeoutMs),
    report: async () => host.report(),
    texts: async () => host.texts(),
    close: async () => host.close(),
  };
}

async function inWorker(setup: HostSetup): Promise<HostHandle> {
  const worker = new Worker(new URL('./collab-client-worker.js', import.meta.url), { workerData: setup });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let failed: Error | null = null;
  const fail = (error: Error): void => {
    failed = error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`a client thread exited (${code})`)));
  const ready = new Promise<{ documentUrl: string | null }>((resolve, reject) => {
    waiting.set(0, { resolve: resolve as (v: unknown) => void, reject });
  });
  worker.on('message', (answer: Answer) => {
    const w = waiting.get(answer.id);
    if (!w) return;
    waiting.delete(answer.id);
    if (answer.error !== undefined) w.reject(new Error(answer.error));
    else w.resolve(answer.result);
  });
  const call = <T>(method: Call['method'], ...args: unknown[]): Promise<T> => {
    if (failed) return Promise.reject(failed);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, method, args } satisfies Call);
    });
  };
  const { documentUrl } = await ready;
  return {
    documentUrl,
    type: (plan) => call('type', plan),
    settle: (typed, timeoutMs) => call('settle', typed, timeoutMs),
    report: () => call('report'),
    texts: () => call('texts'),
    close: async () => {
      await call('close').catch(() => undefined);
      await worker.terminate();
    },
  };
}

/** Starts one host per thread (or one in this thread when `threads` is 0), each with a share of the editors. */
export async function startHosts(base: Omit<HostSetup, 'editors'>, threads: number): Promise<HostHandle[]> {
  if (threads === 0) return [inThisThread(await ClientHost.create({ ...base, editors: Array.from({ length: base.level }, (_, i) => i) }))];
  const count = Math.min(threads, base.level);
  const shares = Array.from({ length: count }, (_, t) => Array.from({ length: base.level }, (_, i) => i).filter((i) => i % count === t));
  // automerge-repo: the first host makes the document, the others find it.
  const first = await inWorker({ ...base, editors: shares[0]! });
  const withDocument: Omit<HostSetup, 'editors'> = base.automergeRepo && first.documentUrl ? { ...base, automergeRepo: { ...base.automergeRepo, documentUrl: first.documentUrl } } : base;
  const rest = await Promise.all(shares.slice(1).map((editors) => inWorker({ ...withDocument, editors })));
  return [first, ...rest];
}
