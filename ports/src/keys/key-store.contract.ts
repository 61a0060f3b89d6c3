/** The contract every KeyStore adapter passes (SQLite always; MongoDB when MONGO_URL names an engine). */
import { DATA_KEY_BYTES, type KeyStore } from './key-store.js';

export function describeKeyStoreContract(name: string, open: () => Promise<{ store: KeyStore; dispose: () => Promise<void> }>): void {
  describe(`${name} (KeyStore contract)`, () => {
    let store: KeyStore;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = await open());
    });
    afterEach(() => dispose());

    it('knows nothing of a user who never had a key', async () => {
      expect(await store.find('u-nobody')).toBeNull();
    });

    it('makes a 256-bit key on first use and answers the same key afterwards', async () => {
      const key = await store.keyFor('u-ann');
      expect(key).toHaveLength(DATA_KEY_BYTES);
      expect(await store.keyFor('u-ann')).toEqual(key);
      expect(await store.find('u-ann')).toEqual({ status: 'active', key });
    });

    it('gives each user their own key', async () => {
      const [ann, bob] = [await store.keyFor('u-ann'), await store.keyFor('u-bob')];
      expect(ann!.equals(bob!)).toBe(false);
    });

    it('answers one key to callers that ask at once', async () => {
      const keys = await Promise.all(Array.from({ length: 8 }, () => store.keyFor('u-race')));
      for (const key of keys) expect(key).toEqual(keys[0]);
    });

    it('destroys a key for good: the user reads as erased and is never given a new key', async () => {
      await store.keyFor('u-ann');
      await store.destroy('u-ann', '2026-12-03T08:00:00.000Z');
      expect(await store.find('u-ann')).toEqual({ status: 'erased', erasedAt: '2026-12-03T08:00:00.000Z' });
      expect(await store.keyFor('u-ann')).toBeNull();
      expect(await store.find('u-ann')).toEqual({ status: 'erased', erasedAt: '2026-12-03T08:00:00.000Z' });
    });

    it('keeps the first tombstone when a key is destroyed twice, and leaves other users\' keys alone', async () => {
      const bob = await store.keyFor('u-bob');
      await store.keyFor('u-ann');
      await store.destroy('u-ann', '2026-12-03T08:00:00.000Z');
      await store.destroy('u-ann', '2026-12-04T08:00:00.000Z');
      expect(await store.find('u-ann')).toEqual({ status: 'erased', erasedAt: '2026-12-03T08:00:00.000Z' });
      expect(await store.find('u-bob')).toEqual({ status: 'active', key: bob });
    });

    it('erases a user who never had a key (clear-text data from before sealing)', async () => {
      await store.destroy('u-legacy', '2026-12-03T08:00:00.000Z');
      expect(await store.find('u-legacy')).toEqual({ status: 'erased', erasedAt: '2026-12-03T08:00:00.000Z' });
      expect(await store.keyFor('u-legacy')).toBeNull();
    });
  });
}
