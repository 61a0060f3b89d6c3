import { given } from '../shared/given-when-then.js';
import { sessionDecider, type SessionCommand, type SessionEvent } from './session-decider.js';

const EXPIRES = '2026-01-08T00:00:00.000Z';
const LATER = '2026-01-15T00:00:00.000Z';
const BEFORE_EXPIRY = '2026-01-07T23:59:59.999Z';

const started: SessionEvent = { type: 'SessionStarted', data: { sessionId: 's-1', userId: 'u-ann', generation: 0, tokenHash: 'hash-0', expiresAt: EXPIRES } };
const refreshed = (generation: number, expiresAt = LATER): SessionEvent =>
  ({ type: 'SessionRefreshed', data: { sessionId: 's-1', generation, tokenHash: `hash-${generation}`, expiresAt } });
const revoked = (reason: 'logout' | 'reuse_detected'): SessionEvent => ({ type: 'SessionRevoked', data: { sessionId: 's-1', reason } });

/** Presents the refresh token of a generation (its hash is `hash-<generation>`) and asks for the next one. */
const refresh = (generation: number, now = BEFORE_EXPIRY, presentedHash = `hash-${generation}`): SessionCommand => ({
  type: 'RefreshSession', sessionId: 's-1', generation, presentedHash, newTokenHash: `hash-${generation + 1}`, expiresAt: LATER, now,
});

describe('starting a session', () => {
  it('records generation 0 of a new token family', () => {
    given(sessionDecider, []).when({ type: 'StartSession', sessionId: 's-1', userId: 'u-ann', tokenHash: 'hash-0', expiresAt: EXPIRES })
      .thenEmits([started]);
  });

  it('refuses a session id that was already started', () => {
    given(sessionDecider, [started]).when({ type: 'StartSession', sessionId: 's-1', userId: 'u-eve', tokenHash: 'x', expiresAt: EXPIRES })
      .thenRejects('conflict', 'session_exists');
  });
});

describe('refreshing a session', () => {
  it('rotates the current token to the next generation', () => {
    given(sessionDecider, [started]).when(refresh(0)).thenEmits([
      { type: 'SessionRefreshed', data: { sessionId: 's-1', generation: 1, tokenHash: 'hash-1', expiresAt: LATER } },
    ]);
  });

  it('rotates again from the generation it rotated to', () => {
    given(sessionDecider, [started, refreshed(1)]).when(refresh(1)).thenEmits([refreshed(2)]);
  });

  it('revokes the whole family when an already-rotated token comes back', () => {
    given(sessionDecider, [started, refreshed(1)]).when(refresh(0)).thenEmits([revoked('reuse_detected')]);
  });

  it('revokes the family for a token several generations old', () => {
    given(sessionDecider, [started, refreshed(1), refreshed(2)]).when(refresh(0)).thenEmits([revoked('reuse_detected')]);
  });

  it('does not revoke the family for a guessed old token whose secret never existed', () => {
    given(sessionDecider, [started, refreshed(1)]).when(refresh(0, BEFORE_EXPIRY, 'forged')).thenRejects('unauthenticated', 'invalid_refresh_token');
  });

  it('refuses even the current token once reuse revoked the family', () => {
    given(sessionDecider, [started, refreshed(1), revoked('reuse_detected')]).when(refresh(1)).thenRejects('unauthenticated', 'session_revoked');
  });

  it('refuses the current token after logout', () => {
    given(sessionDecider, [started, revoked('logout')]).when(refresh(0)).thenRejects('unauthenticated', 'session_revoked');
  });

  it('refuses a session that was never started', () => {
    given(sessionDecider, []).when(refresh(0)).thenRejects('unauthenticated', 'session_revoked');
  });

  it('refuses a token whose hash does not match the current one', () => {
    given(sessionDecider, [started]).when(refresh(0, BEFORE_EXPIRY, 'forged')).thenRejects('unauthenticated', 'invalid_refresh_token');
  });

  it('refuses a generation that was never issued', () => {
    given(sessionDecider, [started]).when(refresh(1)).thenRejects('unauthenticated', 'invalid_refresh_token');
  });

  it('refuses the current token at the moment it expires', () => {
    given(sessionDecider, [started]).when(refresh(0, EXPIRES)).thenRejects('unauthenticated', 'refresh_token_expired');
  });

  it('refuses the current token after it expired', () => {
    given(sessionDecider, [started]).when(refresh(0, '2026-02-01T00:00:00.000Z')).thenRejects('unauthenticated', 'refresh_token_expired');
  });

  it('judges expiry by the latest rotation, not the first token', () => {
    given(sessionDecider, [started, refreshed(1, LATER)]).when(refresh(1, '2026-01-10T00:00:00.000Z')).thenEmits([refreshed(2)]);
  });
});

describe('ending a session', () => {
  it('lets its user log out', () => {
    given(sessionDecider, [started]).when({ type: 'EndSession', sessionId: 's-1', actorId: 'u-ann' }).thenEmits([revoked('logout')]);
  });

  it('lets its user log out after rotations', () => {
    given(sessionDecider, [started, refreshed(1)]).when({ type: 'EndSession', sessionId: 's-1', actorId: 'u-ann' }).thenEmits([revoked('logout')]);
  });

  it('records nothing when the session has already ended', () => {
    given(sessionDecider, [started, revoked('reuse_detected')]).when({ type: 'EndSession', sessionId: 's-1', actorId: 'u-ann' }).thenEmitsNothing();
  });

  it('answers "not found" to anyone else, so sessions stay hidden', () => {
    given(sessionDecider, [started]).when({ type: 'EndSession', sessionId: 's-1', actorId: 'u-eve' }).thenRejects('not_found', 'session_not_found');
  });

  it('answers "not found" for a session that was never started', () => {
    given(sessionDecider, []).when({ type: 'EndSession', sessionId: 's-1', actorId: 'u-ann' }).thenRejects('not_found', 'session_not_found');
  });
});
