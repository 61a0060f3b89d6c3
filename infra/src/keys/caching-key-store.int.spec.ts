import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CachingKeyStore } from './caching-key-store.js';
import { describeKeyStoreContract } from '@resoft/ports/contracts';
import type { DataKeyStatus, KeyStore } from '@resoft/ports';
import { SqliteKeyStore } from '@resoft/adapter-sqlite';

describeKeyStoreContract('CachingKeyStore over SqliteKeyStore', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-keys-'));
  const store = new CachingKeyStore(new SqliteKeyStore({ file: path.join(dir, 'personal-keys.sqlite') }));
  return { store, dispose: async () => { await store.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
});

/** A key store whose engine can be made to stop answering, as a frozen MongoDB does. */
class FreezableKeyStore implements KeyStore {
  frozen = false;
  constructor(private readonly inner: KeyStore) {}
  private check() {
    if (this.frozen) throw new Error('engine timeout');
  }
  async find(ownerId: string): Promise<DataKeyStatus | null> { this.check(); return this.inner.find(ownerId); }
  async keyFor(ownerId: string): Promise<Buffer | null> { this.check(); return this.inner.keyFor(ownerId); }
  async destroy(ownerId: string, erasedAt?: string): Promise<void> { this.check(); return this.inner.destroy(ownerId, erasedAt); }
  close(): Promise<void> { return this.inner.close(); }
}

describe('CachingKeyStore', () => {
  let dir: string;
  let engine: FreezableKeyStore;
  let clock: number;
  let keys: CachingKeyStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-keys-'));
    engine = new FreezableKeyStore(new SqliteKeyStore({ file: path.join(dir, 'personal-keys.sqlite') }));
    clock = 0;
    keys = new CachingKeyStore(engine, 60_000, () => clock);
  });
  afterEach(async () => {
    await keys.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers a key it read recently while the engine does not answer, and asks the engine again once it is old', async () => {
    const key = await keys.keyFor('u-ann');
    engine.frozen = true;
    expect(await keys.keyFor('u-ann')).toEqual(key);
    expect(await keys.find('u-ann')).toEqual({ status: 'active', key });
    clock += 60_001;
    await expect(keys.find('u-ann')).rejects.toThrow('engine timeout');
    engine.frozen = false;
    expect(await keys.find('u-ann')).toEqual({ status: 'active', key });
  });

  it('forgets a key at once when this process destroys it, and keeps the tombstone for good', async () => {
    await keys.keyFor('u-bob');
    await keys.destroy('u-bob');
    expect(await keys.keyFor('u-bob')).toBeNull();
    clock += 10 * 60_000;
    engine.frozen = true;
    expect((await keys.find('u-bob'))?.status).toBe('erased');
  });

  it('sees a key another process destroyed once its cached copy is old', async () => {
    const other = new CachingKeyStore(engine, 60_000, () => clock);
    await keys.keyFor('u-cy');
    await other.destroy('u-cy');
    expect((await keys.find('u-cy'))?.status).toBe('active');
    clock += 60_001;
    expect((await keys.find('u-cy'))?.status).toBe('erased');
  });
});
