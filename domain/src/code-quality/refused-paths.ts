/**
 * Submitted paths a check refuses (it lists them with the reason and lints
 * the rest), because a tool could mistake them for something else:
 * - a name starting with `-` or `@` reads as an option or an argument file
 *   on a command line (pylint's `--rcfile.py`, mypy's `@list.py`);
 * - a module or package named like one the linters import themselves (a
 *   submitted `isort.py`, `gi/__init__.py`) would shadow it when a tool puts
 *   the submitted folders on its import path.
 * Refused, not renamed: a renamed module would change what the code's own
 * imports mean, so its findings would be about different code. Tools are
 * also given files as `./path` after `--` and run in a sandbox; this is the
 * first of those layers.
 */

/**
 * Top-level modules of the linters' installation (pylint, mypy, ruff and
 * what they depend on) and modules they import only when the linted code
 * names them (astroid imports `gi` for `gi.require_version`). The
 * command-service test compares this list with the installed tools.
 */
export const TOOL_MODULES: ReadonlySet<string> = new Set([
  'pylint', 'astroid', 'isort', 'mccabe', 'dill', 'platformdirs', 'tomlkit', 'tomli', 'colorama',
  'mypy', 'mypyc', 'mypy_extensions', 'typing_extensions', 'pathspec', 'librt', 'ast_serialize',
  'ruff', 'pip', 'setuptools', 'pkg_resources', '_distutils_hack', 'distutils',
  'gi',
]);

/** A path segment's module name: `isort.py` and `isort.pyi` are `isort`, a folder is its own name. */
const moduleName = (segment: string, last: boolean): string => (last ? segment.replace(/\.pyi?$/i, '') : segment);

/** Why a submitted path is refused, or null when it is not. */
export function refusalOf(path: string): string | null {
  const segments = path.split('/');
  if (segments.some((segment) => segment.startsWith('-') || segment.startsWith('@'))) {
    return 'refused: a name starting with - or @ could be read as a command-line option or argument file';
  }
  const shadowed = segments.map((segment, i) => moduleName(segment, i === segments.length - 1)).find((name) => TOOL_MODULES.has(name));
  return shadowed ? `refused: it would shadow the module ${shadowed} that the linters import` : null;
}
