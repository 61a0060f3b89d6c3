/**
 * Current state of streams for deciding commands, kept in a bounded LRU.
 * A load reads what was appended since the cached revision, so other
 * processes' writes are seen; a peek does not, and the append's expected
 * revision catches a stale peek.
 */
import { fold, upcast, type Decider, type DomainEvent } from '@resoft/domain';
import type { PersonalDataCodec } from '@resoft/infra';
import type { EventStore } from '@resoft/ports';

export interface StreamState<S> {
  readonly state: S;
  /** Revision of the last event folded in; -1 when the stream does not exist. */
  readonly revision: number;
}

type AnyDecider = Pick<Decider<unknown, unknown, DomainEvent>, 'initialState' | 'evolve'>;

export class StreamStates {
  private readonly entries = new Map<string, StreamState<unknown>>();

  constructor(
    private readonly store: EventStore,
    private readonly maxEntries = 10_000,
    /** Reveals sealed personal data, so deciders decide on clear values (an erased user's read as erased). */
    private readonly personalData: PersonalDataCodec | null = null,
  ) {}

  async load<S>(streamId: string, decider: Pick<Decider<never, S, never>, 'initialState' | 'evolve'>): Promise<StreamState<S>> {
    const d = decider as unknown as AnyDecider;
    const cached = this.entries.get(streamId);
    const events = await this.store.readStream(streamId, cached ? { fromRevision: cached.revision + 1 } : {});
    const upcastEvents = events.map((e) => upcast(e) as DomainEvent);
    const lifted = this.personalData ? await this.personalData.reveal(upcastEvents) : upcastEvents;
    let entry: StreamState<unknown>;
    if (!cached) {
      entry = { state: fold(d, lifted), revision: events.length ? events[events.length - 1]!.revision : -1 };
    } else if (events.length) {
      entry = { state: lifted.reduce((s, e) => d.evolve(s, e), cached.state), revision: events[events.length - 1]!.revision };
    } else {
      entry = cached;
    }
    this.remember(streamId, entry);
    return entry as StreamState<S>;
  }

  /** The cached state as it is, without reading the log (it may be behind other processes' writes). */
  peek<S>(streamId: string): StreamState<S> | null {
    return (this.entries.get(streamId) as StreamState<S> | undefined) ?? null;
  }

  /** Reads what was appended after `seen`; true when there was something (the cache now holds it). */
  async movedSince<S>(streamId: string, decider: Pick<Decider<never, S, never>, 'initialState' | 'evolve'>, seen: StreamState<S>): Promise<boolean> {
    this.remember(streamId, seen);
    return (await this.load(streamId, decider)).revision !== seen.revision;
  }

  /** Records the state after a successful append. */
  remember(streamId: string, entry: StreamState<unknown>): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  forget(streamId: string): void {
    this.entries.delete(streamId);
  }
}
