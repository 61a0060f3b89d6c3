import { given } from '../shared/given-when-then.js';
import { userDecider, type UserCommand } from './user-decider.js';
import type { UserEvent } from './user-events.js';

const registered: UserEvent = {
  type: 'UserRegistered',
  data: { userId: 'u-ann', email: 'ann@example.com', username: 'Ann', displayName: 'Ann Lee', passwordHash: 'hash-1' },
};
const ann = given(userDecider, [registered]);
const nobody = given(userDecider, []);

describe('registering a user', () => {
  const register: UserCommand = { type: 'RegisterUser', userId: 'u-ann', email: 'ann@example.com', username: 'Ann', displayName: 'Ann Lee', passwordHash: 'hash-1' };

  it('records the user', () => {
    nobody.when(register).thenEmits([registered]);
  });

  it('stores the e-mail address trimmed and lower-cased', () => {
    nobody.when({ ...register, email: '  Ann@Example.COM ' }).thenEmits([registered]);
  });

  it('refuses a user id that is already registered', () => {
    ann.when({ ...register, email: 'other@example.com' }).thenRejects('conflict', 'user_exists');
  });
});

describe('updating a profile', () => {
  it('lets a user change their display name', () => {
    ann.when({ type: 'UpdateUserProfile', actorId: 'u-ann', displayName: 'Ann L.' }).thenEmits([
      { type: 'UserProfileUpdated', data: { userId: 'u-ann', displayName: 'Ann L.', bio: undefined, avatarUrl: undefined } },
    ]);
  });

  it('lets a user change their bio and avatar without the display name', () => {
    ann.when({ type: 'UpdateUserProfile', actorId: 'u-ann', bio: 'Builds rockets', avatarUrl: 'https://example.com/ann.png' }).thenEmits([
      { type: 'UserProfileUpdated', data: { userId: 'u-ann', displayName: undefined, bio: 'Builds rockets', avatarUrl: 'https://example.com/ann.png' } },
    ]);
  });

  it('refuses an update that changes no field', () => {
    ann.when({ type: 'UpdateUserProfile', actorId: 'u-ann' }).thenRejects('invalid', 'nothing_to_change');
  });

  it('refuses to change someone else\'s profile', () => {
    ann.when({ type: 'UpdateUserProfile', actorId: 'u-eve', displayName: 'Hacked' }).thenRejects('forbidden', 'not_your_profile');
  });

  it('answers "not found" for a user who never registered', () => {
    nobody.when({ type: 'UpdateUserProfile', actorId: 'u-ann', displayName: 'Ann' }).thenRejects('not_found', 'user_not_found');
  });
});

describe('recording a sign-in', () => {
  it('records the session, client and address', () => {
    ann.when({ type: 'RecordSignIn', sessionId: 's-1', userAgent: 'curl/8', ip: '10.0.0.1' }).thenEmits([
      { type: 'UserSignedIn', data: { userId: 'u-ann', sessionId: 's-1', userAgent: 'curl/8', ip: '10.0.0.1' } },
    ]);
  });

  it('records a sign-in after the profile changed', () => {
    given(userDecider, [registered, { type: 'UserProfileUpdated', data: { userId: 'u-ann', displayName: 'Ann L.' } }])
      .when({ type: 'RecordSignIn', sessionId: 's-2' })
      .thenEmits([{ type: 'UserSignedIn', data: { userId: 'u-ann', sessionId: 's-2', userAgent: undefined, ip: undefined } }]);
  });

  it('answers "not found" for a user who never registered', () => {
    nobody.when({ type: 'RecordSignIn', sessionId: 's-1' }).thenRejects('not_found', 'user_not_found');
  });
});

describe('names and avatars others will see', () => {
  const register: UserCommand = { type: 'RegisterUser', userId: 'u-ann', email: 'ann@example.com', username: 'Ann', displayName: 'Ann Lee', passwordHash: 'hash-1' };

  it('keeps display names in NFC', () => {
    nobody.when({ ...register, displayName: 'Rene\u0301e' }).thenEmits([{ ...registered, data: { ...registered.data, displayName: 'Ren\u00e9e' } }]);
    ann.when({ type: 'UpdateUserProfile', actorId: 'u-ann', displayName: 'Zo\u00eb' }).thenEmits([
      { type: 'UserProfileUpdated', data: { userId: 'u-ann', displayName: 'Zo\u00eb', bio: undefined, avatarUrl: undefined } },
    ]);
  });

  it.each(['Ann\u202Egnp.exe', 'Ann\u2067Lee', 'Ann\u200ELee', 'Ann\u2028Lee', 'Ann\u0000Lee', 'Ann\u009BLee'])('refuses the display name %j', (displayName) => {
    nobody.when({ ...register, displayName }).thenRejects('invalid', 'invalid_display_name');
    ann.when({ type: 'UpdateUserProfile', actorId: 'u-ann', displayName }).thenRejects('invalid', 'invalid_display_name');
  });

  it.each(['http://example.com/a.png', 'javascript:alert(1)', 'data:image/png;base64,AAAA', 'ftp://example.com/a.png', 'not a url'])('refuses the avatar URL %j', (avatarUrl) => {
    ann.when({ type: 'UpdateUserProfile', actorId: 'u-ann', avatarUrl }).thenRejects('invalid', 'invalid_avatar_url');
  });

  it('accepts an https avatar URL', () => {
    ann.when({ type: 'UpdateUserProfile', actorId: 'u-ann', avatarUrl: 'https://example.com/ann.png' }).thenEmits([
      { type: 'UserProfileUpdated', data: { userId: 'u-ann', displayName: undefined, bio: undefined, avatarUrl: 'https://example.com/ann.png' } },
    ]);
  });
});

describe('erasing a user', () => {
  const erased: UserEvent = { type: 'UserErased', data: { userId: 'u-ann', erasedBy: 'self' } };

  it('records the erasure with nothing personal in it', () => {
    ann.when({ type: 'EraseUser', erasedBy: 'self' }).thenEmits([erased]);
  });

  it('answers "not found" for a user who never registered or is already erased', () => {
    nobody.when({ type: 'EraseUser', erasedBy: 'admin' }).thenRejects('not_found', 'user_not_found');
    given(userDecider, [registered, erased]).when({ type: 'EraseUser', erasedBy: 'admin' }).thenRejects('not_found', 'user_not_found');
  });

  it('forgets the user\'s names and password hash, and refuses sign-ins and profile changes afterwards', () => {
    const state = [registered, erased].reduce(userDecider.evolve, userDecider.initialState());
    expect(state).toEqual({ exists: true, erased: true, userId: 'u-ann', email: '', username: '', displayName: '', passwordHash: '' });
    given(userDecider, [registered, erased]).when({ type: 'RecordSignIn', sessionId: 's-1' }).thenRejects('not_found', 'user_not_found');
    given(userDecider, [registered, erased]).when({ type: 'UpdateUserProfile', actorId: 'u-ann', bio: 'back' }).thenRejects('not_found', 'user_not_found');
  });
});
