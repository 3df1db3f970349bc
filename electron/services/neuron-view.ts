// A neuron as the app shows it: plain data (bigint, string, number, boolean) computed from
// governance's NeuronInfo, the network's limits and the known neurons. "Now" is the time governance
// read the neuron at (retrievedAtTimestampSeconds), so the view is consistent with the canister's own
// state and voting power, whatever this machine's clock says.
import { NeuronState, NeuronVisibility, Topic, Vote, type BallotInfo, type NeuronInfo } from '@icp-sdk/canisters/nns';
import type { NeuronLimits } from './neuron-limits.ts';
import { neuronApy, type RewardRate } from './neuron-apy.ts';

export type NeuronStateName = 'locked' | 'dissolving' | 'dissolved' | 'spawning' | 'unspecified';
export type VisibilityName = 'public' | 'private' | 'unspecified';

export interface FolloweeView {
  id: bigint;
  /** The known neuron's name, when it is one. */
  name?: string;
}

export interface TopicFollowingView {
  topic: number;
  topicName: string;
  followees: FolloweeView[];
}

export interface MaturityDisbursementView {
  amountE8s: bigint;
  startedAtSeconds?: bigint;
  finalizesAtSeconds?: bigint;
  /** Account id hex or ICRC-1 owner principal text. */
  to?: string;
}

/** One of a neuron's recent ballots (governance keeps up to 100, newest first). */
export interface RecentBallotView {
  proposalId: bigint;
  vote: 'yes' | 'no';
}

export interface NeuronView {
  id: bigint;
  controller?: string;
  /** The user controls the neuron (false: the user is one of its hotkeys). */
  isController: boolean;
  /** The neuron's ledger account (governance + its subaccount), hex. */
  accountId?: string;
  /** cached stake - fees: what can be disbursed. */
  stakeE8s: bigint;
  cachedStakeE8s: bigint;
  feesE8s: bigint;
  maturityE8s: bigint;
  stakedMaturityE8s: bigint;
  /** stake + staked maturity: what votes and earns. */
  votingStakeE8s: bigint;
  state: NeuronStateName;
  dissolveDelaySeconds: bigint;
  /** When it dissolves (dissolving), dissolved (dissolved), or would dissolve if it started now (locked). */
  dissolveAtSeconds?: bigint;
  ageSeconds: bigint;
  createdAtSeconds: bigint;
  spawnAtSeconds?: bigint;
  potentialVotingPower: bigint;
  decidingVotingPower: bigint;
  /** Its dissolve delay reaches the minimum to vote (it gets ballots on new proposals). */
  canVote: boolean;
  votingPowerRefreshedAtSeconds?: bigint;
  /** Rewards start to drop after this unless the voting power is refreshed (vote, follow, refresh). */
  refreshNeededBySeconds?: bigint;
  /** From when the app asks for a refresh (30 days before it is needed). */
  refreshBannerFromSeconds?: bigint;
  refreshNeeded: boolean;
  /** When its following (except on neuron management) is cleared without a refresh. */
  followingClearedAtSeconds?: bigint;
  following: TopicFollowingView[];
  hotkeys: string[];
  visibility: VisibilityName;
  autoStakeMaturity: boolean;
  neuronsFund: boolean;
  joinedNeuronsFundAtSeconds?: bigint;
  maturityDisbursements: MaturityDisbursementView[];
  /** Estimated yearly reward rate (0.08 = 8%); see neuron-apy.ts. Undefined without reward data. */
  apy?: number;
  knownNeuronName?: string;
  /** Governance's time when the neuron was read (seconds). */
  retrievedAtSeconds: bigint;
}

export interface ViewContext {
  principal: string;
  limits: NeuronLimits;
  knownNeurons: ReadonlyMap<bigint, string>;
  rewardRate?: RewardRate;
}

const STATE_NAMES: Record<number, NeuronStateName> = {
  [NeuronState.Locked]: 'locked',
  [NeuronState.Dissolving]: 'dissolving',
  [NeuronState.Dissolved]: 'dissolved',
  [NeuronState.Spawning]: 'spawning',
};

export function topicName(topic: number): string {
  return (Topic as unknown as Record<number, string>)[topic] ?? `Topic ${topic}`;
}

/** Every topic governance knows (for validation and for following screens). */
export const TOPICS: number[] = Object.values(Topic).filter((v): v is number => typeof v === 'number');

export function visibilityName(v: number | undefined): VisibilityName {
  return v === NeuronVisibility.Public ? 'public' : v === NeuronVisibility.Private ? 'private' : 'unspecified';
}

/**
 * A neuron's ballots that voted (Yes or No), newest first, as governance lists them (withheld for a
 * private neuron the caller may not read). Not part of the view: the list of neurons does not need
 * them, and with 100 per neuron they would be most of its size.
 */
