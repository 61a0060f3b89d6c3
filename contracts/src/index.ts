export * from './http/error-body.js';
export * from './http/written.js';
export * from './projects/project-answers.js';
export * from './collaboration/room-answers.js';
export * from './files/file-answers.js';
export * from './auth/erasure-answers.js';
export * from './audit/audit-answers.js';
