import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const shared = fileURLToPath(new URL('./shared', import.meta.url));
const alias = { '@shared': shared };

/**
 * main: ESM (client-node 2 is ESM-only), dependencies stay external (node_modules ship with the app).
 * preload: ONE CommonJS file — a sandboxed preload cannot load ESM or other modules.
 * renderer: src-renderer/ → out/renderer, served by the app:// protocol (Electron) and the
 * browser-mode host.
 */
export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      sourcemap: true,
      rollupOptions: {
        input: { index: 'src-main/electron/main.ts' },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      sourcemap: false,
      rollupOptions: {
        input: { index: 'src-main/electron/preload.ts' },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    resolve: { alias },
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      emptyOutDir: true,
      sourcemap: true,
      rollupOptions: {
        input: { index: fileURLToPath(new URL('./src-renderer/index.html', import.meta.url)) },
      },
    },
  },
});
