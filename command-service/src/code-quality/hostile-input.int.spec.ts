/**
 * Submitted code is untrusted. Configuration files that would run code
 * (pylint's init-hook, mypy plugins) never reach a tool; code that would loop
 * forever if run is only read; floods of findings, huge files and many files
 * are bounded, and the cut is reported.
 */
import { existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareCheck, type CheckFile } from '@resoft/domain';
import { newId } from '@resoft/infra';
import { describeWithSandbox, testEngine } from './code-quality.fixture.js';

const BOUNDS = { maxFiles: 50, maxFileBytes: 256 * 1024 };
const marker = () => path.join(os.tmpdir(), `resoft-hostile-${newId()}`);

describeWithSandbox('hostile input')('hostile input', () => {
  const engine = testEngine();

  it('never lets submitted configuration reach a tool: no init-hook, no mypy plugin, no ruff settings', async () => {
    const hook = marker();
    const plugin = marker();
    const submitted: CheckFile[] = [
      { path: '.pylintrc', content: `[MAIN]\ninit-hook=open(${JSON.stringify(hook)}, "w").write("pwned")\ndisable=all\n` },
      { path: 'pylintrc', content: `[MAIN]\ninit-hook=open(${JSON.stringify(hook)}, "w").write("pwned")\n` },
      { path: 'mypy.ini', content: '[mypy]\nplugins = evil_plugin.py\nignore_errors = True\n' },
      { path: 'setup.cfg', content: '[mypy]\nplugins = evil_plugin.py\n' },
      { path: 'pyproject.toml', content: '[tool.ruff]\nlint.select = []\n[tool.pylint.main]\ninit-hook = "import os"\n[tool.mypy]\nplugins = ["evil_plugin"]\n' },
      { path: 'ruff.toml', content: 'lint.select = []\n' },
      { path: 'evil_plugin.py', content: `open(${JSON.stringify(plugin)}, "w").write("pwned")\ndef plugin(version):\n    raise SystemExit(1)\n` },
      { path: 'app.py', content: 'import os\n\nx: int = "text"\n' },
    ];
    const prepared = prepareCheck(submitted, {}, BOUNDS);
    expect(prepared.ignoredFiles.map((f) => f.path).sort()).toEqual(['.pylintrc', 'mypy.ini', 'pylintrc', 'pyproject.toml', 'ruff.toml', 'setup.cfg']);
    const results = await engine.run(prepared.files, prepared.linters);
    expect(existsSync(hook)).toBe(false);
    expect(existsSync(plugin)).toBe(false);
    const byTool = Object.fromEntries(results.map((r) => [r.linter, r]));
    // The submitted settings would have silenced these.
    expect(byTool.ruff!.findings.map((f) => `${f.uri}:${f.ruleId}`)).toContain('app.py:F401');
    expect(byTool.mypy!.findings.map((f) => `${f.uri}:${f.ruleId}`)).toContain('app.py:assignment');
    // pylint's unused-import is merged into ruff's F401 (one problem, one finding naming both).
    expect(byTool.ruff!.findings.find((f) => f.uri === 'app.py' && f.ruleId === 'F401')!.alsoReportedBy).toContainEqual({ tool: 'pylint', ruleId: 'W0611/unused-import' });
    rmSync(hook, { force: true });
    rmSync(plugin, { force: true });
  });

  it('only reads code that would loop forever at import time', async () => {
    const content = 'import itertools\n\nfor _ in itertools.count():\n    pass\n\nwhile True:\n    pass\n';
    const results = await engine.run([{ path: 'forever.py', content, language: 'python' }], ['pylint', 'mypy', 'ruff']);
    expect(results.map((r) => `${r.linter}:${r.status}`)).toEqual(['pylint:ok', 'mypy:ok', 'ruff:ok']);
  });

  it('bounds a flood of findings: output capped, findings per file capped, and the cut reported', async () => {
    const content = Array.from({ length: 1500 }, (_, i) => `value_${i} = undefined_${i}`).join('\n') + '\n';
    const small = testEngine({ outputBytes: 200_000, maxFindingsPerFile: 50 });
    const results = await small.run([{ path: 'flood.py', content, language: 'python' }], ['pylint', 'mypy', 'ruff']);
    for (const result of results) {
      expect(result.status).not.toBe('timeout');
      expect(result.findings.length).toBeLessThanOrEqual(50);
      expect(result.truncated.outputCapped || result.truncated.findingsDropped > 0).toBe(true);
    }
    const ruff = results.find((r) => r.linter === 'ruff')!;
    expect(ruff.status).toBe('ok');
    expect(ruff.findings).toHaveLength(50);
    expect(ruff.findings[0]!.region.startLine).toBe(1);
    const pylint = results.find((r) => r.linter === 'pylint')!;
    if (pylint.status !== 'ok') expect(pylint.message).toContain('more than 200000 bytes');
  }, 120_000);

  it('sets aside a 10 MB file with the reason', () => {
    const huge = { path: 'huge.py', content: 'x = 1\n'.repeat(10 * 1024 * 1024 / 6) };
    const prepared = prepareCheck([huge, { path: 'small.py', content: 'x = 1\n' }], {}, BOUNDS);
    expect(prepared.files.map((f) => f.path)).toEqual(['small.py']);
    expect(prepared.ignoredFiles).toEqual([{ path: 'huge.py', reason: expect.stringMatching(/^larger than 262144 bytes/) }]);
    // With nothing left to lint, the request itself is refused (the check decider's no_files).
    expect(prepareCheck([huge], {}, BOUNDS).files).toEqual([]);
  });

  it('takes at most the bounded number of files, and runs that many', async () => {
    const many = Array.from({ length: 51 }, (_, i) => ({ path: `pkg/module_${i}.py`, content: `"""Module ${i}."""\nVALUE = ${i}\n` }));
    expect(() => prepareCheck(many, {}, BOUNDS)).toThrow(/at most 50 files/);
    const prepared = prepareCheck(many.slice(0, 50), {}, BOUNDS);
    const results = await engine.run(prepared.files, prepared.linters);
    expect(results.map((r) => `${r.linter}:${r.status}`)).toEqual(['pylint:ok', 'mypy:ok', 'ruff:ok']);
  });

  it('stops a tool that runs past its timeout and says so', async () => {
    const hasty = testEngine({ timeoutMs: 1 });
    const [result] = await hasty.run([{ path: 'a.py', content: 'x = 1\n', language: 'python' }], ['pylint']);
    expect(result).toMatchObject({ status: 'timeout', findings: [] });
    expect(result!.message).toContain('did not finish within 1 ms');
  });
});
