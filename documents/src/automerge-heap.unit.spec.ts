import { createRequire } from 'node:module';
import { keepAutomergeHeapAhead } from './automerge-heap.js';
import { createTextDocument, replaceText } from './text-document.js';

/** The size of Automerge's WebAssembly heap, read from the module the package loads. */
function heapSize(): number {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@automerge/automerge');
  const root = entry.slice(0, entry.lastIndexOf('/dist/'));
  return (require(`${root}/dist/mjs/wasm_bindgen_output/nodejs/automerge_wasm.cjs`) as { __wasm: { memory: { buffer: ArrayBuffer } } }).__wasm.memory.buffer.byteLength;
}

const MB = 1024 * 1024;

describe('keepAutomergeHeapAhead', () => {
  it('makes room once, and documents built afterwards use it without growing the heap', () => {
    createTextDocument('warm up');
    keepAutomergeHeapAhead(64 * MB);
    // The room is the heap's free space (made by one growth, or already free after other specs in this process).
    const withRoom = heapSize();
    expect(withRoom).toBeGreaterThanOrEqual(64 * MB);

    let { doc } = createTextDocument('# start\n');
    for (let i = 0; i < 40; i += 1) doc = replaceText(doc, `${doc.text}line ${i}\n`).doc;
    expect(heapSize()).toBe(withRoom);

    // While the room is not used up, asking again makes none.
    keepAutomergeHeapAhead(64 * MB);
    expect(heapSize()).toBe(withRoom);
  });
});
