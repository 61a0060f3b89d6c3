/**
 * A JavaScript file's source type, as Node decides it: `.mjs` is an ES
 * module, `.cjs` CommonJS, and a `.js` file follows the `type` of the nearest
 * package.json above it (CommonJS when that package.json has no `type`). A
 * `.js` file with no package.json in the check stays an ES module, ESLint's
 * own default. TypeScript is parsed as a module.
 */

/** `type` of each submitted package.json by its folder ('' for the root); unreadable ones are left out. */
export function packageTypes(files: readonly { path: string; content: string }[]): Record<string, 'module' | 'commonjs'> {
  const types: Record<string, 'module' | 'commonjs'> = {};
  for (const file of files) {
    if (!/(^|\/)package\.json$/.test(file.path)) continue;
    try {
      const manifest = JSON.parse(file.content) as { type?: unknown };
      types[file.path.includes('/') ? file.path.slice(0, file.path.lastIndexOf('/')) : ''] = manifest.type === 'module' ? 'module' : 'commonjs';
    } catch {
      // not JSON: Node would refuse it too; the files below it keep ESLint's default
    }
  }
  return types;
}

export function sourceTypeOf(path: string, types: Readonly<Record<string, 'module' | 'commonjs'>>): 'module' | 'commonjs' {
  const lower = path.toLowerCase();
  if (lower.endsWith('.cjs') || lower.endsWith('.cts')) return 'commonjs';
  if (!lower.endsWith('.js') && !lower.endsWith('.jsx')) return 'module';
  for (let dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : ''; ; dir = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '') {
    const type = types[dir];
    if (type) return type;
    if (dir === '') return 'module';
  }
}
