/**
 * Keeps pylint's own Python process from importing the submitted code.
 * pylint puts the folders of the files it lints first on `sys.path` (astroid
 * reads sibling modules from there), and pylint and astroid import some
 * modules only when they need them (`isort`, `gi`, standard modules): a
 * submitted `isort.py` or `gi/__init__.py` would then run. Our pylintrc's
 * `init-hook` runs this before any linting: the standard path finder is
 * replaced by one that never looks inside the submitted folder, so real
 * imports come from the tools' own installation while astroid, which reads
 * modules as text through its own finders, still sees the submitted ones.
 */

/** The file name of the guard inside our configuration folder. */
export const IMPORT_GUARD_FILE = 'import_guard.py';

/** Run by `exec` with `SUBMITTED` (the folder the submitted files are in) as its only global. */
export const IMPORT_GUARD = `import os
import sys
from importlib.machinery import PathFinder

SUBMITTED_ROOT = os.path.realpath(SUBMITTED)


def outside_submitted(entries):
    kept = []
    for entry in entries:
        real = os.path.realpath(entry or os.getcwd())
        if real != SUBMITTED_ROOT and not real.startswith(SUBMITTED_ROOT + os.sep):
            kept.append(entry)
    return kept


class SubmittedCodeNeverImported(PathFinder):
    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        return PathFinder.find_spec(fullname, outside_submitted(sys.path if path is None else path), target)


sys.meta_path[:] = [SubmittedCodeNeverImported if finder is PathFinder else finder for finder in sys.meta_path]
`;

/** The `init-hook` line of our pylintrc: runs the guard from our configuration folder. */
export function importGuardHook(configDir: string, srcDir: string): string {
  const guard = JSON.stringify(`${configDir}/${IMPORT_GUARD_FILE}`);
  return `exec(compile(open(${guard}).read(), ${guard}, "exec"), {"SUBMITTED": ${JSON.stringify(srcDir)}})`;
}
