// `@resoft/ports`: what the services need of storage and messaging, as interfaces every adapter
// implements (the adapters live in adapters/*, one workspace per engine), with the in-process
// adapters and the vendor-free helpers adapters share. No vendor SDK is imported here.
export * from './event-store/event-store.js';
export * from './event-store/catch-up-subscription.js';
export * from './event-store/recent-appends.js';
export * from './event-store/read-stream-as-of.js';
export * from './read-store/read-store.js';
export * from './read-store/document-access.js';
export * from './read-store/document-names.js';
export * from './source-store/source-store.js';
export * from './source-store/checked-sources.js';
export * from './keys/key-store.js';
export * from './audit-log/merkle-log-store.js';
export * from './analytics/analytical-tables.js';
export * from './ephemeral/ephemeral.js';
export * from './ephemeral/in-process-ephemeral.js';
export * from './bus/event-bus.js';
export * from './bus/in-process-event-bus.js';
