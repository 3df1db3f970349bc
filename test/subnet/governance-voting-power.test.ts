// The voting power refresh over HTTP with simulated months (reference, "Deciding voting power"):
// deciding = potential for 6 months after the last refresh, then linearly less over a month, 0 after
// 7 months, when all following but NeuronManagement is cleared. Direct votes, MakeProposal, Follow,
// SetFollowing and RefreshVotingPower refresh; votes cast by following and ClaimOrRefresh do not.
// Ballots of new proposals carry the deciding power of their creation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subnet } from '../../subnet/subnet.ts';
import {
  DAY,
  ICP,
  MONTH,
  SIX_MONTHS,
  Topic,
  Vote,
  YEAR,
  advance,
  decidingVotingPower,
  motion,
  staker,
  votingPowerOf,
  type Staker,
  startGovernanceSubnet,
} from './support/governance.ts';

let subnet: Subnet;
let demo: Staker;
let P: bigint; // proposer, refreshed by its proposals
let F: bigint; // followee, refreshed by its direct votes
let V: bigint; // the neuron left alone

beforeAll(async () => {
  subnet = await startGovernanceSubnet();
  demo = await staker(subnet.url, 'demo');
  P = await demo.stake(200n * ICP, YEAR);
  F = await demo.stake(10n * ICP, YEAR);
  V = await demo.stake(20n * ICP, YEAR);
  await demo.governance.setFollowing({
    neuronId: V,
    topicFollowing: [
      { topic: Topic.CatchAll, followees: [F] },
      { topic: Topic.Governance, followees: [F] },
      { topic: Topic.NeuronManagement, followees: [F] },
    ],
  });
});
afterAll(async () => subnet?.stop());

/** V's reported voting power against the formula at the time of the query. */
async function checkPower(id: bigint) {
  const full = await demo.full(id);
  const info = await demo.info(id);
  const now = info.retrieved_at_timestamp_seconds;
  const expected = votingPowerOf(full, now);
  expect(info.potential_voting_power[0]).toBe(expected.potential);
  expect(info.deciding_voting_power[0]).toBe(expected.deciding);
  expect(info.voting_power).toBe(expected.deciding);
  expect(expected.potential).toBeGreaterThan(0n);
  return { full, info, now, since: now - full.voting_power_refreshed_timestamp_seconds[0]!, ...expected };
}

/**
 * The full neurons as the ballots of `proposal` saw them: P's fees then included the proposal's
 * reject cost (charged before the ballots are taken, as mainnet does), even if refunded since.
 */
async function atCreation(proposal: bigint, pFeesBefore: bigint) {
  const p = await demo.proposal(proposal);
  const out = new Map<bigint, Awaited<ReturnType<Staker['full']>>>();
  for (const id of [P, F, V]) {
    const full = await demo.full(id);
    out.set(id, id === P ? { ...full, neuron_fees_e8s: pFeesBefore + p.reject_cost_e8s } : full);
  }
  return { p, neurons: out };
}

/** Moves the clock to `target` seconds after V's last refresh. */
async function advanceToSinceRefresh(target: bigint) {
  const { since } = await checkPower(V);
  expect(since).toBeLessThan(target);
  await advance(subnet.url, target - since, demo);
}

