/** Production build of the UI into ui/dist; Automerge's WebAssembly is bundled as a module of the lazy editor chunk. */
import { defineConfig } from 'vite';
import wasm from 'vite-plugin-wasm';

export default defineConfig({
  plugins: [wasm()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: true,
    chunkSizeWarningLimit: 2000,
    // Lit and the shell's shared modules (which every page, lazy or not, imports) stay one chunk, so a
    // lazy page that imports only some of them does not split them into more initial requests. @lit/task
    // is used by the lazy project page only, so it loads with it.
    rollupOptions: {
      output: {
        manualChunks: (id: string) =>
          (/[\\/]node_modules[\\/](lit|lit-html|lit-element|@lit)[\\/]/.test(id) && !/directive|@lit[\\/]task/.test(id)) || /[\\/]ui[\\/]src[\\/](events\.ts|styles[\\/]|api[\\/])/.test(id) ? 'shell' : undefined,
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000', '/ws': { target: 'ws://localhost:3000', ws: true } } },
});
