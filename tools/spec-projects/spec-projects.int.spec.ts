/**
 * `tsc -b` type-checks every spec although no workspace builds its specs: checked on the repository
 * itself (every spec belongs to a project the root tsconfig.json references, no emitting project holds
 * one), and the generator is run on a tiny repository to see it write and then keep the spec projects.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = path.dirname(fileURLToPath(import.meta.url));
const script = path.join(here, 'spec-projects.mjs');
const repoRoot = path.resolve(here, '../..');

function run(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { cwd: repoRoot, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

function parse(file: string): ts.ParsedCommandLine {
  const { config } = ts.readConfigFile(file, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(file), undefined, file);
}

function specsUnder(dir: string): string[] {
  return ts.sys.readDirectory(dir, ['.ts'], ['**/node_modules', '**/dist']).filter((file) => file.endsWith('.spec.ts'));
}

describe('spec type-checking in tsc -b', () => {
  it('covers every spec of every built workspace, and no build emits a spec', () => {
    const root = parse(path.join(repoRoot, 'tsconfig.json'));
    const projects = (root.projectReferences ?? []).map((ref) => parse(ts.resolveProjectReferencePath(ref)));
    const checked = new Set(projects.flatMap((p) => p.fileNames.map((f) => path.resolve(f))));
    for (const project of projects.filter((p) => !p.options.noEmit)) expect(project.fileNames.filter((f) => f.endsWith('.spec.ts'))).toEqual([]);

    const workspaces: string[] = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).workspaces;
    // The UI is built by Vite, outside tsc -b; its own typecheck script covers its specs.
    console.log('spec projects: ui/ is outside tsc -b (npm run typecheck -w @resoft/ui type-checks its specs)');
    const specs = workspaces.filter((w) => w !== 'ui').flatMap((w) => specsUnder(path.join(repoRoot, w, 'src')));
    expect(specs.length).toBeGreaterThan(50);
    expect(specs.filter((file) => !checked.has(path.resolve(file)))).toEqual([]);
  });

  it('reports the repository up to date', async () => {
    const { code, output } = await run(['--check']);
    expect(output).toContain('spec projects: up to date');
    expect(code).toBe(0);
  }, 60_000);

  describe('on a repository of three workspaces', () => {
    let dir: string;
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    };
    const readJson = (file: string) => JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    beforeAll(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'resoft-spec-projects-'));
      write('package.json', JSON.stringify({ name: 'fx', private: true, workspaces: ['core', 'kit', 'checks'] }));
      write('tsconfig.base.json', JSON.stringify({ compilerOptions: { composite: true, strict: true } }));
      write('core/package.json', JSON.stringify({ name: '@fx/core' }));
      // A comment, as tsconfig files may hold.
      write('core/tsconfig.json', '{\n  // the production code\n  "extends": "../tsconfig.base.json",\n  "include": ["src"]\n}\n');
      write('core/src/core.ts', 'export const one = 1;\n');
      write('core/src/core.unit.spec.ts', "import { one } from './core.js';\nexport const two = one + 1;\n");
      write('kit/package.json', JSON.stringify({ name: '@fx/kit', dependencies: { '@fx/core': '1' } }));
      write('kit/tsconfig.json', '{ "extends": "../tsconfig.base.json", "include": ["src"], "references": [{ "path": "../core" }] }\n');
      write('kit/src/kit.ts', 'export const kit = 1;\n');
      write('checks/package.json', JSON.stringify({ name: '@fx/checks', devDependencies: { '@fx/kit': '1', '@fx/core': '1' } }));
      write('checks/tsconfig.json', JSON.stringify({ extends: '../tsconfig.base.json', compilerOptions: { noEmit: true, composite: false }, include: ['src'] }));
      write('checks/src/flow.int.spec.ts', 'export const flow = 1;\n');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('writes the spec projects, the exclude and the root references, then finds them up to date', async () => {
      expect((await run(['--check', dir])).code).toBe(1);
      expect((await run([dir])).code).toBe(0);

      expect(readFileSync(path.join(dir, 'core/tsconfig.json'), 'utf8')).toContain('"exclude": ["src/**/*.spec.ts"]');
      expect(readFileSync(path.join(dir, 'core/tsconfig.json'), 'utf8')).toContain('// the production code');
      expect(readJson('core/tsconfig.spec.json')).toMatchObject({ extends: './tsconfig.json', compilerOptions: { noEmit: true }, include: ['src/**/*.spec.ts'], references: [{ path: '.' }] });
      expect(readJson('checks/tsconfig.json').references).toEqual([{ path: '../core' }, { path: '../kit' }]);
      // kit has no spec: no spec project.
      expect(readJson('tsconfig.json').references).toEqual([{ path: 'core' }, { path: 'kit' }, { path: 'core/tsconfig.spec.json' }, { path: 'checks' }]);

      const again = await run(['--check', dir]);
      expect(again.output).toContain('up to date');
      expect(again.code).toBe(0);
    }, 60_000);

    it('finds a spec project out of date when its workspace lists a new dependency', async () => {
      // The core's specs start using the kit (which depends on the core: the cycle spec projects exist for).
      write('core/package.json', JSON.stringify({ name: '@fx/core', devDependencies: { '@fx/kit': '1' } }));
      const { code, output } = await run(['--check', dir]);
      expect(output).toContain('core/tsconfig.spec.json is out of date');
      expect(code).toBe(1);
    }, 60_000);
  });
});
