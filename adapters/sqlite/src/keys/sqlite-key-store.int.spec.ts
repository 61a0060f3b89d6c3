import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeKeyStoreContract } from '@resoft/ports/contracts';
import { SqliteKeyStore } from './sqlite-key-store.js';

describeKeyStoreContract('SqliteKeyStore', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-keys-'));
  const store = new SqliteKeyStore({ file: path.join(dir, 'personal-keys.sqlite') });
  return { store, dispose: async () => { await store.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
});

describe('SqliteKeyStore files', () => {
  it('no longer hold a destroyed key\'s bytes, in the database or its WAL', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-keys-'));
    const store = new SqliteKeyStore({ file: path.join(dir, 'personal-keys.sqlite') });
    try {
      const others = await Promise.all(Array.from({ length: 50 }, (_, n) => store.keyFor(`u-${n}`)));
      const key = (await store.keyFor('u-ann'))!;
      const filesHold = (bytes: Buffer) => fs.readdirSync(dir).some((f) => fs.readFileSync(path.join(dir, f)).includes(bytes));
      expect(filesHold(key)).toBe(true);
      await store.destroy('u-ann');
      expect(filesHold(key)).toBe(false);
      // The others are still there (the check above would not prove much if the file had been emptied).
      expect(filesHold(others[7]!)).toBe(true);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
