import { changeChurn } from './change-churn.js';
import { createTextDocument, replaceText, textOf } from './text-document.js';
import { textDelta } from './document-history.js';

describe('changeChurn', () => {
  it('counts the text a new file starts with as inserted', () => {
    const { initial } = createTextDocument('hello\nworld\n');
    expect(changeChurn([initial.bytes])).toEqual({ inserted: 12, removed: 0 });
  });

  it('agrees with the version history (textDelta) for an edit of one region', () => {
    let { doc } = createTextDocument('def main():\n    print("hi")\n');
    for (const next of ['def main():\n    print("hello, world")\n', 'def main():\n    print("hello, world")\n    return 0\n', 'def main():\n    return 0\n', '']) {
      const before = textOf(doc);
      const replaced = replaceText(doc, next);
      doc = replaced.doc;
      expect(changeChurn(replaced.change ? [replaced.change.bytes] : [])).toEqual(textDelta(before, next));
    }
  });

  it('never counts more than textDelta, and inserted minus removed is always the change in length', () => {
    let { doc } = createTextDocument('def main():\n    print("hi")\n');
    for (const next of ['def main():\n    return 1\n', 'x = 1\ny = 2\n', 'y = 3\nx = 1\n', 'ünïcödé text\n', '']) {
      const before = textOf(doc);
      const replaced = replaceText(doc, next);
      doc = replaced.doc;
      const churn = changeChurn(replaced.change ? [replaced.change.bytes] : []);
      const delta = textDelta(before, next);
      expect(churn.inserted - churn.removed).toBe(next.length - before.length);
      expect(churn.inserted).toBeLessThanOrEqual(delta.inserted);
      expect(churn.removed).toBeLessThanOrEqual(delta.removed);
    }
  });
});
