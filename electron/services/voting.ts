// Voting with the user's neurons, the NNS dapp's way: a neuron can vote when it has a ballot on the
// proposal (made when the proposal was created, for neurons with a long enough dissolve delay) that
// is still unspecified. One review covers the vote of every chosen neuron; the votes are sent in
// parallel and each neuron gets its result. "Neuron already voted" (error 19: following may have
// voted first, or a previous confirm whose answer was lost) counts as done. Neurons that cannot vote
// are reported with the reason, without a call.
import { Vote, type ProposalInfo } from '@icp-sdk/canisters/nns';
import { formatIcp } from '../api/amounts.ts';
import { DeskError, invalidInput, type DeskErrorData } from '../api/errors.ts';
import type { Review } from '../api/review.ts';
import { signingConnection, type ServiceContext } from './context.ts';
import { GovErrorType, toDeskError } from './errors.ts';
import { govErrorType, manageNeuronCall, networkName } from './neuron-calls.ts';
import { parseNeuronId, parseProposalId } from './neuron-input.ts';
import type { NeuronView } from './neuron-view.ts';
import { loadNeurons, type LoadedNeurons } from './neurons.ts';
import { getProposal } from './proposals.ts';
import { isAcceptingVotes, toProposalView, voteName, type ProposalView } from './proposal-view.ts';

export type IneligibleReason = 'created-after-proposal' | 'dissolve-delay-too-short' | 'no-ballot';

export interface NeuronEligibility {
  neuronId: bigint;
  status: 'can-vote' | 'voted' | 'ineligible';
  vote?: 'yes' | 'no';
  /** The ballot's voting power (fixed when the proposal was made). */
  votingPower?: bigint;
  reason?: IneligibleReason;
  reasonText?: string;
}

export interface VotingEligibility {
  proposalId: bigint;
  acceptingVotes: boolean;
  neurons: NeuronEligibility[];
}

export interface NeuronVoteResult {
  neuronId: bigint;
  outcome: 'voted' | 'already-voted' | 'failed';
  error?: DeskErrorData;
}

export interface VoteResult {
  proposalId: bigint;
  vote: 'yes' | 'no';
  results: NeuronVoteResult[];
  ineligible: Array<{ neuronId: bigint; reason: IneligibleReason; reasonText: string }>;
  /** The proposal as it is after the votes. */
  proposal?: ProposalView;
}

export class Voting {
  constructor(private readonly ctx: ServiceContext) {}

  /** For each of the user's neurons: can it vote on the proposal, did it, or why not. */
  async eligibility(proposalId: bigint | string): Promise<VotingEligibility> {
    const id = parseProposalId(proposalId);
    const conn = this.ctx.connection();
    const [loaded, proposal] = await Promise.all([loadNeurons(conn), getProposal(conn, id)]);
    return eligibilityOf(loaded, proposal);
  }

