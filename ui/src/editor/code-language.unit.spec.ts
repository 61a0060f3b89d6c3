import { editorLanguageOf, languageOfLabel, languageOfPath } from './code-language.js';

describe('the language of a file or a code fence', () => {
  it('follows the file extension, whatever its case, for every file the checker and editor know', () => {
    expect(['a.py', 'stubs/b.pyi', 'C.PY'].map(languageOfPath)).toEqual(['python', 'python', 'python']);
    expect(['a.ts', 'b.tsx', 'c.mts', 'd.cts'].map(languageOfPath)).toEqual(['typescript', 'typescript', 'typescript', 'typescript']);
    expect(['a.js', 'b.jsx', 'c.mjs', 'd.cjs'].map(languageOfPath)).toEqual(['javascript', 'javascript', 'javascript', 'javascript']);
    expect(['README.md', 'py', 'a.python', 'a.ts.bak'].map(languageOfPath)).toEqual([null, null, null, null]);
  });

  it('shows unknown files as plain text in the editor', () => {
    expect(editorLanguageOf('src/main.py')).toBe('python');
    expect(editorLanguageOf('notes.txt')).toBe('text');
  });

  it('reads a fence label as a language name or an extension, and anything else as plain text', () => {
    expect(['python', 'Py', 'js', 'mjs', 'cjs', 'javascript', 'ts', 'TypeScript', 'tsx'].map(languageOfLabel)).toEqual([
      'python', 'python', 'javascript', 'javascript', 'javascript', 'javascript', 'typescript', 'typescript', 'typescript',
    ]);
    expect(['', 'rust', 'sh', 'a.py'].map(languageOfLabel)).toEqual([null, null, null, null]);
  });
});
