/** Real runs of every linter: fixtures with known problems give exactly these rules on these lines; clean code gives none. */
import type { Language, LinterName, LinterResult } from '@resoft/domain';
import { CheckEngine } from './check-engine.js';
import { describeWithSandbox, testEngine } from './code-quality.fixture.js';

const engine = testEngine();
const run = async (linter: LinterName, path: string, content: string, language: Language): Promise<LinterResult> =>
  (await engine.run([{ path, content, language }], [linter]))[0]!;
const found = (result: LinterResult) => result.findings.map((f) => `${f.ruleId}@${f.region.startLine}`);

const PYLINT_FIXTURE = ['import os', '', '', 'def double(x):', '    return x * undefined_factor', ''].join('\n');
const MYPY_FIXTURE = ['def add(a: int, b: int) -> int:', '    return a + b', '', '', 'add(1, "2")', 'x: str = 3', ''].join('\n');
const RUFF_FIXTURE = ['import os', 'import sys', '', 'print(undefined_name)', ''].join('\n');
const CLEAN_PYTHON = ['"""A clean module."""', '', '', 'def add(first: int, second: int) -> int:', '    """Add two numbers."""', '    return first + second', '', '', 'print(add(1, 2))', ''].join('\n');

describeWithSandbox('the Python linters')('the Python linters', () => {
  it('pylint reports its message ids and symbols on the lines of the problems, with its own score', async () => {
    const result = await run('pylint', 'pkg/double.py', PYLINT_FIXTURE, 'python');
    expect(result.status).toBe('ok');
    expect(found(result).sort()).toEqual(['C0114/missing-module-docstring@1', 'C0116/missing-function-docstring@4', 'E0602/undefined-variable@5', 'W0611/unused-import@1'].sort());
    expect(result.version).toBe('4.1.4');
    // 1 error, 1 warning, 2 conventions over 3 statements: pylint's formula gives 0.
    expect(result.nativeScore).toBe(0);
    const undefinedVariable = result.findings.find((f) => f.ruleId === 'E0602/undefined-variable')!;
    expect(undefinedVariable).toMatchObject({ severity: 'error', level: 'error', uri: 'pkg/double.py', region: { startLine: 5, startColumn: 16, endLine: 5, endColumn: 32 } });
    expect(undefinedVariable.helpUri).toBe('https://pylint.readthedocs.io/en/stable/user_guide/messages/error/undefined-variable.html');
  });

  it('mypy reports type errors by error code, with their end columns', async () => {
    const result = await run('mypy', 'add.py', MYPY_FIXTURE, 'python');
    expect(result.status).toBe('ok');
    expect(found(result)).toEqual(['arg-type@5', 'assignment@6']);
    expect(result.findings[0]).toMatchObject({ severity: 'error', region: { startLine: 5, startColumn: 8, endLine: 5, endColumn: 11 } });
  });

  it('ruff reports its rule codes with documentation links and the fixes it offers', async () => {
    const result = await run('ruff', 'imports.py', RUFF_FIXTURE, 'python');
    expect(result.status).toBe('ok');
    expect(found(result)).toEqual(['F401@1', 'F401@2', 'F821@4']);
    const [unusedOs, , undefinedName] = result.findings;
    expect(unusedOs).toMatchObject({ severity: 'warning', helpUri: 'https://docs.astral.sh/ruff/rules/unused-import' });
    expect(unusedOs!.fixes[0]!.replacements).toEqual([{ region: { startLine: 1, startColumn: 1, endLine: 2, endColumn: 1 }, insertedText: '' }]);
    expect(undefinedName).toMatchObject({ severity: 'error', fixes: [] });
  });

  it.each<LinterName>(['pylint', 'mypy', 'ruff'])('%s finds nothing in clean code', async (linter) => {
    const result = await run(linter, 'clean.py', CLEAN_PYTHON, 'python');
    expect(result.status).toBe('ok');
    expect(result.findings).toEqual([]);
    if (linter === 'pylint') expect(result.nativeScore).toBe(10);
  });

  it('gives a finding the same fingerprint when lines are added above it, and another when its line changes', async () => {
    const before = await run('ruff', 'imports.py', RUFF_FIXTURE, 'python');
    const moved = await run('ruff', 'imports.py', `# a comment\n\n${RUFF_FIXTURE}`, 'python');
    const changed = await run('ruff', 'imports.py', RUFF_FIXTURE.replace('print(undefined_name)', 'print(undefined_name, 2)'), 'python');
    const undefinedIn = (r: LinterResult) => r.findings.find((f) => f.ruleId === 'F821')!;
    expect(undefinedIn(moved).region.startLine).toBe(6);
    expect(undefinedIn(moved).fingerprint).toBe(undefinedIn(before).fingerprint);
    expect(undefinedIn(changed).fingerprint).not.toBe(undefinedIn(before).fingerprint);
  });
});

