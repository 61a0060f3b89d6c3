import { loadPending, recordPending } from './pending-store.js';

/** The Web Storage interface, in memory (the browser's localStorage is not there in Node). */
class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

describe('pending edits kept across reloads', () => {
  it('gives back the exact change bytes of the same user and file until they are removed', () => {
    const storage = new MemoryStorage();
    const one = new Uint8Array([0, 1, 2, 254, 255]);
    const two = new Uint8Array([9, 8, 7]);
    recordPending(storage, 'u1', 'f1', { added: [{ hash: 'h1', change: one }, { hash: 'h2', change: two }], removed: [] });
    recordPending(storage, 'u1', 'f2', { added: [{ hash: 'h3', change: two }], removed: [] });
    expect(loadPending(storage, 'u1', 'f1')).toEqual([one, two]);
    expect(loadPending(storage, 'u2', 'f1')).toEqual([]);
    recordPending(storage, 'u1', 'f1', { added: [], removed: ['h1'] });
    expect(loadPending(storage, 'u1', 'f1')).toEqual([two]);
    expect(loadPending(storage, 'u1', 'f2')).toEqual([two]);
  });
});
