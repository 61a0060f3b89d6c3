import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteEventStore, SqliteReadStore } from '@resoft/adapter-sqlite';
import { allProjections } from '../projections/all-projections.js';
import { FILE_TEXT_VERSIONS, applySplices, saveTextDocument, type FileTextVersion } from '@resoft/documents';
import { filesProjection, loadFileDocument, type ProjectFileView } from '../projections/files-projection.js';
import { ReadModels } from '../projections/read-model-names.js';
import { appendSteps, eventMix, snapshotCollections } from '../testing/event-mix.fixture.js';
import { fileHistory } from '../testing/file-history.fixture.js';
import { applyBatch } from './apply-batch.js';
import { REBUILD_PAGE, rebuildProjection, rebuildProjections } from './rebuild-projection.js';

/**
 * What readers of the files projection see: a file's view with the document it loads to (snapshot +
 * pending changes, saved again) instead of where its snapshot falls, and each version's whole text
 * instead of the edits recorded for it. A rebuild builds each file's snapshot once, at its latest
 * version, and may record a version's edits in other (equivalent) splices than live batches.
 */
function asReadersSeeThem(snapshot: Record<string, unknown[]>): Record<string, unknown[]> {
  const files = (snapshot[ReadModels.projectFiles] as ProjectFileView[]).map(({ snapshot: _s, docRevision: _r, pendingChanges: _c, pendingEvents: _e, ...file }, i) => ({
    ...file, document: saveTextDocument(loadFileDocument((snapshot[ReadModels.projectFiles] as ProjectFileView[])[i]!)),
  }));
  const rows = [...(snapshot[FILE_TEXT_VERSIONS] as FileTextVersion[])].sort((a, b) => a.fileId.localeCompare(b.fileId) || a.version - b.version);
  let text = '';
  const versions = rows.map(({ checkpoint: _c, splices, text: whole, ...row }) => {
    text = whole ?? applySplices(text, splices);
    return { ...row, text };
  });
  return { ...snapshot, [ReadModels.projectFiles]: files, [FILE_TEXT_VERSIONS]: versions };
}

