// Tally, wait-for-quiet and the decision at the deadline, over HTTP with simulated time (reference,
// "Proposals"): a vote that flips the yes/no lead pushes the deadline to
// max(deadline, now + 2 days + period/2 - elapsed/2); a vote that does not flip it changes nothing;
// at the deadline a proposal is adopted iff yes >= 3% of the total and yes > no, else rejected
// (keeping the reject cost). Ballot powers and tallies are checked against the formulas.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subnet } from '../../subnet/subnet.ts';
import { admin } from './support/nns.ts';
import {
  DAY,
  Err,
  ICP,
  RewardStatus,
  Status,
  VOTING_PERIOD,
  Vote,
  YEAR,
  advance,
  expectGovError,
  motion,
  staker,
  votingPowerOf,
  waitForQuietDeadline,
  type Gov,
  type Staker,
  startGovernanceSubnet,
} from './support/governance.ts';

let subnet: Subnet;
let demo: Staker;
const n = {} as Record<'P' | 'N1' | 'N2' | 'Y1' | 'S', bigint>;
/** The full neurons as they were when each proposal was made (P's fees differ). */
const atCreation = new Map<bigint, Map<bigint, Gov.Neuron>>();
let A: bigint; // the wait-for-quiet proposal, adopted at its deadline
let B: bigint; // yes > no but yes < 3%: rejected at its deadline

const nowSeconds = async () => BigInt((await admin(subnet.url, '/_/status')).json.time_ns) / 1_000_000_000n;

async function snapshotNeurons(proposal: bigint) {
  const m = new Map<bigint, Gov.Neuron>();
  for (const id of Object.values(n)) m.set(id, await demo.full(id));
  atCreation.set(proposal, m);
}

/** Every ballot's power from the formula at creation; the tally as the sums of the votes. */
async function checkTally(proposal: bigint): Promise<Gov.ProposalInfo> {
  const p = await demo.proposal(proposal);
  const neurons = atCreation.get(proposal)!;
  let total = 0n;
  let yes = 0n;
  let no = 0n;
  expect(p.ballots.map(([id]) => id).sort()).toEqual([...neurons.keys()].sort());
  for (const [id, b] of p.ballots) {
    const power = votingPowerOf(neurons.get(id)!, p.proposal_timestamp_seconds).deciding;
    expect(b.voting_power).toBe(power);
    total += power;
    if (b.vote === Vote.Yes) yes += power;
    if (b.vote === Vote.No) no += power;
  }
  expect(p.latest_tally[0]).toMatchObject({ yes, no, total });
  expect(p.total_potential_voting_power[0]).toBe(total);
  return p;
}

beforeAll(async () => {
  subnet = await startGovernanceSubnet();
  demo = await staker(subnet.url, 'demo');
  n.P = await demo.stake(60n * ICP, YEAR);
  n.N1 = await demo.stake(45n * ICP, YEAR);
  n.N2 = await demo.stake(5n * ICP, YEAR);
  n.Y1 = await demo.stake(30n * ICP, YEAR);
  n.S = await demo.stake(800n * ICP, YEAR); // silent: nothing is decided early
  A = await motion(demo, n.P, 'Wait for quiet');
  await snapshotNeurons(A);
  B = await motion(demo, n.P, 'Too little support');
  await snapshotNeurons(B);
});
afterAll(async () => subnet?.stop());

