// Proposals: the list with filters and paging (newest first, `before_proposal` exclusive), one
// proposal's detail, the "actionable" ones (votes still count and one of the user's neurons has an
// unspecified ballot, as the NNS dapp finds them), and Motion proposals (proposal-motion.ts).
// Voting is in voting.ts.
import { ProposalRewardStatus, ProposalStatus, Topic, type ListProposalsRequest, type ProposalInfo } from '@icp-sdk/canisters/nns';
import { DeskError, invalidInput } from '../api/errors.ts';
import type { Review } from '../api/review.ts';
import type { Connection } from '../network/agents.ts';
import type { ServiceContext } from './context.ts';
import { toDeskError } from './errors.ts';
import { parseProposalId } from './neuron-input.ts';
import { TOPICS } from './neuron-view.ts';
import { prepareMotion, type MotionArgs, type MotionResult } from './proposal-motion.ts';
import { toProposalView, type ProposalView } from './proposal-view.ts';

/** list_proposals answers at most this many per call. */
export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 50;
/** Actionable proposals are read in at most this many pages. */
const MAX_ACTIONABLE_PAGES = 5;

export interface ProposalFilter {
  /** Only these topics (empty or absent: all). */
  topics?: number[];
  /** ProposalStatus values: 1 open, 2 rejected, 3 adopted, 4 executed, 5 failed (empty: all). */
  statuses?: number[];
  /** ProposalRewardStatus values: 1 accepting votes, 2 ready to settle, 3 settled, 4 ineligible. */
  rewardStatuses?: number[];
  /** Paging: proposals older than this one (exclusive). */
  beforeProposal?: bigint | string;
  /** 1..100, default 50. */
  limit?: number;
  /** Neuron-management proposals the user's neurons have no ballot on (hidden by default). */
  includeAllNeuronManagement?: boolean;
}

export interface ProposalPage {
  proposals: ProposalView[];
  /** Pass as `beforeProposal` for the next page; absent on the last page. */
  nextBeforeProposal?: bigint;
}

export interface ActionableProposal extends ProposalView {
  /** The user's neurons that can still vote on it. */
  votableNeuronIds: bigint[];
}

export class Proposals {
  constructor(private readonly ctx: ServiceContext) {}

  async list(filter: ProposalFilter = {}): Promise<ProposalPage> {
    const limit = filter.limit ?? DEFAULT_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw invalidInput(`A page holds 1 to ${MAX_PAGE} proposals.`);
    const request = listRequest(filter, limit);
    const page = await listPage(this.ctx.connection(), request);
    const last = page[page.length - 1]?.id;
    return { proposals: page.map(toProposalView), ...(page.length === limit && last !== undefined ? { nextBeforeProposal: last } : {}) };
  }

  async get(proposalId: bigint | string): Promise<ProposalView> {
    const id = parseProposalId(proposalId);
    const p = await getProposal(this.ctx.connection(), id);
    return toProposalView(p);
  }

  /** Proposals where votes still count and one of the user's neurons has not voted yet, newest first. */
  async actionable(): Promise<ActionableProposal[]> {
    const conn = this.ctx.connection();
    const [acceptingVotes, neuronManagement] = await Promise.all([
      listAll(conn, { rewardStatuses: [ProposalRewardStatus.AcceptVotes] }),
      // Neuron-management proposals are never "accepting votes" for rewards: read the open ones.
      listAll(conn, {
        statuses: [ProposalStatus.Open],
        rewardStatuses: [ProposalRewardStatus.Ineligible],
        topics: [Topic.NeuronManagement],
      }),
    ]);
    const seen = new Set<bigint>();
    const out: ActionableProposal[] = [];
    for (const p of [...acceptingVotes, ...neuronManagement]) {
      const id = p.id ?? 0n;
      if (seen.has(id)) continue;
      seen.add(id);
      // The ballots list only the caller's neurons (as controller or hotkey).
      const votable = p.ballots.filter((b) => b.vote === 0).map((b) => b.neuronId);
      if (votable.length > 0) out.push({ ...toProposalView(p), votableNeuronIds: votable });
    }
    return out.sort((a, b) => (a.id > b.id ? -1 : a.id < b.id ? 1 : 0));
  }

  /** A Motion proposal made by one of the user's neurons (it needs a 6-month dissolve delay). */
  prepareMotion(a: MotionArgs): Promise<Review> {
    return prepareMotion(this.ctx, a);
  }

  confirm(reviewId: string): Promise<MotionResult> {
    return this.ctx.reviews.confirm<MotionResult>(reviewId);
  }
}

export function listRequest(f: ProposalFilter, limit: number): ListProposalsRequest {
  const topics = f.topics ?? [];
  for (const t of topics) if (!TOPICS.includes(t)) throw invalidInput(`${String(t)} is not a proposal topic.`);
  const statuses = f.statuses ?? [];
  for (const s of statuses) if (!Object.values(ProposalStatus).includes(s) || s === 0) throw invalidInput(`${String(s)} is not a proposal status.`);
  const rewards = f.rewardStatuses ?? [];
  for (const r of rewards) if (!Object.values(ProposalRewardStatus).includes(r) || r === 0) throw invalidInput(`${String(r)} is not a reward status.`);
  return {
    limit,
    beforeProposal: f.beforeProposal === undefined ? undefined : parseProposalId(f.beforeProposal),
    excludeTopic: topics.length === 0 ? [] : TOPICS.filter((t) => !topics.includes(t)),
    includeStatus: statuses,
    includeRewardStatus: rewards,
    includeAllManageNeuronProposals: f.includeAllNeuronManagement === true,
    omitLargeFields: true,
  };
}

export async function listPage(conn: Connection, request: ListProposalsRequest): Promise<ProposalInfo[]> {
  try {
    return (await conn.governance.listProposals({ request, certified: false })).proposals;
  } catch (e) {
    throw toDeskError(e, 'Loading the proposals');
  }
}

/** Every page of a filter (bounded), newest first. */
export async function listAll(conn: Connection, filter: ProposalFilter, maxPages = MAX_ACTIONABLE_PAGES): Promise<ProposalInfo[]> {
  const out: ProposalInfo[] = [];
  let before: bigint | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = await listPage(conn, listRequest({ ...filter, beforeProposal: before }, MAX_PAGE));
    out.push(...page);
    if (page.length < MAX_PAGE) break;
    before = page[page.length - 1].id;
  }
  return out;
}

export async function getProposal(conn: Connection, id: bigint): Promise<ProposalInfo> {
  let p: ProposalInfo | undefined;
  try {
    p = await conn.governance.getProposal({ proposalId: id, certified: false });
  } catch (e) {
    throw toDeskError(e, 'Loading the proposal');
  }
  if (!p) throw new DeskError('not-found', `There is no proposal ${id}.`);
  return p;
}
