// Candid views of neurons: the full Neuron (controller, hotkeys and, with a flag, public neurons)
// and NeuronInfo (anyone), filled from the model's formulas.
import type { Principal } from '@icp-sdk/core/principal';
import type {
  Account as CandidAccount,
  BallotInfo,
  KnownNeuronData as CandidKnownNeuronData,
  MaturityDisbursement as CandidMaturityDisbursement,
  Neuron as CandidNeuron,
  NeuronInfo,
  TopicToFollow,
} from '../../candid/generated/governance.did.ts';
import { immutable } from '../../runtime/candid-encode.ts';
import {
  MATURITY_DISBURSEMENT_DELAY_SECONDS,
  MAX_RECENT_BALLOTS,
  Topic,
  Visibility,
  ageSeconds,
  decidingVotingPower,
  dissolveDelaySeconds,
  neuronState,
  potentialVotingPower,
  votingStakeE8s,
  U64_MAX,
  type GovernanceState,
  type KnownNeuronData,
  type Neuron,
} from './model.ts';

const opt = <T>(v: T | undefined): [] | [T] => (v === undefined ? [] : [v]);

const TOPIC_TO_FOLLOW: Record<number, string> = {
  [Topic.Unspecified]: 'CatchAll',
  [Topic.NeuronManagement]: 'NeuronManagement',
  [Topic.ExchangeRate]: 'ExchangeRate',
  [Topic.NetworkEconomics]: 'NetworkEconomics',
  [Topic.Governance]: 'Governance',
  [Topic.NodeAdmin]: 'NodeAdmin',
  [Topic.ParticipantManagement]: 'ParticipantManagement',
  [Topic.SubnetManagement]: 'SubnetManagement',
  [Topic.ApplicationCanisterManagement]: 'ApplicationCanisterManagement',
  [Topic.Kyc]: 'Kyc',
  [Topic.NodeProviderRewards]: 'NodeProviderRewards',
  [Topic.IcOsVersionDeployment]: 'IcOsVersionDeployment',
  [Topic.IcOsVersionElection]: 'IcOsVersionElection',
  [Topic.SnsAndCommunityFund]: 'SnsAndCommunityFund',
  [Topic.ApiBoundaryNodeManagement]: 'ApiBoundaryNodeManagement',
  [Topic.SubnetRental]: 'SubnetRental',
  [Topic.ProtocolCanisterManagement]: 'ProtocolCanisterManagement',
  [Topic.ServiceNervousSystemManagement]: 'ServiceNervousSystemManagement',
};
const TOPIC_OF_NAME = new Map(Object.entries(TOPIC_TO_FOLLOW).map(([k, v]) => [v, Number(k)]));

export function toTopicToFollow(topic: number): TopicToFollow | undefined {
  const name = TOPIC_TO_FOLLOW[topic];
  return name === undefined ? undefined : ({ [name]: null } as TopicToFollow);
}

export function fromTopicToFollow(t: TopicToFollow): number | undefined {
  return TOPIC_OF_NAME.get(Object.keys(t)[0]);
}

export function toCandidKnownNeuronData(k: KnownNeuronData): CandidKnownNeuronData {
  return {
    name: k.name,
    description: opt(k.description),
    links: [[...k.links]],
    committed_topics: [k.committedTopics.map((t) => opt(toTopicToFollow(t)))],
  };
}

/**
 * Potential voting power as mainnet reports it: zero below the minimum dissolve delay to vote
 * (the .did: "such neurons are considered to have 0 voting power"), else the model's formula.
 */
export function reportedPotentialVotingPower(state: GovernanceState, n: Neuron, now: bigint): bigint {
  if (neuronState(n, now) === 4 /* Spawning */) return 0n;
  if (dissolveDelaySeconds(n, now) < state.economics.neuronMinimumDissolveDelayToVoteSeconds) return 0n;
  return potentialVotingPower(n, now);
}