describe('wait-for-quiet', () => {
  it('the proposer\'s Yes leads; the deadline is creation + 4 days', async () => {
    await checkTally(B);
    const p = await checkTally(A);
    expect(p.status).toBe(Status.Open);
    expect(p.deadline_timestamp_seconds[0]).toBe(p.proposal_timestamp_seconds + VOTING_PERIOD);
    const t = p.latest_tally[0]!;
    expect(t.yes).toBeGreaterThan(0n);
    expect(t.no).toBe(0n);
    expect(2n * t.yes).toBeLessThanOrEqual(t.total);
  });

  it('3 days later a No that flips the lead extends the deadline by the formula', async () => {
    await advance(subnet.url, 3n * DAY, demo);
    const before = await demo.proposal(A);
    const deadline = before.deadline_timestamp_seconds[0]!;
    await demo.governance.registerVote({ neuronId: n.N1, vote: Vote.No, proposalId: A });
    const p = await checkTally(A);
    const t = p.latest_tally[0]!;
    expect(t.no).toBeGreaterThan(t.yes); // flipped
    expect(2n * t.no).toBeLessThan(t.total); // no majority: still open
    expect(p.status).toBe(Status.Open);
    const expected = waitForQuietDeadline({ created: p.proposal_timestamp_seconds, deadline, period: VOTING_PERIOD }, t.timestamp_seconds);
    expect(expected).toBeGreaterThan(deadline);
    expect(p.deadline_timestamp_seconds[0]).toBe(expected);
  });

  it('a vote on the side already leading does not move the deadline', async () => {
    const before = await demo.proposal(A);
    await demo.governance.registerVote({ neuronId: n.N2, vote: Vote.No, proposalId: A });
    const p = await checkTally(A);
    expect(p.deadline_timestamp_seconds[0]).toBe(before.deadline_timestamp_seconds[0]);
  });

  it('2 days later (past the original deadline, before the extended one) a Yes flips it back and extends again', async () => {
    await advance(subnet.url, 2n * DAY, demo);
    const before = await demo.proposal(A);
    expect(before.status).toBe(Status.Open);
    expect(await nowSeconds()).toBeGreaterThan(before.proposal_timestamp_seconds + VOTING_PERIOD);
    const deadline = before.deadline_timestamp_seconds[0]!;
    await demo.governance.registerVote({ neuronId: n.Y1, vote: Vote.Yes, proposalId: A });
    const p = await checkTally(A);
    const t = p.latest_tally[0]!;
    expect(t.yes).toBeGreaterThan(t.no);
    const expected = waitForQuietDeadline({ created: p.proposal_timestamp_seconds, deadline, period: VOTING_PERIOD }, t.timestamp_seconds);
    expect(expected).toBeGreaterThan(deadline);
    expect(p.deadline_timestamp_seconds[0]).toBe(expected);
    expect(expected).toBeLessThanOrEqual(p.proposal_timestamp_seconds + VOTING_PERIOD + 4n * DAY);
  });

  it('at the deadline: yes >= 3% of the total and yes > no, so adopted (executed), the reject cost refunded', async () => {
    const before = await demo.proposal(A);
    const deadline = before.deadline_timestamp_seconds[0]!;
    const t = before.latest_tally[0]!;
    expect(100n * t.yes).toBeGreaterThanOrEqual(3n * t.total);
    expect(2n * t.yes).toBeLessThanOrEqual(t.total); // no absolute majority: only the deadline decides
    const feesBefore = (await demo.full(n.P)).neuron_fees_e8s;
    const now = await nowSeconds();
    expect(now).toBeLessThan(deadline);
    await advance(subnet.url, deadline - now + 60n, demo);
    const p = await demo.proposal(A);
    expect(p.status).toBe(Status.Executed);
    expect(p.decided_timestamp_seconds).toBe(deadline);
    expect(p.executed_timestamp_seconds).toBe(deadline);
    expect(p.latest_tally[0]).toEqual(t);
    expect((await demo.full(n.P)).neuron_fees_e8s).toBe(feesBefore - p.reject_cost_e8s);
    // Voting is over.
    await expectGovError(demo.governance.registerVote({ neuronId: n.S, vote: Vote.No, proposalId: A }), Err.PreconditionFailed);
  });
});

describe('the 3% rule', () => {
  it('yes > no but yes < 3% of the total: rejected at the (unchanged) deadline, the reject cost kept', async () => {
    const p = await demo.proposal(B);
    expect(p.status).toBe(Status.Rejected);
    expect(p.deadline_timestamp_seconds[0]).toBe(p.proposal_timestamp_seconds + VOTING_PERIOD);
    expect(p.decided_timestamp_seconds).toBe(p.deadline_timestamp_seconds[0]);
    expect(p.executed_timestamp_seconds).toBe(0n);
    const t = p.latest_tally[0]!;
    // Only the proposer voted (its stake net of two reject costs).
    const proposer = atCreation.get(B)!.get(n.P)!;
    expect(proposer.neuron_fees_e8s).toBe(2n * p.reject_cost_e8s);
    const expectedYes = votingPowerOf(proposer, p.proposal_timestamp_seconds).deciding;
    expect(t.yes).toBe(expectedYes);
    expect(t.no).toBe(0n);
    let total = 0n;
    for (const full of atCreation.get(B)!.values()) total += votingPowerOf(full, p.proposal_timestamp_seconds).deciding;
    expect(t.total).toBe(total);
    expect(t.yes).toBeGreaterThan(t.no);
    expect(100n * t.yes).toBeLessThan(3n * t.total);
    expect([RewardStatus.ReadyToSettle, RewardStatus.Settled]).toContain(p.reward_status);
    // P keeps the fee of B (A's was refunded).
    expect((await demo.full(n.P)).neuron_fees_e8s).toBe(p.reject_cost_e8s);
  });
});
