/** One jest run for every workspace; sources run as ESM TypeScript through swc. */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/contracts/src', '<rootDir>/domain/src', '<rootDir>/infra/src', '<rootDir>/templates/src', '<rootDir>/projectors/src', '<rootDir>/command-service/src', '<rootDir>/query-service/src', '<rootDir>/collab-gateway/src', '<rootDir>/cli/src', '<rootDir>/ui/src', '<rootDir>/ui/e2e'],
  testMatch: ['**/*.spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^@resoft/([a-z-]+)$': '<rootDir>/$1/src/index.ts',
    // Subpath exports (a light entry for the CLI's fast paths): infra/config, command-service/code-quality.
    '^@resoft/infra/config$': '<rootDir>/infra/src/config/config.ts',
    '^@resoft/command-service/code-quality$': '<rootDir>/command-service/src/code-quality/index.ts',
    // The vendor adapters' entries of infra (infra/src/<engine>.ts), imported only where an engine is configured.
    '^@resoft/infra/(kafka|mongodb|eventstoredb|redis|duckdb)$': '<rootDir>/infra/src/$1.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
  },
  // Coverage (--coverage) counts every source file, run by a test or not, so a figure is comparable
  // between runs of different subsets: a subset's figure is a lower bound of the full suite's.
  collectCoverageFrom: [
    '{domain,infra,templates,projectors,command-service,query-service,collab-gateway,cli,ui}/src/**/*.ts',
    '!**/*.spec.ts',
    '!**/*.contract.ts',
    '!**/*.fixture.ts',
    '!**/*.d.ts',
    '!cli/src/bench/**',
    '!cli/src/testing/**',
  ],
  testTimeout: 30000,
  // One suite at a time: several suites start real processes (servers, a Kafka broker) and would starve each other on 2 cores.
  maxWorkers: 1,
};