export function reportedDecidingVotingPower(state: GovernanceState, n: Neuron, now: bigint, potential = reportedPotentialVotingPower(state, n, now)): bigint {
  const e = state.economics;
  return decidingVotingPower(n, now, { startReducingAfterSeconds: e.startReducingVotingPowerAfterSeconds, clearFollowingAfterSeconds: e.clearFollowingAfterSeconds }, potential);
}

const same = (a: Principal, b: Principal) => a.compareTo(b) === 'eq';

export function isController(n: Neuron, p: Principal): boolean {
  return same(n.controller, p);
}

export function isControllerOrHotKey(n: Neuron, p: Principal): boolean {
  return same(n.controller, p) || n.hotKeys.some((h) => same(h, p));
}

/**
 * Mainnet's "can read the full neuron": its controller or a hotkey, or the controller/hotkey of a
 * neuron it follows on NeuronManagement (such a principal may manage it by proposal).
 */
export function canReadFullNeuron(state: GovernanceState, n: Neuron, p: Principal): boolean {
  if (isControllerOrHotKey(n, p)) return true;
  for (const f of n.followees.get(Topic.NeuronManagement) ?? []) {
    const followee = state.neuron(f);
    if (followee && isControllerOrHotKey(followee, p)) return true;
  }
  return false;
}

/**
 * Recent ballots as list_neurons and the other views give them, shared: most neurons follow a few
 * known neurons, so their recent ballots are the same few hundred (proposal, vote) pairs and, for
 * followers of the same neurons, the same lists. Building 50,000 ballot records per page of 500
 * neurons (three objects and a bigint each, all alive until the reply is encoded) cost more in
 * allocation and garbage collection than encoding them; and encoding the same list for each
 * neuron was most of the encoder's work. So each distinct ballot and each distinct list is made
 * once, deep-frozen and registered with the encoder (immutable(): it writes a list's bytes once
 * and copies them afterwards). Both caches are bounded (cleared when full).
 */
const sharedBallots = new Map<number, BallotInfo>();
const SHARED_BALLOTS_MAX = 1 << 14;
const sharedLists = new Map<number, SharedList[]>();
let sharedListCount = 0;
const SHARED_LISTS_MAX = 1024;
/** Proposal ids below this key the caches exactly (id * 4 + vote stays a safe integer). */
const SHARED_BALLOT_ID_LIMIT = 2 ** 40;
let keyScratch = new Float64Array(MAX_RECENT_BALLOTS);

/**
 * The cache key of a ballot, or -1 when it is not cached (an id or vote out of range). Number()
 * rounds ids above 2^53 but never below SHARED_BALLOT_ID_LIMIT, so the range check is exact.
 */
function ballotKey(proposalId: bigint, vote: number): number {
  const id = Number(proposalId);
  return id >= 0 && id < SHARED_BALLOT_ID_LIMIT && (vote & 3) === vote ? id * 4 + vote : -1;
}

function ballotInfo(proposalId: bigint, vote: number, key: number): BallotInfo {
  if (key < 0) return { vote, proposal_id: [{ id: proposalId }] };
  let b = sharedBallots.get(key);
  if (b === undefined) {
    if (sharedBallots.size >= SHARED_BALLOTS_MAX) sharedBallots.clear();
    b = immutable({ vote, proposal_id: [{ id: proposalId }] as [{ id: bigint }] });
    sharedBallots.set(key, b);
  }
  return b;
}

interface SharedList {
  keys: Float64Array;
  list: BallotInfo[];
}
/** The list returned last: neighbours in a page often have the same ballots (checked first). */
let lastList: SharedList | undefined;

