/**
 * Erasing a user (GDPR art. 17) by crypto-shredding: their data key is destroyed, then `UserErased` is
 * recorded (it holds no personal data). Their events stay, so every hash chain and Merkle proof still
 * verifies; the sealed personal fields in them can no longer be opened, and every reader (projections,
 * rebuilds, command state) reads them as "erased user". The key goes first: if the process dies before the
 * event, the data is already unreadable and erasing again records the event.
 */
import { userDecider, userStreamId, type UserEvent } from '@resoft/domain';
import type { EventStore, KeyStore } from '@resoft/ports';
import type { CommandExecutor } from '../command-handling/command-executor.js';
import type { CommandMetadata } from '../command-handling/command-metadata.js';

export interface UserErasure {
  readonly executor: CommandExecutor;
  readonly store: EventStore;
  readonly keys: KeyStore;
  /** Stops the access tokens of one session. */
  readonly revokeSession: (sessionId: string) => Promise<void>;
}

/** Destroys the key, records the erasure and ends every session the user signed in with. Answers the event's position. */
export async function eraseUser(parts: UserErasure, userId: string, erasedBy: 'self' | 'admin', meta: CommandMetadata): Promise<number> {
  await parts.keys.destroy(userId);
  const outcome = await parts.executor.execute(userStreamId(userId), userDecider, () => ({ type: 'EraseUser' as const, erasedBy }), meta);
  // Sign-ins name their sessions: each one's access tokens stop now (refresh is refused for an erased user).
  const events = await parts.store.readStream(userStreamId(userId));
  const sessions = events.filter((e) => e.type === 'UserSignedIn').map((e) => (e.data as Extract<UserEvent, { type: 'UserSignedIn' }>['data']).sessionId);
  for (const sessionId of new Set(sessions)) await parts.revokeSession(sessionId);
  return outcome.position;
}
