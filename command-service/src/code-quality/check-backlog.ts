/**
 * The checks requested and not yet finished, as the event log says, with who requested each and in
 * which project: what the limits on queued + running checks count, and what the runner queues.
 *
 * It follows the whole log from the start (one subscription per command process, shared with the
 * runner), so it counts checks requested through any process on the same event store. Another
 * process's request is seen once this process reads it (at once in process; within
 * RESOFT_EVENT_POLL_MS on a shared SQLite file; as the engine pushes it on EventStoreDB). Requests
 * this process has admitted but whose event it has not read back yet are held as reservations, so
 * concurrent requests to one process never overshoot a limit; concurrent requests to several
 * processes within that delay can, by at most one limit's worth per process.
 */
import { checkDecider, checkStreamId, upcast, type CheckEvent, type CheckState, type RecordedEvent } from '@resoft/domain';
import type { Logger } from '@resoft/infra';
import type { EventStore, Subscription } from '@resoft/ports';

export interface OpenCheck {
  readonly checkId: string;
  readonly requestedBy: string;
  readonly projectId: string | null;
  running: boolean;
}

/** What the runner hears: checks to queue, and checks finished (by anyone) to drop. */
export interface BacklogListener {
  requested(check: OpenCheck): void;
  finished(checkId: string): void;
  /** After each batch of events, when the runner may start work. */
  settled(): void;
}

/** Whatever the decider's fold calls neither of these has finished, so an outcome added later needs no change here. */
const OPEN_STATUSES = new Set<CheckState['status']>(['requested', 'running']);
/** What a check is assumed to take before any has finished here, for Retry-After. */
const DEFAULT_DURATION_MS = 10_000;

