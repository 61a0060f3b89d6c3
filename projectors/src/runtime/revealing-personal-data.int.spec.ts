/**
 * Projections over personal data written in clear before sealing (schema 2, upcast on read) and sealed
 * after (schema 3): both read in clear until their owner is erased, and as "erased user" afterwards,
 * whether the erasure is applied live or the read models are rebuilt.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CURRENT_SCHEMA, type DomainEvent, type NewEvent } from '@resoft/domain';
import { PersonalDataCodec, newId } from '@resoft/infra';
import { SqliteEventStore, SqliteKeyStore, SqliteReadStore } from '@resoft/adapter-sqlite';
import { projectsProjection, type ProjectMemberView } from '../projections/projects-projection.js';
import { ReadModels, memberDocId } from '../projections/read-model-names.js';
import { usersProjection, type UserView } from '../projections/users-projection.js';
import { applyBatch } from './apply-batch.js';
import { rebuildProjections } from './rebuild-projection.js';
import { revealingAll } from './revealing-personal-data.js';

const stamped = (events: readonly DomainEvent[], schema: number): NewEvent[] =>
  events.map((e) => ({ id: newId(), type: e.type, data: e.data, metadata: { actor: null, correlationId: newId(), causationId: null, occurredAt: '2026-01-01T00:00:00.000Z', schema } }));

const life = (userId: string, name: string): DomainEvent[] => [
  { type: 'UserRegistered', data: { userId, email: `${name}@example.com`, username: name, displayName: `${name} Person`, passwordHash: 'scrypt$x' } },
  { type: 'UserProfileUpdated', data: { userId, bio: `${name} bio`, avatarUrl: `https://example.com/${name}.png` } },
];

describe('projections over sealed and pre-sealing personal data', () => {
  let dir: string;
  let events: SqliteEventStore;
  let keys: SqliteKeyStore;
  let codec: PersonalDataCodec;
  const readStores: SqliteReadStore[] = [];
  const readStore = (name: string) => {
    const store = new SqliteReadStore({ file: path.join(dir, `${name}.sqlite`) });
    readStores.push(store);
    return store;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-reveal-'));
    events = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
    keys = new SqliteKeyStore({ file: path.join(dir, 'keys.sqlite') });
    codec = new PersonalDataCodec(keys);
  });
  afterEach(async () => {
    await events.close();
    await keys.close();
    for (const store of readStores.splice(0)) await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows both in clear, then both as "erased user" once erased, live and after a rebuild', async () => {
    // Old: written in clear at schema 2, never rewritten. New: sealed at the current schema.
    await events.append('user-u-old', stamped(life('u-old', 'olga'), 2), 'no_stream');
    await events.append('user-u-new', stamped(await codec.seal(life('u-new', 'nina')), CURRENT_SCHEMA), 'no_stream');
    await events.append('project-p-1', stamped([{ type: 'ProjectCreated', data: { projectId: 'p-1', name: 'P', description: '', ownerId: 'u-old', ownerUsername: 'olga' } }], 2), 'no_stream');
    await events.append('project-p-1', stamped(await codec.seal([{ type: 'ProjectMemberAdded', data: { projectId: 'p-1', userId: 'u-new', username: 'nina', role: 'editor' } }]), CURRENT_SCHEMA), 0);
    const projections = revealingAll([usersProjection, projectsProjection], codec);
    const live = readStore('live');
    const built = await rebuildProjections(events, live, projections);

    expect(await live.get<UserView>(ReadModels.users, 'u-old')).toMatchObject({ username: 'olga', email: 'olga@example.com', displayName: 'olga Person', bio: 'olga bio' });
    expect(await live.get<UserView>(ReadModels.users, 'u-new')).toMatchObject({ username: 'nina', email: 'nina@example.com', displayName: 'nina Person', bio: 'nina bio' });
    expect((await live.get<ProjectMemberView>(ReadModels.projectMembers, memberDocId('p-1', 'u-old')))!.username).toBe('olga');
    expect((await live.get<ProjectMemberView>(ReadModels.projectMembers, memberDocId('p-1', 'u-new')))!.username).toBe('nina');

    for (const userId of ['u-old', 'u-new']) {
      await keys.destroy(userId);
      await events.append(`user-${userId}`, stamped([{ type: 'UserErased', data: { userId, erasedBy: 'admin' } }], CURRENT_SCHEMA), 1);
    }
    const erasures = await events.readAll({ after: built, maxCount: 10 });
    for (const projection of projections) await applyBatch(live, projection, built, erasures);
    const rebuilt = readStore('rebuilt');
    await rebuildProjections(events, rebuilt, projections);

    for (const store of [live, rebuilt]) {
      for (const userId of ['u-old', 'u-new']) {
        expect(await store.get<UserView>(ReadModels.users, userId)).toMatchObject({ username: 'erased-user', email: '', displayName: 'Erased user', bio: '', avatarUrl: null, erased: true });
        expect((await store.get<ProjectMemberView>(ReadModels.projectMembers, memberDocId('p-1', userId)))!.username).toBe('erased-user');
      }
    }
    // The old events still hold their clear text (never rewritten); the sealed ones never did.
    const stored = JSON.stringify(await events.readAll({ after: 0, maxCount: 100 }));
    expect(stored).toContain('olga@example.com');
    expect(stored).not.toContain('nina@example.com');
  });
});
