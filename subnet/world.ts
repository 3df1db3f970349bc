// The canisters of the bundled subnet: the NNS ledger, index, CMC and management canister.
// (Governance arrives in the next step; for now it is only the ledger's minting account.)
import type { Principal } from '@icp-sdk/core/principal';
import { CyclesMintingCanister } from './canisters/cmc/cmc.ts';
import { IcpIndex } from './canisters/index/index.ts';
import { IcpLedger } from './canisters/ledger/ledger.ts';
import { ManagementCanister } from './canisters/management/management.ts';
import { GENESIS_XDR_PERMYRIAD_PER_ICP } from './genesis/demo.ts';

export function nnsCanisters(opts: { xdrPermyriadPerIcp?: bigint } = {}) {
  return (subnetId: Principal) => {
    const ledger = new IcpLedger();
    const index = new IcpIndex(ledger);
    const management = new ManagementCanister();
    const cmc = new CyclesMintingCanister({ subnetId, xdrPermyriadPerIcp: opts.xdrPermyriadPerIcp ?? GENESIS_XDR_PERMYRIAD_PER_ICP });
    return { canisters: [ledger, index, cmc, management], userCanisterHost: management };
  };
}
