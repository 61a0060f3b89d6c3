import { diffLines } from './line-diff.js';

const show = (before: string, after: string) => diffLines(before, after).map((l) => `${l.kind === 'same' ? ' ' : l.kind === 'added' ? '+' : '-'}${l.text}`);

describe('line diff', () => {
  it('marks lines only in the new text as added and lines only in the old one as removed', () => {
    expect(show('one\ntwo\nthree', 'one\n2\nthree\nfour')).toEqual([' one', '-two', '+2', ' three', '+four']);
  });

  it('keeps equal texts unchanged and handles empty sides', () => {
    expect(show('a\nb', 'a\nb')).toEqual([' a', ' b']);
    expect(show('', 'x')).toEqual(['-', '+x']);
    expect(show('x\ny', 'y')).toEqual(['-x', ' y']);
  });

  it('aligns moved blocks on the longest common subsequence', () => {
    expect(show('a\nb\nc\nd', 'b\nc\na\nd')).toEqual(['-a', ' b', ' c', '+a', ' d']);
  });
});