function ballots(state: GovernanceState, n: Neuron): BallotInfo[] {
  const records = state.recentBallots(n);
  const count = records.length;
  if (count === 0) return [];
  if (keyScratch.length < count) keyScratch = new Float64Array(count);
  const keys = keyScratch;
  const last = lastList !== undefined && lastList.keys.length === count ? lastList.keys : undefined;
  let same = last !== undefined;
  let shareable = true;
  for (let i = 0; i < count; i++) {
    const key = ballotKey(records[i].proposalId, records[i].vote);
    keys[i] = key;
    if (key < 0) shareable = false;
    else if (same && last![i] !== key) same = false;
  }
  if (!shareable) return records.map((r, i) => ballotInfo(r.proposalId, r.vote, keys[i]));
  if (same) return lastList!.list;
  let hash = count;
  for (let i = 0; i < count; i++) hash = Math.imul(hash ^ (keys[i] % 0x100000000), 0x01000193) ^ Math.floor(keys[i] / 0x100000000);
  const bucket = sharedLists.get(hash);
  if (bucket) {
    for (const e of bucket) {
      if (e.keys.length !== count) continue;
      let i = 0;
      while (i < count && e.keys[i] === keys[i]) i++;
      if (i === count) return (lastList = e).list;
    }
  }
  const list = immutable(records.map((r, i) => ballotInfo(r.proposalId, r.vote, keys[i])));
  if (sharedListCount >= SHARED_LISTS_MAX) {
    sharedLists.clear();
    sharedListCount = 0;
  }
  const entry: SharedList = { keys: keys.slice(0, count), list };
  if (bucket && sharedLists.get(hash) === bucket) bucket.push(entry);
  else sharedLists.set(hash, [entry]);
  sharedListCount++;
  return (lastList = entry).list;
}

export function toCandidAccount(a: { owner: Principal; subaccount?: Uint8Array }): CandidAccount {
  return { owner: [a.owner], subaccount: opt(a.subaccount) };
}

function disbursements(n: Neuron): CandidMaturityDisbursement[] {
  return n.maturityDisbursements.map((d) => ({
    amount_e8s: [d.amountE8s],
    timestamp_of_disbursement_seconds: [d.timestampSeconds],
    finalize_disbursement_timestamp_seconds: [d.timestampSeconds + MATURITY_DISBURSEMENT_DELAY_SECONDS],
    account_to_disburse_to: d.toAccount ? [toCandidAccount(d.toAccount)] : [],
    account_identifier_to_disburse_to: d.toAccount ? [] : [{ hash: d.toAccountIdentifier }],
  }));
}

/**
 * What both views of a neuron compute: the reported voting powers and (when shown) the recent
 * ballots. list_neurons builds both views of up to 500 neurons; it computes these once for both.
 */
interface Figures {
  potential: bigint;
  deciding: bigint;
  recent?: BallotInfo[];
}

function figuresOf(state: GovernanceState, n: Neuron, now: bigint): Figures {
  const potential = reportedPotentialVotingPower(state, n, now);
  return { potential, deciding: reportedDecidingVotingPower(state, n, now, potential) };
}

const recentBallotsOf = (state: GovernanceState, n: Neuron, f: Figures) => (f.recent ??= ballots(state, n));

/** The full neuron (for its controller, hotkeys, or a public neuron when asked for). */
export function toCandidNeuron(state: GovernanceState, n: Neuron, now: bigint): CandidNeuron {
  return candidNeuron(state, n, now, figuresOf(state, n, now));
}

