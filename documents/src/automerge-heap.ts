/**
 * Room reserved ahead in Automerge's WebAssembly heap. The heap grows 64 KB at a time as documents
 * grow, and on Node 20 each growth hands out a new ArrayBuffer that V8 counts as new external memory:
 * once the heap is a few tens of megabytes, nearly every growth starts a full garbage collection. A
 * process that builds many documents (a rebuild of the files projection) spent a quarter to half of
 * its CPU there (docs/performance.md, 2026-12-04). Allocating a block once and freeing it at once
 * grows the heap in one step; the allocator keeps the freed room and hands it out again. Untouched
 * pages of the room cost address space, not resident memory.
 */
import { createRequire } from 'node:module';

/** The two allocator entry points of Automerge's WebAssembly module (the package keeps the module private). */
interface WasmAllocator {
  __wbindgen_malloc(size: number, align: number): number;
  __wbindgen_free(ptr: number, size: number, align: number): void;
}

let reserved = 0;

/** Makes sure Automerge's heap has grown by `bytes` at least once in this process (later calls with no more bytes do nothing). */
export function reserveAutomergeHeap(bytes: number): void {
  if (bytes <= reserved) return;
  const require = createRequire(import.meta.url);
  // The package's Node entry loads exactly this file; requiring it by path reuses that module and its memory.
  const entry = require.resolve('@automerge/automerge');
  const root = entry.slice(0, entry.lastIndexOf('/dist/'));
  const wasm = (require(`${root}/dist/mjs/wasm_bindgen_output/nodejs/automerge_wasm.cjs`) as { __wasm: WasmAllocator }).__wasm;
  const block = wasm.__wbindgen_malloc(bytes, 1);
  wasm.__wbindgen_free(block, bytes, 1);
  reserved = bytes;
}