describe('rebuild in one pass over the log', () => {
  let dir: string;
  let events: SqliteEventStore;
  const stores: SqliteReadStore[] = [];
  const readStore = (name: string) => {
    const store = new SqliteReadStore({ file: path.join(dir, `${name}.sqlite`) });
    stores.push(store);
    return store;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-one-pass-'));
    events = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
  });
  afterEach(async () => {
    await events.close();
    for (const store of stores.splice(0)) await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('builds the same read models as rebuilding each projection on its own, and moves every checkpoint to the head', async () => {
    await appendSteps(events, eventMix('one', 6).steps);
    for (const n of [1, 2]) await appendSteps(events, fileHistory('one0-project', 'one0-owner', 40 * n).steps);
    await appendSteps(events, eventMix('two', 3).steps);
    const head = await events.headPosition();

    const onePass = readStore('one-pass');
    const progress: number[] = [];
    expect(await rebuildProjections(events, onePass, allProjections, (p) => progress.push(p.position))).toBe(head);
    const separately = readStore('separately');
    for (const projection of allProjections) expect(await rebuildProjection(events, separately, projection)).toBe(head);

    expect(await snapshotCollections(onePass, allProjections)).toEqual(await snapshotCollections(separately, allProjections));
    for (const projection of allProjections) expect(await onePass.getCheckpoint(projection.name)).toBe(head);
    expect(progress.at(-1)).toBe(head);
    const files = await onePass.find(filesProjection.collections[0]!.name);
    expect(files).toHaveLength(2);
  });

  it('builds what the live projections build batch by batch, also when its memory bound makes it write and let go of its documents on every page', async () => {
    await appendSteps(events, eventMix('live', 4).steps);
    await appendSteps(events, fileHistory('live0-project', 'live0-owner', 90).steps);
    await appendSteps(events, eventMix('later', 2).steps);
    const head = await events.headPosition();
    // The live path: each projection applies the log through its per-batch unit of work. The files
    // projection's snapshots depend on where batches end, so each rebuild is compared with live
    // batches ending where its pages do, as readers see the files (asReadersSeeThem).
    const live = async (name: string, batch: number) => {
      const store = readStore(name);
      for (const projection of allProjections) {
        for (const spec of projection.collections) await store.ensureCollection(spec);
        for (let position = 0; position < head; ) {
          position = await applyBatch(store, projection, position, await events.readAll({ after: position, maxCount: batch }), { traced: false });
        }
      }
      return asReadersSeeThem(await snapshotCollections(store, allProjections));
    };
    const rebuilt = async (store: SqliteReadStore) => asReadersSeeThem(await snapshotCollections(store, allProjections));

    const kept = readStore('kept');
    expect(await rebuildProjections(events, kept, allProjections)).toBe(head);
    expect(await rebuilt(kept)).toEqual(await live('live-pages', REBUILD_PAGE));
    // One document kept at most: every page of 37 events is written and forgotten, the next page reads its documents back.
    const bounded = readStore('bounded');
    expect(await rebuildProjections(events, bounded, allProjections, () => undefined, { keptDocuments: 1, pageSize: 37 })).toBe(head);
    expect(await rebuilt(bounded)).toEqual(await live('live-37', 37));
    for (const projection of allProjections) expect(await bounded.getCheckpoint(projection.name)).toBe(head);
    // A bound that lets go of the documents no projection reads back first, and of all of them only now and then.
    const partly = readStore('partly');
    expect(await rebuildProjections(events, partly, allProjections, () => undefined, { keptDocuments: 150, pageSize: 37 })).toBe(head);
    expect(await snapshotCollections(partly, allProjections)).toEqual(await snapshotCollections(bounded, allProjections));
    // The same without remembering which ids were written: every lookup of a document not held asks the store.
    const untracked = readStore('untracked');
    expect(await rebuildProjections(events, untracked, allProjections, () => undefined, { keptDocuments: 1, pageSize: 37, trackedIds: 0 })).toBe(head);
    expect(await snapshotCollections(untracked, allProjections)).toEqual(await snapshotCollections(bounded, allProjections));
    // Documents no projection reads back written ahead of the checkpoint after every page, the rest kept to the end.
    const unreadAhead = readStore('unread-ahead');
    expect(await rebuildProjections(events, unreadAhead, allProjections, () => undefined, { pageSize: 37, unreadWrite: 0 })).toBe(head);
    expect(await snapshotCollections(unreadAhead, allProjections)).toEqual(await snapshotCollections(bounded, allProjections));
    for (const projection of allProjections) expect(await unreadAhead.getCheckpoint(projection.name)).toBe(head);
  });

  it('replaces what an earlier build left and keeps projecting from the rebuilt checkpoint', async () => {
    await appendSteps(events, eventMix('first', 2).steps);
    const store = readStore('live');
    await rebuildProjections(events, store, allProjections);
    const before = await snapshotCollections(store, allProjections);
    await appendSteps(events, eventMix('second', 2).steps);
    const head = await rebuildProjections(events, store, allProjections);

    const fresh = readStore('fresh');
    await rebuildProjections(events, fresh, allProjections);
    expect(await snapshotCollections(store, allProjections)).toEqual(await snapshotCollections(fresh, allProjections));
    expect(await snapshotCollections(store, allProjections)).not.toEqual(before);
    for (const projection of allProjections) expect(await store.getCheckpoint(projection.name)).toBe(head);
  });

  it('leaves the live read models and checkpoints untouched when a projection fails mid-rebuild', async () => {
    await appendSteps(events, eventMix('fail', 2).steps);
    const store = readStore('live');
    await rebuildProjections(events, store, allProjections);
    const before = await snapshotCollections(store, allProjections);
    const head = await events.headPosition();
    await appendSteps(events, eventMix('more', 1).steps);
    const broken = { ...allProjections[0]!, apply: async () => Promise.reject(new Error('projection bug')) };
    await expect(rebuildProjections(events, store, [broken, ...allProjections.slice(1)])).rejects.toThrow('projection bug');
    expect(await snapshotCollections(store, allProjections)).toEqual(before);
    for (const projection of allProjections) expect(await store.getCheckpoint(projection.name)).toBe(head);
  });
});
