import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { fileURLToPath } from 'node:url';

const shared = { testTimeout: 60_000, hookTimeout: 120_000, pool: 'forks' as const };

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      // Node: the subnet, the desktop core, and the end-to-end tests (which drive Chromium).
      { test: { ...shared, name: 'node', include: ['test/**/*.test.ts'], exclude: ['test/renderer/**'] } },
      // The renderer's components in jsdom, with Svelte's browser build.
      {
        plugins: [svelte(), svelteTesting()],
        resolve: { alias: { '$gix-styles': fileURLToPath(new URL('./node_modules/@dfinity/gix-components/dist/styles', import.meta.url)) } },
        test: { ...shared, name: 'renderer', include: ['test/renderer/**/*.test.ts'], environment: 'jsdom' },
      },
    ],
  },
});
