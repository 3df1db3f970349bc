// A proposal as the app shows it: plain data from governance's ProposalInfo (principals as text,
// bytes as hex), with its status and reward status by name, the tally against the thresholds,
// and the ballots of the user's neurons.
import { ProposalRewardStatus, ProposalStatus, Topic, Vote, type ProposalInfo } from '@icp-sdk/canisters/nns';
import { Principal } from '@icp-sdk/core/principal';
import { topicName } from './neuron-view.ts';

export type VoteName = 'yes' | 'no' | 'unspecified';
export type ProposalStatusName = 'open' | 'rejected' | 'adopted' | 'executed' | 'failed' | 'unknown';
export type RewardStatusName = 'accepting-votes' | 'ready-to-settle' | 'settled' | 'ineligible' | 'unknown';

export interface BallotView {
  neuronId: bigint;
  vote: VoteName;
  votingPower: bigint;
}

export interface ProposalView {
  id: bigint;
  title: string;
  summary: string;
  url: string;
  /** The action's kind ("Motion", "ManageNetworkEconomics", ...). */
  actionType?: string;
  /** The action's payload as plain data (a JSON tree for the detail page). */
  action?: unknown;
  topic: number;
  topicName: string;
  status: number;
  statusName: ProposalStatusName;
  rewardStatus: number;
  rewardStatusName: RewardStatusName;
  proposer?: bigint;
  createdAtSeconds: bigint;
  deadlineSeconds?: bigint;
  decidedAtSeconds?: bigint;
  executedAtSeconds?: bigint;
  failedAtSeconds?: bigint;
  rejectCostE8s: bigint;
  tally: { yes: bigint; no: bigint; total: bigint; timestampSeconds: bigint };
  totalPotentialVotingPower?: bigint;
  /** Yes and No as percentages of the total voting power of the ballots. */
  yesPercent: number;
  noPercent: number;
  /** Adopted early when Yes passes this share of the total; No at this share rejects early. */
  immediateMajorityPercent: number;
  /** At the deadline: adopted when Yes is at least this share of the total and more than No. */
  standardMajorityPercent: number;
  /** Votes still count (before the deadline; neuron management: while open). */
  acceptingVotes: boolean;
  /** The user's neurons' ballots on it (controller or hotkey). */
  ballots: BallotView[];
}

export const IMMEDIATE_MAJORITY_PERCENT = 50;
export const STANDARD_MAJORITY_PERCENT = 3;

const STATUS: Record<number, ProposalStatusName> = {
  [ProposalStatus.Open]: 'open',
  [ProposalStatus.Rejected]: 'rejected',
  [ProposalStatus.Accepted]: 'adopted',
  [ProposalStatus.Executed]: 'executed',
  [ProposalStatus.Failed]: 'failed',
};
const REWARD: Record<number, RewardStatusName> = {
  [ProposalRewardStatus.AcceptVotes]: 'accepting-votes',
  [ProposalRewardStatus.ReadyToSettle]: 'ready-to-settle',
  [ProposalRewardStatus.Settled]: 'settled',
  [ProposalRewardStatus.Ineligible]: 'ineligible',
};

export function voteName(v: number): VoteName {
  return v === Vote.Yes ? 'yes' : v === Vote.No ? 'no' : 'unspecified';
}

export function isAcceptingVotes(p: ProposalInfo): boolean {
  if (p.rewardStatus === ProposalRewardStatus.AcceptVotes) return true;
  return p.topic === Topic.NeuronManagement && p.status === ProposalStatus.Open;
}

export function toProposalView(p: ProposalInfo): ProposalView {
  const tally = p.latestTally ?? { yes: 0n, no: 0n, total: 0n, timestampSeconds: 0n };
  const pct = (x: bigint) => (tally.total > 0n ? Number((x * 1_000_000n) / tally.total) / 10_000 : 0);
  const action = p.proposal?.action;
  const actionType = action ? Object.keys(action)[0] : undefined;
  const nonZero = (s: bigint) => (s > 0n ? s : undefined);
  return {
    id: p.id ?? 0n,
    title: p.proposal?.title ?? '',
    summary: p.proposal?.summary ?? '',
    url: p.proposal?.url ?? '',
    actionType,
    action: actionType ? toPlain((action as Record<string, unknown>)[actionType]) : undefined,
    topic: p.topic,
    topicName: topicName(p.topic),
    status: p.status,
    statusName: STATUS[p.status] ?? 'unknown',
    rewardStatus: p.rewardStatus,
    rewardStatusName: REWARD[p.rewardStatus] ?? 'unknown',
    proposer: p.proposer,
    createdAtSeconds: p.proposalTimestampSeconds,
    deadlineSeconds: p.deadlineTimestampSeconds,
    decidedAtSeconds: nonZero(p.decidedTimestampSeconds),
    executedAtSeconds: nonZero(p.executedTimestampSeconds),
    failedAtSeconds: nonZero(p.failedTimestampSeconds),
    rejectCostE8s: p.rejectCost,
    tally: { yes: tally.yes, no: tally.no, total: tally.total, timestampSeconds: tally.timestampSeconds },
    totalPotentialVotingPower: p.totalPotentialVotingPower,
    yesPercent: pct(tally.yes),
    noPercent: pct(tally.no),
    immediateMajorityPercent: IMMEDIATE_MAJORITY_PERCENT,
    standardMajorityPercent: STANDARD_MAJORITY_PERCENT,
    acceptingVotes: isAcceptingVotes(p),
    ballots: p.ballots.map((b) => ({ neuronId: b.neuronId, vote: voteName(b.vote), votingPower: b.votingPower })),
  };
}

/** Any value as plain data: principals as text, bytes as hex, no class instances. */
export function toPlain(v: unknown): unknown {
  if (v === null || v === undefined || typeof v !== 'object') return v;
  if (v instanceof Principal || (typeof (v as { toText?: unknown }).toText === 'function' && (v as { _isPrincipal?: boolean })._isPrincipal)) {
    return (v as Principal).toText();
  }
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (v instanceof ArrayBuffer) return Buffer.from(new Uint8Array(v)).toString('hex');
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number | bigint>);
  if (Array.isArray(v)) return v.map(toPlain);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toPlain(x);
  return out;
}
