export * from './metrics.js';
export * from './prometheus-metrics.js';
export * from './metrics-listener.js';
export * from './measured-event-store.js';
export * from './http-server-metrics.js';
export * from './data-dir-space.js';
