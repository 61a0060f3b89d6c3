import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describeReadStoreContract } from '@resoft/ports/contracts';
import { CheckpointMovedError, type CollectionSpec } from '@resoft/ports';
import { PUT_ROWS } from './sqlite-collection-writer.js';
import { SqliteReadStore } from './sqlite-read-store.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'resoft-read-store-'));
}

describeReadStoreContract('SqliteReadStore on a file', async () => {
  const dir = tempDir();
  const store = new SqliteReadStore({ file: join(dir, 'read.db') });
  return {
    store,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describeReadStoreContract('SqliteReadStore in memory', async () => {
  const store = new SqliteReadStore({ file: ':memory:' });
  return { store, dispose: () => store.close() };
});

const TASKS: CollectionSpec = { name: 'tasks', indexes: ['projectId', 'priority', 'done'] };

describe('SqliteReadStore', () => {
  let dir: string;
  let file: string;
  let store: SqliteReadStore;

  beforeEach(() => {
    dir = tempDir();
    file = join(dir, 'read.db');
    store = new SqliteReadStore({ file });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The names of the tables and indexes in the file, seen from a second connection as another process would. */
  function schemaNames(): string[] {
    const db = new Database(file, { readonly: true });
    try {
      const rows = db.prepare(`SELECT name FROM sqlite_master WHERE name LIKE 'rm\\_%' ESCAPE '\\' ORDER BY name`).all() as { name: string }[];
      return rows.map((row) => row.name);
    } finally {
      db.close();
    }
  }

  describe('names', () => {
    const unsafeCollections = ['tasks; DROP TABLE rm_tasks', '1tasks', 'my-tasks', 'tâches', '', 'tasks__staging', 'a.b'];
    const unsafeFields = ["x') OR 1=1 --", 'a.b', '$where', '1st', 'a b'];

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
      await expect(store.find('tasks', { where: { [field]: 1 } })).rejects.toThrow(/Unsafe field name/);
      await expect(store.find('tasks', { orderBy: [{ field, direction: 'asc' }] })).rejects.toThrow(/Unsafe field name/);
      await expect(store.count('tasks', { [field]: 1 })).rejects.toThrow(/Unsafe field name/);
      await expect(store.find('ghosts', { where: { [field]: 1 } })).rejects.toThrow(/Unsafe field name/);
    });

    it('refuses a sort direction other than asc or desc', async () => {
      await store.ensureCollection(TASKS);
      const direction = 'asc; DROP TABLE rm_tasks' as 'asc';
      await expect(store.find('tasks', { orderBy: [{ field: 'priority', direction }] })).rejects.toThrow(/sort direction/);
    });

    it('refuses unknown operators and null range bounds', async () => {
      await store.ensureCollection(TASKS);
      await expect(store.find('tasks', { where: { priority: { $ne: 1 } as never } })).rejects.toThrow(/Unsupported operator/);
      await expect(store.find('tasks', { where: { priority: { $gt: null } } })).rejects.toThrow(/non-null bound/);
    });

    it('keeps each collection in an rm_ table with its indexes named after table and field', async () => {
      await store.ensureCollection(TASKS);
      expect(schemaNames()).toEqual(
        expect.arrayContaining(['rm__checkpoints', 'rm_tasks', 'rm_tasks__ix_done', 'rm_tasks__ix_priority', 'rm_tasks__ix_projectId']),
      );
    });
  });

  describe('the file', () => {
    it('creates the parent directory when missing', async () => {
      const nested = new SqliteReadStore({ file: join(dir, 'a', 'b', 'read.db') });
      await nested.ensureCollection(TASKS);
      expect(await nested.count('tasks')).toBe(0);
      await nested.close();
    });

    it('keeps documents and checkpoints across close and reopen', async () => {
      await store.ensureCollection(TASKS);
      const doc = { id: 't1', projectId: 'p1', priority: 1, done: true, notes: [{ at: 1 }] };
      await store.write({ ops: [{ kind: 'put', collection: 'tasks', doc }], checkpoint: { name: 'tasks', expected: 0, position: 7 } });
      await store.close();

      store = new SqliteReadStore({ file });
      expect(await store.get('tasks', 't1')).toEqual(doc);
      expect(await store.find('tasks', { where: { done: true } })).toEqual([doc]);
      expect(await store.getCheckpoint('tasks')).toBe(7);
    });

    it('lets two stores on one file, like a server and a CLI, see each other and race on checkpoints', async () => {
      const other = new SqliteReadStore({ file });
      try {
        await store.ensureCollection(TASKS);
        await other.write({ ops: [{ kind: 'put', collection: 'tasks', doc: { id: 't1' } }], checkpoint: { name: 'tasks', expected: 0, position: 1 } });
        expect(await store.get('tasks', 't1')).toEqual({ id: 't1' });
        await expect(store.write({ ops: [], checkpoint: { name: 'tasks', expected: 0, position: 2 } })).rejects.toBeInstanceOf(CheckpointMovedError);
      } finally {
        await other.close();
      }
    });
  });

  describe('indexes', () => {
    beforeEach(async () => {
      await store.ensureCollection(TASKS);
    });

    it('an equality, $in or range filter on an indexed field searches its index', () => {
      expect(store.explainFind('tasks', { where: { projectId: 'p1' } }).join('\n')).toMatch(/USING INDEX rm_tasks__ix_projectId/);
      expect(store.explainFind('tasks', { where: { done: true } }).join('\n')).toMatch(/USING INDEX rm_tasks__ix_done/);
      expect(store.explainFind('tasks', { where: { projectId: { $in: ['p1', 'p2'] } } }).join('\n')).toMatch(/USING INDEX rm_tasks__ix_projectId/);
      expect(store.explainFind('tasks', { where: { priority: { $gt: 1, $lte: 4 } } }).join('\n')).toMatch(/USING INDEX rm_tasks__ix_priority/);
    });

    it('a sort on one indexed field reads the index in order instead of sorting', () => {
      const plan = store.explainFind('tasks', { orderBy: [{ field: 'priority', direction: 'desc' }], limit: 10 }).join('\n');
      expect(plan).toMatch(/rm_tasks__ix_priority/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    });

    it('a compound index serves a filter on its first field ordered by its second without sorting, live and after a rebuild', async () => {
      const messages = { name: 'messages', indexes: [['roomId', 'position']] } as const;
      await store.ensureCollection(messages);
      const query = { where: { roomId: 'r1', position: { $lt: 100 } }, orderBy: [{ field: 'position', direction: 'desc' as const }], limit: 50 };
      const live = store.explainFind('messages', query).join('\n');
      expect(live).toMatch(/USING INDEX rm_messages__ix_roomId__position/);
      expect(live).not.toMatch(/TEMP B-TREE/);
      const staging = await store.staging([messages], 'messages');
      await staging.promote();
      expect(store.explainFind('messages', query).join('\n')).toMatch(/USING INDEX rm_messages__ix_roomId__position/);
    });

    it('promoted collections get their indexes under the live names, with no staging leftovers', async () => {
      const staging = await store.staging([TASKS], 'tasks');
      // A rebuild only writes and reads by id: the staging table gets its indexes once, when promoted.
      expect(schemaNames().filter((name) => name.includes('__ix_'))).not.toContain('rm_tasks__staging__ix_priority');
      await staging.write({ ops: [{ kind: 'put', collection: 'tasks', doc: { id: 't1', priority: 3 } }] });
      expect(await staging.find('tasks', { where: { priority: 3 } })).toEqual([{ id: 't1', priority: 3 }]);
      await staging.promote();

      expect(schemaNames().filter((name) => name.includes('staging'))).toEqual(['rm__staging_checkpoints']);
      expect(store.explainFind('tasks', { where: { priority: 3 } }).join('\n')).toMatch(/USING INDEX rm_tasks__ix_priority/);
    });

    it('discard drops the staging tables', async () => {
      const staging = await store.staging([TASKS, { name: 'labels', indexes: ['name'] }], 'tasks');
      await staging.discard();
      expect(schemaNames().filter((name) => name.includes('staging'))).toEqual(['rm__staging_checkpoints']);
    });
  });

  describe('values', () => {
    beforeEach(async () => {
      await store.ensureCollection(TASKS);
      await store.write({
        ops: [
          { kind: 'put', collection: 'tasks', doc: { id: 'b', priority: 1 } },
          { kind: 'put', collection: 'tasks', doc: { id: 'a', priority: 1 } },
          { kind: 'put', collection: 'tasks', doc: { id: 'c', priority: 2, projectId: '2' } },
        ],
      });
    });

    it('breaks sort ties by id in the direction of the last sort field', async () => {
      const asc = await store.find('tasks', { orderBy: [{ field: 'priority', direction: 'asc' }] });
      expect(asc.map((doc) => doc.id)).toEqual(['a', 'b', 'c']);
      const desc = await store.find('tasks', { orderBy: [{ field: 'priority', direction: 'desc' }] });
      expect(desc.map((doc) => doc.id)).toEqual(['c', 'b', 'a']);
    });

    it('returns documents in id order when no sort is asked for', async () => {
      expect((await store.find('tasks')).map((doc) => doc.id)).toEqual(['a', 'b', 'c']);
    });

    it('never matches a number with a string that spells it', async () => {
      expect(await store.find('tasks', { where: { priority: '2' } })).toEqual([]);
      expect(await store.find('tasks', { where: { projectId: 2 } })).toEqual([]);
    });
  });

  describe('writes', () => {
    it('applies a long batch in order: puts gathered into multi-row statements, a delete between them, the same id twice', async () => {
      await store.ensureCollection(TASKS);
      await store.ensureCollection({ name: 'notes', indexes: [] });
      const puts = (from: number, to: number, priority: number) =>
        Array.from({ length: to - from }, (_, i) => ({ kind: 'put' as const, collection: 'tasks', doc: { id: `t${String(from + i).padStart(3, '0')}`, priority } }));
      await store.write({
        ops: [
          ...puts(0, 2 * PUT_ROWS + 5, 1),
          { kind: 'delete', collection: 'tasks', id: 't001' },
          { kind: 'put', collection: 'notes', doc: { id: 'n', text: 'between' } },
          ...puts(2, PUT_ROWS + 2, 2),
          { kind: 'put', collection: 'tasks', doc: { id: 't002', priority: 3 } },
          { kind: 'put', collection: 'tasks', doc: { id: 't001', priority: 4 } },
        ],
      });
      const tasks = await store.find('tasks');
      expect(tasks).toHaveLength(2 * PUT_ROWS + 5);
      expect(tasks.slice(0, 4)).toEqual([{ id: 't000', priority: 1 }, { id: 't001', priority: 4 }, { id: 't002', priority: 3 }, { id: 't003', priority: 2 }]);
      expect(await store.count('tasks', { priority: 2 })).toBe(PUT_ROWS - 1);
      expect(await store.get('notes', 'n')).toEqual({ id: 'n', text: 'between' });
    });

    it('writes nothing of a batch with a document without an id', async () => {
      await store.ensureCollection(TASKS);
      const ops = Array.from({ length: PUT_ROWS + 1 }, (_, i) => ({ kind: 'put' as const, collection: 'tasks', doc: { id: `t${i}` } }));
      await expect(store.write({ ops: [...ops, { kind: 'put', collection: 'tasks', doc: { priority: 1 } as never }] })).rejects.toThrow('has no string id');
      expect(await store.count('tasks')).toBe(0);
    });
  });

  describe('staging', () => {
    it('keeps rebuilding only its own checkpoint', async () => {
      await store.ensureCollection(TASKS);
      const staging = await store.staging([TASKS], 'tasks');
      await expect(staging.getCheckpoint('other')).rejects.toThrow(/rebuilds checkpoint tasks/);
      await expect(staging.write({ ops: [], checkpoint: { name: 'other', expected: 0, position: 1 } })).rejects.toThrow(/rebuilds checkpoint tasks/);
      await staging.discard();
    });

    it('treats a collection it does not stage as empty and refuses writes to it', async () => {
      await store.ensureCollection(TASKS);
      await store.write({ ops: [{ kind: 'put', collection: 'tasks', doc: { id: 't1' } }] });
      const staging = await store.staging([{ name: 'labels', indexes: [] }], 'labels');
      expect(await staging.count('tasks')).toBe(0);
      await expect(staging.write({ ops: [{ kind: 'put', collection: 'tasks', doc: { id: 't2' } }] })).rejects.toThrow(/ensureCollection/);
      await staging.discard();
    });

    it('survives a crash mid-rebuild: the next rebuild in a new process starts from empty staging tables', async () => {
      await store.ensureCollection(TASKS);
      const crashed = await store.staging([TASKS], 'tasks');
      await crashed.write({ ops: [{ kind: 'put', collection: 'tasks', doc: { id: 'half' } }], checkpoint: { name: 'tasks', expected: 0, position: 3 } });
      await store.close();

      store = new SqliteReadStore({ file });
      const staging = await store.staging([TASKS], 'tasks');
      expect(await staging.count('tasks')).toBe(0);
      expect(await staging.getCheckpoint('tasks')).toBe(0);
      await staging.promote();
      expect(await store.count('tasks')).toBe(0);
    });
  });
});
