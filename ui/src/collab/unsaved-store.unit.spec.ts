import { loadUnsaved, saveUnsaved } from './unsaved-store.js';

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

describe('unsaved edits kept across reloads', () => {
  it('gives back the text and the exact change bytes for the same user and file only', () => {
    const storage = new MemoryStorage();
    const change = new Uint8Array([0, 1, 2, 254, 255, 133]);
    saveUnsaved(storage, 'u1', 'f1', { code: 'file_locked', text: 'mine\n', changes: [change] });
    expect(loadUnsaved(storage, 'u1', 'f1')).toEqual({ code: 'file_locked', text: 'mine\n', changes: [change] });
    expect(loadUnsaved(storage, 'u2', 'f1')).toBeNull();
    expect(loadUnsaved(storage, 'u1', 'f2')).toBeNull();
  });

  it('forgets them once dealt with, and ignores what it cannot read', () => {
    const storage = new MemoryStorage();
    saveUnsaved(storage, 'u1', 'f1', { code: 'read_only', text: 'x', changes: [] });
    saveUnsaved(storage, 'u1', 'f1', null);
    expect(loadUnsaved(storage, 'u1', 'f1')).toBeNull();
    storage.setItem('resoft.unsaved.u1.f1', '{not json');
    expect(loadUnsaved(storage, 'u1', 'f1')).toBeNull();
  });
});
