// A subnet with the NNS canisters (ledger, index, governance, CMC, management) and a demo genesis, in process,
// and clients built from the real agent and canister classes.
import { HttpAgent, type Identity } from '@icp-sdk/core/agent';
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1';
import { IndexCanister, LedgerCanister } from '@dfinity/ledger-icp';
import { CmcCanister } from '@icp-sdk/canisters/cmc';
import { IcManagementCanister } from '@icp-sdk/canisters/ic-management';
import { CMC_ID, INDEX_ID, LEDGER_ID } from '../../../subnet/canisters/ids.ts';
import { buildDemoAccounts, buildDemoWorld, DEMO_IDENTITIES } from '../../../subnet/genesis/demo.ts';
import { startSubnet, type Subnet } from '../../../subnet/subnet.ts';
import { nnsCanisters } from '../../../subnet/world.ts';

/**
 * world 'accounts' (the default): the demo identities' ICP and canisters with an empty governance,
 * for tests that build their own neurons and proposals. 'demo': the whole demo world of
 * `npm run subnet` (known neurons, a few hundred neurons, a history of proposals, auto-voters).
 */
export function startNnsSubnet(opts: { stateDir?: string; world?: 'accounts' | 'demo' } = {}): Promise<Subnet> {
  const genesis = opts.world === 'demo' ? buildDemoWorld : buildDemoAccounts;
  return startSubnet({ port: 0, stateDir: opts.stateDir, canisters: nnsCanisters(), genesis });
}

export function demoIdentity(name = 'demo'): Secp256k1KeyIdentity {
  const d = DEMO_IDENTITIES.find((x) => x.name === name)!;
  return Secp256k1KeyIdentity.fromSeedPhrase(d.seedPhrase);
}

export async function clients(url: string, identity: Identity) {
  const agent = await HttpAgent.create({ host: url, identity, shouldFetchRootKey: true, verifyQuerySignatures: true });
  return {
    agent,
    ledger: LedgerCanister.create({ agent, canisterId: LEDGER_ID }),
    index: IndexCanister.create({ agent, canisterId: INDEX_ID }),
    cmc: CmcCanister.create({ agent, canisterId: CMC_ID }),
    management: IcManagementCanister.create({ agent }),
  };
}

export async function admin<T = any>(url: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(url + path, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}
