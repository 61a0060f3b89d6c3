/**
 * Whether the code-quality suites that run Python checks can run here: the
 * linters installed, and bubblewrap able to make its namespaces (Python
 * checks are refused without it). Suites skip with the reason printed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_PYTHON_TOOLS_DIR } from '@resoft/command-service/config';

const BWRAP = '/usr/bin/bwrap';

function why(): string | null {
  if (!['pylint', 'mypy', 'ruff'].every((tool) => existsSync(path.join(DEFAULT_PYTHON_TOOLS_DIR, 'bin', tool)))) {
    return `the Python linters are not installed in ${DEFAULT_PYTHON_TOOLS_DIR} (run \`npm install\` with Python 3.10+)`;
  }
  if (!existsSync(BWRAP)) return `${BWRAP} is missing (install bubblewrap): Python checks are refused without their sandbox`;
  const namespaces = process.getuid?.() === 0 ? ['--unshare-pid', '--unshare-net'] : ['--unshare-all'];
  const probe = spawnSync(BWRAP, [...namespaces, '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', 'true'], { stdio: 'ignore', timeout: 10_000 });
  return probe.status === 0 ? null : `${BWRAP} cannot make namespaces here: Python checks are refused without their sandbox`;
}

/** Null when Python checks can run; otherwise why not. */
export const pythonChecksUnavailable: string | null = why();

/** `describe`, or `describe.skip` with the reason printed. */
export function describeWithPythonChecks(suite: string): jest.Describe {
  if (pythonChecksUnavailable === null) return describe;
  console.warn(`${suite} skipped: ${pythonChecksUnavailable}`);
  return describe.skip;
}
