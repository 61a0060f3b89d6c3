/** Shared by the code-quality suites: whether the Python linters are installed, and an engine with test bounds. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_PYTHON_TOOLS_DIR } from '@resoft/infra';
import { CheckEngine } from './check-engine.js';

export const pythonToolsReady = ['pylint', 'mypy', 'ruff'].every((tool) => existsSync(path.join(DEFAULT_PYTHON_TOOLS_DIR, 'bin', tool)));

/** `describe`, or `describe.skip` with the reason printed, when the Python linters are missing. */
export function describeWithPythonTools(suite: string): jest.Describe {
  if (pythonToolsReady) return describe;
  console.warn(`${suite} skipped: pylint, mypy and ruff are not installed in ${DEFAULT_PYTHON_TOOLS_DIR} (run \`npm install\` with Python 3.10+)`);
  return describe.skip;
}

export const testEngine = (bounds: Partial<{ timeoutMs: number; memoryMb: number; outputBytes: number; maxFindingsPerFile: number }> = {}) =>
  new CheckEngine({ pythonToolsDir: DEFAULT_PYTHON_TOOLS_DIR, timeoutMs: 60_000, memoryMb: 1024, outputBytes: 4 * 1024 * 1024, maxFindingsPerFile: 200, ...bounds });
