import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeMerkleLogStoreContract } from '@resoft/ports/contracts';
import { SqliteMerkleLogStore } from './sqlite-merkle-log-store.js';

describeMerkleLogStoreContract('SqliteMerkleLogStore', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-merkle-'));
  const store = new SqliteMerkleLogStore({ file: path.join(dir, 'audit-log.sqlite') });
  return { store, dispose: async () => { await store.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
});
