import type { RecordedEvent } from '../events/envelope.js';
import { CURRENT_SCHEMA, upcast } from '../events/schema-versions.js';
import { PERSONAL_DATA } from './personal-data.js';

const recorded = (type: string, data: unknown, schema: number): RecordedEvent => ({
  id: 'e-1', type, streamId: 'user-u-ann', revision: 0, position: 1, data,
  metadata: { actor: 'u-ann', correlationId: 'c', causationId: null, occurredAt: '2026-01-01T00:00:00.000Z', schema, prevHash: '0'.repeat(64), hash: 'h' },
});

describe('personal data written in clear before sealing (schema 1 and 2)', () => {
  it.each([1, 2])('is upcast from schema %i to tagged clear values, other fields unchanged', (schema) => {
    const event = recorded('UserRegistered', { userId: 'u-ann', email: 'ann@example.com', username: 'ann', displayName: 'Ann Lee', passwordHash: 'scrypt$1' }, schema);
    expect(upcast(event).data).toEqual({
      userId: 'u-ann', email: { clear: 'ann@example.com' }, username: { clear: 'ann' }, displayName: { clear: 'Ann Lee' }, passwordHash: { clear: 'scrypt$1' },
    });
  });

  it('leaves the stored event as it was (the hash covers it)', () => {
    const data = { projectId: 'p-1', userId: 'u-bob', username: 'bob', role: 'editor' };
    const event = recorded('ProjectMemberAdded', data, 2);
    upcast(event);
    expect(event.data).toEqual({ projectId: 'p-1', userId: 'u-bob', username: 'bob', role: 'editor' });
  });

  it('tags only the fields present (a profile update may change one field)', () => {
    expect(upcast(recorded('UserProfileUpdated', { userId: 'u-ann', bio: 'Builds rockets' }, 2)).data).toEqual({ userId: 'u-ann', bio: { clear: 'Builds rockets' } });
  });

  it('does not touch events of the current schema (sealed values) or events without personal data', () => {
    const sealed = recorded('UserRegistered', { userId: 'u-ann', email: { sealed: 'v1.a.b.c' } }, CURRENT_SCHEMA);
    expect(upcast(sealed)).toEqual(sealed);
    const chat = recorded('ChatMessagePosted', { text: 'hello' }, 2);
    expect(upcast(chat)).toEqual(chat);
  });

  it('names an owner field for every event type that carries personal data', () => {
    for (const spec of Object.values(PERSONAL_DATA)) expect(['userId', 'ownerId']).toContain(spec.owner);
  });
});
