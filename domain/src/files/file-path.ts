/** Project file paths: NFC, relative, POSIX separators, no `.`/`..` segments, no bidi or control characters, bounded. */
import { reject } from '../shared/domain-error.js';
import { toNfc, unsafeCharacterProblem } from '../shared/visible-text.js';

export const MAX_FILE_PATH_LENGTH = 512;
// Control characters and the characters Windows forbids: a path must work on every member's machine.
const FORBIDDEN = /[\u0000-\u001f\u007f\\:*?"<>|]/;

/** The canonical form of a file path, or a rejection saying what is wrong with it. */
export function normaliseFilePath(path: string): string {
  // NFC first, so one name typed two ways is one path (and one uniqueness slot).
  const trimmed = toNfc(path).trim();
  const unsafe = unsafeCharacterProblem(trimmed);
  if (unsafe) reject('invalid', 'invalid_path', `The file path ${unsafe}`);
  if (trimmed.length === 0) reject('invalid', 'invalid_path', 'The file path is empty');
  if (trimmed.length > MAX_FILE_PATH_LENGTH) reject('invalid', 'invalid_path', `The file path is longer than ${MAX_FILE_PATH_LENGTH} characters`);
  if (trimmed.startsWith('/')) reject('invalid', 'invalid_path', 'The file path must be relative to the project (no leading "/")');
  if (FORBIDDEN.test(trimmed)) reject('invalid', 'invalid_path', 'The file path contains a forbidden character (control characters, \\ : * ? " < > |)');
  const segments = trimmed.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) reject('invalid', 'invalid_path', 'The file path has an empty, "." or ".." segment');
  return segments.join('/');
}
