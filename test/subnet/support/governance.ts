// Governance over HTTP for the integration tests (test/subnet/governance-*.test.ts): clients per
// identity (the real NnsGovernanceCanister and ledger classes, plus raw actors from the generated
// IDL where the classes have no method), staking, time travel, and the reference's formulas
// (shared/reference/nns-canisters.md) computed here independently in bigint. Nothing here imports
// the simulation's governance code: the tests check it against these.
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { Actor, type Identity } from '@icp-sdk/core/agent';
import { Principal } from '@icp-sdk/core/principal';
import { GovernanceCanister, GovernanceError } from '@dfinity/nns';
import { AccountIdentifier, SubAccount } from '@dfinity/ledger-icp';
import { idlFactory as governanceIdl, type _SERVICE as GovernanceService } from '../../../subnet/candid/generated/governance.did.ts';
import type * as Gov from '../../../subnet/candid/generated/governance.did.ts';
import { idlFactory as ledgerIdl, type _SERVICE as LedgerService } from '../../../subnet/candid/generated/ledger.did.ts';
import { accountIdentifier, toHex } from '../../../subnet/canisters/common/accounts.ts';
import { GOVERNANCE_ID, LEDGER_ID } from '../../../subnet/canisters/ids.ts';
import { DEMO_IDENTITIES, RESERVE } from '../../../subnet/genesis/demo.ts';
import type { Runtime } from '../../../subnet/runtime/runtime.ts';
import { startSubnet, type Subnet } from '../../../subnet/subnet.ts';
import { nnsCanisters } from '../../../subnet/world.ts';
import { admin, clients, demoIdentity } from './nns.ts';

export type { Gov };

// ---- Constants of the reference ------------------------------------------------------------------
export const ICP = 100_000_000n;
export const FEE = 10_000n;
export const DAY = 86_400n;
export const MONTH = 2_629_800n;
export const SIX_MONTHS = 15_778_800n;
export const YEAR = 31_557_600n;
export const TWO_YEARS = 63_115_200n;
export const FOUR_YEARS = 126_230_400n;
export const U64_MAX = 2n ** 64n - 1n;
export const MIN_STAKE = ICP;
export const VOTING_PERIOD = 4n * DAY;
export const WAIT_FOR_QUIET = 2n * DAY;
export const MIN_DELAY_TO_VOTE = 14n * DAY;

/** GovernanceError.error_type values of the reference. */
export const Err = {
  Unavailable: 2,
  NotAuthorized: 3,
  NotFound: 4,
  InvalidCommand: 5,
  RequiresNotDissolving: 6,
  RequiresDissolving: 7,
  RequiresDissolved: 8,
  HotKey: 9,
  ResourceExhausted: 10,
  PreconditionFailed: 11,
  External: 12,
  LedgerUpdateOngoing: 13,
  InsufficientFunds: 14,
  InvalidPrincipal: 15,
  InvalidProposal: 16,
  AlreadyJoinedCommunityFund: 17,
  NotInTheCommunityFund: 18,
  NeuronAlreadyVoted: 19,
} as const;

export const Topic = { CatchAll: 0, NeuronManagement: 1, ExchangeRate: 2, NetworkEconomics: 3, Governance: 4, SnsAndCommunityFund: 14 } as const;
export const Vote = { Unspecified: 0, Yes: 1, No: 2 } as const;
export const Status = { Open: 1, Rejected: 2, Adopted: 3, Executed: 4, Failed: 5 } as const;
export const RewardStatus = { AcceptVotes: 1, ReadyToSettle: 2, Settled: 3, Ineligible: 4 } as const;
export const NeuronState = { NotDissolving: 1, Dissolving: 2, Dissolved: 3, Spawning: 4 } as const;

// ---- The subnet -----------------------------------------------------------------------------------

/**
 * The genesis of these tests: the demo identities' ICP and the reserve (so that the total supply,
 * which sizes the rewards, is mainnet-like), and no neuron: every neuron, followee and proposal is
 * the test's own, so that ballots and totals can be computed exactly.
 */
