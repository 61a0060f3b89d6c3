/**
 * Writes rendered files under an output folder. Every target is checked
 * before anything is written: it must stay under the folder, no folder on the
 * way may be a symlink, and an existing file is replaced only with `force`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RenderedFile } from './engine.js';
import { safeRelativePath, UnsafePathError } from './paths.js';

export class OverwriteRefusedError extends Error {
  constructor(readonly paths: readonly string[]) {
    super(`Refusing to overwrite ${paths.length} existing file(s) (${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ', …' : ''}); use --force to replace them`);
    this.name = 'OverwriteRefusedError';
  }
}

function lstatOrNull(target: string): fs.Stats | null {
  try {
    return fs.lstatSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Checks one file's target; returns whether a file is already there. */
function checkTarget(root: string, relative: string): boolean {
  safeRelativePath(relative);
  const target = path.resolve(root, relative);
  if (!target.startsWith(root + path.sep)) throw new UnsafePathError(relative, 'it resolves outside the output folder');
  const segments = relative.split('/');
  let current = root;
  for (const [index, segment] of segments.entries()) {
    current = path.join(current, segment);
    const stat = lstatOrNull(current);
    if (!stat) return false;
    if (stat.isSymbolicLink()) throw new UnsafePathError(relative, `"${path.relative(root, current)}" is a symlink in the output folder`);
    const isLast = index === segments.length - 1;
    if (!isLast && !stat.isDirectory()) throw new UnsafePathError(relative, `"${path.relative(root, current)}" is a file, not a folder`);
    if (isLast && !stat.isFile()) throw new UnsafePathError(relative, 'a folder or special file is in the way');
  }
  return true;
}

export interface WriteOptions {
  readonly force?: boolean;
  readonly onFile?: (file: RenderedFile, index: number, total: number) => void;
}

export function writeRendered(outDir: string, files: readonly RenderedFile[], options: WriteOptions = {}): { written: number; replaced: number } {
  fs.mkdirSync(outDir, { recursive: true });
  const root = fs.realpathSync(outDir);
  const existing = files.filter((file) => checkTarget(root, file.path)).map((file) => file.path);
  if (existing.length > 0 && !options.force) throw new OverwriteRefusedError(existing);
  files.forEach((file, index) => {
    const target = path.join(root, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content);
    options.onFile?.(file, index + 1, files.length);
  });
  return { written: files.length, replaced: existing.length };
}
