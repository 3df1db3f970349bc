// Builds the renderer into a folder of the test's own (tests run in parallel: no shared output).
import { build } from 'vite';
import { fileURLToPath } from 'node:url';

export async function buildRenderer(outDir: string): Promise<string> {
  await build({
    configFile: fileURLToPath(new URL('../../renderer/vite.config.ts', import.meta.url)),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
    // vitest sets NODE_ENV=test, and some design-system components (the QR code) draw nothing then.
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return outDir;
}