export async function fundedWorld(rt: Runtime): Promise<void> {
  for (const id of DEMO_IDENTITIES) await rt.admin(LEDGER_ID, 'mint', { to: toHex(accountIdentifier(Principal.fromText(id.principal))), e8s: id.e8s });
  await rt.admin(LEDGER_ID, 'mint', { to: toHex(accountIdentifier(RESERVE.principal)), e8s: RESERVE.e8s });
}

/** The NNS canisters on the funded world, in process (with a state dir: persistent). */
export function startGovernanceSubnet(opts: { stateDir?: string } = {}): Promise<Subnet> {
  return startSubnet({ port: 0, stateDir: opts.stateDir, canisters: nnsCanisters(), genesis: fundedWorld });
}

// ---- Clients -----------------------------------------------------------------------------------

export type Staker = Awaited<ReturnType<typeof staker>>;

/** The clients of one identity (a demo name or any identity) against the subnet at `url`. */
export async function staker(url: string, who: string | Identity) {
  const identity = typeof who === 'string' ? demoIdentity(who) : who;
  const c = await clients(url, identity);
  await c.agent.syncTime(); // the subnet's clock may be ahead of the wall (time travel, a restart)
  const governance = GovernanceCanister.create({ agent: c.agent, canisterId: GOVERNANCE_ID });
  const raw = Actor.createActor<GovernanceService>(governanceIdl, { agent: c.agent, canisterId: GOVERNANCE_ID });
  const rawLedger = Actor.createActor<LedgerService>(ledgerIdl, { agent: c.agent, canisterId: LEDGER_ID });
  const principal = identity.getPrincipal();

  /** manage_neuron with a raw command on a neuron; the success variant, or throws GovernanceError. */
  async function manage(neuronId: bigint, command: Gov.ManageNeuronCommandRequest): Promise<Gov.Command_1> {
    const res = await raw.manage_neuron({ id: [], neuron_id_or_subaccount: [{ NeuronId: { id: neuronId } }], command: [command] });
    const [cmd] = res.command;
    if (!cmd) throw new Error('manage_neuron: empty response');
    if ('Error' in cmd) throw new GovernanceError(cmd.Error);
    return cmd;
  }

  /** get_full_neuron: the neuron, or throws GovernanceError. */
  async function full(id: bigint): Promise<Gov.Neuron> {
    const r = await raw.get_full_neuron(id);
    if ('Err' in r) throw new GovernanceError(r.Err);
    return r.Ok;
  }

  /** get_neuron_info: the info, or throws GovernanceError. */
  async function info(id: bigint): Promise<Gov.NeuronInfo> {
    const r = await raw.get_neuron_info(id);
    if ('Err' in r) throw new GovernanceError(r.Err);
    return r.Ok;
  }

  async function proposal(id: bigint): Promise<Gov.ProposalInfo> {
    const [p] = await raw.get_proposal_info(id);
    if (!p) throw new Error(`no proposal ${id}`);
    return p;
  }

  /** Stakes `e8s` by transfer + claim (the nns-dapp flow) and sets the dissolve delay. */
  async function stake(e8s: bigint, delaySeconds = 7n * DAY): Promise<bigint> {
    const id = await governance.stakeNeuron({ stake: e8s, principal, ledgerCanister: c.ledger });
    if (delaySeconds > 7n * DAY) await governance.increaseDissolveDelay({ neuronId: id, additionalDissolveDelaySeconds: Number(delaySeconds - 7n * DAY) });
    return id;
  }

  /** Balance (e8s) of an account identifier. */
  const balance = (account: AccountIdentifier) => c.ledger.accountBalance({ accountIdentifier: account, certified: true });

  return { identity, principal, ...c, governance, raw, rawLedger, manage, full, info, proposal, stake, balance, account: AccountIdentifier.fromPrincipal({ principal }) };
}

/** Moves the subnet's clock and lets every agent re-read the time (README: time travel). */
export async function advance(url: string, seconds: bigint, ...stakers: { agent: { syncTime(): Promise<void> } }[]): Promise<void> {
  const r = await admin(url, '/_/time', { advance_seconds: seconds.toString() });
  if (r.status !== 200) throw new Error(`/_/time: ${r.status} ${JSON.stringify(r.json)}`);
  for (const s of stakers) await s.agent.syncTime();
}

