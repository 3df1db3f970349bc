// npm run bench: runs every benchmark in turn; each prints its own figures.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv.slice(2);
const BENCHES = ['bench/subnet-components.ts', 'bench/subnet-http.ts', 'bench/governance-scale.ts', 'bench/renderer-size.ts', 'bench/renderer-interactive.ts'];
let failed = false;
for (const b of BENCHES.filter((x) => only.length === 0 || only.some((o) => x.includes(o)))) {
  console.log(`\n== ${b}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', b], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
