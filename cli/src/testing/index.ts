/**
 * The test kit other workspaces may use (`@resoft/cli/testing`): an in-process all-in-one server on an
 * ephemeral port, the HTTP API client the suites share, and the collaboration fixture. The UI's browser
 * tests and benchmark import it by this name rather than by a path into the CLI's folder.
 */
export * from './test-server.js';
export * from './api-client.js';
export * from './collab-fixture.js';
