import { createTextDocument, VersionedTextDocument } from '@resoft/documents';
import { FileDocumentCache } from './file-document-cache.js';

/** A real document whose `free` is counted. */
function tracked(): { doc: VersionedTextDocument; freed: () => number } {
  const doc = VersionedTextDocument.adopt(createTextDocument('text').doc);
  let freed = 0;
  const free = doc.free.bind(doc);
  doc.free = () => { freed += 1; free(); };
  return { doc, freed: () => freed };
}

describe('FileDocumentCache', () => {
  it('hands a document out once, to the caller that names the event that changed it last', () => {
    const cache = new FileDocumentCache();
    const a = tracked();
    cache.keep('file-1', 'event-1', a.doc);
    expect(cache.take('file-1', 'event-1')).toBe(a.doc);
    expect(cache.take('file-1', 'event-1')).toBeNull();
    expect(a.freed()).toBe(0);
    expect(a.doc.currentText).toBe('text');
  });

  it('gives back the memory of a document it drops: outdated, replaced, or the oldest past its bound', () => {
    const cache = new FileDocumentCache();
    const outdated = tracked();
    cache.keep('file-1', 'event-1', outdated.doc);
    expect(cache.take('file-1', 'event-2')).toBeNull();
    expect(outdated.freed()).toBe(1);

    const replaced = tracked();
    const again = tracked();
    cache.keep('file-2', 'event-1', replaced.doc);
    cache.keep('file-2', 'event-2', again.doc);
    cache.keep('file-2', 'event-2', again.doc);
    expect(replaced.freed()).toBe(1);
    expect(again.freed()).toBe(0);

    const kept = Array.from({ length: 256 }, (_, i) => {
      const doc = tracked();
      cache.keep(`many-${i}`, 'event', doc.doc);
      return doc;
    });
    expect(again.freed()).toBe(1);
    expect(kept.every((doc) => doc.freed() === 0)).toBe(true);
    expect(cache.take('many-0', 'event')).toBe(kept[0]!.doc);
  });
});