  /** One review for the vote of `neuronIds` (default: every neuron that can vote). */
  async prepareVote(a: { proposalId: bigint | string; vote: 'yes' | 'no'; neuronIds?: Array<bigint | string> }): Promise<Review> {
    const conn = signingConnection(this.ctx);
    const proposalId = parseProposalId(a.proposalId);
    if (a.vote !== 'yes' && a.vote !== 'no') throw invalidInput('The vote is either "yes" or "no".');
    const [loaded, proposal] = await Promise.all([loadNeurons(conn), getProposal(conn, proposalId)]);
    const e = eligibilityOf(loaded, proposal);
    if (!e.acceptingVotes) throw invalidInput(`Voting on proposal ${proposalId} has closed.`);
    const byId = new Map(e.neurons.map((n) => [n.neuronId, n]));
    let chosen: NeuronEligibility[];
    if (a.neuronIds === undefined) chosen = e.neurons.filter((n) => n.status === 'can-vote');
    else {
      const ids = [...new Set(a.neuronIds.map((x) => parseNeuronId(x)))];
      chosen = ids.map((id) => byId.get(id) ?? notMine(id));
    }
    const voters = chosen.filter((n) => n.status === 'can-vote');
    if (voters.length === 0) throw invalidInput(`None of ${a.neuronIds === undefined ? 'your' : 'the chosen'} neurons can vote on proposal ${proposalId}.`);
    const voted = chosen.filter((n) => n.status === 'voted');
    const ineligible = chosen
      .filter((n) => n.status === 'ineligible')
      .map((n) => ({ neuronId: n.neuronId, reason: n.reason!, reasonText: n.reasonText! }));
    const vote = a.vote === 'yes' ? Vote.Yes : Vote.No;
    const title = proposal.proposal?.title ?? `proposal ${proposalId}`;
    const power = voters.reduce((s, n) => s + (n.votingPower ?? 0n), 0n);
    return this.ctx.reviews.prepare(
      {
        action: 'vote',
        title: `Vote ${a.vote === 'yes' ? 'Yes' : 'No'} on proposal ${proposalId} with ${voters.length} neuron${voters.length === 1 ? '' : 's'}`,
        network: networkName(conn),
        signer: conn.principal.toText(),
        calls: voters.map((n) => manageNeuronCall(n.neuronId, { RegisterVote: { proposal: proposalId, vote } })),
        notes: [
          `"${title}"`,
          `Voting power used: ${formatIcp(power)} (the ballots' power, fixed when the proposal was made).`,
          'A vote cannot be changed once cast; it also refreshes each neuron\'s voting power.',
          ...voted.map((n) => `Neuron ${n.neuronId} already voted ${n.vote === 'yes' ? 'Yes' : 'No'}.`),
          ...ineligible.map((n) => `Neuron ${n.neuronId} cannot vote: ${n.reasonText}`),
        ],
      },
      async (): Promise<VoteResult> => {
        const results = await Promise.all(
          voters.map(async (n): Promise<NeuronVoteResult> => {
            try {
              await conn.governance.registerVote({ neuronId: n.neuronId, vote, proposalId });
              return { neuronId: n.neuronId, outcome: 'voted' };
            } catch (err) {
              if (govErrorType(err) === GovErrorType.NeuronAlreadyVoted) return { neuronId: n.neuronId, outcome: 'already-voted' };
              return { neuronId: n.neuronId, outcome: 'failed', error: toDeskError(err, `Voting with neuron ${n.neuronId}`).toData() };
            }
          }),
        );
        for (const n of voted) results.push({ neuronId: n.neuronId, outcome: 'already-voted' });
        // Lost answers: confirming again re-sends every vote; those that were cast answer "already voted".
        const lost = results.filter((r) => r.error?.kind === 'network');
        if (lost.length > 0) {
          throw new DeskError('network', `The votes of ${lost.length} neuron${lost.length === 1 ? '' : 's'} did not get an answer. It is safe to confirm again.`, lost.map((r) => String(r.neuronId)).join(', '));
        }
        const after = await getProposal(conn, proposalId).then(toProposalView, () => undefined);
        return { proposalId, vote: a.vote, results, ineligible, ...(after ? { proposal: after } : {}) };
      },
    );
  }

  confirm(reviewId: string): Promise<VoteResult> {
    return this.ctx.reviews.confirm<VoteResult>(reviewId);
  }
}

function notMine(id: bigint): never {
  throw new DeskError('not-found', `Neuron ${id} is not one of this identity's neurons (neither controlled nor as a hotkey).`);
}

export function eligibilityOf(loaded: LoadedNeurons, proposal: ProposalInfo): VotingEligibility {
  const ballots = new Map(proposal.ballots.map((b) => [b.neuronId, b]));
  const neurons = loaded.views.map((n): NeuronEligibility => {
    const b = ballots.get(n.id);
    if (b && b.vote !== Vote.Unspecified) return { neuronId: n.id, status: 'voted', vote: voteName(b.vote) as 'yes' | 'no', votingPower: b.votingPower };
    if (b) return { neuronId: n.id, status: 'can-vote', votingPower: b.votingPower };
    const recent = loaded.raw.find((r) => r.neuronId === n.id)?.recentBallots.find((r) => r.proposalId === proposal.id);
    if (recent && recent.vote !== Vote.Unspecified) return { neuronId: n.id, status: 'voted', vote: voteName(recent.vote) as 'yes' | 'no' };
    return { neuronId: n.id, status: 'ineligible', ...ineligibility(n, proposal, loaded.limits.minimumDissolveDelayToVoteSeconds) };
  });
  return { proposalId: proposal.id ?? 0n, acceptingVotes: isAcceptingVotes(proposal), neurons };
}

/** Why a neuron has no ballot (the NNS dapp's two reasons, and a third when neither explains it). */
function ineligibility(n: NeuronView, p: ProposalInfo, minimumDelay: bigint): { reason: IneligibleReason; reasonText: string } {
  const created = p.proposalTimestampSeconds;
  // Created in the proposal's second without a ballot: after it (ballots are made with the proposal).
  if (n.createdAtSeconds >= created) return { reason: 'created-after-proposal', reasonText: 'the neuron was created after the proposal was made.' };
  // Its dissolve delay when the proposal was made: a locked neuron's is its current one (unless it was
  // increased since), a dissolving or dissolved neuron's is what was left of it then.
  const delayThen = n.state === 'locked' ? n.dissolveDelaySeconds : n.dissolveAtSeconds !== undefined && n.dissolveAtSeconds > created ? n.dissolveAtSeconds - created : 0n;
  if (n.state !== 'spawning' && delayThen < minimumDelay) {
    return { reason: 'dissolve-delay-too-short', reasonText: `its dissolve delay was under the ${Number(minimumDelay / 86_400n)} days needed to vote when the proposal was made.` };
  }
  return { reason: 'no-ballot', reasonText: 'it has no ballot on this proposal.' };
}
