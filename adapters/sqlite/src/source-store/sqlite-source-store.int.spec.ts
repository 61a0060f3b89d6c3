import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeSourceStoreContract } from '@resoft/ports/contracts';
import { SqliteSourceStore } from './sqlite-source-store.js';

describeSourceStoreContract('SqliteSourceStore', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-sources-'));
  const opened: SqliteSourceStore[] = [];
  return {
    async open() {
      const store = new SqliteSourceStore({ file: path.join(dir, 'sources.sqlite') });
      opened.push(store);
      return store;
    },
    async dispose() {
      await Promise.all(opened.map((store) => store.close()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteSourceStore', () => {
  it('keeps what it stored across a reopen of the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-sources-'));
    try {
      const file = path.join(dir, 'nested', 'sources.sqlite');
      const first = new SqliteSourceStore({ file, synchronous: 'FULL' });
      const [stored] = await first.put(['x = 1\n']);
      await first.close();
      const second = new SqliteSourceStore({ file });
      expect((await second.get([stored!.sha256])).get(stored!.sha256)).toBe('x = 1\n');
      await second.close();
      await expect(second.get([stored!.sha256])).rejects.toThrow(/closed/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
