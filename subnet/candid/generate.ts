// Generates the subnet's IDL factories and types from the .did files that @icp-sdk/canisters
// ships, with @icp-sdk/bindgen, and copies the .did text (published as candid:service metadata).
// Runs on `npm install` (postinstall); the output is not committed.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const INTERFACES = {
  ledger: 'ledger-icp/ledger.did',
  index: 'ledger-icp/index.did',
  cmc: 'cmc/cmc.did',
  management: 'ic-management/ic-management.did',
  governance: 'nns/governance.did',
} as const;

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const declarations = join(root, 'node_modules', '@icp-sdk', 'canisters', 'declarations');
const out = join(here, 'generated');
const bindgen = join(root, 'node_modules', '.bin', 'icp-bindgen');

mkdirSync(out, { recursive: true });
for (const [name, rel] of Object.entries(INTERFACES)) {
  const did = join(declarations, rel);
  if (!existsSync(did)) throw new Error(`missing ${did}: is @icp-sdk/canisters installed?`);
  const target = join(out, `${name}.did`);
  copyFileSync(did, target);
  execFileSync(
    bindgen,
    ['--did-file', target, '--out-dir', out, '--actor-disabled', '--declarations-typescript', '--declarations-flat', '--force'],
    { stdio: 'pipe' },
  );
  if (!existsSync(join(out, `${name}.did.ts`))) throw new Error(`bindgen produced no ${name}.did.ts`);
  readFileSync(join(out, `${name}.did.ts`));
}
console.log(`candid: generated ${Object.keys(INTERFACES).length} interfaces into subnet/candid/generated`);
