// The Candid interfaces of the simulated canisters, generated from the .did files that
// @icp-sdk/canisters ships (see generate.ts).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CandidInterface } from '../canisters/canister.ts';
import { idlFactory as ledgerIdl } from './generated/ledger.did.ts';
import { idlFactory as indexIdl } from './generated/index.did.ts';
import { idlFactory as cmcIdl } from './generated/cmc.did.ts';
import { idlFactory as managementIdl } from './generated/management.did.ts';
import { idlFactory as governanceIdl } from './generated/governance.did.ts';

const generated = join(dirname(fileURLToPath(import.meta.url)), 'generated');
const did = (name: string) => readFileSync(join(generated, `${name}.did`), 'utf8');

export const candid = {
  ledger: { idlFactory: ledgerIdl, didText: did('ledger') },
  index: { idlFactory: indexIdl, didText: did('index') },
  cmc: { idlFactory: cmcIdl, didText: did('cmc') },
  management: { idlFactory: managementIdl, didText: did('management') },
  governance: { idlFactory: governanceIdl, didText: did('governance') },
} satisfies Record<string, CandidInterface>;

export type * as LedgerTypes from './generated/ledger.did.ts';
export type * as IndexTypes from './generated/index.did.ts';
export type * as CmcTypes from './generated/cmc.did.ts';
export type * as ManagementTypes from './generated/management.did.ts';
export type * as GovernanceTypes from './generated/governance.did.ts';
