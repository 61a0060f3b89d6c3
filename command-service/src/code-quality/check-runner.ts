/**
 * The check runner: a reactor that follows the event log for `CheckRequested`
 * and runs each check with a bounded pool of workers. A worker first claims
 * the check by appending `CheckStarted` with the stream's expected revision,
 * so of two runner processes only one runs a check; a claim is a lease, and a
 * check whose runner died is taken over once its lease has run out. On start
 * the runner reads the log from the beginning, so checks requested but never
 * finished (the process stopped) are resumed.
 */
import { checkDecider, checkStreamId, DomainError, type CheckEvent, type CheckRequestedData, type RecordedEvent } from '@resoft/domain';
import type { EventStore, Logger, Subscription } from '@resoft/infra';
import { newId } from '@resoft/infra';
import type { CommandExecutor } from '../command-handling/command-executor.js';
import type { CommandMetadata } from '../command-handling/command-metadata.js';
import type { CheckEngine } from './check-engine.js';

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
  private subscription: Subscription | null = null;
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
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
  ) {}

  start(): void {
    if (this.subscription) return;
    this.subscription = this.store.subscribeToAll({
      after: 0,
      onEvents: async (events) => this.onEvents(events),
      onError: (error) => this.logger.error({ err: error }, 'the check runner stopped following the log'),
    });
  }

  stats(): CheckRunnerStats {
    return {
      runnerId: this.runnerId, workers: this.options.workers, running: this.active.size, queued: this.queue.length,
      completed: this.completed, failed: this.failed, following: this.subscription !== null && !this.stopping,
    };
  }

  /** Stops taking checks and waits for the running ones (each bounded by the tools' timeout). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.retries) clearTimeout(timer);
    await this.subscription?.stop();
    await Promise.all(this.active.values());
  }

  private async onEvents(events: readonly RecordedEvent[]): Promise<void> {
    for (const event of events) {
      if (!event.streamId.startsWith('check-')) continue;
      const checkId = (event.data as { checkId: string }).checkId;
      if (event.type === 'CheckRequested') this.enqueue(checkId);
      else if (event.type === 'CheckCompleted' || event.type === 'CheckFailed') this.dequeue(checkId);
    }
    this.pump();
  }

  private enqueue(checkId: string): void {
    if (this.queued.has(checkId) || this.active.has(checkId)) return;
    this.queued.add(checkId);
    this.queue.push(checkId);
  }

  private dequeue(checkId: string): void {
    if (!this.queued.delete(checkId)) return;
    this.queue.splice(this.queue.indexOf(checkId), 1);
  }

  private pump(): void {
    while (!this.stopping && this.active.size < this.options.workers && this.queue.length > 0) {
      const checkId = this.queue.shift()!;
      this.queued.delete(checkId);
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
    const [requested] = await this.store.readStream(streamId, { maxCount: 1 });
    if (!requested || requested.type !== 'CheckRequested') return;
    const meta: CommandMetadata = { actor: null, correlationId: requested.metadata.correlationId, causationId: requested.id };
    const runnerId = this.runnerId;
    try {
      await this.executor.execute(streamId, checkDecider, () => ({ type: 'ClaimCheck' as const, runnerId, now: Date.now(), leaseMs: this.options.leaseMs }), meta);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'check_claimed') this.retryAfterLease(checkId);
      else if (!(error instanceof DomainError && error.code === 'check_finished')) throw error;
      return;
    }
    const log = this.logger.child({ checkId });
    const data = requested.data as CheckRequestedData;
    try {
      await this.engine.run(data.files, data.linters, async (result) => {
        await this.executor.execute(streamId, checkDecider, () => ({ type: 'RecordLinterResult' as const, runnerId, result }), meta);
      });
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
        this.enqueue(checkId);
        this.pump();
      }, Math.max(0, state.leaseUntil - Date.now()) + 1000);
      timer.unref();
      this.retries.add(timer);
    });
  }
}
