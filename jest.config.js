/** One jest run for every workspace; sources run as ESM TypeScript through swc. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { workspaceFolders } from './tools/workspace-folders.mjs';

const readJson = (file) => JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8'));
// Folders, with `adapters/*` expanded as npm expands it.
const workspaces = workspaceFolders(fileURLToPath(new URL('.', import.meta.url)));

// `@resoft/x` and every subpath it exports (`@resoft/testkit/processes`, `@resoft/contracts/socket`, …) map to
// the TypeScript source its `exports` entry is built from (./dist/a/b.js ← x/src/a/b.ts), read from
// each workspace's package.json, so no build is needed and a new export needs no edit here.
const exportMappings = Object.fromEntries(
  workspaces.flatMap((folder) => {
    const pkg = readJson(`./${folder}/package.json`);
    return Object.entries(pkg.exports ?? {}).flatMap(([subpath, target]) => {
      const built = typeof target === 'string' ? target : target.default;
      const source = /^\.\/dist\/(.+)\.js$/.exec(built ?? '');
      if (!source) return [];
      const name = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
      return [[`^${name.replace(/[/-]/g, '\\$&')}$`, `<rootDir>/${folder}/src/${source[1]}.ts`]];
    });
  }),
);

export default {
  testEnvironment: 'node',
  roots: [...workspaces.map((folder) => `<rootDir>/${folder}/src`), '<rootDir>/ui/e2e', '<rootDir>/tools'].filter((root) =>
    existsSync(new URL(root.replace('<rootDir>/', './'), import.meta.url)),
  ),
  testMatch: ['**/*.spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    ...exportMappings,
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
  },
  // Coverage (--coverage) counts every source file, run by a test or not, so a figure is comparable
  // between runs of different subsets: a subset's figure is a lower bound of the full suite's.
  collectCoverageFrom: [
    // The test kit, the benchmarks and the system tests are not product code: not counted.
    '{domain,ports,adapters/*,infra,documents,http-kit,templates,projectors,command-service,query-service,collab-gateway,collab-client,app,cli,ui}/src/**/*.ts',
    '!**/*.spec.ts',
    '!**/*.contract.ts',
    '!**/*.fixture.ts',
    '!**/*.d.ts',
  ],
  testTimeout: 30000,
  // One suite at a time: several suites start real processes (servers, a Kafka broker) and would starve each other on 2 cores.
  maxWorkers: 1,
};
