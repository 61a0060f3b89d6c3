/**
 * The write path for one stream: take the state (cached per stream, advanced
 * by this process's own appends), decide, stamp, append with the expected
 * revision. A revision conflict (another process wrote first, or the cached
 * state was stale) reads the new events and decides again, a bounded number of
 * times, then surfaces as 409.
 */
import type { Decider, DomainEvent } from '@resoft/domain';
import { inSpan, type PersonalDataCodec } from '@resoft/infra';
import { WrongExpectedRevisionError, type EventStore } from '@resoft/ports';
import { stampEvents, type CommandMetadata } from './command-metadata.js';
import { KeyedMutex } from './keyed-mutex.js';
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

export class CommandExecutor {
  readonly states: StreamStates;
  private readonly mutex = new KeyedMutex();

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
   */
  async execute<C, S, E extends DomainEvent>(
    streamId: string,
    decider: Decider<C, S, E>,
    makeCommand: (state: S) => C | Promise<C>,
    meta: CommandMetadata,
  ): Promise<CommandOutcome<E>> {
    const attributes = () => ({ 'resoft.stream': streamId, 'resoft.correlation_id': meta.correlationId });
    return inSpan(`command ${streamKind(streamId)}`, { parent: meta.trace, attributes }, (commandSpan) => this.mutex.run(streamId, async () => {
      for (let attempt = 1; ; attempt += 1) {
        // The first attempt decides on the cached state without reading the log: the append's expected
        // revision proves it current. Only an outcome that writes nothing (no events, a rejection) is
        // checked against the log first, since no append would catch a stale state there.
        const cached = attempt === 1 ? this.states.peek<S>(streamId) : null;
        const { state, revision } = cached ?? (await this.states.load(streamId, decider));
        let events: readonly E[];
        try {
          events = decider.decide(await makeCommand(state), state);
        } catch (rejection) {
          if (cached && (await this.states.movedSince(streamId, decider, cached))) continue;
          throw rejection;
        }
        if (events.length === 0) {
          if (cached && (await this.states.movedSince(streamId, decider, cached))) continue;
          return { events, position: await this.store.headPosition() };
        }
        try {
          const stored = this.personalData ? await this.personalData.seal(events) : events;
          const result = await inSpan('event-store append', { role: 'client', parent: commandSpan, attributes: () => ({ ...attributes(), 'resoft.events': events.length }) }, (appendSpan) =>
            this.store.append(streamId, stampEvents(stored, meta, new Date(), appendSpan.traceparent), revision === -1 ? 'no_stream' : revision),
          );
          this.states.remember(streamId, { state: events.reduce(decider.evolve, state), revision: result.nextRevision });
          return { events: events as E[], position: result.position };
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
          // A stale cached state is not contention: decide again at once on what the log holds.
          if (!cached) await retryPause(attempt);
        }
      }
    }));
  }

  /** Reads a stream's decided state without changing it. */
  async read<S>(streamId: string, decider: Pick<Decider<never, S, never>, 'initialState' | 'evolve'>): Promise<S> {
    return (await this.states.load(streamId, decider)).state;
  }
}
