// `@resoft/ports/contracts`: the suites every adapter of a port passes (jest `describe` blocks), run
// by each adapter's spec against its engine. Test code only: they import jest's globals.
export * from './event-store/event-store.contract.js';
export * from './read-store/read-store.contract.js';
export * from './source-store/source-store.contract.js';
export * from './keys/key-store.contract.js';
export * from './audit-log/merkle-log-store.contract.js';
export * from './ephemeral/ephemeral.contract.js';
export * from './bus/event-bus.contract.js';
