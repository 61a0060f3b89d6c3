import { DomainError } from '../shared/domain-error.js';
import { normaliseFilePath } from './file-path.js';

function problem(path: string): string {
  try {
    normaliseFilePath(path);
  } catch (error) {
    if (error instanceof DomainError) return error.message;
    throw error;
  }
  throw new Error(`${JSON.stringify(path)} was accepted`);
}

describe('file paths', () => {
  it('are kept in NFC, so one name typed two ways is one path', () => {
    const decomposed = 'docs/re\u0301sume\u0301.md';
    expect(normaliseFilePath(decomposed)).toBe('docs/r\u00e9sum\u00e9.md');
    expect(normaliseFilePath(decomposed)).toBe(normaliseFilePath('docs/r\u00e9sum\u00e9.md'));
  });

  it.each([
    ['invoice\u202Etxt.exe', 'bidirectional control character (U+202E)'],
    ['src/\u2066main\u2069.py', 'bidirectional control character (U+2066)'],
    ['a\u200Fb.py', 'bidirectional control character (U+200F)'],
    ['a\u061Cb.py', 'bidirectional control character (U+061C)'],
    ['notes\u2028two.md', 'line or paragraph separator (U+2028)'],
    ['notes\u2029two.md', 'line or paragraph separator (U+2029)'],
    ['bell\u0007.py', 'control character (U+0007)'],
    ['c1\u0085.py', 'control character (U+0085)'],
  ])('refuse %j, naming the character', (path, expected) => {
    expect(problem(path)).toBe(`The file path must not contain a ${expected}`);
  });

  it('accept letters of any script', () => {
    expect(normaliseFilePath('مستندات/ملف.py')).toBe('مستندات/ملف.py');
    expect(normaliseFilePath('文档/说明.md')).toBe('文档/说明.md');
  });
});
