/**
 * Sign-in sessions and refresh-token rotation with reuse detection.
 * Each refresh token belongs to a family (the session) and a generation; only
 * the current generation may be exchanged. Presenting an older one means the
 * token leaked, so the whole family is revoked.
 */
import type { Decider } from '../shared/decider.js';
import { reject } from '../shared/domain-error.js';

export type SessionEvent =
  | { type: 'SessionStarted'; data: { sessionId: string; userId: string; generation: number; tokenHash: string; expiresAt: string } }
  | { type: 'SessionRefreshed'; data: { sessionId: string; generation: number; tokenHash: string; expiresAt: string } }
  | { type: 'SessionRevoked'; data: { sessionId: string; reason: 'logout' | 'reuse_detected' } };

export interface SessionState {
  readonly exists: boolean;
  readonly userId: string;
  readonly generation: number;
  readonly tokenHash: string;
  readonly expiresAt: string;
  readonly revoked: boolean;
  /** Hashes of earlier generations, so only a genuinely reused token (not a guess) revokes the family. */
  readonly rotatedHashes: ReadonlyMap<number, string>;
}

export type SessionCommand =
  | { type: 'StartSession'; sessionId: string; userId: string; tokenHash: string; expiresAt: string }
  /** `now` is passed in so the decider stays pure. */
  | { type: 'RefreshSession'; sessionId: string; generation: number; presentedHash: string; newTokenHash: string; expiresAt: string; now: string }
  | { type: 'EndSession'; sessionId: string; actorId: string };

export const sessionStreamId = (sessionId: string): string => `session-${sessionId}`;

const initialState = (): SessionState => ({ exists: false, userId: '', generation: -1, tokenHash: '', expiresAt: '', revoked: false, rotatedHashes: new Map() });

function decide(command: SessionCommand, state: SessionState): SessionEvent[] {
  switch (command.type) {
    case 'StartSession':
      if (state.exists) reject('conflict', 'session_exists', 'Session already started');
      return [{ type: 'SessionStarted', data: { sessionId: command.sessionId, userId: command.userId, generation: 0, tokenHash: command.tokenHash, expiresAt: command.expiresAt } }];
    case 'RefreshSession': {
      if (!state.exists || state.revoked) reject('unauthenticated', 'session_revoked', 'This session has ended: sign in again');
      if (command.generation < state.generation && state.rotatedHashes.get(command.generation) === command.presentedHash) {
        // An already-rotated token came back: it leaked, so revoke the family.
        return [{ type: 'SessionRevoked', data: { sessionId: command.sessionId, reason: 'reuse_detected' } }];
      }
      if (command.generation !== state.generation || command.presentedHash !== state.tokenHash) {
        reject('unauthenticated', 'invalid_refresh_token', 'Invalid refresh token');
      }
      if (command.now >= state.expiresAt) reject('unauthenticated', 'refresh_token_expired', 'The refresh token has expired: sign in again');
      return [{ type: 'SessionRefreshed', data: { sessionId: command.sessionId, generation: state.generation + 1, tokenHash: command.newTokenHash, expiresAt: command.expiresAt } }];
    }
    case 'EndSession':
      if (!state.exists || state.userId !== command.actorId) reject('not_found', 'session_not_found', 'Session not found');
      if (state.revoked) return [];
      return [{ type: 'SessionRevoked', data: { sessionId: command.sessionId, reason: 'logout' } }];
  }
}

function evolve(state: SessionState, event: SessionEvent): SessionState {
  switch (event.type) {
    case 'SessionStarted':
      return { exists: true, userId: event.data.userId, generation: 0, tokenHash: event.data.tokenHash, expiresAt: event.data.expiresAt, revoked: false, rotatedHashes: new Map() };
    case 'SessionRefreshed':
      return {
        ...state,
        generation: event.data.generation,
        tokenHash: event.data.tokenHash,
        expiresAt: event.data.expiresAt,
        rotatedHashes: new Map(state.rotatedHashes).set(state.generation, state.tokenHash),
      };
    case 'SessionRevoked':
      return { ...state, revoked: true };
  }
}

export const sessionDecider: Decider<SessionCommand, SessionState, SessionEvent> = { initialState, decide, evolve };
