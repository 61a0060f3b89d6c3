// The server's documents: the only place (with the browser's replica in collab-client) that names Automerge.
export * from './text-document.js';
export * from './live-text-document.js';
export * from './sync-message.js';
export * from './document-history.js';
export * from './project-files-as-of.js';
export * from './file-text-versions.js';
export * from './versioned-text-document.js';
export * from './automerge-heap.js';
export * from './project-file-history.js';
export * from './change-churn.js';
export * from './event-stream-reader.js';
export * from './document-snapshot-cache.js';
export * from './text-replica.js';
