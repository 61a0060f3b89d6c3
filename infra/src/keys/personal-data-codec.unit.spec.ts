import { ERASED_DISPLAY_NAME, ERASED_USERNAME, upcast, type DomainEvent, type RecordedEvent } from '@resoft/domain';
import { PersonalDataCodec } from './personal-data-codec.js';
import { openValue, sealValue } from './personal-value-cipher.js';
import { SqliteKeyStore } from '@resoft/adapter-sqlite';

const registered: DomainEvent = { type: 'UserRegistered', data: { userId: 'u-ann', email: 'ann@example.com', username: 'ann', displayName: 'Ann Lee', passwordHash: 'scrypt$1' } };
const added: DomainEvent = { type: 'ProjectMemberAdded', data: { projectId: 'p-1', userId: 'u-ann', username: 'ann', role: 'editor' } };

const asRecorded = (event: DomainEvent, schema: number): RecordedEvent => ({
  ...event, id: 'e', streamId: 's', revision: 0, position: 1,
  metadata: { actor: null, correlationId: 'c', causationId: null, occurredAt: '2026-01-01T00:00:00.000Z', schema, prevHash: '0'.repeat(64), hash: 'h' },
});

describe('a sealed value', () => {
  const key = Buffer.alloc(32, 7);

  it('opens with its owner\'s key to the clear value, and holds no clear text', () => {
    const sealed = sealValue(key, 'u-ann', 'Ann Lée');
    expect(sealed.sealed).not.toContain('Ann');
    expect(openValue(key, 'u-ann', sealed)).toBe('Ann Lée');
  });

  it('differs each time the same value is sealed (random IV)', () => {
    expect(sealValue(key, 'u-ann', 'ann').sealed).not.toBe(sealValue(key, 'u-ann', 'ann').sealed);
  });

  it('does not open with another key, for another owner, or once altered', () => {
    const sealed = sealValue(key, 'u-ann', 'ann');
    expect(() => openValue(Buffer.alloc(32, 8), 'u-ann', sealed)).toThrow();
    expect(() => openValue(key, 'u-bob', sealed)).toThrow();
    const parts = sealed.sealed.split('.');
    parts[2] = Buffer.from('xxx').toString('base64url');
    expect(() => openValue(key, 'u-ann', { sealed: parts.join('.') })).toThrow();
  });
});

describe('PersonalDataCodec', () => {
  let keys: SqliteKeyStore;
  let codec: PersonalDataCodec;
  beforeEach(() => {
    keys = new SqliteKeyStore({ file: ':memory:' });
    codec = new PersonalDataCodec(keys);
  });
  afterEach(() => keys.close());

  it('seals every personal field with the owner\'s key and leaves the others in clear', async () => {
    const [stored] = await codec.seal([registered]);
    const data = stored!.data as Record<string, unknown>;
    expect(data['userId']).toBe('u-ann');
    for (const field of ['email', 'username', 'displayName', 'passwordHash']) expect(data[field]).toEqual({ sealed: expect.any(String) });
    expect(JSON.stringify(stored)).not.toMatch(/ann@example|Ann Lee|"ann"/);
  });

  it('reveals what it sealed', async () => {
    const stored = await codec.seal([registered, added]);
    expect(await codec.reveal(stored.map((e) => upcast(asRecorded(e, 3))))).toEqual([registered, added].map((e) => asRecorded(e, 3)));
  });

  it('reveals an erased owner\'s sealed fields as "erased user", and drops the ones that have no erased form', async () => {
    const [stored, update] = await codec.seal([registered, { type: 'UserProfileUpdated', data: { userId: 'u-ann', bio: 'rockets', avatarUrl: 'https://example.com/a.png' } }]);
    await keys.destroy('u-ann');
    const [user, profile] = await codec.reveal([stored!, update!]);
    expect(user!.data).toEqual({ userId: 'u-ann', email: '', username: ERASED_USERNAME, displayName: ERASED_DISPLAY_NAME, passwordHash: '' });
    expect(profile!.data).toEqual({ userId: 'u-ann', bio: '' });
  });

  it('reveals clear values from before sealing, until their owner is erased', async () => {
    const legacy = upcast(asRecorded(registered, 2));
    expect((await codec.reveal([legacy]))[0]!.data).toEqual(registered.data);
    await keys.destroy('u-ann');
    expect((await codec.reveal([legacy]))[0]!.data).toEqual({ userId: 'u-ann', email: '', username: ERASED_USERNAME, displayName: ERASED_DISPLAY_NAME, passwordHash: '' });
  });

  it('stores nothing personal about an owner who is already erased', async () => {
    await keys.destroy('u-ann');
    const [stored] = await codec.seal([added]);
    expect(stored!.data).toEqual({ projectId: 'p-1', userId: 'u-ann', username: ERASED_USERNAME, role: 'editor' });
  });

  it('passes events without personal data through unchanged', async () => {
    const chat: DomainEvent = { type: 'ChatMessagePosted', data: { text: 'hi' } };
    expect(await codec.seal([chat])).toEqual([chat]);
    expect(await codec.reveal([chat])).toEqual([chat]);
  });
});
