#!/usr/bin/env node
/**
 * Test setup for the template checks: creates templates/.venv (git-ignored) and installs
 * FastAPI, httpx and pytest from PyPI (plus scikit-learn, optional), so the suites that the
 * templates generate can run. Idempotent: a marker holds the hash of the requirement files.
 * Exit 0 when the venv is ready, 2 when Python or PyPI is unavailable (with the reason on stderr).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const venv = path.resolve(here, '..', '.venv');
const required = path.join(here, 'python-requirements.txt');
const optional = path.join(here, 'python-optional-requirements.txt');
const marker = path.join(venv, '.resoft-requirements');
const python = path.join(venv, 'bin', 'python');
const digest = createHash('sha256').update(fs.readFileSync(required)).update(fs.readFileSync(optional)).digest('hex');

const run = (command, args) => spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 600_000 });
const fail = (reason) => {
  process.stderr.write(`template checks: Python environment unavailable: ${reason}\n`);
  process.exit(2);
};

if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === digest && fs.existsSync(python)) {
  process.stdout.write(`template checks: ${venv} is ready\n`);
  process.exit(0);
}
const system = ['python3', 'python'].find((name) => run(name, ['--version']).status === 0);
if (!system) fail('no python3 on PATH');
if (!fs.existsSync(python)) {
  const created = run(system, ['-m', 'venv', venv]);
  if (created.status !== 0) fail(`"${system} -m venv" failed: ${(created.stderr || created.error?.message || '').trim()}`);
}
process.stdout.write(`template checks: installing ${path.basename(required)} into ${venv}\n`);
const installed = run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '-r', required]);
if (installed.status !== 0) fail(`pip install from PyPI failed: ${(installed.stderr || installed.error?.message || '').trim().split('\n').slice(-3).join(' ')}`);
const extra = run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '-r', optional]);
if (extra.status !== 0) process.stderr.write(`template checks: optional packages not installed (the ML model test will be skipped): ${(extra.stderr || '').trim().split('\n').slice(-1)[0]}\n`);
fs.writeFileSync(marker, digest);
process.stdout.write('template checks: Python environment ready\n');