describe('ESLint', () => {
  it('reports the recommended rules on JavaScript, with rule documentation', async () => {
    const result = await run('eslint', 'src/app.js', 'var a = 1;\nfunction f() { debugger; }\nf();\nconsole.log(b);\n', 'javascript');
    expect(result.status).toBe('ok');
    expect(found(result)).toEqual(['no-unused-vars@1', 'no-debugger@2', 'no-undef@4']);
    expect(result.findings[0]!.helpUri).toBe('https://eslint.org/docs/latest/rules/no-unused-vars');
  });

  it('reports typescript-eslint rules on TypeScript, with the fixes ESLint offers', async () => {
    const result = await run('eslint', 'src/value.ts', 'let x: any = 1;\nexport const y = x;\n', 'typescript');
    expect(found(result)).toEqual(['prefer-const@1', '@typescript-eslint/no-explicit-any@1']);
    // ESLint's fix for prefer-const rewrites the whole declaration.
    expect(result.findings[0]!.fixes[0]!.replacements).toEqual([{ region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 16 }, insertedText: 'const x: any = 1;' }]);
  });

  it('reports a syntax error as an error finding rather than failing', async () => {
    const result = await run('eslint', 'broken.ts', 'const = ;\n', 'typescript');
    expect(result.status).toBe('ok');
    expect(result.findings).toEqual([expect.objectContaining({ ruleId: 'parse-error', severity: 'error' })]);
  });

  it('finds nothing in clean TypeScript and JavaScript', async () => {
    expect((await run('eslint', 'add.ts', 'export function add(a: number, b: number): number {\n  return a + b;\n}\n', 'typescript')).findings).toEqual([]);
    expect((await run('eslint', 'add.js', 'export function add(a, b) {\n  return a + b;\n}\n', 'javascript')).findings).toEqual([]);
  });

  it('ignores configuration comments in the submitted code: rules come from our configuration only', async () => {
    const result = await run('eslint', 'sneaky.js', '/* eslint no-undef: "off" */\nconsole.log(b);\n', 'javascript');
    expect(found(result)).toEqual(['no-undef@2']);
  });

  it('honours disable directives as the Python linters honour theirs, and counts what they suppressed', async () => {
    const result = await run('eslint', 'quiet.js', '/* eslint-disable */\nconsole.log(b);\n/* eslint-enable */\n// eslint-disable-next-line no-undef\nconsole.log(c);\nconsole.log(d);\n', 'javascript');
    expect(found(result)).toEqual(['no-undef@6']);
    expect(result.suppressed).toBe(2);
  });
});

describe('a linter that is not installed', () => {
  it('gives an "unavailable" result that says why, never a crash', async () => {
    const engineWithoutTools = new CheckEngine({ pythonToolsDir: '/nonexistent/venv', timeoutMs: 1000, memoryMb: 512, outputBytes: 1024, maxFindingsPerFile: 10 });
    const [result] = await engineWithoutTools.run([{ path: 'a.py', content: 'x = 1\n', language: 'python' }], ['pylint']);
    expect(result).toMatchObject({ linter: 'pylint', status: 'unavailable', findings: [] });
    expect(result!.message).toContain('/nonexistent/venv');
    const inventory = await engineWithoutTools.inventory();
    expect(inventory.find((l) => l.name === 'ruff')).toMatchObject({ available: false, version: null });
    expect(inventory.find((l) => l.name === 'eslint')).toMatchObject({ available: true });
  });
});
