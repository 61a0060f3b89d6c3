#!/usr/bin/env node
/**
 * Installs the Python linters that code-quality checks run (pylint, mypy, ruff) at pinned versions
 * into a project-local virtual environment, `.tools/python/` (git-ignored). Run by `npm install`'s
 * postinstall; idempotent and fast when the pinned versions are already there. When Python 3 is
 * missing it explains itself and exits 0: `npm install` still succeeds, and the checks report those
 * tools as unavailable.
 *
 * The linters run in a bubblewrap sandbox (Debian package `bubblewrap`); without it, Python checks
 * are refused. As root with apt-get, this script installs it when it is missing; otherwise it says
 * how. (RESOFT_CHECK_SANDBOX names another bwrap executable.)
 *
 * RESOFT_PYTHON names the interpreter to build the venv with (default: python3, then python).
 * RESOFT_PYTHON_TOOLS_DIR puts the venv elsewhere (the server reads the same variable).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Keep in step with the versions the checks document (README, `GET /api/code-quality/linters`). */
const PINNED = ['pylint==4.1.4', 'mypy==2.4.1', 'ruff==0.17.6'];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const venv = path.resolve(process.env.RESOFT_PYTHON_TOOLS_DIR || path.join(root, '.tools', 'python'));
const stamp = path.join(venv, 'resoft-tools.json');
const bin = (name) => path.join(venv, 'bin', name);
const say = (message) => console.log(`[python-tools] ${message}`);

function findPython() {
  const candidates = process.env.RESOFT_PYTHON ? [process.env.RESOFT_PYTHON] : ['python3', 'python'];
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['-c', 'import sys, venv; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' });
    if (probe.status === 0) {
      const [major, minor] = probe.stdout.trim().split('.').map(Number);
      if (major === 3 && minor >= 10) return candidate;
      say(`${candidate} is Python ${probe.stdout.trim()}; pylint ${PINNED[0].split('==')[1]} needs Python 3.10 or newer`);
    }
  }
  return null;
}

function installed() {
  if (!existsSync(stamp)) return false;
  try {
    const recorded = JSON.parse(readFileSync(stamp, 'utf8'));
    return JSON.stringify(recorded.pinned) === JSON.stringify(PINNED) && ['pylint', 'mypy', 'ruff'].every((tool) => existsSync(bin(tool)));
  } catch {
    return false;
  }
}

function run(command, args) {
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  return result.status === 0;
}

function main() {
  if (installed()) {
    say(`pylint, mypy and ruff are installed in ${path.relative(root, venv) || venv}`);
    return;
  }
  const python = findPython();
  if (!python) {
    say('Python 3.10+ with the venv module was not found (set RESOFT_PYTHON to point at one).');
    say('Code-quality checks of Python files will report pylint, mypy and ruff as "unavailable";');
    say('install Python 3 and run `npm run install:python-tools` to enable them.');
    return;
  }
  say(`creating ${venv} with ${python} and installing ${PINNED.join(', ')}`);
  rmSync(venv, { recursive: true, force: true });
  mkdirSync(path.dirname(venv), { recursive: true });
  const ok = run(python, ['-m', 'venv', venv]) &&
    run(bin('python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', ...PINNED]);
  if (!ok) {
    say('installing the Python linters failed (see above); checks will report them as "unavailable".');
    say('Run `npm run install:python-tools` to try again.');
    return;
  }
  writeFileSync(stamp, JSON.stringify({ pinned: PINNED, python, installedAt: new Date().toISOString() }, null, 2));
  say('done');
}

/** The linters' sandbox: install bubblewrap where this script may, else say how, and whether it can run here. */
function ensureSandbox() {
  const bwrap = process.env.RESOFT_CHECK_SANDBOX || '/usr/bin/bwrap';
  if (!existsSync(bwrap) && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    say('installing bubblewrap (the sandbox Python linters run in)');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const apt = (args) => spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env }).status === 0;
    if (!apt(['install', '-y', '-qq', 'bubblewrap'])) apt(['update', '-qq']) && apt(['install', '-y', '-qq', 'bubblewrap']);
  }
  if (!existsSync(bwrap)) {
    say(`${bwrap} is missing: Python code-quality checks will be refused ("unavailable: no sandbox").`);
    say('Install the sandbox with `sudo apt-get install bubblewrap` (Debian/Ubuntu) or your system\'s bubblewrap package.');
    return;
  }
  const namespaces = process.getuid?.() === 0 ? ['--unshare-pid', '--unshare-net'] : ['--unshare-all'];
  const probe = spawnSync(bwrap, [...namespaces, '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', 'true'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.status === 0) say(`the linters' sandbox (${bwrap}) works here`);
  else say(`${bwrap} cannot make namespaces here (${(probe.stderr || '').trim()}): Python checks will be refused; see README, "Code-quality checks"`);
}

main();
ensureSandbox();
