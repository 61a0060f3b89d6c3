/**
 * The distributions a project declares — `requirements*.txt` lines or
 * `pyproject.toml`'s `[project] dependencies` — read from the files that came
 * with a check (never installed, never executed). A check uses them to say
 * whether a module it could not import is at least declared.
 */

export interface DeclaredRequirements {
  /** The file they were read from. */
  readonly source: string;
  /** Normalised distribution names (PEP 503: lower case, runs of -_. as one -). */
  readonly names: string[];
}

export const normaliseDistribution = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');

/** A requirement line's distribution name (`requests>=2; python_version>"3"` → requests), null for options, URLs and comments. */
function requirementName(line: string): string | null {
  const text = line.replace(/\s+#.*$/, '').trim();
  if (text === '' || text.startsWith('#') || text.startsWith('-') || text.includes('://')) return null;
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(text);
  return match ? normaliseDistribution(match[1]!) : null;
}

function fromRequirementsTxt(content: string): string[] {
  return content.split('\n').map(requirementName).filter((name): name is string => name !== null);
}

/** `dependencies = [ "a>=1", "b" ]` inside `[project]` (and optional-dependencies' lists), read without a TOML parser: names only. */
function fromPyproject(content: string): string[] {
  const names: string[] = [];
  const project = /^\[project\]\s*$([\s\S]*?)(?=^\[(?!project\.optional-dependencies)|(?![\s\S]))/m.exec(content)?.[1] ?? '';
  for (const list of project.matchAll(/^\s*(?:dependencies|[A-Za-z0-9_-]+)\s*=\s*\[([\s\S]*?)\]/gm)) {
    for (const item of list[1]!.matchAll(/["']([^"']+)["']/g)) {
      const name = requirementName(item[1]!);
      if (name) names.push(name);
    }
  }
  return names;
}

const isRequirementsTxt = (path: string): boolean => /(^|\/)requirements[^/]*\.txt$/.test(path);
const isPyproject = (path: string): boolean => /(^|\/)pyproject\.toml$/.test(path);

/** The declared requirements among submitted files (the shallowest such files), or null when none declares any. */
export function declaredRequirements(files: readonly { path: string; content: string }[]): DeclaredRequirements | null {
  const sources = files.filter((f) => isRequirementsTxt(f.path) || isPyproject(f.path)).sort((a, b) => a.path.split('/').length - b.path.split('/').length || a.path.localeCompare(b.path));
  const names = new Set<string>();
  const used: string[] = [];
  for (const file of sources) {
    const found = isPyproject(file.path) ? fromPyproject(file.content) : fromRequirementsTxt(file.content);
    if (found.length > 0) used.push(file.path);
    for (const name of found) names.add(name);
  }
  return names.size === 0 ? null : { source: used.join(', ').slice(0, 500), names: [...names].sort().slice(0, 2000) };
}

/** Import names that differ from their distribution's name, for the few common ones; otherwise the import name is the distribution's. */
const DISTRIBUTION_OF_MODULE: Readonly<Record<string, string>> = {
  yaml: 'pyyaml', PIL: 'pillow', sklearn: 'scikit-learn', cv2: 'opencv-python', bs4: 'beautifulsoup4', dateutil: 'python-dateutil',
  jwt: 'pyjwt', dotenv: 'python-dotenv', attr: 'attrs', google: 'protobuf', OpenSSL: 'pyopenssl', Crypto: 'pycryptodome', magic: 'python-magic',
};

/** Whether a top-level module name is declared by the requirements. */
export function isDeclared(module: string, requirements: DeclaredRequirements): boolean {
  const candidates = [normaliseDistribution(module), DISTRIBUTION_OF_MODULE[module] ?? ''].filter(Boolean);
  return candidates.some((name) => requirements.names.includes(name));
}
