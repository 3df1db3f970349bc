// Governance at mainnet size (400k neurons, 150k proposals; BENCH_NEURONS / BENCH_PROPOSALS
// override): governance-scale-run.ts builds the fixture, measures every request and the daily
// rewards, and writes the checkpoint, in a process of its own; then a new process restarts from
// that state, as after a reboot or a crash (the old process gone: on 2 cores its collector would
// compete with the restart).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ms } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'gov-scale-'));
const script = (name: string) => fileURLToPath(new URL(name, import.meta.url));
try {
  const run = spawnSync(process.execPath, ['--import', 'tsx', script('./governance-scale-run.ts'), dir], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error('governance-scale-run.ts failed');
  const child = spawnSync(process.execPath, ['--import', 'tsx', script('./governance-restart.ts'), dir], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`restart failed: ${child.stderr}`);
  const restarted = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { ms: number; rssMiB: number };
  console.log(`restart from the checkpoint in a new process: ${ms(restarted.ms)}; ${restarted.rssMiB.toFixed(0)} MiB rss`);
} finally {
  if (process.env.BENCH_KEEP_STATE) console.log(`state kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
