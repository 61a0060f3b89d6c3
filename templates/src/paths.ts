/** The one rule for every rendered path: relative, forward slashes, no `.` or `..` segment, so it stays inside the output root. */

export class UnsafePathError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`Refused path "${path}": ${reason}`);
    this.name = 'UnsafePathError';
  }
}

const MAX_PATH = 400;
const SEGMENT = /^[A-Za-z0-9_.@+-][A-Za-z0-9_. @+-]*$/;

/** Returns the path when it is safe to join under an output root; throws UnsafePathError otherwise. */
export function safeRelativePath(path: string): string {
  if (path.length === 0) throw new UnsafePathError(path, 'it is empty');
  if (path.length > MAX_PATH) throw new UnsafePathError(path, `it is longer than ${MAX_PATH} characters`);
  if (path.includes('\0')) throw new UnsafePathError(path, 'it contains a NUL character');
  if (path.includes('\\')) throw new UnsafePathError(path, 'it contains a backslash');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) throw new UnsafePathError(path, 'it is absolute');
  for (const segment of path.split('/')) {
    if (segment === '' ) throw new UnsafePathError(path, 'it has an empty segment');
    if (segment === '.' || segment === '..') throw new UnsafePathError(path, `it has a "${segment}" segment`);
    if (!SEGMENT.test(segment)) throw new UnsafePathError(path, `segment "${segment}" has characters other than letters, digits, space and _ . @ + -`);
  }
  return path;
}