/** The subnet's clock, in seconds (GET /_/status). */
export async function nowSeconds(url: string): Promise<bigint> {
  const r = await admin<{ time_ns: string }>(url, '/_/status');
  return BigInt(r.json.time_ns) / 1_000_000_000n;
}

/** Awaits a rejection and checks that it is a GovernanceError of `type`. */
export async function expectGovError(p: Promise<unknown>, type: number, message?: RegExp): Promise<GovernanceError> {
  const e = await p.then(
    (v) => v,
    (e: unknown) => e,
  );
  expect(e, `expected a GovernanceError of type ${type}`).toBeInstanceOf(GovernanceError);
  const g = e as GovernanceError;
  expect(g.detail.error_type, g.detail.error_message).toBe(type);
  if (message) expect(g.detail.error_message).toMatch(message);
  return g;
}

// ---- Ledger accounts of neurons (the reference's formula) --------------------------------------

/** SHA-256([0x0C] || "neuron-stake" || controller bytes || nonce u64 BE). */
export function stakingSubaccount(controller: Principal, memo: bigint): Uint8Array {
  const nonce = Buffer.alloc(8);
  nonce.writeBigUInt64BE(memo);
  return new Uint8Array(createHash('sha256').update(Buffer.from([0x0c])).update('neuron-stake').update(controller.toUint8Array()).update(nonce).digest());
}

/** The ledger account of a neuron: governance + its subaccount. */
export function neuronAccount(subaccount: Uint8Array): AccountIdentifier {
  return AccountIdentifier.fromPrincipal({ principal: GOVERNANCE_ID, subAccount: SubAccount.fromBytes(subaccount) as SubAccount });
}

// ---- Proposals -----------------------------------------------------------------------------------

/** A motion (topic Governance). */
export async function motion(s: Staker, neuronId: bigint, title = 'A motion for the tests'): Promise<bigint> {
  const id = await s.governance.makeProposal({ neuronId, title, url: 'https://example.com/motion', summary: 'Test motion.', action: { Motion: { motionText: title } } });
  if (id === undefined) throw new Error('makeProposal returned no id');
  return id;
}

/** A ManageNetworkEconomics proposal (topic NetworkEconomics) that changes nothing (all fields unset). */
export async function economicsProposal(s: Staker, neuronId: bigint, title = 'Network economics, unchanged'): Promise<bigint> {
  const cmd = await s.manage(neuronId, {
    MakeProposal: {
      url: 'https://example.com/economics',
      title: [title],
      summary: 'Changes no parameter.',
      action: [
        {
          ManageNetworkEconomics: {
            neuron_minimum_stake_e8s: 0n,
            voting_power_economics: [],
            max_proposals_to_keep_per_topic: 0,
            neuron_management_fee_per_proposal_e8s: 0n,
            reject_cost_e8s: 0n,
            transaction_fee_e8s: 0n,
            neuron_spawn_dissolve_delay_seconds: 0n,
            minimum_icp_xdr_rate: 0n,
            maximum_node_provider_rewards_e8s: 0n,
            neurons_fund_economics: [],
          },
        },
      ],
    },
  });
  if (!('MakeProposal' in cmd) || !cmd.MakeProposal.proposal_id[0]) throw new Error('no proposal id');
  return cmd.MakeProposal.proposal_id[0].id;
}

/** The caller's ballots of a proposal as {neuron id -> [vote, voting power]}. */
export function ballotsOf(p: Gov.ProposalInfo): Map<bigint, { vote: number; power: bigint }> {
  return new Map(p.ballots.map(([id, b]) => [id, { vote: b.vote, power: b.voting_power }]));
}

// ---- Formulas of the reference, in bigint -----------------------------------------------------------

const min = (a: bigint, b: bigint) => (a < b ? a : b);
const max = (a: bigint, b: bigint) => (a > b ? a : b);

