// The mainnet-sized world of `npm run subnet -- --neurons N --proposals P`: a synthetic governance
// of N neurons (stakes minted on the ledger, one block each) and P proposals (see
// canisters/governance/fixture.ts), plus the demo identities' play money. `owner` (e.g. a demo
// identity's principal) controls `ownerNeurons` of the neurons (default: the fixture's whale, 1,000).
import { Principal } from '@icp-sdk/core/principal';
import { accountIdentifier, toHex } from '../canisters/common/accounts.ts';
import { fixtureStakes, type FixtureOptions } from '../canisters/governance/fixture.ts';
import { GOVERNANCE_ID, LEDGER_ID } from '../canisters/ids.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { DEMO_IDENTITIES } from './demo.ts';

export function buildFixtureWorld(opts: FixtureOptions): (rt: Runtime) => Promise<void> {
  return async (rt) => {
    const { accounts, e8s } = fixtureStakes(opts);
    await rt.admin(LEDGER_ID, 'mint_many', { to: accounts, e8s });
    await rt.admin(GOVERNANCE_ID, 'load_fixture', { neurons: opts.neurons, proposals: opts.proposals, owner: opts.owner, owner_neurons: opts.ownerNeurons });
    for (const id of DEMO_IDENTITIES) {
      await rt.admin(LEDGER_ID, 'mint', { to: toHex(accountIdentifier(Principal.fromText(id.principal))), e8s: id.e8s });
    }
  };
}
