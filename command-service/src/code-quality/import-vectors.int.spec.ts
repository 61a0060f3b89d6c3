/**
 * The four ways submitted code was run by the linters (issue 11): a
 * submitted `isort.py` imported by pylint, a `gi` package imported by
 * astroid, `--rcfile.py` read as pylint's `--rcfile` (the next file's
 * init-hook then ran), `@list.py` read by mypy as an argument file. Each
 * payload would leave a marker file on the host and end the tool at once (so
 * its report would be missing); the check refuses these names, and when the
 * files reach the tools anyway (a check queued before the refusal existed)
 * they are linted as plain files: with the sandbox, and without it when an
 * operator opted in (the layers below the sandbox hold on their own).
 */
import { existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareCheck, type CheckFile, type Language, type LinterName } from '@resoft/domain';
import { newId } from '@resoft/infra';
import type { CheckEngine } from './check-engine.js';
import { describeWithSandbox, testEngine, unsandboxedEngine } from './code-quality.fixture.js';

const markers: string[] = [];
/** Python that leaves a marker on the host and ends its process, so a run that executed it has no report. */
const payload = (): { marker: string; code: string } => {
  const marker = path.join(os.tmpdir(), `resoft-vector-${newId()}`);
  markers.push(marker);
  return { marker, code: `import os\nopen(${JSON.stringify(marker)}, "w").write("ran")\nos._exit(0)\n` };
};

interface Vector {
  readonly name: string;
  readonly linter: LinterName;
  readonly files: CheckFile[];
  readonly marker: string;
  /** What the tool reports when it linted the files as plain files. */
  readonly finding: string;
}

const vectors = (): Vector[] => {
  const isort = payload();
  const gi = payload();
  const rcfile = payload();
  const list = payload();
  return [
    {
      name: 'a submitted isort.py that pylint imports', linter: 'pylint', marker: isort.marker, finding: 'app.py:C0411/wrong-import-order',
      files: [{ path: 'isort.py', content: isort.code }, { path: 'app.py', content: '"""App."""\nimport yaml_like_thirdparty\nimport os\n\nprint(os, yaml_like_thirdparty)\n' }],
    },
    {
      name: 'a submitted gi package that astroid imports for gi.require_version', linter: 'pylint', marker: gi.marker, finding: 'app.py:C0413/wrong-import-position',
      files: [{ path: 'gi/__init__.py', content: gi.code }, { path: 'app.py', content: '"""App."""\nimport gi\ngi.require_version("Gtk", "3.0")\nfrom gi.repository import Gtk\n\nprint(Gtk.Window)\n' }],
    },
    {
      name: 'a file named --rcfile.py followed by an rcfile with an init-hook', linter: 'pylint', marker: rcfile.marker, finding: 'settings.py:E0001/syntax-error',
      files: [{ path: '--rcfile.py', content: 'VALUE = 1\n' }, { path: 'settings.py', content: `[MAIN]\ninit-hook=exec(${JSON.stringify(rcfile.code)})\n` }],
    },
    {
      name: 'a file named @list.py that mypy reads as an argument file', linter: 'mypy', marker: list.marker, finding: 'list.py:syntax',
      files: [{ path: '@list.py', content: 'VALUE: int = 1\n' }, { path: 'list.py', content: `--junit-xml=${list.marker}\n` }],
    },
  ];
};

const withLanguage = (files: CheckFile[]) => files.map((f) => ({ ...f, language: 'python' as Language }));

describeWithSandbox('the four ways submitted code ran')('the four ways submitted code ran', () => {
  afterAll(() => {
    for (const marker of markers) rmSync(marker, { force: true });
  });

  it.each(vectors().map((v) => [v.name, v] as const))('refuses %s when the check is requested', (_name, vector) => {
    const prepared = prepareCheck(vector.files, {}, { maxFiles: 10, maxFileBytes: 10_000 });
    expect(prepared.ignoredFiles).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^refused: /) })]);
  });

  describe.each<[string, () => CheckEngine]>([
    ['in the sandbox', () => testEngine({ timeoutMs: 60_000 })],
    ['without the sandbox (operator opted in)', () => unsandboxedEngine({ timeoutMs: 60_000 })],
  ])('linted %s', (_how, engineOf) => {
    const engine = engineOf();

    it.each(vectors().map((v) => [v.name, v] as const))('never runs %s', async (_name, vector) => {
      const [result] = await engine.run(withLanguage(vector.files), [vector.linter]);
      expect(existsSync(vector.marker)).toBe(false);
      // The tool finished with its report, so nothing ended it early.
      expect(result).toMatchObject({ linter: vector.linter, status: 'ok' });
      expect(result!.findings.map((f) => `${f.uri}:${f.ruleId}`)).toContain(vector.finding);
    }, 90_000);
  });
});
