/**
 * The behaviour every `ReadStore` adapter must show, as one jest suite. An
 * adapter's int spec calls `describeReadStoreContract` with a factory that
 * returns a fresh, empty store for each test.
 */
import { CheckpointMovedError, type CollectionSpec, type Document, type ReadStore } from './read-store.js';

export interface ReadStoreUnderTest {
  readonly store: ReadStore;
  dispose(): Promise<void>;
}

interface Task extends Document {
  readonly projectId: string;
  readonly title: string;
  readonly priority: number;
  readonly done: boolean;
  readonly assignee?: string | null;
}

const TASKS: CollectionSpec = { name: 'tasks', indexes: ['projectId', 'priority', 'done', 'assignee'] };
const PROJECTS: CollectionSpec = { name: 'projects', indexes: ['name'] };

/** Five tasks chosen so that every query below has a distinct answer and no sort ties. */
const t1: Task = { id: 't1', projectId: 'p1', title: 'alpha', priority: 3, done: false, assignee: 'ann' };
const t2: Task = { id: 't2', projectId: 'p1', title: 'bravo', priority: 1, done: true, assignee: null };
const t3: Task = { id: 't3', projectId: 'p2', title: 'charlie', priority: 2, done: false, assignee: 'bob' };
const t4: Task = { id: 't4', projectId: 'p2', title: 'delta', priority: 5, done: true };
const t5: Task = { id: 't5', projectId: 'p1', title: 'echo', priority: 2, done: false, assignee: 'ann' };
const ALL_TASKS = [t1, t2, t3, t4, t5];

function puts(collection: string, docs: readonly Document[]) {
  return docs.map((doc) => ({ kind: 'put' as const, collection, doc }));
}

function ids(docs: readonly Document[]): string[] {
  return docs.map((doc) => doc.id);
}

/** For queries without `orderBy`, whose order no adapter promises. */
function idSet(docs: readonly Document[]): string[] {
  return ids(docs).sort();
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the promise to reject');
    },
    (error: unknown) => error,
  );
}

