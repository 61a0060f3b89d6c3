#!/usr/bin/env node
/**
 * Keeps `tsc -b` type-checking every spec although specs are not part of the workspaces' builds.
 *
 * A service's spec imports `@resoft/testkit`, which imports `@resoft/app`, which imports the service:
 * as one project that is a reference cycle. So each workspace's tsconfig.json builds its production
 * code only (`exclude: src/**\/*.spec.ts`; contract suites and fixtures stay in, other workspaces'
 * specs import them), and `<workspace>/tsconfig.spec.json` (noEmit) type-checks its specs against the
 * built declarations of the workspace and of what its package.json lists. A spec-only workspace
 * (its tsconfig.json has `noEmit`, e.g. system-tests) is such a project itself. The root tsconfig.json
 * references every build project, then every spec project.
 *
 * This writes those files from the root package.json's workspaces and each workspace's package.json,
 * so a new workspace or dependency needs no hand edit:
 *
 *   node tools/spec-projects/spec-projects.mjs [rootDir]          write what is out of date
 *   node tools/spec-projects/spec-projects.mjs --check [rootDir]  list it and exit 1 if anything is
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { workspaceFolders } from '../workspace-folders.mjs';

/** Workspaces outside `tsc -b`, and where their specs are type-checked instead. */
export const OUTSIDE_BUILD = { ui: 'built by Vite; its specs and e2e/ are type-checked by `npm run typecheck -w @resoft/ui`' };

export const SPEC_GLOB = 'src/**/*.spec.ts';
const SPEC_OPTIONS = {
  noEmit: true,
  composite: false,
  declaration: false,
  declarationMap: false,
  incremental: true,
  tsBuildInfoFile: 'dist/.spec.tsbuildinfo',
};

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const slash = (p) => p.split(path.sep).join('/');

/** A tsconfig file's options with `extends` followed (tsconfig files may hold comments). */
export function readTsconfig(file) {
  const { config, error } = ts.readConfigFile(file, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(file), undefined, file);
}

/** The spec files under a workspace's src/ (what jest runs). */
export function specFiles(dir) {
  const found = [];
  const walk = (at) => {
    if (!fs.existsSync(at)) return;
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.spec.ts')) found.push(full);
    }
  };
  walk(path.join(dir, 'src'));
  return found.sort();
}

/** Each workspace under `tsc -b`: folder, kind ('build' or 'spec-only') and the workspace folders it lists. */
export function buildWorkspaces(rootDir) {
  const folders = workspaceFolders(rootDir);
  const folderOf = new Map(folders.map((folder) => [readJson(path.join(rootDir, folder, 'package.json')).name, folder]));
  const workspaces = folders
    .filter((folder) => !(folder in OUTSIDE_BUILD) && fs.existsSync(path.join(rootDir, folder, 'tsconfig.json')))
    .map((folder) => {
      const pkg = readJson(path.join(rootDir, folder, 'package.json'));
      const listed = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})].filter((name) => folderOf.has(name)).map((name) => folderOf.get(name));
      const options = readTsconfig(path.join(rootDir, folder, 'tsconfig.json')).options;
      return { folder, kind: options.noEmit ? 'spec-only' : 'build', listed };
    });
  // Only build projects can be referenced: they emit the declarations a spec is checked against.
  const built = new Set(workspaces.filter((w) => w.kind === 'build').map((w) => w.folder));
  return workspaces.map((w) => ({ ...w, listed: [...new Set(w.listed)].filter((f) => built.has(f)).sort() }));
}

const json = (value) =>
  `${JSON.stringify(value, null, 2)
    .replace(/\{\n\s*"path": "([^"]+)"\n\s*\}/g, '{ "path": "$1" }')
    .replace(/\[\n\s*("[^"\n]+")\n\s*\]/g, '[$1]')}\n`;

/** The files this layout needs, as { file: text } (paths relative to rootDir); `problems` lists what cannot be written. */
export function expectedFiles(rootDir) {
  const workspaces = buildWorkspaces(rootDir);
  const files = {};
  const problems = [];
  const refs = (from, folders) => folders.map((folder) => ({ path: slash(path.relative(from, folder)) || '.' }));
  for (const w of workspaces) {
    const tsconfigFile = path.join(w.folder, 'tsconfig.json');
    const text = fs.readFileSync(path.join(rootDir, tsconfigFile), 'utf8');
    if (w.kind === 'spec-only') {
      const { config } = ts.readConfigFile(path.join(rootDir, tsconfigFile), ts.sys.readFile);
      files[tsconfigFile] = json({ ...config, references: refs(w.folder, w.listed) });
      continue;
    }
    // The build excludes the specs: insert the exclude after `include` when it is missing.
    if (!/"exclude"\s*:\s*\[\s*"src\/\*\*\/\*\.spec\.ts"\s*\]/.test(text)) {
      const next = text.replace(/("include"\s*:\s*\[[^\]]*\])/, `$1,\n  "exclude": ["${SPEC_GLOB}"]`);
      if (next === text || /"exclude"/.test(text)) problems.push(`${tsconfigFile}: add "exclude": ["${SPEC_GLOB}"] by hand`);
      else files[tsconfigFile] = next;
    }
    if (specFiles(path.join(rootDir, w.folder)).length === 0) continue;
    files[path.join(w.folder, 'tsconfig.spec.json')] = json({
      extends: './tsconfig.json',
      compilerOptions: SPEC_OPTIONS,
      include: [SPEC_GLOB],
      exclude: [],
      references: refs(w.folder, [w.folder, ...w.listed]),
    });
  }
  const builds = workspaces.filter((w) => w.kind === 'build').map((w) => ({ path: w.folder }));
  const specs = workspaces.flatMap((w) => {
    if (w.kind === 'spec-only') return [{ path: w.folder }];
    return specFiles(path.join(rootDir, w.folder)).length > 0 ? [{ path: `${w.folder}/tsconfig.spec.json` }] : [];
  });
  files['tsconfig.json'] = json({ files: [], references: [...builds, ...specs] });
  return { files, problems };
}

/** The files whose content differs from what the layout needs (and the problems), without writing. */
export function outOfDate(rootDir) {
  const { files, problems } = expectedFiles(rootDir);
  const stale = Object.entries(files).filter(([file, text]) => {
    const at = path.join(rootDir, file);
    return !fs.existsSync(at) || fs.readFileSync(at, 'utf8') !== text;
  });
  return { stale, problems };
}

const isEntry = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const rootDir = path.resolve(args.find((a) => a !== '--check') ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '../..'));
  const { stale, problems } = outOfDate(rootDir);
  for (const problem of problems) console.error(`spec projects: ${problem}`);
  for (const [file, text] of stale) {
    if (check) console.error(`spec projects: ${file} is out of date`);
    else fs.writeFileSync(path.join(rootDir, file), text);
  }
  if (!check && stale.length > 0) console.log(`spec projects: wrote ${stale.map(([file]) => file).join(', ')}`);
  if (problems.length > 0 || (check && stale.length > 0)) {
    if (check) console.error('spec projects: run `node tools/spec-projects/spec-projects.mjs` to write them');
    process.exit(1);
  }
  if (stale.length === 0) console.log('spec projects: up to date');
}
