/**
 * The behaviour every `SourceStore` adapter must show, as one jest suite. An adapter's int spec
 * calls `describeSourceStoreContract` with a factory that returns a fresh, empty backing store for
 * each test; `open()` may be called several times, each giving an independent instance on the same
 * backing store, as two command processes share one.
 */
import type { SourceStore } from './source-store.js';

export interface SourceStoreUnderTest {
  /** Opens another instance on the same backing store. */
  open(): Promise<SourceStore>;
  /** Closes what `open` returned and drops the store's data. */
  dispose(): Promise<void>;
}

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const ABC_SHA256 = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

export function describeSourceStoreContract(name: string, create: () => Promise<SourceStoreUnderTest>): void {
  describe(`SourceStore contract: ${name}`, () => {
    let subject: SourceStoreUnderTest;
    let store: SourceStore;

    beforeEach(async () => {
      subject = await create();
      store = await subject.open();
    });

    afterEach(async () => {
      await subject.dispose();
    });

    it('addresses a text by the SHA-256 of its UTF-8 bytes and counts those bytes', async () => {
      expect(await store.put(['abc', '', 'é✓'])).toEqual([
        { sha256: ABC_SHA256, bytes: 3 },
        { sha256: EMPTY_SHA256, bytes: 0 },
        { sha256: expect.stringMatching(/^[0-9a-f]{64}$/), bytes: 5 },
      ]);
    });

    it('gives back exactly what was stored, whatever the characters', async () => {
      const texts = ['print("hi")\n', '', 'línea 1\r\nзаголовок\t\u2028😀\n', 'x;\n'.repeat(100_000)];
      const stored = await store.put(texts);
      const found = await store.get(stored.map((s) => s.sha256));
      expect(stored.map((s) => found.get(s.sha256))).toEqual(texts);
    });

    it('stores a text once however often, and in whichever batch, it is put', async () => {
      const code = 'def f():\n    return 1\n';
      await store.put([code, code]);
      await store.put([code, 'other = 2\n']);
      await store.put([code]);
      expect(await store.size()).toEqual({ count: 2, bytes: Buffer.byteLength(code) + Buffer.byteLength('other = 2\n') });
    });

    it('two instances storing the same text at once both succeed and keep one copy', async () => {
      const other = await subject.open();
      const code = `import os\n${'#'.repeat(10_000)}\n`;
      const [mine, theirs] = await Promise.all([store.put([code]), other.put([code])]);
      expect(mine).toEqual(theirs);
      expect(await store.size()).toEqual({ count: 1, bytes: Buffer.byteLength(code) });
      expect((await other.get([mine[0]!.sha256])).get(mine[0]!.sha256)).toBe(code);
    });

    it('answers nothing for a hash it does not hold, and each asked hash once', async () => {
      const [stored] = await store.put(['a = 1\n']);
      const found = await store.get([stored!.sha256, stored!.sha256, ABC_SHA256]);
      expect([...found.keys()]).toEqual([stored!.sha256]);
      expect(await store.get([])).toEqual(new Map());
    });

    it('an empty put stores nothing, and an empty store has size zero', async () => {
      expect(await store.put([])).toEqual([]);
      expect(await store.size()).toEqual({ count: 0, bytes: 0 });
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
