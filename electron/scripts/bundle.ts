// Bundles what Electron runs into dist/: the main process (CommonJS, keytar and electron left to
// require), the sandboxed preload (one self-contained script), and the bundled subnet for its
// utilityProcess. `npm run build:electron`; electron-builder packages dist/ (electron-builder.yml).
import { build, type BuildOptions } from 'esbuild';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'dist');
const common: BuildOptions = { bundle: true, platform: 'node', target: 'node22', sourcemap: false, legalComments: 'none', logLevel: 'warning' };

export async function bundle(): Promise<void> {
  rmSync(join(out, 'electron'), { recursive: true, force: true });
  rmSync(join(out, 'subnet'), { recursive: true, force: true });
  await Promise.all([
    build({
      ...common,
      entryPoints: [join(root, 'electron', 'main.ts')],
      outfile: join(out, 'electron', 'main.cjs'),
      format: 'cjs',
      external: ['electron', 'keytar'],
      // Modules written as ESM use import.meta.url (e.g. createRequire for keytar).
      define: { 'import.meta.url': '__import_meta_url' },
      banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
    }),
    build({ ...common, entryPoints: [join(root, 'electron', 'preload.ts')], outfile: join(out, 'electron', 'preload.cjs'), format: 'cjs', external: ['electron'] }),
    build({
      ...common,
      entryPoints: [join(root, 'subnet', 'cli.ts')],
      outfile: join(out, 'subnet', 'cli.mjs'),
      format: 'esm',
      // Some dependencies still require() Node's built-ins.
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    }),
  ]);
  // The subnet serves each canister's Candid text (candid:service metadata), read next to the bundle.
  for (const f of readdirSync(join(root, 'subnet', 'candid', 'generated')).filter((f) => f.endsWith('.did')))
    cpSync(join(root, 'subnet', 'candid', 'generated', f), join(out, 'subnet', 'generated', f));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle();
