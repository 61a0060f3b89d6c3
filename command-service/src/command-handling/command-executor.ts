/**
 * The write path for one stream: take the state (cached per stream, advanced
 * by this process's own appends), decide, stamp, append with the expected
 * revision. A revision conflict (another process wrote first, or the cached
 * state was stale) reads the new events and decides again, a bounded number of
 * times, then surfaces as 409.
 */
import type { Decider, DomainEvent, NewEvent } from '@resoft/domain';
import { inSpan, type OpenSpan, type PersonalDataCodec } from '@resoft/infra';
import { WrongExpectedRevisionError, type EventStore } from '@resoft/ports';
import { stampEvents, type CommandMetadata } from './command-metadata.js';
import { StreamStates } from './stream-states.js';

export interface CommandOutcome<E extends DomainEvent> {
  readonly events: readonly E[];
  /** Global position of the last new event, or the log's head when the command changed nothing. */
  readonly position: number;
}

/** Enough for a busy stream written by several command processes at once; each retry waits a little, with jitter. */
const MAX_ATTEMPTS = 10;
const retryPause = (attempt: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));

/** `project` for `project-<id>`: span names stay few (the id is an attribute). */
const streamKind = (streamId: string): string => streamId.slice(0, Math.max(0, streamId.indexOf('-'))) || streamId;

/** One command waiting for its stream. */
interface Job {
  readonly decider: Decider<unknown, unknown, DomainEvent>;
  readonly makeCommand: (state: unknown) => unknown;
  readonly meta: CommandMetadata;
  readonly batchable: boolean;
  /** The command's span, the parent of the append that carries its events. */
  readonly span: OpenSpan;
  readonly resolve: (outcome: CommandOutcome<DomainEvent>) => void;
  readonly reject: (error: unknown) => void;
}

/** A job's decision within a batch: its events, or why it was refused. */
type Decision = { readonly job: Job; readonly events: readonly DomainEvent[] } | { readonly job: Job; readonly rejection: unknown };

/** At most this many commands of one stream go into one append. */
const MAX_BATCH = 64;

export interface ExecuteOptions {
  /**
   * The command's decision does not depend on the other commands of the stream that arrive with it
   * (a chat post: its own new message id, the room's members and the project's): it may be decided on
   * the same state as they are and appended in one call with them (group commit). Deciders evolve
   * states in place (a room's messages), so commands that build on each other are never batched.
   */
  readonly batchable?: boolean;
}

export class CommandExecutor {
  readonly states: StreamStates;
  /** Commands waiting for their stream, per stream; a stream has an entry while its commands run. */
  private readonly queues = new Map<string, Job[]>();

  /**
   * With `personalData`, personal fields of decided events are sealed with their owner's key before the
   * append, and revealed when streams are loaded: deciders and the cached states only ever see clear values.
   */
  constructor(private readonly store: EventStore, private readonly personalData: PersonalDataCodec | null = null) {
    this.states = new StreamStates(store, undefined, personalData);
  }

  /**
   * `makeCommand` runs after the state is loaded (and again on retry), so it
   * can read other streams the decision depends on (a project's members, say).
   *
   * Commands of one stream run one after another. Batchable ones (see ExecuteOptions) that arrive in
   * the same turn of the event loop, or while the stream is busy, go together: each is decided on the
   * same state, all their events are appended in one call (one transaction on SQLite), and each
   * command is answered with its own events and position; one that is refused does not stop the others.
   */
  execute<C, S, E extends DomainEvent>(
    streamId: string,
    decider: Decider<C, S, E>,
    makeCommand: (state: S) => C | Promise<C>,
    meta: CommandMetadata,
    options: ExecuteOptions = {},
  ): Promise<CommandOutcome<E>> {
    const attributes = () => ({ 'resoft.stream': streamId, 'resoft.correlation_id': meta.correlationId });
    return inSpan(`command ${streamKind(streamId)}`, { parent: meta.trace, attributes }, (span) => new Promise<CommandOutcome<E>>((resolve, reject) => {
      const job: Job = {
        decider: decider as unknown as Job['decider'], makeCommand: makeCommand as Job['makeCommand'], meta, span, batchable: options.batchable === true,
        resolve: resolve as Job['resolve'], reject,
      };
      const queue = this.queues.get(streamId);
      if (queue) {
        queue.push(job);
        return;
      }
      const started = [job];
      this.queues.set(streamId, started);
      // After the requests already read in this turn of the event loop: a command runs to its append
      // without giving the loop a turn (SQLite answers synchronously), so it is the wait here that lets
      // the commands that arrive together go into one append.
      setImmediate(() => void this.drain(streamId, started));
    }));
  }

