import { merge3 } from './merge3.js';

const labels = { ours: 'ours (project)', base: 'base (template 1.0.0)', theirs: 'theirs (template 2.0.0)' };
const lines = (...items: string[]): string => items.map((item) => `${item}\n`).join('');

describe('three-way merge of a generated file', () => {
  it('keeps an edit of the project and an edit of the template in different places', () => {
    const base = lines('a', 'b', 'c', 'd', 'e');
    const ours = lines('a', 'B (mine)', 'c', 'd', 'e');
    const theirs = lines('a', 'b', 'c', 'd', 'E (template)', 'f');
    expect(merge3(ours, base, theirs, labels)).toEqual({ text: lines('a', 'B (mine)', 'c', 'd', 'E (template)', 'f'), conflicts: 0 });
  });

  it('takes a change made the same way on both sides once', () => {
    const base = lines('x', 'y');
    expect(merge3(lines('x', 'z'), base, lines('x', 'z'), labels)).toEqual({ text: lines('x', 'z'), conflicts: 0 });
  });

  it('marks a region changed differently on both sides as a conflict, with all three versions', () => {
    const base = lines('port = 8000', 'tail');
    const merged = merge3(lines('port = 9000', 'tail'), base, lines('port = 8080', 'tail'), labels);
    expect(merged.conflicts).toBe(1);
    expect(merged.text).toBe(lines('<<<<<<< ours (project)', 'port = 9000', '||||||| base (template 1.0.0)', 'port = 8000', '=======', 'port = 8080', '>>>>>>> theirs (template 2.0.0)', 'tail'));
  });

  it('handles deletions, additions at the ends and a missing final newline', () => {
    const base = 'one\ntwo\nthree';
    expect(merge3('zero\none\ntwo\nthree', base, 'one\nthree', labels)).toEqual({ text: 'zero\none\nthree', conflicts: 0 });
  });
});
