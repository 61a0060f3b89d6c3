export * from './create-command-service.js';
export * from './command-routes.js';
export * from './command-service-deps.js';
export * from './command-handling/command-executor.js';
export * from './command-handling/command-metadata.js';
export * from './code-quality/check-engine.js';
export * from './code-quality/check-runner.js';
export * from './code-quality/linter.js';