  /** Reads a stream's decided state without changing it. */
  async read<S>(streamId: string, decider: Pick<Decider<never, S, never>, 'initialState' | 'evolve'>): Promise<S> {
    return (await this.states.load(streamId, decider)).state;
  }

  /** Runs the stream's waiting commands, a batch at a time, until none is left. */
  private async drain(streamId: string, queue: Job[]): Promise<void> {
    try {
      while (queue.length > 0) {
        // A batch is batchable commands with one decider (one per stream kind in practice); any other command runs alone.
        const decider = queue[0]!.decider;
        let size = 1;
        if (queue[0]!.batchable) while (size < queue.length && size < MAX_BATCH && queue[size]!.batchable && queue[size]!.decider === decider) size += 1;
        const batch = queue.splice(0, size);
        try {
          await this.runBatch(streamId, decider, batch);
        } catch (error) {
          for (const job of batch) job.reject(error);
        }
      }
    } finally {
      this.queues.delete(streamId);
    }
  }

  private async runBatch(streamId: string, decider: Job['decider'], jobs: readonly Job[]): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      // The first attempt decides on the cached state without reading the log: the append's expected
      // revision proves it current. Only an outcome that writes nothing (no events, a rejection) is
      // checked against the log first, since no append would catch a stale state there.
      const cached = attempt === 1 ? this.states.peek<unknown>(streamId) : null;
      const { state, revision } = cached ?? (await this.states.load(streamId, decider));
      // Every command of the batch on the same state, which changes only once the append has succeeded.
      const decisions: Decision[] = [];
      for (const job of jobs) {
        try {
          decisions.push({ job, events: decider.decide(await job.makeCommand(state), state) });
        } catch (rejection) {
          decisions.push({ job, rejection });
        }
      }
      const writesNothing = decisions.some((d) => !('events' in d) || d.events.length === 0);
      if (cached && writesNothing && (await this.states.movedSince(streamId, decider, cached))) continue;
      const appending = decisions.filter((d): d is Extract<Decision, { events: unknown }> => 'events' in d && d.events.length > 0);
      let positions: number[] = [];
      if (appending.length > 0) {
        try {
          positions = await this.append(streamId, appending, revision, decider, state);
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
          // A stale cached state is not contention: decide again at once on what the log holds.
          if (!cached) await retryPause(attempt);
          continue;
        }
      }
      // The written ones are answered first: a failure to read the head afterwards is only the others'.
      let appended = 0;
      for (const decision of appending) decision.job.resolve({ events: decision.events, position: positions[(appended += decision.events.length) - 1]! });
      const unchanged = decisions.filter((d) => !('events' in d) || d.events.length === 0);
      for (const decision of unchanged) if (!('events' in decision)) decision.job.reject(decision.rejection);
      const idle = unchanged.filter((d): d is Extract<Decision, { events: unknown }> => 'events' in d);
      if (idle.length > 0) {
        const head = await this.store.headPosition().catch((error: unknown) => {
          for (const decision of idle) decision.job.reject(error);
          return null;
        });
        if (head !== null) for (const decision of idle) decision.job.resolve({ events: decision.events, position: head });
      }
      return;
    }
  }

  /** Appends the batch's events in one call; the global position of each event, in order. */
  private async append(streamId: string, decided: readonly { readonly job: Job; readonly events: readonly DomainEvent[] }[], revision: number, decider: Job['decider'], state: unknown): Promise<number[]> {
    const leader = decided[0]!.job;
    const count = decided.reduce((n, d) => n + d.events.length, 0);
    const attributes = () => ({ 'resoft.stream': streamId, 'resoft.correlation_id': leader.meta.correlationId, 'resoft.events': count, 'resoft.commands': decided.length });
    const result = await inSpan('event-store append', { role: 'client', parent: leader.span, attributes }, async (appendSpan) => {
      const stamped: NewEvent[] = [];
      for (const { job, events } of decided) {
        const stored = this.personalData ? await this.personalData.seal(events) : events;
        // The leader's events name the append's span; the others their own command's.
        stamped.push(...stampEvents(stored, job.meta, new Date(), job === leader ? appendSpan.traceparent : job.span.traceparent));
      }
      return this.store.append(streamId, stamped, revision === -1 ? 'no_stream' : revision);
    });
    this.states.remember(streamId, { state: decided.reduce((s, d) => d.events.reduce(decider.evolve, s), state), revision: result.nextRevision });
    // The store says where each event went; one that does not gets the append's last position for each:
    // never before the event itself, so a read with `?after=` still sees the write.
    return result.positions ? [...result.positions] : Array.from({ length: count }, () => result.position);
  }
}
