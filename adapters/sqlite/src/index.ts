// `@resoft/adapter-sqlite`: the stores on SQLite (better-sqlite3), what an embedded process runs on:
// the event store, the read store (with its staging copies for rebuilds), submitted sources, the
// audit log's Merkle tree and personal-data keys. It loads no other vendor SDK.
export * from './event-store/sqlite-event-store.js';
export * from './read-store/sqlite-read-store.js';
export * from './source-store/sqlite-source-store.js';
export * from './keys/sqlite-key-store.js';
export * from './audit-log/sqlite-merkle-log-store.js';
