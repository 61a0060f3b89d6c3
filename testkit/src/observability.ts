/** The test kit's observability helpers (`@resoft/testkit/observability`): the metrics the dashboards and alerts name, a real Prometheus. */
export * from './observability-references.js';
export * from './prometheus-server.js';
