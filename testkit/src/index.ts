/**
 * The test kit (`@resoft/testkit`), in process: the all-in-one server on an ephemeral port, the HTTP
 * API client the suites share, the collaboration fixture, seeded activity, read-model snapshots and the
 * user-flow suite. Services' route and frame specs, the system tests, the UI's browser tests and the
 * benchmarks import it by this name. Child processes, injected faults and observability servers have
 * subpaths of their own (`/processes`, `/faults`, `/observability`, `/edge-routing`).
 */
export * from './test-server.js';
export * from './api-client.js';
export * from './successful-body.js';
export * from './collab-fixture.js';
export * from './seed-activity.js';
export * from './read-model-snapshot.js';
export * from './linters-ready.js';
export * from './user-flow-suite.js';
