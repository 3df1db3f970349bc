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
import {
  MATURITY_DISBURSEMENT_DELAY_SECONDS,
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

function ballots(state: GovernanceState, n: Neuron): BallotInfo[] {
  return state.recentBallots(n).map((b) => ({ vote: b.vote, proposal_id: [{ id: b.proposalId }] }));
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

/** The full neuron (for its controller, hotkeys, or a public neuron when asked for). */
export function toCandidNeuron(state: GovernanceState, n: Neuron, now: bigint): CandidNeuron {
  const potential = reportedPotentialVotingPower(state, n, now);
  const deciding = reportedDecidingVotingPower(state, n, now, potential);
  const followees = [...n.followees.entries()]
    .sort(([a], [b]) => a - b)
    .map(([topic, list]): [number, { followees: { id: bigint }[] }] => [topic, { followees: list.map((id) => ({ id })) }]);
  return {
    id: [{ id: n.id }],
    staked_maturity_e8s_equivalent: n.stakedMaturityE8s > 0n ? [n.stakedMaturityE8s] : [],
    controller: [n.controller],
    recent_ballots: ballots(state, n),
    voting_power_refreshed_timestamp_seconds: [n.votingPowerRefreshedSeconds],
    kyc_verified: n.kycVerified,
    potential_voting_power: [potential],
    neuron_type: opt(n.neuronType),
    not_for_profit: n.notForProfit,
    maturity_e8s_equivalent: n.maturityE8s,
    deciding_voting_power: [deciding],
    cached_neuron_stake_e8s: n.cachedStakeE8s,
    created_timestamp_seconds: n.createdSeconds,
    auto_stake_maturity: n.autoStakeMaturity ? [true] : [],
    aging_since_timestamp_seconds: n.dissolve.kind === 'when' ? U64_MAX : n.agingSinceSeconds,
    hot_keys: [...n.hotKeys],
    account: n.subaccount,
    joined_community_fund_timestamp_seconds: opt(n.joinedCommunityFundSeconds),
    eight_year_gang_bonus_base_e8s: [n.eightYearGangBonusBaseE8s ?? 0n],
    maturity_disbursements_in_progress: [disbursements(n)],
    dissolve_state: [n.dissolve.kind === 'delay' ? { DissolveDelaySeconds: n.dissolve.seconds } : { WhenDissolvedTimestampSeconds: n.dissolve.timestamp }],
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
  const potential = reportedPotentialVotingPower(state, n, now);
  const deciding = reportedDecidingVotingPower(state, n, now, potential);
  const reveal = n.visibility === Visibility.Public || n.knownNeuron !== undefined || (caller !== undefined && canReadFullNeuron(state, n, caller));
  return {
    id: [{ id: n.id }],
    dissolve_delay_seconds: dissolveDelaySeconds(n, now),
    recent_ballots: reveal ? ballots(state, n) : [],
    voting_power_refreshed_timestamp_seconds: [n.votingPowerRefreshedSeconds],
    potential_voting_power: [potential],
    neuron_type: opt(n.neuronType),
    deciding_voting_power: [deciding],
    created_timestamp_seconds: n.createdSeconds,
    state: neuronState(n, now),
    stake_e8s: votingStakeE8s(n),
    joined_community_fund_timestamp_seconds: reveal ? opt(n.joinedCommunityFundSeconds) : [],
    eight_year_gang_bonus_base_e8s: [n.eightYearGangBonusBaseE8s ?? 0n],
    retrieved_at_timestamp_seconds: now,
    visibility: [n.visibility],
    known_neuron_data: n.knownNeuron ? [toCandidKnownNeuronData(n.knownNeuron)] : [],
    voting_power: deciding,
    age_seconds: ageSeconds(n, now),
  };
}
