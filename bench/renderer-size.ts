// The renderer's weight as users download it: a production build, each JavaScript and CSS file's
// size raw and gzipped (level 9, as a server or the asar would compress). Target (issue 5): <= 600 KB
// of gzipped JavaScript.
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { fileURLToPath } from 'node:url';

const out = mkdtempSync(join(tmpdir(), 'desk-renderer-size-'));
await build({ configFile: fileURLToPath(new URL('../renderer/vite.config.ts', import.meta.url)), logLevel: 'silent', build: { outDir: out, emptyOutDir: true } });

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
}
const totals = { js: [0, 0], css: [0, 0] };
for (const f of files(out)) {
  const kind = f.endsWith('.js') ? 'js' : f.endsWith('.css') ? 'css' : undefined;
  if (!kind) continue;
  const raw = readFileSync(f);
  const gz = gzipSync(raw, { level: 9 }).length;
  totals[kind][0] += raw.length;
  totals[kind][1] += gz;
  console.log(`  ${f.slice(out.length + 1)}: ${(raw.length / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzip`);
}
console.log(`renderer JavaScript: ${(totals.js[0] / 1024).toFixed(1)} KB, ${(totals.js[1] / 1024).toFixed(1)} KB gzip (target <= 600 KB gzip); CSS ${(totals.css[1] / 1024).toFixed(1)} KB gzip`);
