/**
 * The check runner: a reactor that hears of requested checks from the backlog
 * (which follows the event log) and runs each with a bounded pool of workers,
 * taking work round-robin across requesters (fair-queue.ts), so one person's
 * backlog delays another's check by at most one check per worker. A worker
 * first claims the check by appending `CheckStarted` with the stream's
 * expected revision, so of two runner processes only one runs a check; a
 * claim is a lease, and a check whose runner died is taken over once its
 * lease has run out. The backlog reads the log from the beginning, so checks
 * requested but never finished (the process stopped) are resumed. The code
 * to lint is read from the source store by the hashes the request recorded.
 */
import { checkDecider, checkStreamId, DomainError, upcast, type CheckEvent, type CheckRequestedData, type RecordedEvent } from '@resoft/domain';
import type { Logger, OpenSpan } from '@resoft/infra';
import type { EventStore, SourceStore } from '@resoft/ports';
import { inSpan, newId } from '@resoft/infra';
import { readCheckedSources } from '@resoft/ports';
import type { CommandExecutor } from '../command-handling/command-executor.js';
import type { CommandMetadata } from '../command-handling/command-metadata.js';
import type { CheckBacklog } from './check-backlog.js';
import type { CheckEngine } from './check-engine.js';
import { FairQueue } from './fair-queue.js';

export interface CheckRunnerOptions {
  readonly workers: number;
  /** How long a claim holds: longer than any check can take (every tool is stopped at its timeout). */
  readonly leaseMs: number;
  readonly scoringVersion: number;
}

export interface CheckRunnerStats {
  readonly runnerId: string;
  readonly workers: number;
  readonly running: number;
  readonly queued: number;
  readonly completed: number;
  readonly failed: number;
  readonly following: boolean;
}

export class CheckRunner {
  readonly runnerId = `runner-${newId()}`;
  private started = false;
  private readonly queue = new FairQueue<string>();
  private readonly active = new Map<string, Promise<void>>();
  private readonly retries = new Set<NodeJS.Timeout>();
  private stopping = false;
  private completed = 0;
  private failed = 0;

  constructor(
    private readonly store: EventStore,
    private readonly executor: CommandExecutor,
    private readonly engine: CheckEngine,
    private readonly options: CheckRunnerOptions,
    private readonly logger: Logger,
    private readonly backlog: CheckBacklog,
    private readonly sources: SourceStore,
  ) {}

  /** Starts the backlog's follow of the log too (the runner is what every command process starts). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.backlog.listen({
      requested: (check) => this.enqueue(check.checkId, check.requestedBy),
      finished: (checkId) => this.queue.remove(checkId),
      settled: () => this.pump(),
    });
    this.backlog.start();
  }

  stats(): CheckRunnerStats {
    return {
      runnerId: this.runnerId, workers: this.options.workers, running: this.active.size, queued: this.queue.size,
      completed: this.completed, failed: this.failed, following: this.started && this.backlog.following && !this.stopping,
    };
  }

  /** Stops taking checks and waits for the running ones (each bounded by the tools' timeout). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.retries) clearTimeout(timer);
    await this.backlog.stop();
    await Promise.all(this.active.values());
  }

  private enqueue(checkId: string, requestedBy: string): void {
    if (this.active.has(checkId)) return;
    this.queue.push(requestedBy, checkId);
  }

  private pump(): void {
    while (!this.stopping && this.active.size < this.options.workers && this.queue.size > 0) {
      const checkId = this.queue.shift()!;
      const work = this.runCheck(checkId)
        .catch((error) => this.logger.error({ err: error, checkId }, 'check runner failure'))
        .finally(() => {
          this.active.delete(checkId);
          this.pump();
        });
      this.active.set(checkId, work);
    }
  }

  private async runCheck(checkId: string): Promise<void> {
    const streamId = checkStreamId(checkId);
    const [first] = await this.store.readStream(streamId, { maxCount: 1 });
    if (!first || first.type !== 'CheckRequested') return;
    const requested = upcast<CheckRequestedData>(first);
    // The run continues the trace of the request that asked for the check (it may start much later, in another process).
    await inSpan('check run', { parent: requested.metadata.traceparent ?? null, attributes: { 'resoft.check_id': checkId, 'resoft.files': requested.data.files.length } }, (span) =>
      this.runRequested(checkId, streamId, requested, span),
    );
  }

  private async runRequested(checkId: string, streamId: string, requested: RecordedEvent<CheckRequestedData>, span: OpenSpan): Promise<void> {
    const meta: CommandMetadata = { actor: null, correlationId: requested.metadata.correlationId, causationId: requested.id, trace: span };
    const runnerId = this.runnerId;
    try {
      await this.executor.execute(streamId, checkDecider, () => ({ type: 'ClaimCheck' as const, runnerId, now: Date.now(), leaseMs: this.options.leaseMs }), meta);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'check_claimed') this.retryAfterLease(checkId);
      else if (!(error instanceof DomainError && error.code === 'check_finished')) throw error;
      return;
    }
    const log = this.logger.child({ checkId });
    const data = requested.data;
    try {
      const files = (await readCheckedSources(this.sources, data.files))
        .map(({ path, content, language, origin, context }) => ({ path, content, language, ...(origin ? { origin } : {}), ...(context ? { context } : {}) }));
      await this.engine.run(files, data.linters, async (result) => {
        await this.executor.execute(streamId, checkDecider, () => ({ type: 'RecordLinterResult' as const, runnerId, result }), meta);
      }, { requirements: data.requirements ?? null, packageTypes: data.packageTypes ?? {} }, span);
      const outcome = await this.executor.execute(streamId, checkDecider, () => ({ type: 'CompleteCheck' as const, runnerId, formulaVersion: this.options.scoringVersion }), meta);
      const last = outcome.events[outcome.events.length - 1] as CheckEvent | undefined;
      if (last?.type === 'CheckCompleted') this.completed += 1;
      else this.failed += 1;
      log.info({ outcome: last?.type }, 'check finished');
    } catch (error) {
      log.error({ err: error }, 'check could not be run');
      this.failed += 1;
      await this.executor.execute(streamId, checkDecider, () => ({ type: 'FailCheck' as const, runnerId, reason: `The check could not be run: ${(error as Error).message}` }), meta)
        .catch((failure) => log.error({ err: failure }, 'could not record the failure'));
    }
  }

  /** Another runner holds the check: look again when its lease runs out, in case it died. */
  private retryAfterLease(checkId: string): void {
    void this.executor.read(checkStreamId(checkId), checkDecider).then((state) => {
      if (this.stopping) return;
      const timer = setTimeout(() => {
        this.retries.delete(timer);
        const open = this.backlog.get(checkId);
        if (open) this.enqueue(checkId, open.requestedBy);
        this.pump();
      }, Math.max(0, state.leaseUntil - Date.now()) + 1000);
      timer.unref();
      this.retries.add(timer);
    });
  }
}
