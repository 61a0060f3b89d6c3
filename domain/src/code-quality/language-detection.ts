/**
 * Which language submitted code is in: from the file name when it says, else
 * from the content (pasted text has no name). Files that are configuration
 * for a tool (`.pylintrc`, `mypy.ini`, `eslint.config.js`, …) are never
 * linted and never reach a tool: checks run with our configuration only.
 */
import type { Language } from './check-model.js';

const EXTENSIONS: Readonly<Record<string, Language>> = {
  '.py': 'python', '.pyi': 'python',
  '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascript',
  '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript', '.tsx': 'typescript',
};

/** Configuration files any of the tools would read if they found them; a check ignores them. */
const TOOL_CONFIG = /^(\.?pylintrc|mypy\.ini|\.mypy\.ini|setup\.cfg|tox\.ini|pyproject\.toml|\.?ruff\.toml|\.eslintrc(\..*)?|eslint\.config\.[cm]?[jt]s|\.eslintignore|tsconfig(\..*)?\.json|package\.json|conftest\.py|sitecustomize\.py|usercustomize\.py)$/i;

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

export const isToolConfigFile = (path: string): boolean => TOOL_CONFIG.test(baseName(path));

export function languageOfPath(path: string): Language | null {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? EXTENSIONS[name.slice(dot).toLowerCase()] ?? null : null;
}

/** A guess from content alone, for pasted code without a name. */
export function languageOfContent(content: string): Language {
  const python = [/^\s*def \w+\(.*\)\s*(->\s*[^:]+)?:\s*$/m, /^\s*(from [\w.]+ )?import [\w., ]+\s*$/m, /^\s*class \w+(\(.*\))?:\s*$/m, /^\s*(if|elif|for|while|with|try|except)\b.*:\s*$/m, /\bprint\(/, /^\s*#/m];
  const typescript = [/^\s*(export\s+)?(interface|type|enum)\s+\w+/m, /\b(const|let|var)\s+\w+\s*:\s*[\w<[]/, /\)\s*:\s*(string|number|boolean|void|Promise<)/, /\bas\s+(string|number|const|unknown)\b/, /\b(public|private|readonly)\s+\w+\s*[:;=]/];
  const javascript = [/\b(const|let|var)\s+\w+\s*=/, /\bfunction\s*\w*\s*\(/, /=>/, /;\s*$/m, /\brequire\(|\bmodule\.exports\b|\bexport\s+(default|const|function)\b/];
  const score = (patterns: RegExp[]) => patterns.filter((p) => p.test(content)).length;
  const ts = score(typescript);
  const js = score(javascript);
  const py = score(python);
  if (ts > 0 && ts + js >= py) return 'typescript';
  return py > js ? 'python' : 'javascript';
}

/** A path that is safe to write below a temporary directory: relative, no `..`, no odd characters. */
export function isSafeRelativePath(path: string): boolean {
  if (path.length === 0 || path.length > 200 || path.startsWith('/') || path.includes('\\')) return false;
  const parts = path.split('/');
  return parts.every((part) => part.length > 0 && part !== '.' && part !== '..' && /^[\w.@+-]+$/.test(part));
}