export function recentBallotsOf(info: NeuronInfo): RecentBallotView[] {
  const ballots = info.recentBallots.length > 0 ? info.recentBallots : (info.fullNeuron?.recentBallots ?? []);
  const out: RecentBallotView[] = [];
  for (const b of ballots) {
    if (b.proposalId === undefined || (b.vote !== Vote.Yes && b.vote !== Vote.No)) continue;
    out.push({ proposalId: b.proposalId, vote: b.vote === Vote.Yes ? 'yes' : 'no' });
  }
  return out;
}

export function toNeuronView(info: NeuronInfo, c: ViewContext): NeuronView {
  const full = info.fullNeuron;
  const now = info.retrievedAtTimestampSeconds;
  const cached = full?.cachedNeuronStake ?? 0n;
  const fees = full?.neuronFees ?? 0n;
  const stake = cached > fees ? cached - fees : 0n;
  const staked = full?.stakedMaturityE8sEquivalent ?? 0n;
  const state = STATE_NAMES[info.state] ?? 'unspecified';
  const ds = full?.dissolveState;
  let dissolveAt: bigint | undefined;
  if (ds && 'WhenDissolvedTimestampSeconds' in ds) dissolveAt = ds.WhenDissolvedTimestampSeconds;
  else if (state === 'locked') dissolveAt = now + info.dissolveDelaySeconds;
  const refreshed = info.votingPowerRefreshedTimestampSeconds ?? full?.votingPowerRefreshedTimestampSeconds;
  const l = c.limits;
  const refreshBy = refreshed === undefined ? undefined : refreshed + l.startReducingVotingPowerAfterSeconds;
  const bannerFrom = refreshBy === undefined ? undefined : refreshBy - l.refreshBannerLeadSeconds;
  const deciding = info.decidingVotingPower ?? full?.decidingVotingPower ?? 0n;
  const potential = info.potentialVotingPower ?? full?.potentialVotingPower ?? 0n;
  const name = (id: bigint) => c.knownNeurons.get(id);
  const following = (full?.followees ?? [])
    .filter((f) => f.followees.length > 0)
    .map((f) => ({ topic: f.topic, topicName: topicName(f.topic), followees: f.followees.map((id) => ({ id, ...(name(id) ? { name: name(id) } : {}) })) }))
    .sort((a, b) => a.topic - b.topic);
  const disbursements = (full?.maturityDisbursementsInProgress ?? []).map((d) => ({
    amountE8s: d.amountE8s ?? 0n,
    startedAtSeconds: d.timestampOfDisbursementSeconds,
    finalizesAtSeconds: d.finalizeDisbursementTimestampSeconds,
    to: d.accountIdentifierToDisburseTo ?? d.accountToDisburseTo?.owner?.toText(),
  }));
  return {
    id: info.neuronId,
    controller: full?.controller,
    isController: full?.controller === c.principal,
    accountId: full?.accountIdentifier,
    stakeE8s: stake,
    cachedStakeE8s: cached,
    feesE8s: fees,
    maturityE8s: full?.maturityE8sEquivalent ?? 0n,
    stakedMaturityE8s: staked,
    votingStakeE8s: stake + staked,
    state,
    dissolveDelaySeconds: info.dissolveDelaySeconds,
    dissolveAtSeconds: dissolveAt,
    ageSeconds: info.ageSeconds,
    createdAtSeconds: info.createdTimestampSeconds,
    spawnAtSeconds: full?.spawnAtTimesSeconds,
    potentialVotingPower: potential,
    decidingVotingPower: deciding,
    canVote: state !== 'spawning' && info.dissolveDelaySeconds >= l.minimumDissolveDelayToVoteSeconds,
    votingPowerRefreshedAtSeconds: refreshed,
    refreshNeededBySeconds: refreshBy,
    refreshBannerFromSeconds: bannerFrom,
    refreshNeeded: bannerFrom !== undefined && now >= bannerFrom,
    followingClearedAtSeconds: refreshBy === undefined ? undefined : refreshBy + l.clearFollowingAfterSeconds,
    following,
    hotkeys: full?.hotKeys ?? [],
    visibility: visibilityName(info.visibility ?? full?.visibility),
    autoStakeMaturity: full?.autoStakeMaturity ?? false,
    neuronsFund: (info.joinedCommunityFundTimestampSeconds ?? full?.joinedCommunityFundTimestampSeconds) !== undefined,
    joinedNeuronsFundAtSeconds: info.joinedCommunityFundTimestampSeconds ?? full?.joinedCommunityFundTimestampSeconds,
    maturityDisbursements: disbursements,
    apy: neuronApy(c.rewardRate, deciding, stake + staked),
    knownNeuronName: name(info.neuronId),
    retrievedAtSeconds: now,
  };
}
