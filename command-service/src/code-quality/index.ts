/**
 * The code-quality engine alone (linters, their sandbox, the project tree), without the command service's
 * HTTP stack: `resoft check` imports this entry (`@resoft/command-service/code-quality`) to start fast.
 */
export * from './check-engine.js';
export * from './linter.js';
export * from './project-tree.js';
export * from './declared-requirements.js';
export * from './module-type.js';
export * from './local-check.js';
