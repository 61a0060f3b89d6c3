import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '@resoft/infra';
import { SqliteEventStore, SqliteReadStore } from '@resoft/adapter-sqlite';
import { CheckpointMovedError, type WriteBatch } from '@resoft/ports';
import { allProjections } from '../projections/all-projections.js';
import { appendSteps, eventMix, rebuildAll, snapshotCollections } from '../testing/event-mix.fixture.js';
import { CheckpointMoves } from './checkpoint-moves.js';
import { ProjectionRunner } from './projection-runner.js';

/** A read store that counts the writes reaching it, as transactions. */
class CountingReadStore extends SqliteReadStore {
  writes = 0;
  override write(batch: WriteBatch): Promise<void> {
    this.writes += 1;
    return super.write(batch);
  }
  override writeBatches(batches: readonly WriteBatch[]): Promise<void> {
    this.writes += 1;
    return super.writeBatches(batches);
  }
}

describe('checkpoint-only moves of the in-process runners, written together', () => {
  let dir: string;
  let events: SqliteEventStore;
  let readStore: CountingReadStore;
  const log = createLogger('silent');

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-checkpoint-moves-'));
    events = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
    readStore = new CountingReadStore({ file: path.join(dir, 'read.sqlite') });
  });
  afterEach(async () => {
    await events.close();
    await readStore.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('moves every checkpoint asked in one turn with one write', async () => {
    const moves = new CheckpointMoves(readStore);
    const names = ['chat', 'rooms', 'users'];
    await Promise.all(names.map((name, n) => moves.move({ name, expected: 0, position: 10 + n })));
    expect(readStore.writes).toBe(1);
    expect([...(await readStore.readCheckpoints(names)).values()]).toEqual([10, 11, 12]);
  });

  it('refuses only the move whose checkpoint another writer moved; the others go through', async () => {
    await readStore.write({ ops: [], checkpoint: { name: 'rooms', expected: 0, position: 20 } });
    const moves = new CheckpointMoves(readStore);
    const [chat, rooms, users] = await Promise.allSettled([
      moves.move({ name: 'chat', expected: 0, position: 5 }),
      moves.move({ name: 'rooms', expected: 0, position: 5 }),
      moves.move({ name: 'users', expected: 0, position: 5 }),
    ]);
    expect([chat.status, users.status]).toEqual(['fulfilled', 'fulfilled']);
    expect(rooms.status).toBe('rejected');
    expect((rooms as PromiseRejectedResult).reason).toBeInstanceOf(CheckpointMovedError);
    expect([...(await readStore.readCheckpoints(['chat', 'rooms', 'users'])).values()]).toEqual([5, 20, 5]);
  });

  it('runners sharing the moves build what a rebuild builds, with fewer writes than one per runner and batch', async () => {
    const moves = new CheckpointMoves(readStore);
    const runners = allProjections.map((projection) => new ProjectionRunner(events, readStore, projection, log, moves));
    await Promise.all(runners.map((runner) => runner.start()));
    const started = readStore.writes;
    let head = 0;
    let batches = 0;
    try {
      // One append at a time, each awaited by every runner: a batch per append and runner.
      for (const step of eventMix('moves', 2).steps) {
        head = await appendSteps(events, [step]);
        batches += 1;
        expect((await Promise.all(runners.map((runner) => runner.waitFor(head, 10_000)))).every(Boolean)).toBe(true);
      }
    } finally {
      await Promise.all(runners.map((runner) => runner.stop()));
    }
    for (const projection of allProjections) expect(await readStore.getCheckpoint(projection.name)).toBe(head);
    expect(readStore.writes - started).toBeLessThan((batches * runners.length) / 2);
    const rebuilt = new SqliteReadStore({ file: path.join(dir, 'rebuilt.sqlite') });
    try {
      await rebuildAll(events, rebuilt, allProjections);
      expect(await snapshotCollections(readStore, allProjections)).toEqual(await snapshotCollections(rebuilt, allProjections));
    } finally {
      await rebuilt.close();
    }
  });
});
