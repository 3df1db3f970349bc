// The following cascade over HTTP on a hand-built follow graph (reference, "Proposals: Following
// cascade"): a cycle A -> B -> C -> A, fan-ins with the majority rules (Yes if more than half of
// the followees voted Yes, No if at least half voted No), a topic list that overrides the
// catch-all, the catch-all that does not apply to the Governance topic, a follower without a
// ballot. Checked through the caller's ballots in get_proposal_info and list_proposals, the tally
// against the voting power formula, the recent ballots, and which votes refresh voting power.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subnet } from '../../subnet/subnet.ts';
import {
  DAY,
  Err,
  ICP,
  Topic,
  Vote,
  YEAR,
  ballotsOf,
  economicsProposal,
  expectGovError,
  motion,
  staker,
  votingPowerOf,
  type Gov,
  type Staker,
  startGovernanceSubnet,
} from './support/governance.ts';

let subnet: Subnet;
let demo: Staker;
// P proposes; S is a silent whale (no early decision); Q has a 7-day delay (no ballot).
const names = ['P', 'S', 'A', 'B', 'C', 'D', 'E', 'F', 'X', 'Y', 'Z', 'W', 'V', 'Q'] as const;
type Name = (typeof names)[number];
const id = {} as Record<Name, bigint>;
const nameOf = (n: bigint) => names.find((k) => id[k] === n)!;

beforeAll(async () => {
  subnet = await startGovernanceSubnet();
  demo = await staker(subnet.url, 'demo');
  const stakes: Record<Name, [bigint, bigint]> = {
    P: [100n * ICP, YEAR],
    S: [1_000n * ICP, YEAR],
    A: [2n * ICP, 30n * DAY],
    B: [3n * ICP, 60n * DAY],
    C: [4n * ICP, 90n * DAY],
    D: [2n * ICP, YEAR],
    E: [5n * ICP, 30n * DAY],
    F: [6n * ICP, 30n * DAY],
    X: [2n * ICP, 20n * DAY],
    Y: [2n * ICP, 20n * DAY],
    Z: [2n * ICP, 20n * DAY],
    W: [2n * ICP, 20n * DAY],
    V: [2n * ICP, 20n * DAY],
    Q: [2n * ICP, 7n * DAY],
  };
  await Promise.all(names.map(async (n) => (id[n] = await demo.stake(...stakes[n]))));
  const follow = (n: Name, topic: number, followees: Name[]) => demo.governance.setFollowees({ neuronId: id[n], topic, followees: followees.map((f) => id[f]) });
  // The cycle, on NetworkEconomics.
  await follow('A', Topic.NetworkEconomics, ['B']);
  await follow('B', Topic.NetworkEconomics, ['C']);
  await follow('C', Topic.NetworkEconomics, ['A']);
  // Fan-ins: 3 and 4 followees.
  await follow('X', Topic.NetworkEconomics, ['P', 'D', 'E']);
  await follow('Y', Topic.NetworkEconomics, ['P', 'D', 'E', 'F']);
  // A topic list and a catch-all; a catch-all only; Governance list plus catch-all; no ballot.
  await demo.governance.setFollowing({
    neuronId: id.Z,
    topicFollowing: [
      { topic: Topic.CatchAll, followees: [id.C] },
      { topic: Topic.NetworkEconomics, followees: [id.D] },
    ],
  });
  await follow('W', Topic.CatchAll, ['C']);
  await follow('V', Topic.Governance, ['C']);
  await follow('V', Topic.CatchAll, ['D']);
  await follow('Q', Topic.CatchAll, ['P']);
});
afterAll(async () => subnet?.stop());

/** The caller's ballots by name: [vote, power]. */
async function ballots(proposalId: bigint): Promise<{ p: Gov.ProposalInfo; votes: Partial<Record<Name, number>> }> {
  const p = await demo.proposal(proposalId);
  const votes: Partial<Record<Name, number>> = {};
  for (const [n, b] of ballotsOf(p)) votes[nameOf(n)] = b.vote;
  return { p, votes };
}

const U = Vote.Unspecified;
const Yes = Vote.Yes;
const No = Vote.No;

/** Checks every ballot's power against the formula at the proposal's creation, and the tally. */
async function checkPowersAndTally(p: Gov.ProposalInfo) {
  const created = p.proposal_timestamp_seconds;
  let total = 0n;
  let yes = 0n;
  let no = 0n;
  for (const [n, b] of p.ballots) {
    const full = await demo.full(n);
    // Nothing about these neurons changed since the proposal was made (the newest one: P's fees
    // include its reject cost, charged before the ballots are taken).
    const expected = votingPowerOf(full, created).deciding;
    expect(b.voting_power, `ballot power of ${nameOf(n)}`).toBe(expected);
    total += expected;
    if (b.vote === Yes) yes += expected;
    if (b.vote === No) no += expected;
  }
  const tally = p.latest_tally[0]!;
  expect(tally).toMatchObject({ yes, no, total });
  expect(p.total_potential_voting_power[0]).toBe(total); // all refreshed recently: deciding = potential
}

