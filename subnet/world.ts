// The canisters of the bundled subnet: the NNS ledger, index, governance, CMC and management canister.
import type { Principal } from '@icp-sdk/core/principal';
import { CyclesMintingCanister } from './canisters/cmc/cmc.ts';
import { GovernanceCanister, type GovernanceGenesis } from './canisters/governance/governance.ts';
import { IcpIndex } from './canisters/index/index.ts';
import { IcpLedger } from './canisters/ledger/ledger.ts';
import { ManagementCanister } from './canisters/management/management.ts';
import { GENESIS_XDR_PERMYRIAD_PER_ICP } from './genesis/demo.ts';

export function nnsCanisters(opts: { xdrPermyriadPerIcp?: bigint; governance?: GovernanceGenesis } = {}) {
  return (subnetId: Principal) => {
    const ledger = new IcpLedger();
    const index = new IcpIndex(ledger);
    const governance = new GovernanceCanister(opts.governance);
    const management = new ManagementCanister();
    const cmc = new CyclesMintingCanister({ subnetId, xdrPermyriadPerIcp: opts.xdrPermyriadPerIcp ?? GENESIS_XDR_PERMYRIAD_PER_ICP });
    return { canisters: [ledger, index, governance, cmc, management], userCanisterHost: management };
  };
}
