import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CURRENT_SCHEMA, type NewEvent } from '@resoft/domain';
import { createLogger } from '@resoft/infra';
import { SqliteEventStore, SqliteReadStore } from '@resoft/adapter-sqlite';
import { chatProjection, type ChatMessageView } from '../projections/chat-projection.js';
import { ReadModels } from '../projections/read-model-names.js';
import { applyBatch } from './apply-batch.js';
import { ProjectionRunner } from './projection-runner.js';

const roomId = 'r1';
const projectId = 'p1';
let counter = 0;
const event = (type: string, data: Record<string, unknown>): NewEvent => ({
  id: `00000000-0000-7000-8000-${String((counter += 1)).padStart(12, '0')}`,
  type,
  data: { roomId, projectId, ...data },
  metadata: { actor: 'u1', correlationId: 'c', causationId: null, occurredAt: '2026-11-28T10:00:00.000Z', schema: CURRENT_SCHEMA },
});
const posted = (messageId: string, text: string) => event('ChatMessagePosted', { messageId, authorId: 'u1', text, mentions: [], codeBlocks: [] });

describe('projection runtime', () => {
  let dir: string;
  let events: SqliteEventStore;
  let readStore: SqliteReadStore;
  const log = createLogger('silent');

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-projector-'));
    events = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
    readStore = new SqliteReadStore({ file: path.join(dir, 'read.sqlite') });
    await readStore.ensureCollection(chatProjection.collections[0]!);
  });
  afterEach(async () => {
    await events.close();
    await readStore.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('skips events at or below the checkpoint when a batch is delivered again', async () => {
    await events.append('room-r1', [posted('m1', 'hello'), event('ChatMessageEdited', { messageId: 'm1', text: 'hello again', mentions: [], codeBlocks: [] })], 'any');
    const batch = await events.readAll();
    const checkpoint = await applyBatch(readStore, chatProjection, 0, batch);
    const once = await readStore.get<ChatMessageView>(ReadModels.chatMessages, 'm1');
    expect(await applyBatch(readStore, chatProjection, checkpoint, batch)).toBe(checkpoint);
    expect(await readStore.get(ReadModels.chatMessages, 'm1')).toEqual(once);
    expect(once).toMatchObject({ text: 'hello again', editedAt: '2026-11-28T10:00:00.000Z' });
  });

  it('writes nothing when another writer moved the checkpoint first', async () => {
    await events.append('room-r1', [posted('m1', 'first')], 'any');
    const batch = await events.readAll();
    await applyBatch(readStore, chatProjection, 0, batch);
    await events.append('room-r1', [posted('m2', 'second')], 'any');
    await expect(applyBatch(readStore, chatProjection, 0, await events.readAll())).rejects.toThrow(/Checkpoint chat/);
    expect(await readStore.get(ReadModels.chatMessages, 'm2')).toBeNull();
  });

  it('resumes from its stored checkpoint after a restart and applies each event once', async () => {
    await events.append('room-r1', [posted('m1', 'before restart')], 'any');
    const first = new ProjectionRunner(events, readStore, chatProjection, log);
    await first.start();
    expect(await first.waitFor(1, 5000)).toBe(true);
    await first.stop();

    const { position } = await events.append('room-r1', [posted('m2', 'while stopped'), event('ChatMessageDeleted', { messageId: 'm1' })], 'any');
    const second = new ProjectionRunner(events, readStore, chatProjection, log);
    await second.start();
    expect(await second.waitFor(position, 5000)).toBe(true);
    await second.stop();

    const messages = await readStore.find<ChatMessageView>(ReadModels.chatMessages, { where: { roomId }, orderBy: [{ field: 'position', direction: 'asc' }] });
    expect(messages.map((m) => [m.id, m.text, m.deleted])).toEqual([['m1', '', true], ['m2', 'while stopped', false]]);
    expect(await readStore.getCheckpoint('chat')).toBe(position);
  });

  it('reports that it did not reach a position within the time given', async () => {
    const runner = new ProjectionRunner(events, readStore, chatProjection, log);
    await runner.start();
    expect(await runner.waitFor(99, 50)).toBe(false);
    await runner.stop();
  });
});
