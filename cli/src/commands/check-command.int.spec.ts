/** `resoft check` as a user runs it: the compiled command on files on disk. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_PYTHON_TOOLS_DIR } from '@resoft/command-service/config';
import { runCli } from '@resoft/testkit/processes';

const toolsReady = ['pylint', 'mypy', 'ruff'].every((tool) => existsSync(path.join(DEFAULT_PYTHON_TOOLS_DIR, 'bin', tool)));
if (!toolsReady) console.warn(`resoft check suite skipped: the Python linters are not installed in ${DEFAULT_PYTHON_TOOLS_DIR} (run \`npm install\` with Python 3.10+)`);

(toolsReady ? describe : describe.skip)('resoft check', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'resoft-check-cli-'));
  const env = { RESOFT_DATA_DIR: path.join(dir, 'data') };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'messy.py'), 'import os\n\n\ndef f(x):\n    return x + missing\n');
  writeFileSync(path.join(dir, 'clean.ts'), 'export function add(a: number, b: number): number {\n  return a + b;\n}\n');
  const run = (...args: string[]) => runCli(['check', ...args.map((a) => (a.endsWith('.py') || a.endsWith('.ts') ? path.join(dir, a) : a))], env);

  it('prints the findings, each linter and the score with its grade', async () => {
    const result = await run('messy.py', 'clean.ts');
    expect(result.code).toBe(0);
    // One problem, three linters: one finding naming each (rule-equivalence.ts).
    expect(result.stdout).toMatch(/messy\.py:5:16 +error +ruff F821 \+ pylint E0602\/undefined-variable \+ mypy name-defined /);
    expect(result.stdout).toMatch(/messy\.py:1:8 +warning +ruff F401/);
    expect(result.stdout).toMatch(/^eslint +\S+ +ok +score 100/m);
    expect(result.stdout).toMatch(/Score [\d.]+ \/ 100, grade [A-E] \(formula v2\)/);
  });

  it('checks a file in its project: relative imports resolve, a missing package is listed once and not weighed', async () => {
    const pkg = path.join(dir, 'proj', 'pkg');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(path.join(dir, 'proj', 'requirements.txt'), 'requests>=2\n');
    writeFileSync(path.join(pkg, '__init__.py'), '');
    writeFileSync(path.join(pkg, 'b.py'), '"""Helpers."""\n\n\ndef helper(value: int) -> int:\n    """Double."""\n    return value * 2\n');
    writeFileSync(path.join(pkg, 'a.py'), '"""Uses b."""\nimport requests\n\nfrom .b import helper\n\n\ndef run() -> int:\n    """Run."""\n    requests.get("https://example.com", timeout=5)\n    return helper(2)\n');
    const result = await runCli(['check', '--linters', 'pylint,mypy', path.join(pkg, 'a.py')], env);
    expect(result.stdout).not.toMatch(/E0401|E0402/);
    expect(result.stdout).toMatch(/not installed here \(not weighed\): requests \(declared\)/);
    expect(result.stdout).toMatch(/Score 100 \/ 100, grade A/);
  });

  it('exits 1 below --min-score, and 0 at or above it', async () => {
    const low = await run('messy.py', '--min-score', '99');
    expect(low.code).toBe(1);
    expect(low.stdout).toContain('Below the minimum score 99');
    expect((await run('clean.ts', '--min-score', '100')).code).toBe(0);
  });

  it('writes SARIF 2.1.0 when asked', async () => {
    const sarif = path.join(dir, 'out.sarif');
    await run('messy.py', '--linters', 'ruff', '--sarif', sarif);
    const log = JSON.parse(readFileSync(sarif, 'utf8'));
    expect(log.version).toBe('2.1.0');
    expect(log.runs.map((r: { tool: { driver: { name: string } } }) => r.tool.driver.name)).toEqual(['ruff']);
    expect(log.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['F401', 'F821']);
  });

  it('says clearly when there is nothing it can check', async () => {
    writeFileSync(path.join(dir, '.pylintrc'), '[MAIN]\n');
    const result = await runCli(['check', path.join(dir, '.pylintrc')], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Nothing to check');
  });
});
