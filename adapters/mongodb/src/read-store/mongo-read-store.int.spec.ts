/**
 * The read store contract and the MongoDB adapter's own behaviour, against the
 * engine at MONGO_URL (FerretDB from `infra/engines/ferretdb.sh start`, or MongoDB).
 * Each test gets a database of its own, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { Collection } from 'mongodb';
import { describeReadStoreContract } from '@resoft/ports/contracts';
import { CheckpointMovedError, type CollectionSpec, type Document } from '@resoft/ports';
import { MongoReadStore, type MongoReadStoreOptions } from './mongo-read-store.js';

const MONGO_URL = process.env['MONGO_URL'];
const SKIP_REASON = 'skipped: MONGO_URL is not set (start an engine with infra/engines/ferretdb.sh start)';

if (!MONGO_URL) console.warn(`MongoReadStore integration tests ${SKIP_REASON}`);
const describeWithEngine = MONGO_URL ? describe : describe.skip;

function freshDatabase(): string {
  return `resoft_test_${randomBytes(6).toString('hex')}`;
}

async function connect(options: Partial<MongoReadStoreOptions> = {}): Promise<MongoReadStore> {
  return MongoReadStore.connect({ url: MONGO_URL ?? '', database: freshDatabase(), ...options });
}

async function dropAndClose(store: MongoReadStore): Promise<void> {
  try {
    await store.database.dropDatabase();
  } finally {
    await store.close();
  }
}

const TASKS: CollectionSpec = { name: 'tasks', indexes: ['projectId', 'priority', 'id', ['projectId', 'priority']] };

describeWithEngine(MONGO_URL ? 'MongoReadStore' : `MongoReadStore (${SKIP_REASON})`, () => {
  describeReadStoreContract('MongoReadStore', async () => {
    const store = await connect();
    return { store, dispose: () => dropAndClose(store) };
  });

  describe('adapter', () => {
    let store: MongoReadStore;

    beforeEach(async () => {
      store = await connect();
    });

    afterEach(async () => {
      await dropAndClose(store);
    });

    async function collectionNames(): Promise<string[]> {
      const collections = await store.database.listCollections({}, { nameOnly: true }).toArray();
      return collections.map((collection) => collection.name).sort();
    }

    async function indexKeys(collection: string): Promise<Record<string, number>[]> {
      const indexes = await store.database.collection(collection).listIndexes().toArray();
      return indexes.map((index) => index['key'] as Record<string, number>);
    }

    describe('documents', () => {
      it('stores the id as _id and reads documents back without _id', async () => {
        await store.ensureCollection(TASKS);
        const doc = { id: 't1', projectId: 'p1', nested: { list: [1, { a: null }] } };
        await store.write({ ops: [{ kind: 'put', collection: 'tasks', doc }] });

        expect(await store.database.collection('tasks').findOne({ _id: 't1' as never })).toStrictEqual({ _id: 't1', projectId: 'p1', nested: { list: [1, { a: null }] } });
        expect(await store.get('tasks', 't1')).toStrictEqual(doc);
        expect(await store.getMany('tasks', ['t1'])).toStrictEqual([doc]);
        expect(await store.find('tasks', { where: { id: 't1' } })).toStrictEqual([doc]);
      });

      it('stores documents as JSON would, dropping undefined fields', async () => {
        await store.ensureCollection(TASKS);
        await store.write({ ops: [{ kind: 'put', collection: 'tasks', doc: { id: 't1', gone: undefined, kept: null } }] });
        expect(await store.get('tasks', 't1')).toStrictEqual({ id: 't1', kept: null });
      });

      it('refuses a document with an _id field, which would clash with its id', async () => {
        await store.ensureCollection(TASKS);
        await expect(store.write({ ops: [{ kind: 'put', collection: 'tasks', doc: { id: 't1', _id: 'x' } }] })).rejects.toThrow(/_id/);
      });

      it('reads a limit of 0 as no documents, not as no limit', async () => {
        await store.ensureCollection(TASKS);
        await store.write({ ops: [{ kind: 'put', collection: 'tasks', doc: { id: 't1' } }] });
        expect(await store.find('tasks', { limit: 0 })).toEqual([]);
      });

      it('breaks sort ties by id in the direction of the last sort field', async () => {
        await store.ensureCollection(TASKS);
        const docs = [{ id: 'b', priority: 1 }, { id: 'a', priority: 1 }, { id: 'c', priority: 2 }];
        await store.write({ ops: docs.map((doc) => ({ kind: 'put' as const, collection: 'tasks', doc })) });
        expect((await store.find('tasks', { orderBy: [{ field: 'priority', direction: 'asc' }] })).map((doc) => doc.id)).toEqual(['a', 'b', 'c']);
        expect((await store.find('tasks', { orderBy: [{ field: 'priority', direction: 'desc' }] })).map((doc) => doc.id)).toEqual(['c', 'b', 'a']);
      });
    });

    describe('indexes', () => {
      it('creates one ascending index per declared field list, in the listed order, ending in _id', async () => {
        await store.ensureCollection({ ...TASKS, indexes: [...TASKS.indexes, ['roomId', 'position']] });
        expect(await indexKeys('tasks')).toEqual(
          expect.arrayContaining([
            { _id: 1 },
            { projectId: 1, _id: 1 },
            { priority: 1, _id: 1 },
            { projectId: 1, priority: 1, _id: 1 },
            { roomId: 1, position: 1, _id: 1 },
          ]),
        );
        expect(await indexKeys('tasks')).toHaveLength(5);
      });

      it('adds indexes declared later and keeps the earlier ones', async () => {
        await store.ensureCollection(TASKS);
        await store.ensureCollection({ name: 'tasks', indexes: ['title'] });
        expect(await indexKeys('tasks')).toEqual(expect.arrayContaining([{ projectId: 1, _id: 1 }, { title: 1, _id: 1 }]));
      });

      it('promoted collections keep their indexes and leave no staging or retired collections behind', async () => {
        await store.ensureCollection(TASKS);
        const staging = await store.staging([TASKS, { name: 'labels', indexes: ['name'] }], 'tasks');
        expect(await indexKeys('tasks__staging')).toEqual(expect.arrayContaining([{ projectId: 1, priority: 1, _id: 1 }]));
        await staging.promote();

        expect((await collectionNames()).filter((name) => !name.startsWith('__'))).toEqual(['labels', 'tasks']);
        expect(await indexKeys('tasks')).toEqual(expect.arrayContaining([{ projectId: 1, priority: 1, _id: 1 }]));
        expect(await indexKeys('labels')).toEqual(expect.arrayContaining([{ name: 1, _id: 1 }]));
      });
    });

    describe('names', () => {
      const unsafeCollections = ['tasks; db.dropDatabase()', '1tasks', 'my-tasks', 'tâches', '', 'tasks__staging', 'a.b', '$cmd', 'system.js'];
      const unsafeFields = ['$where', 'a.b', '_id', '1st', 'a b', 'x__y'];

      it.each(unsafeCollections)('refuses the unsafe collection name %j everywhere', async (name) => {
        await expect(store.ensureCollection({ name, indexes: [] })).rejects.toThrow(/Unsafe collection name/);
        await expect(store.get(name, 'x')).rejects.toThrow(/Unsafe collection name/);
        await expect(store.find(name)).rejects.toThrow(/Unsafe collection name/);
        await expect(store.count(name)).rejects.toThrow(/Unsafe collection name/);
        await expect(store.write({ ops: [{ kind: 'delete', collection: name, id: 'x' }] })).rejects.toThrow(/Unsafe collection name/);
        await expect(store.staging([{ name, indexes: [] }], 'cp')).rejects.toThrow(/Unsafe collection name/);
      });

      it.each(unsafeFields)('refuses the unsafe field name %j in indexes, filters and sorts', async (field) => {
        await store.ensureCollection(TASKS);
        await expect(store.ensureCollection({ name: 'tasks', indexes: [field] })).rejects.toThrow(/Unsafe field name/);
        await expect(store.ensureCollection({ name: 'tasks', indexes: [['projectId', field]] })).rejects.toThrow(/Unsafe field name/);
        await expect(store.find('tasks', { where: { [field]: 1 } })).rejects.toThrow(/Unsafe field name/);
        await expect(store.find('tasks', { orderBy: [{ field, direction: 'asc' }] })).rejects.toThrow(/Unsafe field name/);
        await expect(store.count('tasks', { [field]: 1 })).rejects.toThrow(/Unsafe field name/);
        await expect(store.find('ghosts', { where: { [field]: 1 } })).rejects.toThrow(/Unsafe field name/);
      });

      it('refuses operators and values outside the port: no $ne, no null bounds, no objects as values', async () => {
        await store.ensureCollection(TASKS);
        await expect(store.find('tasks', { where: { priority: { $ne: 1 } as never } })).rejects.toThrow(/Unsupported operator/);
        await expect(store.find('tasks', { where: { priority: { $gt: null } } })).rejects.toThrow(/non-null bound/);
        await expect(store.find('tasks', { where: { priority: { $in: [{ $gt: 0 }] } as never } })).rejects.toThrow(/Unsupported value/);
        await expect(store.find('tasks', { orderBy: [{ field: 'priority', direction: 'up' as 'asc' }] })).rejects.toThrow(/sort direction/);
      });

      it('refuses an unsafe database name before connecting', async () => {
        await expect(MongoReadStore.connect({ url: MONGO_URL ?? '', database: 'admin.$cmd' })).rejects.toThrow(/Unsafe database name/);
      });
    });

    describe('writes without transactions', () => {
      const put = (id: string, extra: Record<string, unknown> = {}) => ({ kind: 'put' as const, collection: 'tasks', doc: { id, ...extra } as Document });

      /** What a writer that died right after its compare-and-set leaves behind: the checkpoint moved, the batch recorded, no op applied. */
      async function crashAfterCompareAndSet(position: number, ops: unknown[]): Promise<void> {
        await store.database.collection('__checkpoints').insertOne({ _id: 'tasks' as never, position, pending: { batch: 'crashed', ops } });
      }

      beforeEach(async () => {
        await store.ensureCollection(TASKS);
      });

      /** The number of operations in each bulk write the store sends until the test ends (the driver's own method, wrapped and called through). */
      function recordBulkSizes(): number[] {
        const sizes: number[] = [];
        const original = Collection.prototype.bulkWrite;
        Collection.prototype.bulkWrite = function (this: Collection, operations: Parameters<Collection['bulkWrite']>[0], ...rest: unknown[]) {
          sizes.push(operations.length);
          return (original as (...args: unknown[]) => ReturnType<Collection['bulkWrite']>).call(this, operations, ...rest);
        } as Collection['bulkWrite'];
        restoreBulkWrite = () => {
          Collection.prototype.bulkWrite = original;
        };
        return sizes;
      }
      let restoreBulkWrite = (): void => undefined;
      afterEach(() => restoreBulkWrite());

      it('a batch recorded by a writer that crashed is completed when its checkpoint is next read', async () => {
        await store.write({ ops: [put('old')] });
        await crashAfterCompareAndSet(7, [
          { k: 'put', c: 'tasks', doc: { _id: 't1', projectId: 'p1' } },
          { k: 'delete', c: 'tasks', id: 'old' },
        ]);

        expect(await store.getCheckpoint('tasks')).toBe(7);
        expect(await store.get('tasks', 't1')).toEqual({ id: 't1', projectId: 'p1' });
        expect(await store.get('tasks', 'old')).toBeNull();
        expect(await store.database.collection('__checkpoints').findOne({ _id: 'tasks' as never })).toEqual({ _id: 'tasks', position: 7 });
      });

      it('readCheckpoints counts a recorded batch as not there yet and completes nothing (only writers complete)', async () => {
        await store.write({ ops: [put('old')], checkpoint: { name: 'tasks', expected: 0, position: 4 } });
        await store.database.collection('__checkpoints').updateOne({ _id: 'tasks' as never }, {
          $set: { position: 7, pending: { batch: 'in-flight', from: 4, ops: [{ k: 'put', c: 'tasks', doc: { _id: 't1' } }] } },
        });

        expect(await store.readCheckpoints(['tasks'])).toEqual(new Map([['tasks', 4]]));
        expect(await store.get('tasks', 't1')).toBeNull();
        expect(await store.getCheckpoint('tasks')).toBe(7);
        expect(await store.readCheckpoints(['tasks'])).toEqual(new Map([['tasks', 7]]));
      });

      /** Calls of the driver's write and read methods the store makes until the test ends, by method (wrapped and called through). */
      function recordCalls(): Map<string, number> {
        const calls = new Map<string, number>();
        const methods = ['bulkWrite', 'updateOne', 'updateMany', 'insertOne', 'insertMany', 'findOne', 'find', 'replaceOne'] as const;
        const originals = methods.map((method) => [method, Collection.prototype[method]] as const);
        for (const [method, original] of originals) {
          (Collection.prototype as unknown as Record<string, unknown>)[method] = function (this: Collection, ...args: unknown[]) {
            calls.set(method, (calls.get(method) ?? 0) + 1);
            return (original as (...a: unknown[]) => unknown).apply(this, args);
          };
        }
        restoreCalls = () => {
          for (const [method, original] of originals) (Collection.prototype as unknown as Record<string, unknown>)[method] = original;
        };
        return calls;
      }
      let restoreCalls = (): void => undefined;
      afterEach(() => restoreCalls());

      it('writeBatches of seven checkpoints costs one bulk compare-and-set, the ops (new documents inserted) and one clear (issue 15: it was three writes per checkpoint)', async () => {
        const names = Array.from({ length: 7 }, (_, i) => `projection${i}@p0`);
        await store.writeBatches(names.map((name, i) => ({ ops: [put(`first${i}`)], checkpoint: { name, expected: 0, position: 5 } })));
        const calls = recordCalls();
        await store.writeBatches(names.map((name, i) => ({ ops: i < 5 ? [put(`t${i}`, { n: i })] : [], checkpoint: { name, expected: 5, position: 9 } })));
        restoreCalls();

        // The driver's insertMany is a bulkWrite of inserts: one round trip, counted under both names.
        expect(Object.fromEntries(calls)).toEqual({ bulkWrite: 2, insertMany: 1, updateMany: 1 });
        expect(await store.count('tasks')).toBe(12);
        expect(await store.get('tasks', 't4')).toEqual({ id: 't4', n: 4 });
        expect(await store.readCheckpoints(names)).toEqual(new Map(names.map((name) => [name, 9])));
        expect(await store.database.collection('__checkpoints').countDocuments({ pending: { $exists: true } })).toBe(0);
      });

      it('writeBatches puts over existing documents replace them whole, beside new ones, in bulk writes of at most the configured size', async () => {
        const small = await connect({ maxOpsPerWrite: 3 });
        try {
          await small.ensureCollection(TASKS);
          await small.write({ ops: [put('e1', { old: true, v: 1 }), put('e2', { old: true, v: 1 })] });
          const sizes = recordBulkSizes();
          await small.writeBatches([
            { ops: [put('n1', { v: 2 }), put('e1', { v: 2 }), put('n2', { v: 2 }), put('n3', { v: 2 }), put('e2', { v: 2 }), put('n4', { v: 2 })], checkpoint: { name: 'tasks@p0', expected: 0, position: 4 } },
          ]);
          expect((await small.find('tasks')).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
            ['e1', 'e2', 'n1', 'n2', 'n3', 'n4'].map((id) => ({ id, v: 2 })),
          );
          expect(await small.getCheckpoint('tasks@p0')).toBe(4);
          expect(sizes.length).toBeGreaterThan(2);
          expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
        } finally {
          await small.database.dropDatabase();
          await small.close();
        }
      });

      it('batches of a writeBatches whose writer died after the compare-and-set are completed when their checkpoints are next read', async () => {
        await store.writeBatches([
          { ops: [], checkpoint: { name: 'a@p0', expected: 0, position: 3 } },
          { ops: [put('old')], checkpoint: { name: 'b@p0', expected: 0, position: 3 } },
        ]);
        // The ops never reach the engine: the bulk write after the compare-and-set fails, as if the process died there.
        const original = Collection.prototype.bulkWrite;
        let bulkWrites = 0;
        Collection.prototype.bulkWrite = function (this: Collection, ...args: unknown[]) {
          bulkWrites += 1;
          if (bulkWrites > 1) return Promise.reject(new Error('process died'));
          return (original as (...a: unknown[]) => ReturnType<Collection['bulkWrite']>).apply(this, args);
        } as Collection['bulkWrite'];
        restoreBulkWrite = () => {
          Collection.prototype.bulkWrite = original;
        };
        await expect(
          store.writeBatches([
            { ops: [put('a1', { by: 'a' })], checkpoint: { name: 'a@p0', expected: 3, position: 8 } },
            { ops: [put('b1', { by: 'b' }), { kind: 'delete', collection: 'tasks', id: 'old' }], checkpoint: { name: 'b@p0', expected: 3, position: 8 } },
          ]),
        ).rejects.toThrow(/process died/);
        restoreBulkWrite();

        expect(await store.get('tasks', 'a1')).toBeNull();
        expect(await store.readCheckpoints(['a@p0', 'b@p0'])).toEqual(new Map([['a@p0', 3], ['b@p0', 3]]));
        expect(await store.getCheckpoint('a@p0')).toBe(8);
        expect(await store.getCheckpoint('b@p0')).toBe(8);
        expect(await store.get('tasks', 'a1')).toEqual({ id: 'a1', by: 'a' });
        expect(await store.get('tasks', 'b1')).toEqual({ id: 'b1', by: 'b' });
        expect(await store.get('tasks', 'old')).toBeNull();
        // The redelivered batch is refused (already applied) and changes nothing.
        await expect(store.writeBatches([{ ops: [put('a1', { by: 'again' })], checkpoint: { name: 'a@p0', expected: 3, position: 8 } }])).rejects.toBeInstanceOf(CheckpointMovedError);
        expect(await store.get('tasks', 'a1')).toEqual({ id: 'a1', by: 'a' });
      });

      it('a batch recorded by a writer that crashed is completed before the next batch on its checkpoint', async () => {
        await crashAfterCompareAndSet(7, [{ k: 'put', c: 'tasks', doc: { _id: 't1', count: 1 } }]);
        await store.write({ ops: [put('t2')], checkpoint: { name: 'tasks', expected: 7, position: 9 } });

        expect(await store.get('tasks', 't1')).toEqual({ id: 't1', count: 1 });
        expect(await store.get('tasks', 't2')).toEqual({ id: 't2' });
        expect(await store.getCheckpoint('tasks')).toBe(9);
      });

      it('of two writers racing from one checkpoint exactly one wins, and the loser writes nothing', async () => {
        // FerretDB v1 runs a conditional updateOne as a read then a write: under load two writers
        // can both match, so this compare-and-set guarantee holds on MongoDB only.
        const build = await store.database.admin().command({ buildInfo: 1 });
        if (build['ferretdbVersion']) {
          console.warn(`racing-writers check skipped: the engine is FerretDB ${String(build['ferretdbVersion'])}, whose conditional updates are not atomic under concurrent writers`);
          return;
        }
        const other = await MongoReadStore.connect({ url: MONGO_URL ?? '', database: store.database.databaseName });
        try {
          await store.write({ ops: [], checkpoint: { name: 'tasks', expected: 0, position: 1 } });
          const results = await Promise.allSettled([
            store.write({ ops: [put('a', { by: 'store' }), put('shared', { by: 'store' })], checkpoint: { name: 'tasks', expected: 1, position: 2 } }),
            other.write({ ops: [put('b', { by: 'other' }), put('shared', { by: 'other' })], checkpoint: { name: 'tasks', expected: 1, position: 3 } }),
          ]);

          const won = results.findIndex((result) => result.status === 'fulfilled');
          expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
          expect((results[1 - won] as PromiseRejectedResult).reason).toBeInstanceOf(CheckpointMovedError);
          const winner = won === 0 ? 'store' : 'other';
          expect(await store.getCheckpoint('tasks')).toBe(won === 0 ? 2 : 3);
          expect((await store.find('tasks')).map((doc) => doc.id)).toEqual([won === 0 ? 'a' : 'b', 'shared']);
          expect(await store.get('tasks', 'shared')).toEqual({ id: 'shared', by: winner });
        } finally {
          await other.close();
        }
      });

      it('a recorded batch of 10,000 ops, replaces of existing documents among them, is completed in bulk writes of at most 50 ops, and the engine keeps answering', async () => {
        // Issue 15: FerretDB 1.24 stopped answering anything, even ping, after one bulk write of 100
        // replaces on existing documents. 10,000 ops over 500 documents: every one is replaced 20 times.
        const count = 10_000;
        const ids = Array.from({ length: 500 }, (_, i) => `t${String(i).padStart(3, '0')}`);
        await store.write({ ops: ids.map((id) => put(id, { version: 0 })), checkpoint: { name: 'tasks', expected: 0, position: 1 } });
        const ops = Array.from({ length: count }, (_, i) => ({ k: 'put', c: 'tasks', doc: { _id: ids[i % ids.length]!, version: 1 + Math.floor(i / ids.length) } }));
        await store.database.collection('__checkpoints').updateOne({ _id: 'tasks' as never }, { $set: { position: 2, pending: { batch: 'crashed', ops } } });
        const bulkSizes = recordBulkSizes();

        expect(await store.getCheckpoint('tasks')).toBe(2);

        expect(await store.database.command({ ping: 1 })).toMatchObject({ ok: 1 });
        expect(await store.count('tasks', { version: count / ids.length })).toBe(ids.length);
        expect(Math.max(...bulkSizes)).toBe(50);
        expect(bulkSizes.reduce((sum, size) => sum + size, 0)).toBe(count);
        expect(await store.database.collection('__checkpoints').findOne({ _id: 'tasks' as never })).toEqual({ _id: 'tasks', position: 2 });
      }, 900_000);

      it('writes a batch with its checkpoint in bulk writes of at most the configured size', async () => {
        await dropAndClose(store);
        store = await connect({ maxOpsPerWrite: 7 });
        await store.ensureCollection(TASKS);
        const ids = Array.from({ length: 100 }, (_, i) => `t${String(i).padStart(3, '0')}`);
        await store.write({ ops: ids.map((id) => put(id)), checkpoint: { name: 'tasks', expected: 0, position: 1 } });
        const bulkSizes = recordBulkSizes();
        await store.write({ ops: ids.map((id) => put(id, { again: true })), checkpoint: { name: 'tasks', expected: 1, position: 2 } });

        expect(await store.count('tasks', { again: true })).toBe(100);
        expect(await store.getCheckpoint('tasks')).toBe(2);
        expect(Math.max(...bulkSizes)).toBe(7);
      }, 120_000);

      it('a batch too large for its checkpoint document goes through the journal and leaves it empty', async () => {
        await dropAndClose(store);
        store = await connect({ inlineBatchBytes: 1024 });
        await store.ensureCollection(TASKS);
        const ops = Array.from({ length: 60 }, (_, i) => put(`t${String(i).padStart(2, '0')}`, { text: 'x'.repeat(100) }));

        await store.write({ ops, checkpoint: { name: 'tasks', expected: 0, position: 60 } });
        await expect(store.write({ ops: [put('late')], checkpoint: { name: 'tasks', expected: 0, position: 61 } })).rejects.toBeInstanceOf(CheckpointMovedError);

        expect(await store.count('tasks')).toBe(60);
        expect(await store.get('tasks', 'late')).toBeNull();
        expect(await store.getCheckpoint('tasks')).toBe(60);
        expect(await store.database.collection('__journal').countDocuments()).toBe(0);
      });
    });
  });
});