export function describeReadStoreContract(name: string, create: () => Promise<ReadStoreUnderTest>): void {
  describe(`ReadStore contract: ${name}`, () => {
    let subject: ReadStoreUnderTest;
    let store: ReadStore;

    beforeEach(async () => {
      subject = await create();
      store = subject.store;
    });

    afterEach(async () => {
      await subject.dispose();
    });

    describe('documents', () => {
      beforeEach(async () => {
        await store.ensureCollection(TASKS);
      });

      it('ensuring a collection again keeps its documents', async () => {
        await store.write({ ops: puts('tasks', [t1]) });
        await store.ensureCollection(TASKS);
        await store.ensureCollection({ name: 'tasks', indexes: [...TASKS.indexes, 'title'] });
        expect(await store.get('tasks', 't1')).toEqual(t1);
      });

      it('get returns the document put, and null for an unknown id', async () => {
        await store.write({ ops: puts('tasks', [t1]) });
        expect(await store.get('tasks', 't1')).toEqual(t1);
        expect(await store.get('tasks', 'nope')).toBeNull();
      });

      it('a put replaces the whole document', async () => {
        await store.write({ ops: puts('tasks', [t1]) });
        const replaced = { id: 't1', projectId: 'p9', title: 'renamed', priority: 7, done: true };
        await store.write({ ops: puts('tasks', [replaced]) });
        expect(await store.get('tasks', 't1')).toEqual(replaced);
        expect(await store.count('tasks')).toBe(1);
      });

      it('a delete removes the document, and deleting a missing id is harmless', async () => {
        await store.write({ ops: puts('tasks', [t1, t2]) });
        await store.write({ ops: [{ kind: 'delete', collection: 'tasks', id: 't1' }, { kind: 'delete', collection: 'tasks', id: 'nope' }] });
        expect(await store.get('tasks', 't1')).toBeNull();
        expect(await store.get('tasks', 't2')).toEqual(t2);
      });

      it('the ops of a batch apply in order', async () => {
        await store.write({
          ops: [
            ...puts('tasks', [t1]),
            { kind: 'delete', collection: 'tasks', id: 't1' },
            { kind: 'delete', collection: 'tasks', id: 't2' },
            ...puts('tasks', [t2]),
          ],
        });
        expect(await store.get('tasks', 't1')).toBeNull();
        expect(await store.get('tasks', 't2')).toEqual(t2);
      });

      it('getMany returns documents in the order of the ids asked for, skipping missing ones', async () => {
        await store.write({ ops: puts('tasks', ALL_TASKS) });
        expect(ids(await store.getMany('tasks', ['t4', 'nope', 't1', 't3']))).toEqual(['t4', 't1', 't3']);
        expect(await store.getMany('tasks', [])).toEqual([]);
      });

      it('documents with nested objects, arrays and awkward strings round-trip exactly', async () => {
        const doc = {
          id: 'nested',
          title: 'quotes " \' \\ and\nnewlines, ünïcödé, emoji 🚀',
          counts: { open: 0, closed: -3, ratio: 0.125 },
          tags: ['a', 'b'],
          members: [{ userId: 'u1', roles: ['owner'], since: null }, { userId: 'u2', roles: [], flags: { muted: false } }],
          empty: { list: [], object: {} },
          done: false,
          deleted: null,
        };
        await store.write({ ops: puts('tasks', [doc]) });
        expect(await store.get('tasks', 'nested')).toStrictEqual(doc);
        expect(await store.getMany('tasks', ['nested'])).toStrictEqual([doc]);
        expect(await store.find('tasks')).toStrictEqual([doc]);
      });

      it('a collection never ensured reads as empty', async () => {
        expect(await store.get('ghosts', 'g1')).toBeNull();
        expect(await store.getMany('ghosts', ['g1'])).toEqual([]);
        expect(await store.find('ghosts', { where: { name: 'x' }, orderBy: [{ field: 'name', direction: 'asc' }] })).toEqual([]);
        expect(await store.count('ghosts')).toBe(0);
      });

      it('writing to a collection never ensured is refused and writes nothing of the batch', async () => {
        const batch = { ops: [...puts('tasks', [t1]), ...puts('ghosts', [{ id: 'g1' }])], checkpoint: { name: 'tasks', expected: 0, position: 1 } };
        await expect(store.write(batch)).rejects.toThrow(/ghosts/);
        expect(await store.get('tasks', 't1')).toBeNull();
        expect(await store.getCheckpoint('tasks')).toBe(0);
      });
    });

    describe('queries', () => {
      beforeEach(async () => {
        await store.ensureCollection(TASKS);
        await store.write({ ops: puts('tasks', ALL_TASKS) });
      });

      it('find without options returns every document', async () => {
        expect(idSet(await store.find('tasks'))).toEqual(['t1', 't2', 't3', 't4', 't5']);
      });

      it('find matches a string, a number and a boolean by equality', async () => {
        expect(idSet(await store.find('tasks', { where: { projectId: 'p1' } }))).toEqual(['t1', 't2', 't5']);
        expect(idSet(await store.find('tasks', { where: { priority: 2 } }))).toEqual(['t3', 't5']);
        expect(idSet(await store.find('tasks', { where: { done: true } }))).toEqual(['t2', 't4']);
        expect(idSet(await store.find('tasks', { where: { done: false } }))).toEqual(['t1', 't3', 't5']);
      });

      it('null matches documents whose field is null or missing', async () => {
        expect(idSet(await store.find('tasks', { where: { assignee: null } }))).toEqual(['t2', 't4']);
      });

      it('$in matches any listed value, null included, and nothing when empty', async () => {
        expect(idSet(await store.find('tasks', { where: { projectId: { $in: ['p2', 'p9'] } } }))).toEqual(['t3', 't4']);
        expect(idSet(await store.find('tasks', { where: { assignee: { $in: ['bob', null] } } }))).toEqual(['t2', 't3', 't4']);
        expect(idSet(await store.find('tasks', { where: { done: { $in: [true] } } }))).toEqual(['t2', 't4']);
        expect(await store.find('tasks', { where: { projectId: { $in: [] } } })).toEqual([]);
      });

      it('range operators combine, exclusive and inclusive, on numbers and strings', async () => {
        expect(idSet(await store.find('tasks', { where: { priority: { $gt: 1, $lt: 5 } } }))).toEqual(['t1', 't3', 't5']);
        expect(idSet(await store.find('tasks', { where: { priority: { $gte: 2, $lte: 3 } } }))).toEqual(['t1', 't3', 't5']);
        expect(idSet(await store.find('tasks', { where: { priority: { $gte: 5 } } }))).toEqual(['t4']);
        expect(idSet(await store.find('tasks', { where: { title: { $gte: 'b', $lt: 'd' } } }))).toEqual(['t2', 't3']);
      });

      it('every field of a filter must match, indexed or not', async () => {
        expect(idSet(await store.find('tasks', { where: { projectId: 'p1', done: false } }))).toEqual(['t1', 't5']);
        expect(idSet(await store.find('tasks', { where: { title: 'echo' } }))).toEqual(['t5']);
        expect(await store.find('tasks', { where: { id: 't3', projectId: 'p2' } })).toEqual([t3]);
      });

      it('find can leave fields out of the documents it returns, and still filters and sorts by them', async () => {
        const found = await store.find('tasks', { where: { projectId: 'p1' }, orderBy: [{ field: 'title', direction: 'desc' }], omit: ['title', 'assignee'] });
        expect(found).toEqual([
          { id: 't5', projectId: 'p1', priority: 2, done: false },
          { id: 't2', projectId: 'p1', priority: 1, done: true },
          { id: 't1', projectId: 'p1', priority: 3, done: false },
        ]);
        await expect(store.find('tasks', { omit: ['id'] })).rejects.toThrow(/cannot omit id/);
        await expect(store.find('tasks', { omit: ["title'); DROP TABLE rm_tasks; --"] })).rejects.toThrow(/Unsafe field name/);
        expect(await store.count('tasks')).toBe(5);
      });

      it('findJson answers the same documents as find, in the same order, as JSON text', async () => {
        const options = { where: { projectId: 'p1' }, orderBy: [{ field: 'priority', direction: 'asc' as const }], limit: 2 };
        const texts = await store.findJson('tasks', options);
        expect(texts.map((text) => JSON.parse(text))).toEqual(await store.find('tasks', options));
        expect(await store.findJson('never_ensured')).toEqual([]);
      });

      it('orderBy sorts by each field in turn, ascending or descending', async () => {
        const byProjectThenPriorityDesc = await store.find('tasks', {
          orderBy: [{ field: 'projectId', direction: 'asc' }, { field: 'priority', direction: 'desc' }],
        });
        expect(ids(byProjectThenPriorityDesc)).toEqual(['t1', 't5', 't2', 't4', 't3']);
        const byProjectDescThenPriority = await store.find('tasks', {
          orderBy: [{ field: 'projectId', direction: 'desc' }, { field: 'priority', direction: 'asc' }],
        });
        expect(ids(byProjectDescThenPriority)).toEqual(['t3', 't4', 't2', 't5', 't1']);
      });

      it('limit keeps the first documents in order', async () => {
        const top = await store.find('tasks', { orderBy: [{ field: 'priority', direction: 'desc' }], limit: 2 });
        expect(ids(top)).toEqual(['t4', 't1']);
        const filtered = await store.find('tasks', { where: { done: false }, orderBy: [{ field: 'title', direction: 'asc' }], limit: 1 });
        expect(filtered).toEqual([t1]);
      });

      it('count counts all documents or those matching a filter', async () => {
        expect(await store.count('tasks')).toBe(5);
        expect(await store.count('tasks', { projectId: 'p1' })).toBe(3);
        expect(await store.count('tasks', { done: true, priority: { $gt: 1 } })).toBe(1);
      });
    });

    describe('checkpoints', () => {
      beforeEach(async () => {
        await store.ensureCollection(TASKS);
      });

      it('a checkpoint never written is 0', async () => {
        expect(await store.getCheckpoint('tasks')).toBe(0);
      });

      it('a batch advances its checkpoint when the expected value holds', async () => {
        await store.write({ ops: puts('tasks', [t1]), checkpoint: { name: 'tasks', expected: 0, position: 5 } });
        await store.write({ ops: [], checkpoint: { name: 'tasks', expected: 5, position: 9 } });
        expect(await store.getCheckpoint('tasks')).toBe(9);
        expect(await store.getCheckpoint('other')).toBe(0);
      });

      it('a batch whose checkpoint moved throws CheckpointMovedError and writes nothing', async () => {
        await store.write({ ops: [], checkpoint: { name: 'tasks', expected: 0, position: 5 } });
        const error = await rejection(store.write({ ops: puts('tasks', [t1]), checkpoint: { name: 'tasks', expected: 3, position: 8 } }));
        expect(error).toBeInstanceOf(CheckpointMovedError);
        expect(error).toMatchObject({ checkpointName: 'tasks', expected: 3, actual: 5 });
        expect(await store.get('tasks', 't1')).toBeNull();
        expect(await store.getCheckpoint('tasks')).toBe(5);
      });

      it('writeBatches writes every batch with its own checkpoint', async () => {
        await store.ensureCollection(PROJECTS);
        await store.write({ ops: [], checkpoint: { name: 'projects@p1', expected: 0, position: 3 } });
        await store.writeBatches([
          { ops: [...puts('tasks', [t1, t2]), { kind: 'delete', collection: 'tasks', id: 't2' }], checkpoint: { name: 'tasks@p1', expected: 0, position: 7 } },
          { ops: puts('projects', [{ id: 'p1', name: 'one' }]), checkpoint: { name: 'projects@p1', expected: 3, position: 7 } },
          { ops: [], checkpoint: { name: 'labels@p1', expected: 0, position: 7 } },
        ]);
        expect(idSet(await store.find('tasks'))).toEqual(['t1']);
        expect(await store.get('projects', 'p1')).toEqual({ id: 'p1', name: 'one' });
        expect(await store.readCheckpoints(['tasks@p1', 'projects@p1', 'labels@p1'])).toEqual(new Map([['tasks@p1', 7], ['projects@p1', 7], ['labels@p1', 7]]));
        expect(await store.getCheckpoint('tasks@p1')).toBe(7);
        // The next batch of the same checkpoints (a projector's next batch on the partition).
        await store.writeBatches([
          { ops: puts('tasks', [{ ...t1, title: 'alpha 2' }]), checkpoint: { name: 'tasks@p1', expected: 7, position: 9 } },
          { ops: [], checkpoint: { name: 'projects@p1', expected: 7, position: 9 } },
        ]);
        expect(await store.get<Task>('tasks', 't1')).toMatchObject({ title: 'alpha 2' });
        expect(await store.readCheckpoints(['tasks@p1', 'projects@p1'])).toEqual(new Map([['tasks@p1', 9], ['projects@p1', 9]]));
      });

      it('writeBatches refuses a batch whose checkpoint moved, writing nothing of it, and writes the others', async () => {
        await store.ensureCollection(PROJECTS);
        await store.write({ ops: [], checkpoint: { name: 'tasks@p2', expected: 0, position: 5 } });
        const error = await rejection(
          store.writeBatches([
            { ops: puts('tasks', [t1]), checkpoint: { name: 'tasks@p2', expected: 4, position: 8 } },
            { ops: puts('projects', [{ id: 'p1', name: 'one' }]), checkpoint: { name: 'projects@p2', expected: 0, position: 8 } },
            { ops: puts('tasks', [t3]), checkpoint: { name: 'tasks@p2-copy', expected: 0, position: 8 } },
          ]),
        );
        expect(error).toBeInstanceOf(CheckpointMovedError);
        expect(error).toMatchObject({ checkpointName: 'tasks@p2', expected: 4, actual: 5 });
        expect(await store.get('tasks', 't1')).toBeNull();
        expect(await store.getCheckpoint('tasks@p2')).toBe(5);
        expect(await store.get('projects', 'p1')).toEqual({ id: 'p1', name: 'one' });
        expect(await store.getCheckpoint('projects@p2')).toBe(8);
        expect(await store.get('tasks', 't3')).toEqual(t3);
        expect(await store.getCheckpoint('tasks@p2-copy')).toBe(8);

        await store.write({ ops: [], checkpoint: { name: 'labels@p2', expected: 0, position: 6 } });
        const moved = await rejection(store.writeBatches([{ ops: puts('tasks', [t4]), checkpoint: { name: 'labels@p2', expected: 0, position: 9 } }]));
        expect(moved).toMatchObject({ checkpointName: 'labels@p2', expected: 0, actual: 6 });
        expect(await store.get('tasks', 't4')).toBeNull();
      });

      it('writeBatches takes only batches with a checkpoint each, never two on one checkpoint', async () => {
        await expect(store.writeBatches([{ ops: puts('tasks', [t1]) }])).rejects.toThrow(/checkpoint/);
        await expect(
          store.writeBatches([
            { ops: puts('tasks', [t1]), checkpoint: { name: 'tasks', expected: 0, position: 2 } },
            { ops: puts('tasks', [t2]), checkpoint: { name: 'tasks', expected: 0, position: 3 } },
          ]),
        ).rejects.toThrow(/two batches on checkpoint tasks/);
        expect(await store.count('tasks')).toBe(0);
        await store.writeBatches([]);
        expect(await store.getCheckpoint('tasks')).toBe(0);
      });

      it('readCheckpoints answers several checkpoints at once, 0 for those never written', async () => {
        await store.write({ ops: [], checkpoint: { name: 'tasks', expected: 0, position: 5 } });
        await store.write({ ops: [], checkpoint: { name: 'tasks@p1', expected: 0, position: 7 } });
        expect(await store.readCheckpoints(['tasks', 'tasks@p1', 'never'])).toEqual(new Map([['tasks', 5], ['tasks@p1', 7], ['never', 0]]));
        expect(await store.readCheckpoints([])).toEqual(new Map());
      });
    });

    describe('staging', () => {
      beforeEach(async () => {
        await store.ensureCollection(TASKS);
        await store.ensureCollection(PROJECTS);
        await store.write({
          ops: [...puts('tasks', [t1, t2]), ...puts('projects', [{ id: 'p1', name: 'old' }])],
          checkpoint: { name: 'tasks', expected: 0, position: 10 },
        });
      });

      it('a staging store starts empty and its writes stay invisible to the live store until promote', async () => {
        const staging = await store.staging([TASKS], 'tasks');
        expect(await staging.count('tasks')).toBe(0);
        expect(await staging.getCheckpoint('tasks')).toBe(0);

        await staging.write({ ops: puts('tasks', [t3, t4, t5]), checkpoint: { name: 'tasks', expected: 0, position: 20 } });

        expect(ids(await staging.find('tasks', { where: { done: false }, orderBy: [{ field: 'priority', direction: 'asc' }] }))).toEqual(['t3', 't5']);
        expect(await staging.getCheckpoint('tasks')).toBe(20);
        expect(idSet(await store.find('tasks'))).toEqual(['t1', 't2']);
        expect(await store.getCheckpoint('tasks')).toBe(10);
        await staging.discard();
      });

      it('promote replaces the live collections and checkpoint with the staged ones', async () => {
        const staging = await store.staging([TASKS, PROJECTS], 'tasks');
        await staging.write({
          ops: [...puts('tasks', [t3, t4]), ...puts('projects', [{ id: 'p2', name: 'new' }])],
          checkpoint: { name: 'tasks', expected: 0, position: 20 },
        });
        await staging.promote();

        expect(idSet(await store.find('tasks'))).toEqual(['t3', 't4']);
        expect(await store.find('projects')).toEqual([{ id: 'p2', name: 'new' }]);
        expect(await store.getCheckpoint('tasks')).toBe(20);
        expect(await store.find('tasks', { where: { done: true } })).toEqual([t4]);
      });

      it('the live store keeps working as usual after a promote', async () => {
        const staging = await store.staging([TASKS], 'tasks');
        await staging.write({ ops: puts('tasks', [t3]), checkpoint: { name: 'tasks', expected: 0, position: 20 } });
        await staging.promote();

        await store.ensureCollection(TASKS);
        await store.write({ ops: puts('tasks', [t5]), checkpoint: { name: 'tasks', expected: 20, position: 21 } });
        await expect(store.write({ ops: [], checkpoint: { name: 'tasks', expected: 10, position: 22 } })).rejects.toBeInstanceOf(CheckpointMovedError);
        expect(ids(await store.find('tasks', { orderBy: [{ field: 'priority', direction: 'asc' }, { field: 'title', direction: 'asc' }] }))).toEqual(['t3', 't5']);
        expect(await store.getCheckpoint('tasks')).toBe(21);
      });

      it('promote creates a collection that did not exist live', async () => {
        const fresh: CollectionSpec = { name: 'labels', indexes: ['name'] };
        const staging = await store.staging([fresh], 'labels');
        await staging.write({ ops: puts('labels', [{ id: 'l1', name: 'bug' }]), checkpoint: { name: 'labels', expected: 0, position: 4 } });
        await staging.promote();
        expect(await store.find('labels', { where: { name: 'bug' } })).toEqual([{ id: 'l1', name: 'bug' }]);
        expect(await store.getCheckpoint('labels')).toBe(4);
      });

      it('discard leaves the live collections and checkpoint untouched', async () => {
        const staging = await store.staging([TASKS, PROJECTS], 'tasks');
        await staging.write({ ops: puts('tasks', [t3]), checkpoint: { name: 'tasks', expected: 0, position: 20 } });
        await staging.discard();

        expect(idSet(await store.find('tasks'))).toEqual(['t1', 't2']);
        expect(await store.find('projects')).toEqual([{ id: 'p1', name: 'old' }]);
        expect(await store.getCheckpoint('tasks')).toBe(10);
      });

      it('a rebuild can run twice in a row', async () => {
        for (const [docs, position] of [[[t3], 20], [[t4, t5], 30]] as const) {
          const staging = await store.staging([TASKS], 'tasks');
          await staging.write({ ops: puts('tasks', docs), checkpoint: { name: 'tasks', expected: 0, position } });
          await staging.promote();
        }
        expect(idSet(await store.find('tasks'))).toEqual(['t4', 't5']);
        expect(await store.getCheckpoint('tasks')).toBe(30);
      });

      it('a new rebuild starts empty even when an earlier one was abandoned', async () => {
        const abandoned = await store.staging([TASKS], 'tasks');
        await abandoned.write({ ops: puts('tasks', [t3]), checkpoint: { name: 'tasks', expected: 0, position: 20 } });

        const staging = await store.staging([TASKS], 'tasks');
        expect(await staging.count('tasks')).toBe(0);
        expect(await staging.getCheckpoint('tasks')).toBe(0);
        await staging.discard();
      });

      it('a collection ensured on a staging store joins the rebuild', async () => {
        const staging = await store.staging([TASKS], 'tasks');
        await staging.ensureCollection(PROJECTS);
        expect(await staging.count('projects')).toBe(0);
        await staging.write({ ops: puts('projects', [{ id: 'p3', name: 'rebuilt' }]) });
        await staging.promote();
        expect(await store.find('projects')).toEqual([{ id: 'p3', name: 'rebuilt' }]);
      });

      it('closing a staging store leaves the live store open', async () => {
        const staging = await store.staging([TASKS], 'tasks');
        await staging.discard();
        await staging.close();
        expect(await store.count('tasks')).toBe(2);
      });

      it('a promoted staging store refuses further use, and discarding it then does nothing', async () => {
        const staging = await store.staging([TASKS], 'tasks');
        await staging.write({ ops: puts('tasks', [t3]) });
        await staging.promote();
        await expect(staging.write({ ops: puts('tasks', [t4]) })).rejects.toThrow();
        await expect(staging.promote()).rejects.toThrow();
        await staging.discard();
        expect(idSet(await store.find('tasks'))).toEqual(['t3']);
      });
    });
  });
}
