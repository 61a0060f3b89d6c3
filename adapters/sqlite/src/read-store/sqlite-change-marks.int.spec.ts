/**
 * The SQLite read store's change marks: a collection's mark moves with every change to its documents,
 * made through this store, through another connection (another process) to the same file, or by a
 * rebuild's promote; a write through this store to other collections leaves it where it was.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadStore } from './sqlite-read-store.js';

describe('SqliteReadStore.changeMark', () => {
  let dir: string;
  let store: SqliteReadStore;
  const put = (s: SqliteReadStore, collection: string, id: string) => s.write({ ops: [{ kind: 'put', collection, doc: { id } }] });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'resoft-change-marks-'));
    store = new SqliteReadStore({ file: join(dir, 'read.db') });
    for (const name of ['notes', 'tags']) await store.ensureCollection({ name, indexes: [] });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("moves a collection's mark with this store's writes to it, not with its writes to others", async () => {
    const notes = store.changeMark(['notes']);
    const both = store.changeMark(['notes', 'tags']);
    expect(store.changeMark(['notes'])).toBe(notes);
    await put(store, 'tags', 't1');
    expect(store.changeMark(['notes'])).toBe(notes);
    expect(store.changeMark(['notes', 'tags'])).not.toBe(both);
    await store.writeBatches([{ ops: [{ kind: 'put', collection: 'notes', doc: { id: 'n1' } }], checkpoint: { name: 'p', expected: 0, position: 1 } }]);
    expect(store.changeMark(['notes'])).not.toBe(notes);
  });

  it('moves every mark when another connection commits to the file', async () => {
    const other = new SqliteReadStore({ file: join(dir, 'read.db') });
    try {
      const notes = store.changeMark(['notes']);
      await put(other, 'tags', 't1');
      expect(store.changeMark(['notes'])).not.toBe(notes);
    } finally {
      await other.close();
    }
  });

  it("moves every mark when a rebuild's staged collections are promoted", async () => {
    const staging = await store.staging([{ name: 'notes', indexes: [] }], 'rebuild');
    await staging.write({ ops: [{ kind: 'put', collection: 'notes', doc: { id: 'n1' } }] });
    const notes = store.changeMark(['notes']);
    await staging.promote();
    expect(store.changeMark(['notes'])).not.toBe(notes);
    expect(await store.find('notes')).toEqual([{ id: 'n1' }]);
  });
});
