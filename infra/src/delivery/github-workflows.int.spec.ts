/**
 * The GitHub Actions workflows (.github/workflows) must pass actionlint, the linter GitHub's own
 * syntax, expressions, action inputs and (with shellcheck present) `run:` scripts are checked by.
 * actionlint is built from the Go module proxy when it is not installed (.ci/run installs it).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ACTIONLINT_VERSION = 'v1.7.12';
const repository = fileURLToPath(new URL('../../../', import.meta.url));
const binDir = path.join(process.env['RESOFT_ENGINES_DIR'] ?? path.join(os.homedir(), '.cache', 'resoft-engines'), 'bin');

/** The actionlint binary: $ACTIONLINT, the engines cache, ~/go/bin or PATH; else built into the engines cache. Null with the reason when it cannot be had. */
function findOrBuildActionlint(): { bin: string } | { reason: string } {
  const candidates = [process.env['ACTIONLINT'], path.join(binDir, 'actionlint'), path.join(os.homedir(), 'go', 'bin', 'actionlint'), 'actionlint'];
  for (const candidate of candidates) {
    if (candidate && spawnSync(candidate, ['-version'], { encoding: 'utf8' }).status === 0) return { bin: candidate };
  }
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0) return { reason: 'actionlint is not installed and there is no go to build it with' };
  const built = spawnSync('go', ['install', `github.com/rhysd/actionlint/cmd/actionlint@${ACTIONLINT_VERSION}`], {
    encoding: 'utf8', env: { ...process.env, GOBIN: binDir }, timeout: 8 * 60_000,
  });
  if (built.status !== 0) return { reason: `building actionlint with go install failed: ${(built.stderr || built.error?.message || '').slice(-500)}` };
  return { bin: path.join(binDir, 'actionlint') };
}

const actionlint = findOrBuildActionlint();
if ('reason' in actionlint) console.log(`GitHub workflow lint skipped: ${actionlint.reason}`);
const describeWithActionlint = 'reason' in actionlint ? describe.skip : describe;

describeWithActionlint('GitHub Actions workflows', () => {
  const workflowDir = path.join(repository, '.github', 'workflows');

  it('has the CI, image and release workflows', () => {
    expect(fs.readdirSync(workflowDir).sort()).toEqual(expect.arrayContaining(['ci.yml', 'image.yml', 'release.yml']));
  });

  it('passes actionlint', () => {
    const result = spawnSync((actionlint as { bin: string }).bin, ['-no-color'], { cwd: repository, encoding: 'utf8' });
    expect({ status: result.status, problems: result.stdout + result.stderr }).toEqual({ status: 0, problems: '' });
  });

  it('reports a broken workflow (the lint is not a no-op)', () => {
    const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-actionlint-'));
    try {
      fs.writeFileSync(path.join(broken, 'broken.yml'), 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nonexistent_context_value }}\n');
      const result = spawnSync((actionlint as { bin: string }).bin, ['-no-color', path.join(broken, 'broken.yml')], { encoding: 'utf8' });
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/nonexistent_context_value/);
    } finally {
      fs.rmSync(broken, { recursive: true, force: true });
    }
  });
});
