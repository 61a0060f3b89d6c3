import { WrittenDocuments } from './written-documents.js';

describe('WrittenDocuments', () => {
  it('knows a staged document absent until it is written, and again once deleted', () => {
    const written = new WrittenDocuments(new Set(['buckets']));
    expect(written.absent('buckets', 'a')).toBe(true);
    written.record('buckets', 'a', true);
    expect(written.absent('buckets', 'a')).toBe(false);
    expect(written.absent('buckets', 'b')).toBe(true);
    written.record('buckets', 'a', false);
    expect(written.absent('buckets', 'a')).toBe(true);
  });

  it('never answers for a collection the rebuild does not stage (the store is asked)', () => {
    expect(new WrittenDocuments(new Set(['buckets'])).absent('users', 'u1')).toBe(false);
  });

  it('stops answering past its bound, so every lookup goes to the store', () => {
    const written = new WrittenDocuments(new Set(['buckets']), 2);
    written.record('buckets', 'a', true);
    written.record('buckets', 'b', true);
    expect(written.absent('buckets', 'z')).toBe(true);
    written.record('buckets', 'c', true);
    expect(written.absent('buckets', 'z')).toBe(false);
    expect(written.absent('buckets', 'a')).toBe(false);
  });
});
