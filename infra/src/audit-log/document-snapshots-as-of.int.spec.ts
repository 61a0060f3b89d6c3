import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { documentStreamId, fileTreeStreamId, type NewEvent } from '@resoft/domain';
import { projectFilesAsOf, createTextDocument, replaceText, saveTextDocument } from '@resoft/documents';
import { SqliteEventStore, SqliteReadStore } from '@resoft/adapter-sqlite';
import { AS_OF_SNAPSHOTS, DocumentSnapshotsAsOf } from './document-snapshots-as-of.js';

const newEvent = (type: string, data: unknown, minute: number): NewEvent => ({
  id: randomUUID(), type, data,
  metadata: { actor: 'u1', correlationId: randomUUID(), causationId: null, occurredAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(), schema: 1 },
});

describe('periodic document snapshots for as-of reads', () => {
  let dir: string;
  let events: SqliteEventStore;
  let readStore: SqliteReadStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-snapshots-'));
    events = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
    readStore = new SqliteReadStore({ file: path.join(dir, 'read-models.sqlite') });
  });
  afterEach(async () => {
    await events.close();
    await readStore.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers every moment as a full replay does, starting later reads from the snapshots the first read made', async () => {
    const projectId = randomUUID();
    const fileId = randomUUID();
    let { doc, initial } = createTextDocument('line 0\n');
    await events.append(fileTreeStreamId(projectId), [newEvent('FileCreated', { projectId, fileId, path: 'notes.md', createdBy: 'u1', initialChange: initial.bytes, hash: 'h', size: 7 }, 0)], 'no_stream');
    // 23 edits, one event each: with a snapshot every 5 revisions, snapshots after revisions 4, 9, 14 and 19.
    const positions: number[] = [];
    let revision: number | 'no_stream' = 'no_stream';
    for (let n = 1; n <= 23; n += 1) {
      const edit = replaceText(doc, `${doc.text}line ${n}\n`);
      doc = edit.doc;
      const appended = await events.append(documentStreamId(fileId), [newEvent('DocumentChanged', { projectId, fileId, authorId: 'u1', changes: [edit.change!.bytes], hashes: [edit.change!.hash] }, n)], revision);
      revision = appended.nextRevision;
      positions.push(appended.position);
      // Another stream's event between, so positions and revisions differ.
      await events.append(`other-${n}`, [newEvent('ThingHappened', {}, n)], 'no_stream');
    }
    const snapshots = new DocumentSnapshotsAsOf(readStore, 5);
    const latest = positions[positions.length - 1]!;
    const replayed = await projectFilesAsOf(events, projectId, { kind: 'position', position: latest });
    expect(await projectFilesAsOf(events, projectId, { kind: 'position', position: latest }, { snapshots })).toEqual(replayed);
    expect(replayed[0]).toMatchObject({ version: 23, text: Array.from({ length: 24 }, (_, n) => `line ${n}\n`).join('') });
    expect((await readStore.find<{ id: string; revision: number; version: number }>(AS_OF_SNAPSHOTS, { orderBy: [{ field: 'revision', direction: 'asc' }] })).map((s) => [s.revision, s.version])).toEqual([[4, 5], [9, 10], [14, 15], [19, 20]]);

    for (const [i, position] of positions.entries()) {
      const moment = { kind: 'position' as const, position };
      const [file] = await projectFilesAsOf(events, projectId, moment, { snapshots });
      expect(file).toEqual((await projectFilesAsOf(events, projectId, moment))[0]);
      expect(file?.version).toBe(i + 1);
    }
    const atTime = { kind: 'time' as const, time: new Date(Date.UTC(2026, 0, 1, 0, 12, 30)).toISOString() };
    expect(await projectFilesAsOf(events, projectId, atTime, { snapshots })).toEqual(await projectFilesAsOf(events, projectId, atTime));
    expect((await projectFilesAsOf(events, projectId, atTime, { snapshots }))[0]?.version).toBe(12);
    // Reads do start from the snapshot: one put in its place shows through (which is why they are only ever derived from the events).
    const planted = createTextDocument('planted\n').doc;
    await snapshots.save({ streamId: documentStreamId(fileId), revision: 19, version: 20, position: positions[19]!, occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 20)).toISOString(), snapshot: saveTextDocument(planted) });
    expect((await projectFilesAsOf(events, projectId, { kind: 'position', position: positions[19]! }, { snapshots }))[0]?.text).toBe('planted\n');
    // Before the first edit there is no snapshot to start from: the file as created.
    expect((await projectFilesAsOf(events, projectId, { kind: 'position', position: positions[0]! - 1 }, { snapshots }))[0]).toMatchObject({ version: 0, text: 'line 0\n' });
  });

  it('finds the latest snapshot at or before a moment, by position or by time', async () => {
    const snapshots = new DocumentSnapshotsAsOf(readStore, 10);
    for (const revision of [9, 19, 29]) await snapshots.save({ streamId: 'doc-a', revision, version: revision + 1, position: revision * 3, occurredAt: `2026-01-01T00:00:${revision}Z`, snapshot: 'x' });
    await snapshots.save({ streamId: 'doc-b', revision: 9, version: 10, position: 1, occurredAt: '2026-01-01T00:00:00Z', snapshot: 'y' });
    expect((await snapshots.latest('doc-a', { kind: 'position', position: 60 }))?.revision).toBe(19);
    expect((await snapshots.latest('doc-a', { kind: 'position', position: 87 }))?.revision).toBe(29);
    expect(await snapshots.latest('doc-a', { kind: 'position', position: 26 })).toBeNull();
    expect((await snapshots.latest('doc-a', { kind: 'time', time: '2026-01-01T00:00:20Z' }))?.revision).toBe(19);
    expect(snapshots.due(9)).toBe(true);
    expect(snapshots.due(10)).toBe(false);
  });
});
