// The renderer's build: Svelte 5 + the NNS design system (gix-components), one bundle into
// dist/renderer that Electron serves from app:// (and the loopback bridge from http://127.0.0.1).
// No inline scripts or styles: the CSP allows only 'self'.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [svelte()],
  resolve: {
    // The design system's theme (its package exports the components, not the stylesheets).
    alias: { '$gix-styles': fileURLToPath(new URL('../node_modules/@dfinity/gix-components/dist/styles', import.meta.url)) },
  },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0, // no data: scripts or fonts
    // ES2021: the security scanner (electronegativity) cannot parse class private fields.
    target: 'es2021',
    sourcemap: false,
  },
  css: { preprocessorOptions: { scss: { api: 'modern-compiler' } } },
});
