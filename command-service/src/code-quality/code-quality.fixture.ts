/** Shared by the code-quality suites: whether the Python linters and the sandbox are there, and engines with test bounds. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_PYTHON_TOOLS_DIR } from '../command-service-config.js';
import { CheckEngine, SANDBOX_DEFAULTS, type EngineConfig } from './check-engine.js';

export const pythonToolsReady = ['pylint', 'mypy', 'ruff'].every((tool) => existsSync(path.join(DEFAULT_PYTHON_TOOLS_DIR, 'bin', tool)));

/** `describe`, or `describe.skip` with the reason printed, when the Python linters are missing. */
export function describeWithPythonTools(suite: string): jest.Describe {
  if (pythonToolsReady) return describe;
  console.warn(`${suite} skipped: pylint, mypy and ruff are not installed in ${DEFAULT_PYTHON_TOOLS_DIR} (run \`npm install\` with Python 3.10+)`);
  return describe.skip;
}

/** Whether bubblewrap can make namespaces here (as the engine would: without a user namespace as root). */
export const sandboxReady = existsSync(SANDBOX_DEFAULTS.sandboxPath) && spawnSync(SANDBOX_DEFAULTS.sandboxPath, [
  ...(process.getuid?.() === 0 ? ['--unshare-pid', '--unshare-net'] : ['--unshare-all']), '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', 'true',
], { stdio: 'ignore', timeout: 10_000 }).status === 0;

/** `describe` when the linters and a working sandbox are there; else `describe.skip` with the reason printed. */
export function describeWithSandbox(suite: string): jest.Describe {
  if (pythonToolsReady && sandboxReady) return describe;
  console.warn(`${suite} skipped: ${pythonToolsReady ? `${SANDBOX_DEFAULTS.sandboxPath} cannot make namespaces here (install bubblewrap; containers may need unprivileged user namespaces)` : 'the Python linters are not installed'}`);
  return describe.skip;
}

type TestBounds = Partial<Pick<EngineConfig, 'timeoutMs' | 'memoryMb' | 'outputBytes' | 'maxFindingsPerFile' | 'sandboxPath' | 'allowUnsandboxed' | 'maxProcesses'>>;

export const testEngine = (bounds: TestBounds = {}) =>
  new CheckEngine({ pythonToolsDir: DEFAULT_PYTHON_TOOLS_DIR, timeoutMs: 60_000, memoryMb: 1024, outputBytes: 4 * 1024 * 1024, maxFindingsPerFile: 200, ...bounds });

/** An engine whose sandbox cannot start (no such bwrap) and whose operator opted in to unsandboxed runs: the other layers alone. */
export const unsandboxedEngine = (bounds: TestBounds = {}) => testEngine({ ...bounds, sandboxPath: '/nonexistent/bwrap', allowUnsandboxed: true });
