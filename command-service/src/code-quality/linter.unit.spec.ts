import { MAX_FINDINGS_PER_LINTER, region, toFindings, type RawFinding } from './linter.js';

const raw = (path: string, line: number): RawFinding => ({ ruleId: 'F821', severity: 'error', message: 'undefined', path, region: region(line, 1, line, 2), helpUri: null, fixes: [] });

describe('capping findings', () => {
  const files = ['a.py', 'b.py', 'c.py'].map((path) => ({ path, content: 'x\n'.repeat(1000) }));

  it('keeps the earliest findings of each file up to the per-file cap, and counts the rest', () => {
    const { findings, dropped } = toFindings('ruff', [raw('a.py', 9), raw('a.py', 3), raw('a.py', 5), raw('b.py', 1)], files, 2);
    expect(findings.map((f) => `${f.uri}:${f.region.startLine}`)).toEqual(['a.py:3', 'a.py:5', 'b.py:1']);
    expect(dropped).toBe(1);
  });

  it('keeps at most MAX_FINDINGS_PER_LINTER in all, however many files there are', () => {
    const many = files.flatMap((f) => Array.from({ length: 1000 }, (_, i) => raw(f.path, i + 1)));
    const { findings, dropped } = toFindings('ruff', many, files, 900);
    expect(findings).toHaveLength(MAX_FINDINGS_PER_LINTER);
    expect(dropped).toBe(3000 - MAX_FINDINGS_PER_LINTER);
  });

  it('collects a flood of findings in one file in linear time (300 000 findings: a copy per finding would not finish)', () => {
    const dense = [{ path: 'dense.js', content: 'x;\n'.repeat(300_000) }];
    const flood = Array.from({ length: 300_000 }, (_, i) => raw('dense.js', 300_000 - i));
    const { findings, dropped } = toFindings('eslint', flood, dense, 200);
    expect(findings).toHaveLength(200);
    expect(findings[0]!.region.startLine).toBe(1);
    expect(dropped).toBe(300_000 - 200);
  }, 30_000);

  it('makes a region well formed when the tool gives no end, or an end before the start', () => {
    expect(region(4, 7, null, null)).toEqual({ startLine: 4, startColumn: 7, endLine: 4, endColumn: 7 });
    expect(region(4, 7, 4, 2)).toEqual({ startLine: 4, startColumn: 7, endLine: 4, endColumn: 7 });
    expect(region(0, 0, 2, 1)).toEqual({ startLine: 1, startColumn: 1, endLine: 2, endColumn: 1 });
  });
});
