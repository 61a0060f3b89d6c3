/** The template marketplace engine: manifests, variables, the logic-less renderer, path safety, preview and output. */
export * from './catalog.js';
export * from './engine.js';
export * from './manifest.js';
export * from './output.js';
export * from './paths.js';
export * from './renderer.js';
export * from './variables.js';
export * from './zip.js';
export * from './errors.js';
export * from './merge3.js';
export * from './update.js';
export * from './versions.js';
