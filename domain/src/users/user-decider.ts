/** Users: registration, profile, recorded sign-ins. Uniqueness of email and username is kept by claim streams. */
import type { Decider } from '../shared/decider.js';
import { reject } from '../shared/domain-error.js';
import { toNfc, unsafeCharacterProblem } from '../shared/visible-text.js';
import type { UserEvent } from './user-events.js';

export interface UserState {
  readonly exists: boolean;
  readonly userId: string;
  readonly email: string;
  readonly username: string;
  readonly displayName: string;
  readonly passwordHash: string;
  /** Erased users keep their stream (and ids) but nothing personal; they cannot sign in or change anything. */
  readonly erased: boolean;
}

export type UserCommand =
  | { type: 'RegisterUser'; userId: string; email: string; username: string; displayName: string; passwordHash: string }
  | { type: 'UpdateUserProfile'; actorId: string; displayName?: string; bio?: string; avatarUrl?: string }
  | { type: 'RecordSignIn'; sessionId: string; userAgent?: string; ip?: string }
  /** Who may erase (the user with their password, or an administrator) is checked by the route. */
  | { type: 'EraseUser'; erasedBy: 'self' | 'admin' };

/** A display name as shown to others: NFC, trimmed, without characters that disguise it. */
function checkedDisplayName(displayName: string): string {
  const name = toNfc(displayName).trim();
  const unsafe = unsafeCharacterProblem(name);
  if (unsafe) reject('invalid', 'invalid_display_name', `The display name ${unsafe}`);
  if (name.length === 0) reject('invalid', 'invalid_display_name', 'The display name is empty');
  return name;
}

/** Avatars are fetched by every member's browser: only https, never javascript:, data: or plain http. */
function checkedAvatarUrl(avatarUrl: string): string {
  let url: URL;
  try {
    url = new URL(avatarUrl);
  } catch {
    return reject('invalid', 'invalid_avatar_url', 'The avatar URL is not a URL');
  }
  if (url.protocol !== 'https:') reject('invalid', 'invalid_avatar_url', 'The avatar URL must start with https://');
  return avatarUrl;
}

const initialState = (): UserState => ({ exists: false, userId: '', email: '', username: '', displayName: '', passwordHash: '', erased: false });

function requireLiveUser(state: UserState): void {
  if (!state.exists || state.erased) reject('not_found', 'user_not_found', 'User not found');
}

function decide(command: UserCommand, state: UserState): UserEvent[] {
  switch (command.type) {
    case 'RegisterUser': {
      if (state.exists) reject('conflict', 'user_exists', 'That user is already registered');
      const { userId, email, username, passwordHash } = command;
      const displayName = checkedDisplayName(command.displayName);
      return [{ type: 'UserRegistered', data: { userId, email: email.trim().toLowerCase(), username, displayName, passwordHash } }];
    }
    case 'UpdateUserProfile': {
      requireLiveUser(state);
      if (command.actorId !== state.userId) reject('forbidden', 'not_your_profile', 'You can only change your own profile');
      const { bio } = command;
      if (command.displayName === undefined && bio === undefined && command.avatarUrl === undefined) {
        reject('invalid', 'nothing_to_change', 'Give at least one profile field to change');
      }
      const displayName = command.displayName === undefined ? undefined : checkedDisplayName(command.displayName);
      const avatarUrl = command.avatarUrl === undefined ? undefined : checkedAvatarUrl(command.avatarUrl);
      return [{ type: 'UserProfileUpdated', data: { userId: state.userId, displayName, bio, avatarUrl } }];
    }
    case 'RecordSignIn':
      requireLiveUser(state);
      return [{ type: 'UserSignedIn', data: { userId: state.userId, sessionId: command.sessionId, userAgent: command.userAgent, ip: command.ip } }];
    case 'EraseUser':
      requireLiveUser(state);
      return [{ type: 'UserErased', data: { userId: state.userId, erasedBy: command.erasedBy } }];
  }
}

function evolve(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'UserRegistered':
      return { exists: true, erased: false, ...event.data };
    case 'UserProfileUpdated':
      return { ...state, displayName: event.data.displayName ?? state.displayName };
    case 'UserSignedIn':
      return state;
    case 'UserErased':
      return { ...initialState(), exists: true, erased: true, userId: state.userId };
  }
}

export const userDecider: Decider<UserCommand, UserState, UserEvent> = { initialState, decide, evolve };
