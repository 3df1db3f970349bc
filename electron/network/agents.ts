// The one place that builds agents and canister clients. Switching network or identity means
// building a new Connection: nothing keeps an agent across either.
import { AnonymousIdentity, HttpAgent, type Identity } from '@icp-sdk/core/agent';
import { Principal } from '@icp-sdk/core/principal';
import { IcpIndexCanister, IcpLedgerCanister } from '@icp-sdk/canisters/ledger/icp';
import { NnsGovernanceCanister } from '@icp-sdk/canisters/nns';
import { CmcCanister } from '@icp-sdk/canisters/cmc';
import { IcManagementCanister } from '@icp-sdk/canisters/ic-management';
import { DeskError } from '../api/errors.ts';
import { CANISTER_IDS, MAINNET_ROOT_KEY_HEX, checkNetwork, isLoopbackHost, parseRootKeyHex, type NetworkConfig } from './networks.ts';

export interface Connection {
  network: NetworkConfig;
  /** Whose calls these are; the anonymous principal is never used for a watch-only entry's reads. */
  principal: Principal;
  /** False for a watch-only identity: reads only (its agent is anonymous). */
  canSign: boolean;
  agent: HttpAgent;
  ledger: IcpLedgerCanister;
  index: IcpIndexCanister;
  governance: NnsGovernanceCanister;
  cmc: CmcCanister;
  management: IcManagementCanister;
}

export type Signer = { kind: 'key'; identity: Identity } | { kind: 'watch-only'; principal: Principal };

export interface AgentOptions {
  /** Replaces global fetch (tests put a fault-injecting proxy in front; nothing else should). */
  fetch?: typeof fetch;
}

/** An agent for `network` acting as `identity`, with the root-key policy of networks.ts. */
export async function createAgent(network: NetworkConfig, identity: Identity, opts: AgentOptions = {}): Promise<HttpAgent> {
  const url = checkNetwork(network);
  const common = { host: url.origin, identity, verifyQuerySignatures: true, ...(opts.fetch ? { fetch: opts.fetch } : {}) };
  let agent: HttpAgent;
  if (network.kind === 'mainnet') {
    agent = await HttpAgent.create({ ...common, rootKey: hexBytes(MAINNET_ROOT_KEY_HEX), shouldFetchRootKey: false });
    forbidRootKeyFetch(agent);
  } else if (network.kind === 'custom' && network.rootKeyHex !== undefined) {
    agent = await HttpAgent.create({ ...common, rootKey: parseRootKeyHex(network.rootKeyHex), shouldFetchRootKey: false });
    forbidRootKeyFetch(agent);
  } else {
    if (!isLoopbackHost(url.hostname)) throw new DeskError('internal', 'A root key is fetched only from this machine.');
    try {
      agent = await HttpAgent.create({ ...common, shouldFetchRootKey: true });
      await agent.fetchRootKey();
    } catch (e) {
      throw new DeskError('network', `The replica at ${url.origin} did not answer.`, (e as Error).message);
    }
  }
  return agent;
}

/** Agent and canister clients for a signer on a network. */
export async function connect(network: NetworkConfig, signer: Signer, opts: AgentOptions = {}): Promise<Connection> {
  const identity = signer.kind === 'key' ? signer.identity : new AnonymousIdentity();
  const agent = await createAgent(network, identity, opts);
  // Learn the network's time once: requests' expiry and ledger timestamps follow it (a skewed clock
  // here, or the local subnet after time travel).
  try {
    await agent.syncTime();
  } catch (e) {
    throw new DeskError('network', `${network.kind === 'mainnet' ? 'The Internet Computer' : 'The replica'} did not answer.`, (e as Error).message);
  }
  const principal = signer.kind === 'key' ? signer.identity.getPrincipal() : signer.principal;
  const id = (t: string) => Principal.fromText(t);
  return {
    network,
    principal,
    canSign: signer.kind === 'key',
    agent,
    ledger: IcpLedgerCanister.create({ agent, canisterId: id(CANISTER_IDS.ledger) }),
    index: IcpIndexCanister.create({ agent, canisterId: id(CANISTER_IDS.index) }),
    governance: NnsGovernanceCanister.create({ agent, canisterId: id(CANISTER_IDS.governance) }),
    cmc: CmcCanister.create({ agent, canisterId: id(CANISTER_IDS.cmc) }),
    management: IcManagementCanister.create({ agent }),
  };
}

function forbidRootKeyFetch(agent: HttpAgent) {
  // The key was given at construction; a fetched one could come from anyone on the path.
  agent.fetchRootKey = () => Promise.reject(new DeskError('internal', 'This network has a fixed root key; it is never fetched.'));
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16)));
}
