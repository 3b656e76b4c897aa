import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // Chromium 156 / Electron 45 only: no legacy transforms, no module preload polyfill (inline code breaks the CSP).
    target: 'chrome130',
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
});
