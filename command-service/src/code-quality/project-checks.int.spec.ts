/**
 * The check defects of issue 18, each against the real linters: a file checked in its project (relative imports
 * resolve, third-party imports listed once as not installed, cross-module findings appear), mypy's blocking
 * errors make the run partial, ruff's real rule selection and catalogue severities, one suppression policy
 * across languages, ESLint's source type, and ESLint severities from rule metadata.
 */
import { checkDecider, type CheckFile, type Language, type LinterName, type LinterResult } from '@resoft/domain';
import { describeWithSandbox, testEngine } from './code-quality.fixture.js';
import { declaredRequirements } from './declared-requirements.js';

const engine = testEngine({ timeoutMs: 120_000 });
afterAll(() => engine.close());

const py = (path: string, content: string, context = false): CheckFile & { language: Language } => ({ path, content, language: 'python', ...(context ? { context } : {}) });
const rules = (result: LinterResult) => result.findings.map((f) => `${f.ruleId.split('/')[0]}@${f.region.startLine}`);

const MODULE_A = [
  '"""Uses its sibling and a third-party package."""',
  'import requests',
  '',
  'from .b import helper',
  '',
  '',
  'def fetch() -> int:',
  '    """Fetch."""',
  '    requests.get("https://example.com", timeout=5)',
  '    return helper(1, 2)',
  '',
].join('\n');
const MODULE_B = ['"""Helpers."""', '', '', 'def helper(value: int) -> int:', '    """Double."""', '    return value * 2', ''].join('\n');

describeWithSandbox('checks of a file in its project')('checks of a file in its project', () => {
  it('resolves relative imports against the tree, finds the cross-module error, and lists a missing package once without weighing it', async () => {
    const files = [py('pkg/a.py', MODULE_A), py('pkg/b.py', MODULE_B, true), py('pkg/__init__.py', '', true)];
    const requirements = declaredRequirements([{ path: 'requirements.txt', content: 'requests>=2\n' }]);
    const [pylint, mypy] = await engine.run(files, ['pylint', 'mypy'], undefined, { requirements });
    // Before: E0402 relative-beyond-top-level and E0401 import-error (weight 5 each), and no sight of b.py.
    // pylint and mypy both see the wrong call: one finding naming both.
    expect(rules(pylint!)).toEqual(['E1121@10']);
    expect(pylint!.findings[0]!.alsoReportedBy).toEqual([{ tool: 'mypy', ruleId: 'call-arg' }]);
    expect(mypy).toMatchObject({ status: 'ok', findings: [], merged: 1 });
    expect(pylint!.notInstalled).toEqual([{ module: 'requests', declared: true }]);
    // Findings only for the requested file, lines of the requested file only.
    expect([...pylint!.findings, ...mypy!.findings].every((f) => f.uri === 'pkg/a.py')).toBe(true);
    expect(pylint!.codeLines).toBe(7);
  });

  it('says "not declared" for a missing package the requirements do not list, and nothing about declared when there are none', async () => {
    const files = [py('tool.py', '"""Tool."""\nimport numpy\n\nprint(numpy.zeros(1))\n')];
    const [withList] = await engine.run(files, ['pylint'], undefined, { requirements: declaredRequirements([{ path: 'requirements.txt', content: 'requests\n' }]) });
    const [without] = await engine.run(files, ['pylint']);
    expect(withList!.notInstalled).toEqual([{ module: 'numpy', declared: false }]);
    expect(without!.notInstalled).toEqual([{ module: 'numpy', declared: null }]);
    expect(without!.findings).toEqual([]);
  });

  it('makes a mypy run that stopped on a blocking error not ok, with its message, so the check is partial', async () => {
    const files = [py('solo.py', 'from . import sibling\n\nx: int = "a"\n')];
    const [mypy, ruff] = await engine.run(files, ['mypy', 'ruff']);
    expect(mypy).toMatchObject({ status: 'error', findings: [] });
    expect(mypy!.message).toMatch(/mypy stopped before type-checking \(exit 2\): solo\.py:1: No parent module -- cannot perform relative import/);
    let state = checkDecider.evolve(checkDecider.initialState(), { type: 'CheckRequested', data: { checkId: 'c', projectId: null, requestedBy: 'u', source: 'paste', linters: ['mypy', 'ruff'], files: [], ignoredFiles: [] } });
    state = checkDecider.evolve(state, { type: 'CheckStarted', data: { checkId: 'c', projectId: null, runnerId: 'r', leaseUntil: Date.now() + 60_000 } });
    for (const result of [mypy!, ruff!]) state = checkDecider.evolve(state, { type: 'LinterFinished', data: { checkId: 'c', projectId: null, ...result } });
    const [completed] = checkDecider.decide({ type: 'CompleteCheck', runnerId: 'r', formulaVersion: 2 }, state);
    expect(completed).toMatchObject({ type: 'CheckCompleted', data: { incomplete: [{ linter: 'mypy', reason: expect.stringMatching(/^error: mypy stopped before type-checking/) }] } });
  });

  it('still reports a syntax error from mypy as a finding', async () => {
    const [mypy] = await engine.run([py('broken.py', 'def f(:\n    pass\n')], ['mypy']);
    expect(mypy).toMatchObject({ status: 'ok' });
    expect(rules(mypy!).length).toBeGreaterThan(0);
    expect(rules(mypy!).every((rule) => rule === 'syntax@1')).toBe(true);
  });

  it("shows ruff's real rule selection and takes severities from its catalogue", async () => {
    const [info] = (await engine.inventory()).filter((l) => l.name === 'ruff');
    const selection = info!.options.find((o) => o.startsWith("ruff's default rule selection"))!;
    expect(Number(/: (\d+) rules/.exec(selection)![1])).toBeGreaterThan(100);
    expect(selection).not.toMatch(/E4, E7, E9, F\)/);
    const content = ['"""Module."""', 'import os', '', '', 'def f(path: str) -> str:', '    """Read."""', '    try:', '        return open(path).read()', '    except Exception:', '        return ""', ''].join('\n');
    const [ruff] = await engine.run([py('m.py', content)], ['ruff']);
    const severities = Object.fromEntries(ruff!.findings.map((f) => [f.ruleId, f.severity]));
    expect(severities.F401).toBe('warning');
    // Before: every F-prefixed code (FURB) became a warning, every B-prefixed one (BLE) too.
    for (const [rule, severity] of Object.entries(severities)) if (rule.startsWith('FURB')) expect(severity).toBe('info');
  });

  it('honours and counts line suppressions in every Python linter, but not switches that hide a whole file', async () => {
    const suppressed = ['"""Module."""', 'import os  # noqa: F401  # pylint: disable=unused-import', '', 'VALUE: int = "a"  # type: ignore[assignment]', ''].join('\n');
    const results = await engine.run([py('quiet.py', suppressed)], ['pylint', 'mypy', 'ruff']);
    const byLinter = Object.fromEntries(results.map((r) => [r.linter, r])) as Record<LinterName, LinterResult>;
    expect(results.flatMap((r) => r.findings)).toEqual([]);
    expect([byLinter.pylint.suppressed, byLinter.mypy.suppressed, byLinter.ruff.suppressed]).toEqual([1, 1, 1]);

    const blanket = ['# pylint: skip-file', '# ruff: noqa', '# mypy: ignore-errors', '"""Module."""', 'import os', '', 'x: int = "a"', ''].join('\n');
    const loud = await engine.run([py('loud.py', blanket)], ['pylint', 'mypy', 'ruff']);
    const found = Object.fromEntries(loud.map((r) => [r.linter, rules(r)]));
    // pylint read the file (its unused-import is merged into ruff's F401, its naming remark stays), so did mypy and ruff.
    expect(found).toEqual({ pylint: ['C0103@7'], mypy: ['assignment@7'], ruff: ['F401@5'] });
    expect(loud.find((r) => r.linter === 'ruff')!.findings[0]!.alsoReportedBy).toEqual([{ tool: 'pylint', ruleId: 'W0611/unused-import' }]);
  });

  it('merges one problem reported by ruff and pylint into one finding naming both', async () => {
    const content = ['"""Module."""', '', '', 'def f(name: str) -> str:', '    """Greet."""', '    return "hello {}".format(name)', ''].join('\n');
    const [pylint, ruff] = await engine.run([py('greet.py', content)], ['pylint', 'ruff']);
    expect(ruff!.findings).toEqual([expect.objectContaining({ ruleId: 'UP032', alsoReportedBy: [{ tool: 'pylint', ruleId: 'C0209/consider-using-f-string' }] })]);
    expect(pylint).toMatchObject({ findings: [], merged: 1, counts: { error: 0, warning: 0, info: 0 } });
  });
});

