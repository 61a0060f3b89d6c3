/** The Insights page's pure helpers: filters in the URL, the example queries, CSV, grade bands and sparkline points. */
import fs from 'node:fs';
import path from 'node:path';
import { toCsv } from './csv.js';
import { EXAMPLE_QUERIES } from './example-queries.js';
import { GRADE_BANDS, gradeOf } from './grade-bands.js';
import { AREAS, filtersFrom, searchOf } from './insights-filters.js';
import { sparklinePoints } from './sparkline-path.js';

describe('the Insights filters in the URL', () => {
  const now = Date.parse('2026-12-03T10:00:00Z');

  it('reads defaults for what the URL leaves out and drops what is not valid', () => {
    expect(filtersFrom('?interval=month&since=yesterday&people=ann;1,,b0b,b0b', now, 'Europe/Berlin')).toEqual({
      interval: 'day', since: '2026-11-03', until: '2026-12-04', tz: 'Europe/Berlin', areas: AREAS, people: ['b0b'],
    });
  });

  it('writes back what it reads, people and areas included, leaving all areas and no people out', () => {
    const f = filtersFrom('?interval=week&since=2026-01-01&until=2026-02-01&tz=UTC&areas=chat,files&people=a-1,system', now);
    expect(f.people).toEqual(['a-1', 'system']);
    expect(filtersFrom(searchOf(f), now)).toEqual(f);
    expect(searchOf({ ...f, areas: AREAS, people: [] })).toBe('?interval=week&since=2026-01-01&until=2026-02-01&tz=UTC');
  });
});

describe('the SQL tab\'s example queries', () => {
  it('are the saved example queries of docs/analytics.md, in its order', () => {
    const doc = fs.readFileSync(path.resolve('docs/analytics.md'), 'utf8');
    const documented = [...doc.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
    expect(EXAMPLE_QUERIES.map((q) => q.sql)).toEqual(documented);
  });
});

describe('toCsv', () => {
  it('quotes cells with commas, quotes or line breaks and leaves nulls empty', () => {
    expect(toCsv(['a', 'b'], [{ a: 'x,y', b: 'say "hi"' }, { a: null, b: 3 }, { a: 'two\nlines', b: true }])).toBe('a,b\r\n"x,y","say ""hi"""\r\n,3\r\n"two\nlines",true\r\n');
  });
});

describe('grade bands', () => {
  it('cover 0–100 without gaps and grade as the checks do (A ≥ 90 … D ≥ 60, else E)', () => {
    const sorted = [...GRADE_BANDS].sort((a, b) => a.from - b.from);
    expect(sorted[0]!.from).toBe(0);
    expect(sorted[sorted.length - 1]!.to).toBe(100);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.from).toBe(sorted[i - 1]!.to);
    expect([100, 90, 89.9, 80, 70, 60, 59.9, 0].map(gradeOf)).toEqual(['A', 'A', 'B', 'B', 'C', 'D', 'E', 'E']);
  });
});

describe('sparklinePoints', () => {
  it('spreads counts across the width, the largest at the top and zero at the bottom', () => {
    expect(sparklinePoints([0, 2, 4], 100, 20)).toBe('0,20 50,10 100,0');
    expect(sparklinePoints([0, 0], 10, 5)).toBe('0,5 10,5');
    expect(sparklinePoints([], 10, 5)).toBe('');
  });
});
