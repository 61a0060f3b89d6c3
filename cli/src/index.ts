export * from './main.js';
export * from './runtime/all-in-one-server.js';
export * from './runtime/open-stores.js';
