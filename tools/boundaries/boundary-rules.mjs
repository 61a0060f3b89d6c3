/**
 * Builds dependency-cruiser's rule set for a repository of npm workspaces, from its root package.json
 * (the workspace folders), each workspace's package.json (name, dependencies, devDependencies) and the
 * layer table, so a new workspace is covered without editing the rules.
 *
 * Test code (specs, fixtures, contract suites, `e2e/` and `scripts/` folders) may also import what its
 * workspace lists in devDependencies and stands outside the layer table; production code may not.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { workspaceFolders } from '../workspace-folders.mjs';

/** Specs, fixtures and contract suites anywhere, and the `e2e/` and `scripts/` folders of a workspace (nested ones too: `adapters/x/scripts/`). */
const testCode = (folders) => `(\\.(spec|fixture|contract)\\.[cm]?[jt]s$)|^(${folders.map(escape).join('|')})/(e2e|scripts)/`;

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
const under = (folder) => `^${escape(folder)}/`;

/** The workspaces of the repository at rootDir: folder, package name and declared workspace dependencies. */
export function readWorkspaces(rootDir) {
  const readJson = (file) => JSON.parse(readFileSync(path.join(rootDir, file), 'utf8'));
  const folders = workspaceFolders(rootDir);
  const packages = folders.map((folder) => ({ folder, pkg: readJson(path.join(folder, 'package.json')) }));
  const folderOf = new Map(packages.map(({ folder, pkg }) => [pkg.name, folder]));
  const workspaceDeps = (deps) => Object.keys(deps ?? {}).filter((name) => folderOf.has(name)).map((name) => folderOf.get(name));
  return packages.map(({ folder, pkg }) => ({
    folder,
    name: pkg.name,
    dependencies: workspaceDeps(pkg.dependencies),
    devDependencies: workspaceDeps(pkg.devDependencies),
  }));
}

/** The forbidden rules for these workspaces and this layer table ({ folder: { mayImport, browserSafe } }). */
export function boundaryRules(workspaces, layers = {}, topLevel = []) {
  const folders = workspaces.map((w) => w.folder);
  const anyWorkspace = `^(${folders.map(escape).join('|')})/`;
  const TEST_CODE = testCode(folders);
  const rules = [
    {
      name: 'relative-import-leaves-workspace',
      comment: 'A workspace reaches another only by package name (@resoft/x), never by a relative path.',
      severity: 'error',
      from: { path: `^(${folders.map(escape).join('|')})/` },
      to: { dependencyTypes: ['local'], pathNot: '^$1/' },
    },
    {
      name: 'unresolvable-import',
      comment: 'An import that does not resolve: a missing file, or a package subpath its `exports` do not name (e.g. @resoft/x/src/...).',
      severity: 'error',
      from: { path: anyWorkspace },
      to: { couldNotResolve: true },
    },
  ];
  for (const workspace of workspaces) {
    const declared = new Set([workspace.folder, ...workspace.dependencies]);
    const declaredForTests = new Set([...declared, ...workspace.devDependencies]);
    const layer = layers[workspace.folder];
    const undeclared = folders.filter((other) => !declaredForTests.has(other));
    const devOnly = folders.filter((other) => !declared.has(other) && declaredForTests.has(other));
    const outsideLayer = layer ? folders.filter((other) => other !== workspace.folder && !layer.mayImport.includes(other)) : [];
    const notTopLevel = topLevel.includes(workspace.folder) ? [] : topLevel;
    const byPackage = (name, comment, targets, fromTestCode) => {
      if (targets.length === 0) return;
      rules.push({
        name,
        comment: `${workspace.name}: ${comment}`,
        severity: 'error',
        from: fromTestCode ? { path: under(workspace.folder) } : { path: under(workspace.folder), pathNot: TEST_CODE },
        to: { path: `^(${targets.map(escape).join('|')})/`, dependencyTypesNot: ['local'] },
      });
    };
    byPackage('undeclared-workspace-dependency', 'imports a workspace its package.json does not list', undeclared, true);
    byPackage('dev-dependency-in-production-code', 'production code imports a workspace listed only in devDependencies', devOnly, false);
    byPackage('outside-layer', 'production code imports a workspace its row of the layer table (docs/architecture.md) does not allow', outsideLayer, false);
    byPackage('imports-top-level', 'production code imports the composition root or the browser app', notTopLevel, false);
    if (layer?.browserSafe) {
      rules.push({
        name: 'node-builtin-in-browser-code',
        comment: `${workspace.name} runs in the browser: no Node built-in modules.`,
        severity: 'error',
        from: { path: under(workspace.folder), pathNot: TEST_CODE },
        to: { dependencyTypes: ['core'] },
      });
    }
  }
  return rules;
}
