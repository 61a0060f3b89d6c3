/**
 * Room made ahead in Automerge's WebAssembly heap. The heap grows 64 KB at a time as documents
 * grow, and on Node 20 each growth hands out a new ArrayBuffer that V8 counts as new external memory:
 * once the heap is a few tens of megabytes, nearly every growth starts a full garbage collection. A
 * process that builds many documents (a rebuild of the files projection) spent a quarter to half of
 * its CPU there (docs/performance.md, 2026-12-04). Allocating a block and freeing it at once grows
 * the heap in one step; the allocator keeps the freed room and hands it out again. Untouched pages
 * of the room cost address space, not resident memory.
 */
import { automergeWasmModule } from './automerge-wasm-module.js';

/** What is used of Automerge's WebAssembly module (the package keeps the module private). */
interface WasmModule {
  readonly memory: { readonly buffer: ArrayBuffer };
  __wbindgen_malloc(size: number, align: number): number;
  __wbindgen_free(ptr: number, size: number, align: number): void;
}

/** A wasm32 heap cannot pass 4 GB; room is made only below this. */
const HEAP_LIMIT = 2 * 1024 ** 3;

/** The heap's size after the last room was made: while it has not grown since, that room is not used up. */
let sizeAfterRoom = 0;

const wasm = (): WasmModule => automergeWasmModule<{ __wasm: WasmModule }>().__wasm;

/**
 * Called before work that grows documents: when the heap has grown since the room made last was
 * (or none was made yet), makes room for half the heap again, and at least `minimum` bytes — so the
 * heap grows in a few large steps (geometrically) instead of thousands of small ones.
 */
export function keepAutomergeHeapAhead(minimum: number): void {
  const module = wasm();
  const size = module.memory.buffer.byteLength;
  if (size <= sizeAfterRoom) return;
  const room = Math.min(Math.max(minimum, Math.floor(size / 2)), HEAP_LIMIT - size);
  if (room > 0) {
    try {
      const block = module.__wbindgen_malloc(room, 1);
      module.__wbindgen_free(block, room, 1);
    } catch {
      // The heap could not grow that much (memory limits): only speed was at stake, documents still grow it as they need.
    }
  }
  sizeAfterRoom = module.memory.buffer.byteLength;
}
