/** The test kit's child processes (`@resoft/testkit/processes`): the compiled `resoft` command, `resoft serve` services, a distributed server on the engines. */
export * from './run-cli.js';
export * from './service-process.js';
export * from './distributed-test-server.js';
