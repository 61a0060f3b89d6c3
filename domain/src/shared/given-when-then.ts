/**
 * Given/when/then for deciders, so a spec reads as a sentence:
 * `given(decider, history).when(command).thenEmits(events)` or `.thenRejects(kind, code)`.
 * The history is folded with the decider's own `evolve`, so every spec exercises it too.
 */
import { fold, type Decider } from './decider.js';
import { DomainError, type RejectionKind } from './domain-error.js';
import type { DomainEvent } from '../events/envelope.js';

// The outcome methods are not named `then`: an object with a `then` method is a thenable, and
// `await` or a returned test would treat it as a promise.
export interface Outcome<Event> {
  /** The command is accepted and records exactly these events, in this order. */
  thenEmits(expected: readonly Event[]): void;
  /** The command is accepted and changes nothing (a repeat that is already true). */
  thenEmitsNothing(): void;
  /** The command is refused with this kind and code. */
  thenRejects(kind: RejectionKind, code: string): void;
}

export function given<Command, State, Event extends DomainEvent>(
  decider: Decider<Command, State, Event>,
  history: readonly Event[] = [],
): { when(command: Command): Outcome<Event> } {
  return {
    when(command) {
      const decide = (): Event[] => decider.decide(command, fold(decider, history));
      return {
        thenEmits(expected) {
          expect(decide()).toEqual(expected);
        },
        thenEmitsNothing() {
          expect(decide()).toEqual([]);
        },
        thenRejects(kind, code) {
          let emitted: Event[];
          try {
            emitted = decide();
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
            const { kind: actualKind, code: actualCode } = error as DomainError;
            expect({ kind: actualKind, code: actualCode }).toEqual({ kind, code });
            return;
          }
          throw new Error(`Expected a rejection ${kind}/${code}, but the command was accepted with ${JSON.stringify(emitted)}`);
        },
      };
    },
  };
}
