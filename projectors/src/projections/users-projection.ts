/**
 * The `users` read model: public profile and last sign-in. Password hashes never reach it. Personal
 * fields arrive revealed (see revealing-personal-data.ts); an erased user keeps their id and dates only.
 */
import { ERASED_DISPLAY_NAME, ERASED_USERNAME, type RecordedEvent, type UserEvent } from '@resoft/domain';
import type { Document } from '@resoft/ports';
import type { Projection, ProjectionUnitOfWork } from '../runtime/projection.js';
import { ReadModels } from './read-model-names.js';

export interface UserView extends Document {
  id: string;
  email: string;
  username: string;
  displayName: string;
  bio: string;
  avatarUrl: string | null;
  createdAt: string;
  lastSignInAt: string | null;
  /** True once the user was erased (GDPR art. 17): names read as "Erased user". */
  erased?: boolean;
}

export const usersProjection: Projection = {
  name: 'users',
  collections: [{ name: ReadModels.users, indexes: ['username', 'email'] }],
  handles: new Set(['UserRegistered', 'UserProfileUpdated', 'UserSignedIn', 'UserErased']),
  async apply(recorded: RecordedEvent, unit: ProjectionUnitOfWork) {
    const event = recorded as unknown as UserEvent & RecordedEvent;
    if (event.type === 'UserRegistered') {
      const { userId, email, username, displayName } = event.data;
      const user: UserView = { id: userId, email, username, displayName, bio: '', avatarUrl: null, createdAt: recorded.metadata.occurredAt, lastSignInAt: null };
      unit.put(ReadModels.users, user);
      return;
    }
    const user = await unit.get<UserView>(ReadModels.users, event.data.userId);
    if (!user) return;
    if (event.type === 'UserErased') {
      unit.put(ReadModels.users, { ...user, email: '', username: ERASED_USERNAME, displayName: ERASED_DISPLAY_NAME, bio: '', avatarUrl: null, erased: true });
    } else if (event.type === 'UserProfileUpdated') {
      const { displayName, bio, avatarUrl } = event.data;
      unit.put(ReadModels.users, { ...user, displayName: displayName ?? user.displayName, bio: bio ?? user.bio, avatarUrl: avatarUrl ?? user.avatarUrl });
    } else {
      unit.put(ReadModels.users, { ...user, lastSignInAt: recorded.metadata.occurredAt });
    }
  },
};
