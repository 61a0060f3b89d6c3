/**
 * The boundary check fails `npm test` on a forbidden import. Runs the real command on a tiny
 * repository of workspaces named like the project's (so the project's layer table applies), first
 * clean, then with one forbidden import of each kind, and checks each is reported and fails the run.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const checkScript = path.join(here, 'check-boundaries.mjs');
const repoRoot = path.resolve(here, '../..');

interface Workspace {
  readonly folder: string;
  readonly dependencies?: readonly string[];
  readonly devDependencies?: readonly string[];
  readonly exports?: Record<string, string>;
  /** Listed in the root package.json by this pattern instead of by its folder (`adapters/*`). */
  readonly listedAs?: string;
}

// `newcomer` has no row in the layer table: the generic rules must still cover it.
const workspaces: Workspace[] = [
  { folder: 'contracts', exports: { '.': './src/index.ts', './socket': './src/socket/index.ts' } },
  // Declared, but the layer table keeps the domain free of every workspace.
  { folder: 'domain', dependencies: ['contracts'] },
  { folder: 'collab-client', dependencies: ['contracts'] },
  { folder: 'cli', dependencies: ['contracts', 'domain'] },
  { folder: 'ui', dependencies: ['contracts', 'collab-client'], devDependencies: ['cli'] },
  { folder: 'newcomer', dependencies: ['domain'] },
  // A nested workspace found through a glob entry, as npm reads `adapters/*`; it has a row of the layer table.
  { folder: 'adapters/sqlite', listedAs: 'adapters/*', dependencies: ['domain', 'contracts'], devDependencies: ['cli'] },
];

const packageName = (folder: string) => `@fx/${folder.replace('/', '-')}`;

const files: Record<string, string> = {
  'contracts/src/index.ts': "export * from './socket/index.js';\n",
  'contracts/src/socket/index.ts': 'export const SUBPROTOCOL = "v1";\n',
  'domain/src/index.ts': "import { createHash } from 'node:crypto';\nexport const hash = (text: string) => createHash('sha256').update(text).digest('hex');\n",
  'collab-client/src/index.ts': "import { SUBPROTOCOL } from '@fx/contracts/socket';\nexport const protocols = [SUBPROTOCOL];\n",
  'cli/src/index.ts': "import { hash } from '@fx/domain';\nimport { SUBPROTOCOL } from '@fx/contracts';\nexport const kit = { hash, SUBPROTOCOL };\n",
  'ui/src/index.ts': "import { protocols } from '@fx/collab-client';\nimport { SUBPROTOCOL } from '@fx/contracts/socket';\nexport const page = [protocols, SUBPROTOCOL];\n",
  // Test code may import what the workspace lists in devDependencies, and Node built-ins.
  'ui/src/page.unit.spec.ts': "import { kit } from '@fx/cli';\nimport { readFileSync } from 'node:fs';\nexport const used = [kit, readFileSync];\n",
  'ui/e2e/harness.ts': "import { kit } from '@fx/cli';\nexport const harness = kit;\n",
  'newcomer/src/index.ts': "import { hash } from '@fx/domain';\nexport const id = hash('x');\n",
  'adapters/sqlite/src/index.ts': "import { hash } from '@fx/domain';\nexport const store = hash('x');\n",
  // A nested workspace's scripts/ folder is test code too: it may use devDependencies.
  'adapters/sqlite/scripts/seed.ts': "import { kit } from '@fx/cli';\nexport const seed = kit;\n",
};

// Each forbidden import and the rule that must name it.
const forbidden: { file: string; source: string; rule: string }[] = [
  { file: 'ui/src/relative.ts', source: "import { SUBPROTOCOL } from '../../contracts/src/socket/index.js';\nexport const x = SUBPROTOCOL;\n", rule: 'relative-import-leaves-workspace' },
  { file: 'newcomer/src/undeclared.ts', source: "import { SUBPROTOCOL } from '@fx/contracts';\nexport const x = SUBPROTOCOL;\n", rule: 'undeclared-workspace-dependency' },
  { file: 'cli/src/deep.ts', source: "import { SUBPROTOCOL } from '@fx/contracts/src/socket/index.js';\nexport const x = SUBPROTOCOL;\n", rule: 'unresolvable-import' },
  { file: 'ui/src/dev-only.ts', source: "import { kit } from '@fx/cli';\nexport const x = kit;\n", rule: 'dev-dependency-in-production-code' },
  { file: 'collab-client/src/node-api.ts', source: "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", rule: 'node-builtin-in-browser-code' },
  { file: 'domain/src/upward.ts', source: "import { SUBPROTOCOL } from '@fx/contracts';\nexport const x = SUBPROTOCOL;\n", rule: 'outside-layer' },
  { file: 'adapters/sqlite/src/upward.ts', source: "import { SUBPROTOCOL } from '@fx/contracts';\nexport const x = SUBPROTOCOL;\n", rule: 'outside-layer' },
];

function write(root: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}

function makeRepository(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'resoft-boundaries-'));
  const deps = (folders: readonly string[] = []) => Object.fromEntries(folders.map((folder) => [packageName(folder), '0.1.0']));
  const listed = [...new Set(workspaces.map((w) => w.listedAs ?? w.folder))];
  write(root, 'package.json', JSON.stringify({ name: 'fx', private: true, type: 'module', workspaces: listed }));
  for (const w of workspaces) {
    const manifest = { name: packageName(w.folder), type: 'module', exports: w.exports ?? { '.': './src/index.ts' }, dependencies: deps(w.dependencies), devDependencies: deps(w.devDependencies) };
    write(root, `${w.folder}/package.json`, JSON.stringify(manifest));
    mkdirSync(path.join(root, 'node_modules/@fx'), { recursive: true });
    symlinkSync(path.join(root, w.folder), path.join(root, 'node_modules/@fx', packageName(w.folder).slice('@fx/'.length)), 'dir');
  }
  for (const [file, text] of Object.entries(files)) write(root, file, text);
  return root;
}

function runCheck(root: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [checkScript, root], { cwd: repoRoot, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

describe('boundary check', () => {
  let root: string;
  beforeAll(() => {
    root = makeRepository();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('passes a repository whose imports respect the rules (tests may use devDependencies and Node)', async () => {
    const { code, output } = await runCheck(root);
    expect(output).toContain('no forbidden import');
    expect(code).toBe(0);
  }, 120_000);

  it('fails the run and names each forbidden import with its rule', async () => {
    for (const { file, source } of forbidden) write(root, file, source);
    try {
      const { code, output } = await runCheck(root);
      expect(code).toBe(1);
      for (const { file, rule } of forbidden) expect(output).toMatch(new RegExp(`boundary: ${rule}: ${file.replace(/[.]/g, '\\.')} → `));
      // The files that were clean before stay clean: only the added imports are reported.
      const reported = output.split('\n').filter((line) => line.startsWith('boundary: ')).map((line) => line.split(': ')[2]!.split(' → ')[0]);
      expect(new Set(reported)).toEqual(new Set(forbidden.map((f) => f.file)));
    } finally {
      for (const { file } of forbidden) rmSync(path.join(root, file));
    }
  }, 120_000);

  it('runs in npm test before jest', () => {
    const scripts: Record<string, string> = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).scripts;
    expect(scripts['check:boundaries']).toBe('node tools/boundaries/check-boundaries.mjs');
    const check = scripts.test!.indexOf('npm run check:boundaries && ');
    expect(check).toBeGreaterThan(-1);
    expect(check).toBeLessThan(scripts.test!.indexOf('jest'));
  });
});
