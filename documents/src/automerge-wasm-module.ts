/**
 * The WebAssembly module under `@automerge/automerge` 2.2.9, which the package keeps private: its
 * Node build loads it synchronously, and requiring the same file by path reuses that module, its
 * exports and its memory. Callers type the part they use (live-text-document.ts: the document API;
 * automerge-heap.ts: the raw module's allocator). An Automerge upgrade must recheck both.
 */
import { createRequire } from 'node:module';

let loaded: unknown = null;

/** The module's exports (loaded once, shared with the package itself). */
export function automergeWasmModule<T>(): T {
  if (loaded) return loaded as T;
  const require = createRequire(import.meta.url);
  // The package's Node entry loads exactly this file.
  const entry = require.resolve('@automerge/automerge');
  const root = entry.slice(0, entry.lastIndexOf('/dist/'));
  loaded = require(`${root}/dist/mjs/wasm_bindgen_output/nodejs/automerge_wasm.cjs`);
  return loaded as T;
}