export class CheckBacklog {
  private readonly open = new Map<string, OpenCheck>();
  /** The decider's state of each open check, folded as its events arrive. */
  private readonly states = new Map<string, CheckState>();
  private readonly reserved = new Map<string, { requestedBy: string; projectId: string | null }>();
  private readonly perUser = new Map<string, number>();
  private readonly perProject = new Map<string, number>();
  private readonly startedAt = new Map<string, number>();
  private readonly listeners = new Set<BacklogListener>();
  private subscription: Subscription | null = null;
  private position = 0;
  private target = Number.POSITIVE_INFINITY;
  private caughtUpWaiters: (() => void)[] = [];
  private durationMs: number | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly logger: Logger,
  ) {}

  /** Starts following the log from its beginning; calling it again does nothing. */
  start(): void {
    if (this.subscription) return;
    void this.store.headPosition().then((head) => {
      this.target = head;
      this.notifyIfCaughtUp();
    }, (error) => this.logger.error({ err: error }, 'the check backlog could not read the head of the log'));
    this.subscription = this.store.subscribeToAll({
      after: 0,
      onEvents: async (events) => this.onEvents(events),
      onError: (error) => this.logger.error({ err: error }, 'the check backlog stopped following the log'),
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
  }

  get following(): boolean {
    return this.subscription !== null;
  }

  /** Adds a listener, first telling it of the checks already open (it may come after the backlog started). */
  listen(listener: BacklogListener): void {
    this.listeners.add(listener);
    for (const check of this.open.values()) listener.requested(check);
    if (this.open.size > 0) listener.settled();
  }

  /** Resolves true once the log as it was at start has been read (so counts include every older check), false after `timeoutMs`. */
  caughtUp(timeoutMs: number): Promise<boolean> {
    if (this.position >= this.target) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.caughtUpWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  get(checkId: string): OpenCheck | undefined {
    return this.open.get(checkId);
  }

  /** Open checks (queued or running, reservations included) of a requester. */
  openOfUser(userId: string): number {
    return this.perUser.get(userId) ?? 0;
  }

  openOfProject(projectId: string): number {
    return this.perProject.get(projectId) ?? 0;
  }

  get size(): { readonly open: number; readonly running: number; readonly reserved: number } {
    let running = 0;
    for (const check of this.open.values()) if (check.running) running += 1;
    return { open: this.open.size, running, reserved: this.reserved.size };
  }

  /** A typical check's run time here (moving average of the last ones seen finishing), for Retry-After. */
  typicalDurationMs(): number {
    return this.durationMs ?? DEFAULT_DURATION_MS;
  }

  /** Counts a check this process is about to request, until its event is read back or `release` is called. */
  reserve(checkId: string, requestedBy: string, projectId: string | null): void {
    if (this.reserved.has(checkId) || this.open.has(checkId)) return;
    this.reserved.set(checkId, { requestedBy, projectId });
    this.count(requestedBy, projectId, 1);
  }

  /** The request failed before its event was appended. */
  release(checkId: string): void {
    const reservation = this.reserved.get(checkId);
    if (!reservation) return;
    this.reserved.delete(checkId);
    this.count(reservation.requestedBy, reservation.projectId, -1);
  }

  private onEvents(events: readonly RecordedEvent[]): void {
    for (const event of events) {
      this.position = event.position;
      if (!event.streamId.startsWith('check-')) continue;
      const { checkId } = event.data as { checkId: string };
      if (event.streamId !== checkStreamId(checkId)) continue;
      const before = event.type === 'CheckRequested' ? checkDecider.initialState() : this.states.get(checkId);
      if (!before) continue;
      const after = checkDecider.evolve(before, upcast(event) as unknown as CheckEvent);
      if (before.status === 'none') {
        if (this.open.has(checkId)) continue;
        this.states.set(checkId, after);
        this.onRequested(checkId, after.requestedBy, after.projectId);
      } else if (!OPEN_STATUSES.has(after.status)) {
        this.states.delete(checkId);
        this.onFinished(checkId, event.metadata.occurredAt);
      } else {
        this.states.set(checkId, after);
        if (event.type === 'CheckStarted') this.onStarted(checkId, event.metadata.occurredAt);
      }
    }
    for (const listener of this.listeners) listener.settled();
    this.notifyIfCaughtUp();
  }

  private onRequested(checkId: string, requestedBy: string, projectId: string | null): void {
    if (this.open.has(checkId)) return;
    // The reservation becomes the check itself: counted once.
    this.release(checkId);
    const check: OpenCheck = { checkId, requestedBy, projectId, running: false };
    this.open.set(checkId, check);
    this.count(requestedBy, projectId, 1);
    for (const listener of this.listeners) listener.requested(check);
  }

  private onStarted(checkId: string, occurredAt: string): void {
    const check = this.open.get(checkId);
    if (!check) return;
    check.running = true;
    this.startedAt.set(checkId, Date.parse(occurredAt));
  }

  private onFinished(checkId: string, occurredAt: string): void {
    const check = this.open.get(checkId);
    if (!check) return;
    this.open.delete(checkId);
    this.count(check.requestedBy, check.projectId, -1);
    const started = this.startedAt.get(checkId);
    this.startedAt.delete(checkId);
    const took = started === undefined ? Number.NaN : Date.parse(occurredAt) - started;
    if (Number.isFinite(took) && took >= 0) this.durationMs = this.durationMs === null ? took : 0.8 * this.durationMs + 0.2 * took;
    for (const listener of this.listeners) listener.finished(checkId);
  }

  private count(requestedBy: string, projectId: string | null, delta: number): void {
    bump(this.perUser, requestedBy, delta);
    if (projectId !== null) bump(this.perProject, projectId, delta);
  }

  private notifyIfCaughtUp(): void {
    if (this.position < this.target) return;
    const waiters = this.caughtUpWaiters;
    this.caughtUpWaiters = [];
    for (const wake of waiters) wake();
  }
}

function bump(counts: Map<string, number>, key: string, delta: number): void {
  const next = (counts.get(key) ?? 0) + delta;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}
