// A neuron's voting history: its recent ballots (governance keeps the latest 100, newest first) with
// the proposals' titles, topics and outcomes. The proposals are read in one list_proposals page that
// ends at the newest ballot; ballots older than that page are read one by one (get_proposal_info).
// A proposal governance no longer has keeps its ballot, without a title.
import type { ProposalInfo } from '@icp-sdk/canisters/nns';
import type { Connection } from '../network/agents.ts';
import { getProposal, listPage, listRequest, MAX_PAGE } from './proposals.ts';
import { toProposalView, type ProposalStatusName } from './proposal-view.ts';
import type { RecentBallotView } from './neuron-view.ts';
import { DeskError } from '../api/errors.ts';

export interface VotingHistoryEntry {
  proposalId: bigint;
  vote: 'yes' | 'no';
  /** Absent when governance no longer has the proposal. */
  title?: string;
  topic?: number;
  topicName?: string;
  status?: ProposalStatusName;
  decidedAtSeconds?: bigint;
}

/** The ballots joined with their proposals, in the ballots' order (newest first). */
export async function votingHistoryOf(conn: Connection, ballots: readonly RecentBallotView[]): Promise<VotingHistoryEntry[]> {
  if (ballots.length === 0) return [];
  const found = await proposalsOf(
    conn,
    ballots.map((b) => b.proposalId),
  );
  return ballots.map((b) => {
    const p = found.get(b.proposalId);
    if (!p) return { proposalId: b.proposalId, vote: b.vote };
    const v = toProposalView(p);
    return {
      proposalId: b.proposalId,
      vote: b.vote,
      title: v.title,
      topic: v.topic,
      topicName: v.topicName,
      status: v.statusName,
      ...(v.decidedAtSeconds !== undefined ? { decidedAtSeconds: v.decidedAtSeconds } : {}),
    };
  });
}

/** The proposals with these ids that governance still has, by id. */
async function proposalsOf(conn: Connection, ids: readonly bigint[]): Promise<Map<bigint, ProposalInfo>> {
  const wanted = new Set(ids);
  const newest = ids.reduce((a, b) => (b > a ? b : a));
  // The page of proposals up to the newest ballot (before_proposal is exclusive), neuron management included.
  const page = await listPage(conn, listRequest({ beforeProposal: newest + 1n, includeAllNeuronManagement: true }, MAX_PAGE));
  const out = new Map<bigint, ProposalInfo>();
  for (const p of page) if (p.id !== undefined && wanted.has(p.id)) out.set(p.id, p);
  // A short page holds every proposal up to the newest ballot; a full one ends at its oldest proposal.
  const oldestListed = page.length < MAX_PAGE ? -1n : (page[page.length - 1]?.id ?? -1n);
  const rest = [...wanted].filter((id) => !out.has(id) && id < oldestListed);
  const more = await Promise.all(
    rest.map((id) =>
      getProposal(conn, id).catch((e: unknown) => {
        if (e instanceof DeskError && e.kind === 'not-found') return undefined;
        throw e;
      }),
    ),
  );
  for (const p of more) if (p?.id !== undefined) out.set(p.id, p);
  return out;
}
