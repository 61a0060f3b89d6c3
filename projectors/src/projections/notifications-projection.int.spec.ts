/**
 * Mentions in a database older than the inbox: a rebuild over the whole log must not make every
 * historic mention unread. A mention the user answered (they posted in that room after it) is read;
 * one they never answered stays unread; a rebuild gives exactly what the live build gave.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CURRENT_SCHEMA, type NewEvent } from '@resoft/domain';
import { newId } from '@resoft/infra';
import { SqliteEventStore, SqliteReadStore } from '@resoft/adapter-sqlite';
import { applyBatch } from '../runtime/apply-batch.js';
import { rebuildProjection } from '../runtime/rebuild-projection.js';
import { notificationsProjection, type NotificationView } from './notifications-projection.js';
import { ReadModels } from './read-model-names.js';

let clock = Date.UTC(2025, 2, 1, 9, 0, 0);
const event = (actor: string, type: string, data: Record<string, unknown>): NewEvent =>
  ({ id: newId(), type, data, metadata: { actor, correlationId: newId(), causationId: null, occurredAt: new Date((clock += 60_000)).toISOString(), schema: CURRENT_SCHEMA } }) as NewEvent;

describe('the notifications projection on an old log', () => {
  let dir: string;
  let events: SqliteEventStore;
  const stores: SqliteReadStore[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-mentions-'));
    events = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
  });
  afterEach(async () => {
    await events.close();
    for (const store of stores.splice(0)) await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const readStore = (name: string) => {
    const store = new SqliteReadStore({ file: path.join(dir, `${name}.sqlite`) });
    stores.push(store);
    return store;
  };

  const projectId = 'p1';
  const post = (roomId: string, authorId: string, text: string, mentions: string[]) =>
    events.append(`room-${roomId}`, [event(authorId, 'ChatMessagePosted', { roomId, projectId, messageId: newId(), authorId, text, mentions, codeBlocks: [] })], 'any');

  async function oldLog(): Promise<void> {
    await events.append(`project-${projectId}`, [
      event('ann', 'ProjectCreated', { projectId, name: 'Old', description: '', ownerId: 'ann', ownerUsername: 'ann' }),
      event('ann', 'ProjectMemberAdded', { projectId, userId: 'bob', username: 'bob', role: 'editor' }),
    ], 'any');
    await post('general', 'bob', '@ann first question', ['ann']);
    await post('general', 'bob', '@ann second question', ['ann']);
    await post('general', 'ann', 'answered both', []);
    await post('design', 'bob', '@ann never answered', ['ann']);
    await post('general', 'bob', '@ann after her answer', ['ann']);
    await post('random', 'ann', '@bob a question back', ['bob']);
  }

  const inbox = async (store: SqliteReadStore, userId: string) =>
    (await store.find<NotificationView>(ReadModels.notifications, { where: { userId }, orderBy: [{ field: 'position', direction: 'asc' }] })).map((n) => [n.title.replace(/^.*“(.*)”$/, '$1'), n.read]);

  it('marks a mention read once the user posted in its room after it, and keeps unanswered ones unread', async () => {
    await oldLog();
    const store = readStore('rebuilt');
    await rebuildProjection(events, store, notificationsProjection);
    expect(await inbox(store, 'ann')).toEqual([
      ['@ann first question', true],
      ['@ann second question', true],
      ['@ann never answered', false],
      ['@ann after her answer', false],
    ]);
    expect(await inbox(store, 'bob')).toEqual([['@bob a question back', false]]);
    // Ann answers in "design" (her mention there is read); Bob posts elsewhere (his stays unread), then answers.
    await post('design', 'ann', 'still here', []);
    await post('design', 'bob', 'sure', []);
    await rebuildProjection(events, store, notificationsProjection);
    expect((await inbox(store, 'ann')).map(([, read]) => read)).toEqual([true, true, true, false]);
    expect(await inbox(store, 'bob')).toEqual([['@bob a question back', false]]);
    await post('random', 'bob', 'answer', []);
    await rebuildProjection(events, store, notificationsProjection);
    expect(await inbox(store, 'bob')).toEqual([['@bob a question back', true]]);
  });

  it('builds the same inbox live, one event per batch, as in one rebuild', async () => {
    await oldLog();
    const live = readStore('live');
    for (const spec of notificationsProjection.collections) await live.ensureCollection(spec);
    let checkpoint = 0;
    for (const recorded of await events.readAll()) checkpoint = await applyBatch(live, notificationsProjection, checkpoint, [recorded], { traced: false });
    const rebuilt = readStore('once');
    await rebuildProjection(events, rebuilt, notificationsProjection);
    for (const user of ['ann', 'bob']) expect(await inbox(live, user)).toEqual(await inbox(rebuilt, user));
    expect((await inbox(live, 'ann')).map(([, read]) => read)).toEqual([true, true, false, false]);
  });
});
