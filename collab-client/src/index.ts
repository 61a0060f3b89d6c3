export * from './collab-client.js';
export * from './client-document.js';
