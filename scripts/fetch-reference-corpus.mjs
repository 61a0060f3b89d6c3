#!/usr/bin/env node
/**
 * Fetches the reference corpus that scoring v2 is calibrated on
 * (command-service/calibration/reference-corpus.json) into a
 * cache folder: `npm pack <name>@<version>` for npm packages, `pip download
 * --no-deps --only-binary :all: <name>==<version>` (the project's Python
 * tools venv) for PyPI packages, each unpacked once. No third-party code is
 * committed; the calibration test calls this at setup and skips (saying why)
 * when the registries cannot be reached.
 *
 *   node scripts/fetch-reference-corpus.mjs [--cached-only] [cache dir]   (default: <tmp>/resoft-reference-corpus)
 *
 * Prints the cache folder; each package lands in <cache>/<registry>/<name>-<version>/ with its files at
 * their paths inside the package.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const MANIFEST = path.join(root, 'command-service/calibration/reference-corpus.json');
export const DEFAULT_CACHE = path.join(os.tmpdir(), 'resoft-reference-corpus');

const run = (command, args, cwd) => execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 }).toString();

function fetchNpm(pkg, dir) {
  const tarball = run('npm', ['pack', `${pkg.name}@${pkg.version}`, '--silent'], dir).trim().split('\n').pop();
  run('tar', ['xzf', tarball, '--strip-components=1'], dir);
  rmSync(path.join(dir, tarball));
}

function fetchPypi(pkg, dir, python) {
  run(python, ['-m', 'pip', 'download', '--disable-pip-version-check', '--no-deps', '--only-binary', ':all:', `${pkg.name}==${pkg.version}`, '-d', dir], dir);
  const wheel = readdirSync(dir).find((name) => name.endsWith('.whl'));
  if (!wheel) throw new Error(`pip downloaded no wheel for ${pkg.name}==${pkg.version}`);
  run(python, ['-m', 'zipfile', '-e', wheel, '.'], dir);
  rmSync(path.join(dir, wheel));
}

/**
 * Fetches every package not in the cache yet; returns the cache folder. Throws when a registry cannot be reached,
 * or, with `cachedOnly` (what the tests ask: they talk only to loopback), when a package is not in the cache.
 */
export function fetchReferenceCorpus(cache = DEFAULT_CACHE, python = path.join(root, '.tools/python/bin/python'), cachedOnly = false) {
  const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  for (const pkg of manifest.packages) {
    const dir = path.join(cache, pkg.registry, `${pkg.name}-${pkg.version}`);
    if (existsSync(path.join(dir, '.complete'))) continue;
    if (cachedOnly) throw new Error(`${pkg.name}@${pkg.version} is not in ${cache}: run npm run setup:corpus first (it downloads from npm and PyPI)`);
    const partial = `${dir}.partial`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    if (pkg.registry === 'npm') fetchNpm(pkg, partial);
    else fetchPypi(pkg, partial, python);
    for (const file of pkg.files) if (!existsSync(path.join(partial, file))) throw new Error(`${pkg.name}@${pkg.version} has no ${file}`);
    run('touch', ['.complete'], partial);
    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
  }
  return cache;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const cachedOnly = args.includes('--cached-only');
  const dir = args.find((a) => !a.startsWith('--')) ?? DEFAULT_CACHE;
  process.stdout.write(`${fetchReferenceCorpus(dir, undefined, cachedOnly)}\n`);
}
