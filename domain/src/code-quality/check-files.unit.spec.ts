import { languageOfContent, languageOfPath, isSafeRelativePath } from './language-detection.js';
import { pastedFile, prepareCheck } from './check-files.js';
import { findingFingerprint } from './fingerprint.js';

const BOUNDS = { maxFiles: 5, maxFileBytes: 100 };

describe('which language submitted code is in', () => {
  it.each([['a/b.py', 'python'], ['x.pyi', 'python'], ['app.js', 'javascript'], ['m.mjs', 'javascript'], ['c.tsx', 'typescript'], ['d.mts', 'typescript'], ['README.md', null], ['Makefile', null]])(
    '%s is %s by its name', (path, language) => {
      expect(languageOfPath(path)).toBe(language);
    },
  );

  it.each([
    ['def main():\n    print("hi")\n', 'python'],
    ['import os\nfrom pathlib import Path\n\nclass A:\n    pass\n', 'python'],
    ['interface User { name: string }\nexport const u: User = { name: "a" };\n', 'typescript'],
    ['function add(a: number, b: number): number {\n  return a + b;\n}\n', 'typescript'],
    ['const add = (a, b) => a + b;\nmodule.exports = add;\n', 'javascript'],
  ])('pasted %j is %s by its content', (content, language) => {
    expect(languageOfContent(content)).toBe(language);
  });

  it('names pasted code for its language unless given a name', () => {
    expect(pastedFile('x = 1\n', 'python', undefined)).toEqual({ path: 'snippet.py', content: 'x = 1\n', language: 'python' });
    expect(pastedFile('let a = 1', undefined, 'lib/a.ts')).toMatchObject({ path: 'lib/a.ts', language: 'typescript' });
  });
});

describe('preparing a check', () => {
  it('lints what it can and sets the rest aside with the reason', () => {
    const prepared = prepareCheck([
      { path: 'src/app.py', content: 'x = 1\n' },
      { path: 'web/ui.ts', content: 'let a = 1;\n' },
      { path: '.pylintrc', content: '[MAIN]\n' },
      { path: 'eslint.config.js', content: 'export default []' },
      { path: 'notes.txt', content: 'hello' },
      { path: '../escape.py', content: 'x = 1\n' },
    ], {}, { ...BOUNDS, maxFiles: 10 });
    expect(prepared.files.map((f) => `${f.path}:${f.language}`)).toEqual(['src/app.py:python', 'web/ui.ts:typescript']);
    expect(prepared.linters).toEqual(['pylint', 'mypy', 'ruff', 'eslint']);
    expect(prepared.ignoredFiles).toEqual([
      { path: '.pylintrc', reason: 'tool configuration is ignored: checks run with their own' },
      { path: 'eslint.config.js', reason: 'tool configuration is ignored: checks run with their own' },
      { path: 'notes.txt', reason: 'not a Python, JavaScript or TypeScript file' },
      { path: '../escape.py', reason: 'not a plain relative path' },
    ]);
  });

  it('keeps uploaded context files (the tree the linters read) apart: they choose no linter', () => {
    const prepared = prepareCheck([{ path: 'pkg/a.py', content: 'x = 1' }, { path: 'web/app.js', content: 'a;', context: true }], {}, BOUNDS);
    expect(prepared.files.map((f) => [f.path, f.context ?? false])).toEqual([['pkg/a.py', false], ['web/app.js', true]]);
    expect(prepared.linters).toEqual(['pylint', 'mypy', 'ruff']);
  });

  it('keeps only the named linters that read the submitted languages', () => {
    expect(prepareCheck([{ path: 'a.py', content: '' }], { linters: ['ruff', 'eslint'] }, BOUNDS).linters).toEqual(['ruff']);
  });

  it('bounds the number of files and the size of each', () => {
    expect(() => prepareCheck(Array.from({ length: 6 }, (_, i) => ({ path: `${i}.py`, content: '' })), {}, BOUNDS)).toThrow(/at most 5 files/);
    expect(prepareCheck([{ path: 'big.py', content: 'x'.repeat(101) }], {}, BOUNDS).ignoredFiles).toEqual([{ path: 'big.py', reason: 'larger than 100 bytes (101)' }]);
  });

  it.each(['/etc/passwd', 'a/../../b.py', 'a\\b.py', 'a//b.py', './a.py', 'a b.py', ''])('refuses the path %j', (path) => {
    expect(isSafeRelativePath(path)).toBe(false);
  });
});

describe('fingerprints', () => {
  it('depend on the rule, the file and the line text with its spacing normalised', () => {
    const base = findingFingerprint('F401', 'a.py', 'import os');
    expect(findingFingerprint('F401', 'a.py', '   import   os  ')).toBe(base);
    expect(findingFingerprint('F401', 'b.py', 'import os')).not.toBe(base);
    expect(findingFingerprint('F811', 'a.py', 'import os')).not.toBe(base);
    expect(findingFingerprint('F401', 'a.py', 'import sys')).not.toBe(base);
  });
});

describe('names a check refuses', () => {
  it.each([
    ['--rcfile.py', /starting with - or @/],
    ['@list.py', /starting with - or @/],
    ['pkg/-x/app.py', /starting with - or @/],
    ['isort.py', /shadow the module isort/],
    ['src/isort.py', /shadow the module isort/],
    ['gi/__init__.py', /shadow the module gi/],
    ['typing_extensions.py', /shadow the module typing_extensions/],
    ['lib/astroid/nodes.py', /shadow the module astroid/],
  ])('refuses %s with the reason, and lints the rest', (path, reason) => {
    const prepared = prepareCheck([{ path, content: 'x = 1\n' }, { path: 'app.py', content: 'x = 1\n' }], {}, { maxFiles: 5, maxFileBytes: 100 });
    expect(prepared.files.map((f) => f.path)).toEqual(['app.py']);
    expect(prepared.ignoredFiles).toEqual([{ path, reason: expect.stringMatching(reason) }]);
  });

  it('keeps names that merely contain a tool name or a dash', () => {
    const paths = ['my_isort.py', 'pylint_helpers.py', 'a-b.py', 'gis/map.py', 'mail@home.py'];
    const prepared = prepareCheck(paths.map((path) => ({ path, content: 'x = 1\n' })), {}, { maxFiles: 5, maxFileBytes: 100 });
    expect(prepared.files.map((f) => f.path)).toEqual(paths);
  });
});