describe('deciding voting power', () => {
  let refreshed: bigint;

  it('equals the potential up to 6 months without a refresh', async () => {
    refreshed = (await demo.full(V)).voting_power_refreshed_timestamp_seconds[0]!;
    await advanceToSinceRefresh(SIX_MONTHS - DAY);
    const v = await checkPower(V);
    expect(v.since).toBeLessThanOrEqual(SIX_MONTHS);
    expect(v.deciding).toBe(v.potential);
  });

  it('falls linearly over the 7th month; ballots of a new proposal carry it; following still votes, without refreshing', async () => {
    await advanceToSinceRefresh(SIX_MONTHS + MONTH / 2n);
    const v = await checkPower(V);
    expect(v.since).toBeGreaterThan(SIX_MONTHS);
    expect(v.since).toBeLessThan(SIX_MONTHS + MONTH);
    expect(v.deciding).toBe((v.potential * (MONTH - (v.since - SIX_MONTHS))) / MONTH);
    expect(v.deciding).toBeLessThan(v.potential);
    expect(v.deciding).toBeGreaterThan(0n);

    // ClaimOrRefresh refreshes the stake, not the voting power.
    expect(await demo.governance.claimOrRefreshNeuron({ neuronId: V, by: { NeuronIdOrSubaccount: {} } })).toBe(V);
    expect((await demo.full(V)).voting_power_refreshed_timestamp_seconds[0]).toBe(refreshed);

    // F is refreshed (it will vote directly anyway); P by its proposal.
    await demo.governance.refreshVotingPower({ neuronId: F });
    const fees = (await demo.full(P)).neuron_fees_e8s;
    const proposal = await motion(demo, P, 'Half a month into the decline');
    const { p, neurons } = await atCreation(proposal, fees);
    const created = p.proposal_timestamp_seconds;
    const vAt = votingPowerOf(neurons.get(V)!, created);
    expect(vAt.deciding).toBe(decidingVotingPower(vAt.potential, created - refreshed));
    const ballot = new Map(p.ballots.map(([id, b]) => [id, b]));
    expect(ballot.get(V)!.voting_power).toBe(vAt.deciding);
    let potential = 0n;
    let total = 0n;
    for (const id of [P, F, V]) {
      const at = votingPowerOf(neurons.get(id)!, created);
      potential += at.potential;
      total += at.deciding;
      expect(ballot.get(id)!.voting_power).toBe(at.deciding);
    }
    expect(p.total_potential_voting_power[0]).toBe(potential);
    expect(p.latest_tally[0]!.total).toBe(total);
    expect(total).toBeLessThan(potential);

    // F votes; V follows it (Governance list) but stays unrefreshed.
    await demo.governance.registerVote({ neuronId: F, vote: Vote.No, proposalId: proposal });
    const after = await demo.proposal(proposal);
    expect(new Map(after.ballots.map(([id, b]) => [id, b.vote])).get(V)).toBe(Vote.No);
    expect((await demo.full(V)).voting_power_refreshed_timestamp_seconds[0]).toBe(refreshed);
    expect((await demo.full(F)).voting_power_refreshed_timestamp_seconds[0]).toBe(after.latest_tally[0]!.timestamp_seconds);
  });

  it('is 0 after 7 months, when following is cleared except NeuronManagement; new ballots have 0 power and no follow', async () => {
    await advanceToSinceRefresh(SIX_MONTHS + MONTH + DAY);
    const v = await checkPower(V);
    expect(v.since).toBeGreaterThanOrEqual(SIX_MONTHS + MONTH);
    expect(v.deciding).toBe(0n);
    expect(v.full.followees).toEqual([[Topic.NeuronManagement, { followees: [{ id: F }] }]]);

    await demo.governance.refreshVotingPower({ neuronId: F });
    const fees = (await demo.full(P)).neuron_fees_e8s;
    const proposal = await motion(demo, P, 'Seven months on');
    const { p, neurons } = await atCreation(proposal, fees);
    const ballot = new Map(p.ballots.map(([id, b]) => [id, b]));
    expect(ballot.get(V)!.voting_power).toBe(0n);
    const vAt = votingPowerOf(neurons.get(V)!, p.proposal_timestamp_seconds);
    expect(vAt.potential).toBeGreaterThan(0n);
    let potential = 0n;
    for (const id of [P, F, V]) {
      const at = votingPowerOf(neurons.get(id)!, p.proposal_timestamp_seconds);
      potential += at.potential;
      expect(ballot.get(id)!.voting_power).toBe(at.deciding);
    }
    expect(p.total_potential_voting_power[0]).toBe(potential);
    await demo.governance.registerVote({ neuronId: F, vote: Vote.Yes, proposalId: proposal });
    expect(new Map((await demo.proposal(proposal)).ballots.map(([id, b]) => [id, b.vote])).get(V)).toBe(Vote.Unspecified);
  });

  it('RefreshVotingPower restores it at once (following stays cleared)', async () => {
    const before = (await demo.info(V)).retrieved_at_timestamp_seconds;
    await demo.governance.refreshVotingPower({ neuronId: V });
    const v = await checkPower(V);
    expect(v.full.voting_power_refreshed_timestamp_seconds[0]).toBeGreaterThanOrEqual(before);
    expect(v.full.voting_power_refreshed_timestamp_seconds[0]).toBeGreaterThan(refreshed + SIX_MONTHS + MONTH);
    expect(v.deciding).toBe(v.potential);
    expect(v.full.followees).toEqual([[Topic.NeuronManagement, { followees: [{ id: F }] }]]);
    // And a direct vote refreshes too: 6.5 months on, V votes itself and is whole again.
    await advanceToSinceRefresh(SIX_MONTHS + MONTH / 2n);
    expect((await checkPower(V)).deciding).toBeLessThan((await checkPower(V)).potential);
    const proposal = await motion(demo, P, 'Another half a month into the decline');
    await demo.governance.registerVote({ neuronId: V, vote: Vote.Yes, proposalId: proposal });
    const again = await checkPower(V);
    expect(again.full.voting_power_refreshed_timestamp_seconds[0]).toBe((await demo.proposal(proposal)).latest_tally[0]!.timestamp_seconds);
    expect(again.deciding).toBe(again.potential);
  });
});
