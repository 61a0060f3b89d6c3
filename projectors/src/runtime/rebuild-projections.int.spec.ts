import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteEventStore, SqliteReadStore } from '@resoft/adapter-sqlite';
import { allProjections } from '../projections/all-projections.js';
import { filesProjection } from '../projections/files-projection.js';
import { appendSteps, eventMix, snapshotCollections } from '../testing/event-mix.fixture.js';
import { fileHistory } from '../testing/file-history.fixture.js';
import { rebuildProjection, rebuildProjections } from './rebuild-projection.js';

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
