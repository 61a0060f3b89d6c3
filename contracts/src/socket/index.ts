export * from './protocol-version.js';
export * from './close-codes.js';
export * from './client-frames.js';
export * from './server-frames.js';
export * from './sync-frame.js';
export * from './user-color.js';
