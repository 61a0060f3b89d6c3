/**
 * The event envelope: what every stored event looks like, and what a decider's
 * output becomes once the command path has stamped it with ids and metadata.
 */

/** A fact a decider produced: only its type and data. */
export interface DomainEvent<T extends string = string, D = unknown> {
  readonly type: T;
  readonly data: D;
}

/** Metadata written by the command path before the store seals the event. */
export interface EventContext {
  /** Who caused the event (a user id), or null for the system. */
  readonly actor: string | null;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly occurredAt: string;
  /**
   * W3C trace context (`traceparent`) of the span that appended the event, so whoever handles it later
   * continues the same trace. Opaque here; absent when tracing is off. Covered by the hash like the rest.
   */
  readonly traceparent?: string;
}

export interface EventMetadata extends EventContext {
  /** Version of the event's data shape. */
  readonly schema: number;
  /** SHA-256 of the predecessor in the same stream (64 zeros for the first). */
  readonly prevHash: string;
  /** SHA-256 of this event's canonical form, prevHash included. */
  readonly hash: string;
}

/** An event ready to append: everything except what the store assigns. */
export interface NewEvent<D = unknown> {
  readonly id: string;
  readonly type: string;
  readonly data: D;
  readonly metadata: EventContext & { readonly schema: number };
}

/** An event as stored and read back. Revisions count from 0 per stream; positions from 1 in the global log. */
export interface RecordedEvent<D = unknown> {
  readonly id: string;
  readonly type: string;
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
  readonly data: D;
  readonly metadata: EventMetadata;
}

export const GENESIS_HASH = '0'.repeat(64);