describe('cascade on NetworkEconomics (topic lists and the catch-all)', () => {
  let proposal: bigint;

  it('at creation: the proposer votes Yes; followers with too few Yes wait; a neuron below 14 days has no ballot', async () => {
    proposal = await economicsProposal(demo, id.P);
    const { p, votes } = await ballots(proposal);
    expect(p.topic).toBe(Topic.NetworkEconomics);
    expect(votes).toEqual({ P: Yes, S: U, A: U, B: U, C: U, D: U, E: U, F: U, X: U, Y: U, Z: U, W: U, V: U });
    expect(p.status).toBe(1); // Open: the whale S has not voted
    await checkPowersAndTally(p);
    // The listing shows the same ballots of the caller.
    const listed = await demo.governance.listProposals({
      request: { limit: 1, beforeProposal: undefined, includeRewardStatus: [], excludeTopic: [], includeAllManageNeuronProposals: false, includeStatus: [] },
      certified: true,
    });
    expect(listed.proposals[0].id).toBe(proposal);
    expect(new Map(listed.proposals[0].ballots.map((b) => [b.neuronId, [b.vote, b.votingPower]]))).toEqual(
      new Map(p.ballots.map(([n, b]) => [n, [b.vote, b.voting_power]])),
    );
  });

  it('a No from C runs around the cycle (C -> B -> A, then stops at C) and reaches C\'s catch-all follower W, not Z', async () => {
    const refreshedBefore = new Map(await Promise.all(names.map(async (n) => [n, (await demo.info(id[n])).voting_power_refreshed_timestamp_seconds[0]!] as const)));
    await demo.governance.registerVote({ neuronId: id.C, vote: No, proposalId: proposal });
    const { p, votes } = await ballots(proposal);
    expect(votes).toEqual({ P: Yes, S: U, A: No, B: No, C: No, D: U, E: U, F: U, X: U, Y: U, Z: U, W: No, V: U });
    await checkPowersAndTally(p);
    // Votes cast by following neither refresh voting power nor are refused as direct votes later.
    for (const n of ['A', 'B', 'W'] as const) {
      expect((await demo.info(id[n])).voting_power_refreshed_timestamp_seconds[0], n).toBe(refreshedBefore.get(n));
    }
    expect((await demo.info(id.C)).voting_power_refreshed_timestamp_seconds[0]).toBe(p.latest_tally[0]!.timestamp_seconds);
    await expectGovError(demo.governance.registerVote({ neuronId: id.A, vote: Yes, proposalId: proposal }), Err.NeuronAlreadyVoted);
    // The followers' recent ballots record the votes cast for them.
    for (const n of ['A', 'B', 'W'] as const) {
      expect((await demo.full(id[n])).recent_ballots.map((b) => [b.proposal_id[0]?.id, b.vote]), n).toEqual([[proposal, No]]);
    }
  });

  it('a Yes from D: X has 2 of 3 Yes (majority), Y 2 of 4 (not yet); Z follows its topic list, V its catch-all', async () => {
    await demo.governance.registerVote({ neuronId: id.D, vote: Yes, proposalId: proposal });
    const { p, votes } = await ballots(proposal);
    expect(votes).toEqual({ P: Yes, S: U, A: No, B: No, C: No, D: Yes, E: U, F: U, X: Yes, Y: U, Z: Yes, W: No, V: Yes });
    await checkPowersAndTally(p);
  });

  it('Y: a third followee voting No leaves it 2 Yes / 1 No (nothing); a fourth makes half No, so No', async () => {
    await demo.governance.registerVote({ neuronId: id.E, vote: No, proposalId: proposal });
    expect((await ballots(proposal)).votes.Y).toBe(U);
    await demo.governance.registerVote({ neuronId: id.F, vote: No, proposalId: proposal });
    const { p, votes } = await ballots(proposal);
    expect(votes).toEqual({ P: Yes, S: U, A: No, B: No, C: No, D: Yes, E: No, F: No, X: Yes, Y: No, Z: Yes, W: No, V: Yes });
    await checkPowersAndTally(p);
    expect(p.status).toBe(1); // still open: S holds most of the power
  });
});

describe('cascade on Governance (no catch-all)', () => {
  it('only topic-4 followers follow: V follows C; W and Z (catch-all on C) and the topic-3 cycle do not', async () => {
    const proposal = await motion(demo, id.P, 'A motion for the follow graph');
    let { p, votes } = await ballots(proposal);
    expect(p.topic).toBe(Topic.Governance);
    expect(votes).toEqual({ P: Yes, S: U, A: U, B: U, C: U, D: U, E: U, F: U, X: U, Y: U, Z: U, W: U, V: U });
    await demo.governance.registerVote({ neuronId: id.C, vote: Yes, proposalId: proposal });
    ({ p, votes } = await ballots(proposal));
    expect(votes).toEqual({ P: Yes, S: U, A: U, B: U, C: Yes, D: U, E: U, F: U, X: U, Y: U, Z: U, W: U, V: Yes });
    await demo.governance.registerVote({ neuronId: id.D, vote: No, proposalId: proposal });
    ({ p, votes } = await ballots(proposal));
    // D is V's catch-all followee and Z's NetworkEconomics followee: neither applies to topic 4.
    expect(votes).toEqual({ P: Yes, S: U, A: U, B: U, C: Yes, D: No, E: U, F: U, X: U, Y: U, Z: U, W: U, V: Yes });
    await checkPowersAndTally(p);
  });
});