/**
 * Potential voting power (M70): stake * (1 + 2 t^2) * (1 + min(age, 4y) / 4y / 4), t = min(delay, 2y) / 2y,
 * as one exact fraction, floored once.
 */
export function potentialVotingPower(stake: bigint, delaySeconds: bigint, ageSeconds: bigint): bigint {
  const t = min(delaySeconds, TWO_YEARS);
  const a = min(ageSeconds, FOUR_YEARS);
  // (1 + 2 t^2 / T^2) = (T^2 + 2 t^2) / T^2 ; (1 + a / (4 A)) = (4 A + a) / (4 A)
  const num = stake * (TWO_YEARS ** 2n + 2n * t * t) * (4n * FOUR_YEARS + a);
  const den = TWO_YEARS ** 2n * 4n * FOUR_YEARS;
  return num / den;
}

/** Deciding voting power: all of it up to 6 months after the refresh, then linearly to 0 over a month. */
export function decidingVotingPower(potential: bigint, secondsSinceRefresh: bigint): bigint {
  if (secondsSinceRefresh <= SIX_MONTHS) return potential;
  const over = secondsSinceRefresh - SIX_MONTHS;
  if (over >= MONTH) return 0n;
  return (potential * (MONTH - over)) / MONTH;
}

/** The voting power of a full neuron at `now` (stake = cached stake - fees + staked maturity). */
export function votingPowerOf(n: Gov.Neuron, now: bigint): { potential: bigint; deciding: bigint } {
  const stake = n.cached_neuron_stake_e8s - n.neuron_fees_e8s + (n.staked_maturity_e8s_equivalent[0] ?? 0n);
  const ds = n.dissolve_state[0]!;
  const delay = 'DissolveDelaySeconds' in ds ? ds.DissolveDelaySeconds : max(ds.WhenDissolvedTimestampSeconds - now, 0n);
  const age = 'DissolveDelaySeconds' in ds && n.aging_since_timestamp_seconds <= now ? now - n.aging_since_timestamp_seconds : 0n;
  if (delay < MIN_DELAY_TO_VOTE) return { potential: 0n, deciding: 0n };
  const potential = potentialVotingPower(stake, delay, age);
  return { potential, deciding: decidingVotingPower(potential, now - n.voting_power_refreshed_timestamp_seconds[0]!) };
}

/**
 * The new part of a daily reward pool for day `day` after genesis: total supply * rate(day) / 365.25
 * * 0.6329 (M70, as rewards.ts applies it: to each day's new pool), with
 * rate(d) = 0.05 + 0.05 * ((2922 - d) / 2922)^2 (0.05 after day 2922).
 */
export function dailyRewardPoolE8s(totalSupply: bigint, day: bigint): bigint {
  const G = 2922n;
  const left = day < G ? G - day : 0n;
  // rate = 5/100 + (5/100) * left^2 / G^2 = 5 (G^2 + left^2) / (100 G^2); / 365.25 = * 100 / 36525
  const num = totalSupply * 5n * (G * G + left * left) * 100n * 6329n;
  const den = 100n * G * G * 36525n * 10_000n;
  return num / den;
}

/** Reward weight of a topic (Governance and SnsAndCommunityFund 20, ExchangeRate 0.01, others 1), in hundredths. */
export function rewardWeightCentis(topic: number): bigint {
  if (topic === Topic.Governance || topic === Topic.SnsAndCommunityFund) return 2000n;
  if (topic === Topic.ExchangeRate) return 1n;
  return 100n;
}

/** Wait-for-quiet: the deadline after a vote at `now` that flips the lead. */
export function waitForQuietDeadline(p: { created: bigint; deadline: bigint; period: bigint }, now: bigint): bigint {
  const elapsed = now - p.created;
  const proposed = min(now + WAIT_FOR_QUIET + p.period / 2n - elapsed / 2n, p.created + p.period + 2n * WAIT_FOR_QUIET);
  return max(p.deadline, proposed);
}

/** Maturity modulation in permyriad applied to an amount. */
export const modulated = (e8s: bigint, permyriad: bigint) => (e8s * (10_000n + permyriad)) / 10_000n;
