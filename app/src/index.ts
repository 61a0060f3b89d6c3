/**
 * The process compositions (`@resoft/app`): the all-in-one server, one service per process, the
 * clustered HTTP front and the stores they open. The `resoft` command starts them; the test kit and
 * the benchmarks start them in process.
 */
export * from './all-in-one-server.js';
export * from './api-worker-server.js';
export * from './http-cluster.js';
export * from './open-stores.js';
export * from './service-apps.js';
export * from './service-names.js';
export * from './service-server.js';
export * from './app-config.js';