function candidNeuron(state: GovernanceState, n: Neuron, now: bigint, f: Figures): CandidNeuron {
  const dissolve = n.dissolve;
  const followees = [...n.followees.entries()]
    .sort(([a], [b]) => a - b)
    .map(([topic, list]): [number, { followees: { id: bigint }[] }] => [topic, { followees: list.map((id) => ({ id })) }]);
  return {
    id: [{ id: n.id }],
    staked_maturity_e8s_equivalent: n.stakedMaturityE8s > 0n ? [n.stakedMaturityE8s] : [],
    controller: [n.controller],
    recent_ballots: recentBallotsOf(state, n, f),
    voting_power_refreshed_timestamp_seconds: [n.votingPowerRefreshedSeconds],
    kyc_verified: n.kycVerified,
    potential_voting_power: [f.potential],
    neuron_type: opt(n.neuronType),
    not_for_profit: n.notForProfit,
    maturity_e8s_equivalent: n.maturityE8s,
    deciding_voting_power: [f.deciding],
    cached_neuron_stake_e8s: n.cachedStakeE8s,
    created_timestamp_seconds: n.createdSeconds,
    auto_stake_maturity: n.autoStakeMaturity ? [true] : [],
    aging_since_timestamp_seconds: dissolve.kind === 'when' ? U64_MAX : n.agingSinceSeconds,
    hot_keys: [...n.hotKeys],
    account: n.subaccount,
    joined_community_fund_timestamp_seconds: opt(n.joinedCommunityFundSeconds),
    eight_year_gang_bonus_base_e8s: [n.eightYearGangBonusBaseE8s ?? 0n],
    maturity_disbursements_in_progress: [disbursements(n)],
    dissolve_state: [dissolve.kind === 'delay' ? { DissolveDelaySeconds: dissolve.seconds } : { WhenDissolvedTimestampSeconds: dissolve.timestamp }],
    followees,
    neuron_fees_e8s: n.feesE8s,
    visibility: [n.visibility],
    transfer: [],
    known_neuron_data: n.knownNeuron ? [toCandidKnownNeuronData(n.knownNeuron)] : [],
    spawn_at_timestamp_seconds: opt(n.spawnAtSeconds),
  };
}

/**
 * NeuronInfo: anyone may read it. For a private neuron read by someone who may not read the full
 * neuron, recent ballots and the Neurons' Fund membership are withheld (mainnet's privacy rule).
 */
export function toNeuronInfo(state: GovernanceState, n: Neuron, now: bigint, caller?: Principal): NeuronInfo {
  const reveal = n.visibility === Visibility.Public || n.knownNeuron !== undefined || (caller !== undefined && canReadFullNeuron(state, n, caller));
  return neuronInfo(state, n, now, reveal, figuresOf(state, n, now));
}

function neuronInfo(state: GovernanceState, n: Neuron, now: bigint, reveal: boolean, f: Figures): NeuronInfo {
  return {
    id: [{ id: n.id }],
    dissolve_delay_seconds: dissolveDelaySeconds(n, now),
    recent_ballots: reveal ? recentBallotsOf(state, n, f) : [],
    voting_power_refreshed_timestamp_seconds: [n.votingPowerRefreshedSeconds],
    potential_voting_power: [f.potential],
    neuron_type: opt(n.neuronType),
    deciding_voting_power: [f.deciding],
    created_timestamp_seconds: n.createdSeconds,
    state: neuronState(n, now),
    stake_e8s: votingStakeE8s(n),
    joined_community_fund_timestamp_seconds: reveal ? opt(n.joinedCommunityFundSeconds) : [],
    eight_year_gang_bonus_base_e8s: [n.eightYearGangBonusBaseE8s ?? 0n],
    retrieved_at_timestamp_seconds: now,
    visibility: [n.visibility],
    known_neuron_data: n.knownNeuron ? [toCandidKnownNeuronData(n.knownNeuron)] : [],
    voting_power: f.deciding,
    age_seconds: ageSeconds(n, now),
  };
}

/**
 * list_neurons' views of one neuron: its NeuronInfo (as toNeuronInfo gives it to `caller`), and its
 * full Neuron when the caller may read it, or when it is public and public neurons were asked for
 * in full. The same as calling toNeuronInfo and toCandidNeuron, with the voting powers, the read
 * permission and the recent ballots computed once for both (the two share the ballots' array).
 */
export function listedNeuron(
  state: GovernanceState,
  n: Neuron,
  now: bigint,
  caller: Principal,
  includePublicInFull: boolean,
): { info: NeuronInfo; full: CandidNeuron | undefined } {
  const f = figuresOf(state, n, now);
  const readable = canReadFullNeuron(state, n, caller);
  const visibility = n.visibility;
  const info = neuronInfo(state, n, now, visibility === Visibility.Public || n.knownNeuron !== undefined || readable, f);
  const full = readable || (includePublicInFull && visibility === Visibility.Public) ? candidNeuron(state, n, now, f) : undefined;
  return { info, full };
}