describe('ESLint in the project', () => {
  const js = (path: string, content: string): CheckFile & { language: Language } => ({ path, content, language: 'javascript' });
  // Valid CommonJS (sloppy mode allows a legacy octal literal); a parse error as an ES module.
  const SLOPPY = 'var n = 010;\nmodule.exports = n;\n';

  it('parses .cjs as CommonJS, and .js by the nearest package.json type', async () => {
    const [cjs] = await engine.run([js('lib/version.cjs', SLOPPY)], ['eslint']);
    expect(cjs!.findings.map((f) => f.ruleId)).not.toContain('parse-error');
    const [typed] = await engine.run([js('legacy/index.js', SLOPPY)], ['eslint'], undefined, { packageTypes: { legacy: 'commonjs' } });
    expect(typed!.findings.map((f) => f.ruleId)).not.toContain('parse-error');
    const [esm] = await engine.run([js('esm/index.js', SLOPPY)], ['eslint'], undefined, { packageTypes: { esm: 'module' } });
    expect(esm!.findings.map((f) => f.ruleId)).toContain('parse-error');
  });

  it('weighs findings by rule metadata: a recommended problem is an error, a suggestion is not', async () => {
    const [result] = await engine.run([js('app.mjs', 'export function f(a) {\n  if (a) {\n  }\n  return b;\n}\n')], ['eslint']);
    const severities = Object.fromEntries(result!.findings.map((f) => [f.ruleId, f.severity]));
    expect(severities).toEqual({ 'no-empty': 'warning', 'no-undef': 'error' });
    expect(result!.counts).toEqual({ error: 1, warning: 1, info: 0 });
  });
});
