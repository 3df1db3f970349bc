// Who may do what with a neuron, over HTTP with the real clients (reference, "manage_neuron: Who"):
// a hotkey may vote, follow (not on NeuronManagement), refresh, propose, join/leave the Neurons'
// Fund and read the full neuron, but not disburse, split, change the dissolve delay or manage the
// keys (except remove itself, as mainnet allows); a stranger may not vote or read the full neuron (only the public NeuronInfo), but may
// refresh anyone's stake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { NeuronVisibility } from '@dfinity/nns';
import type { Subnet } from '../../subnet/subnet.ts';
import { DAY, Err, ICP, Status, Topic, Vote, YEAR, expectGovError, motion, neuronAccount, staker, startGovernanceSubnet, type Staker } from './support/governance.ts';

let subnet: Subnet;
let demo: Staker; // controller of N
let alice: Staker; // hotkey of N
let bob: Staker; // controller of B (public)
let carol: Staker; // a stranger
let N: bigint;
let B: bigint;
let proposalId: bigint;

beforeAll(async () => {
  subnet = await startGovernanceSubnet();
  [demo, alice, bob, carol] = await Promise.all(['demo', 'alice', 'bob', 'carol'].map((n) => staker(subnet.url, n)));
  N = await demo.stake(50n * ICP, YEAR);
  B = await bob.stake(100n * ICP, YEAR); // more power than N: Bob's proposals pass at once
  await demo.governance.addHotkey({ neuronId: N, principal: alice.principal });
  await bob.governance.setVisibility(B, NeuronVisibility.Public);
  proposalId = await motion(bob, B, 'Bob asks a question');
});
afterAll(async () => subnet?.stop());

/** The parts of a full neuron that no command refused by authorization may change. */
const state = (n: Awaited<ReturnType<Staker['full']>>) => ({
  controller: n.controller[0]?.toText(),
  hot_keys: n.hot_keys.map((p) => p.toText()),
  dissolve_state: n.dissolve_state,
  aging_since: n.aging_since_timestamp_seconds,
  stake: n.cached_neuron_stake_e8s,
  fees: n.neuron_fees_e8s,
  maturity: n.maturity_e8s_equivalent,
  staked_maturity: n.staked_maturity_e8s_equivalent,
  followees: n.followees,
  visibility: n.visibility,
  auto_stake: n.auto_stake_maturity,
  cf: n.joined_community_fund_timestamp_seconds,
  disbursements: n.maturity_disbursements_in_progress,
});

describe('a hotkey', () => {
  it('cannot disburse, split, change the dissolve delay, manage keys or maturity: NotAuthorized, nothing changes', async () => {
    const before = state(await demo.full(N));
    const g = alice.governance;
    // The controller would get past authorization (and fail on state), the hotkey does not.
    await expectGovError(demo.governance.disburse({ neuronId: N }), Err.RequiresDissolved);
    await expectGovError(g.disburse({ neuronId: N }), Err.NotAuthorized);
    await expectGovError(g.disburse({ neuronId: N, amount: 2n * ICP, toAccountId: alice.account.toHex() }), Err.NotAuthorized);
    await expectGovError(g.splitNeuron({ neuronId: N, amount: 5n * ICP }), Err.NotAuthorized);
    await expectGovError(g.increaseDissolveDelay({ neuronId: N, additionalDissolveDelaySeconds: Number(30n * DAY) }), Err.NotAuthorized);
    await expectGovError(g.setDissolveDelay({ neuronId: N, dissolveDelaySeconds: Number(YEAR + 30n * DAY) }), Err.NotAuthorized);
    await expectGovError(g.startDissolving(N), Err.NotAuthorized);
    await expectGovError(g.stopDissolving(N), Err.NotAuthorized);
    await expectGovError(g.addHotkey({ neuronId: N, principal: carol.principal }), Err.NotAuthorized);
    await expectGovError(g.removeHotkey({ neuronId: N, principal: carol.principal }), Err.NotAuthorized); // only itself (below)
    await expectGovError(g.setVisibility(N, NeuronVisibility.Public), Err.NotAuthorized);
    await expectGovError(g.autoStakeMaturity({ neuronId: N, autoStake: true }), Err.NotAuthorized);
    await expectGovError(g.spawnNeuron({ neuronId: N, percentageToSpawn: 50 }), Err.NotAuthorized);
    await expectGovError(g.stakeMaturity({ neuronId: N, percentageToStake: 50 }), Err.NotAuthorized);
    await expectGovError(g.disburseMaturity({ neuronId: N, percentageToDisburse: 50 }), Err.NotAuthorized);
    await expectGovError(alice.manage(N, { DisburseToNeuron: { dissolve_delay_seconds: 0n, kyc_verified: true, amount_e8s: 2n * ICP, new_controller: [alice.principal], nonce: 7n } }), Err.NotAuthorized);
    await expectGovError(alice.manage(N, { Merge: { source_neuron_id: [{ id: B }] } }), Err.NotAuthorized);
    // NeuronManagement following is the controller's alone.
    await expectGovError(g.setFollowees({ neuronId: N, topic: Topic.NeuronManagement, followees: [B] }), Err.NotAuthorized);
    await expectGovError(g.setFollowing({ neuronId: N, topicFollowing: [{ topic: Topic.NeuronManagement, followees: [B] }] }), Err.NotAuthorized);
    expect(state(await demo.full(N))).toEqual(before);
  });

  it('can read the full neuron, follow, refresh, join and leave the Neurons\' Fund, propose and vote', async () => {
    const full = await alice.full(N);
    expect(full.controller[0]?.toText()).toBe(demo.principal.toText());
    expect(full.hot_keys.map((p) => p.toText())).toEqual([alice.principal.toText()]);
    const listed = await alice.governance.listNeurons({ certified: true });
    expect(listed.map((n) => n.neuronId)).toEqual([N]);
    expect(listed[0].fullNeuron?.cachedNeuronStake).toBe(50n * ICP);
    expect([...(await alice.raw.get_neuron_ids())]).toEqual([N]);

    // Follow and SetFollowing on other topics (B is public).
    await alice.governance.setFollowees({ neuronId: N, topic: Topic.NetworkEconomics, followees: [B] });
    await alice.governance.setFollowing({ neuronId: N, topicFollowing: [{ topic: Topic.CatchAll, followees: [B] }] });
    const followed = await demo.full(N);
    expect(followed.followees).toEqual([
      [Topic.CatchAll, { followees: [{ id: B }] }],
      [Topic.NetworkEconomics, { followees: [{ id: B }] }],
    ]);

    // RefreshVotingPower moves the refresh timestamp to the subnet's now.
    const refreshedBefore = followed.voting_power_refreshed_timestamp_seconds[0]!;
    await alice.governance.refreshVotingPower({ neuronId: N });
    const refreshed = await alice.info(N);
    expect(refreshed.voting_power_refreshed_timestamp_seconds[0]!).toBeGreaterThanOrEqual(refreshedBefore);
    expect(refreshed.voting_power_refreshed_timestamp_seconds[0]!).toBeLessThanOrEqual(refreshed.retrieved_at_timestamp_seconds);

    await alice.governance.joinCommunityFund(N);
    expect((await demo.full(N)).joined_community_fund_timestamp_seconds).toHaveLength(1);
    await alice.governance.leaveCommunityFund(N);
    expect((await demo.full(N)).joined_community_fund_timestamp_seconds).toEqual([]);

    // A proposal made with N by its hotkey; N is the proposer and votes Yes.
    const own = await motion(alice, N, 'Alice proposes with N');
    const p = await alice.proposal(own);
    expect(p.proposer[0]?.id).toBe(N);
    expect(p.ballots.find(([id]) => id === N)?.[1].vote).toBe(Vote.Yes);
    expect(p.status).toBe(Status.Open); // N alone is no majority
    expect((await demo.full(N)).neuron_fees_e8s).toBe(25n * ICP); // the reject cost, charged to N

    // A vote on Bob's proposal.
    await alice.governance.registerVote({ neuronId: N, vote: Vote.No, proposalId });
    const voted = await alice.governance.getProposal({ proposalId, certified: true });
    expect(voted?.ballots.map((b) => [b.neuronId, b.vote])).toEqual([[N, Vote.No]]);
    await expectGovError(alice.governance.registerVote({ neuronId: N, vote: Vote.Yes, proposalId }), Err.NeuronAlreadyVoted);
    expect((await demo.full(N)).recent_ballots.map((b) => [b.proposal_id[0]?.id, b.vote])).toEqual([
      [proposalId, Vote.No],
      [own, Vote.Yes],
    ]);
  });
});

describe('a stranger', () => {
  it('cannot vote, follow, refresh voting power, propose, or read the full neuron', async () => {
    const before = state(await demo.full(N));
    const other = await motion(bob, B, 'Another question from Bob');
    await expectGovError(carol.governance.registerVote({ neuronId: N, vote: Vote.Yes, proposalId: other }), Err.NotAuthorized);
    await expectGovError(carol.governance.setFollowees({ neuronId: N, topic: Topic.Governance, followees: [B] }), Err.NotAuthorized);
    await expectGovError(carol.governance.setFollowing({ neuronId: N, topicFollowing: [{ topic: Topic.Governance, followees: [B] }] }), Err.NotAuthorized);
    await expectGovError(carol.governance.refreshVotingPower({ neuronId: N }), Err.NotAuthorized);
    await expectGovError(carol.governance.joinCommunityFund(N), Err.NotAuthorized);
    await expectGovError(motion(carol, N, 'Carol tries with N'), Err.NotAuthorized);
    await expectGovError(carol.governance.disburse({ neuronId: N }), Err.NotAuthorized);
    await expectGovError(carol.governance.increaseDissolveDelay({ neuronId: N, additionalDissolveDelaySeconds: 1 }), Err.NotAuthorized);
    await expectGovError(carol.full(N), Err.NotAuthorized);
    await expectGovError(carol.full(B), Err.NotAuthorized); // public, but still not the full neuron
    expect(state(await demo.full(N))).toEqual(before);
    // N did not vote on the new proposal.
    const p = await demo.proposal(other);
    expect(p.ballots).toEqual([[N, { vote: Vote.Unspecified, voting_power: p.ballots[0][1].voting_power }]]);
  });

  it('sees the NeuronInfo of a private neuron without its ballots; of a public one with them', async () => {
    const mine = await demo.info(N);
    expect(mine.recent_ballots.length).toBeGreaterThan(0);
    const theirs = await carol.info(N);
    expect(theirs.recent_ballots).toEqual([]);
    expect(theirs.stake_e8s).toBe(mine.stake_e8s);
    expect(theirs.dissolve_delay_seconds).toBe(mine.dissolve_delay_seconds);
    const listed = await carol.governance.listNeurons({ certified: true, neuronIds: [N], includeEmptyNeurons: true });
    expect(listed.map((n) => n.neuronId)).toEqual([N]);
    expect(listed[0].fullNeuron).toBeUndefined();
    const pub = await carol.info(B);
    expect(pub.recent_ballots.map((b) => b.proposal_id[0]?.id)).toContain(proposalId);
    await expectGovError(carol.info(123n), Err.NotFound);
  });

  it('sees no ballots in proposals; each caller sees exactly the ballots of its neurons', async () => {
    const ballots = async (s: Staker) => (await s.proposal(proposalId)).ballots.map(([id]) => id);
    expect(await ballots(carol)).toEqual([]);
    expect(await ballots(alice)).toEqual([N]);
    expect(await ballots(demo)).toEqual([N]);
    expect(await ballots(bob)).toEqual([B]);
    const listed = await carol.governance.listProposals({
      request: { limit: 10, beforeProposal: undefined, includeRewardStatus: [], excludeTopic: [], includeAllManageNeuronProposals: false, includeStatus: [] },
      certified: true,
    });
    expect(listed.proposals.length).toBeGreaterThanOrEqual(3);
    for (const p of listed.proposals) expect(p.ballots).toEqual([]);
    expect([...(await carol.raw.get_neuron_ids())]).toEqual([]);
  });

  it('may refresh anyone\'s neuron stake (ClaimOrRefresh by id), which adds a top-up', async () => {
    const account = (await demo.full(N)).account;
    await carol.ledger.transfer({ to: neuronAccount(account), amount: 3n * ICP });
    const refreshed = await carol.governance.claimOrRefreshNeuron({ neuronId: N, by: { NeuronIdOrSubaccount: {} } });
    expect(refreshed).toBe(N);
    expect((await demo.full(N)).cached_neuron_stake_e8s).toBe(53n * ICP);
  });
});

describe('a removed hotkey', () => {
  it('may remove itself, and then loses every right it had', async () => {
    await alice.governance.removeHotkey({ neuronId: N, principal: alice.principal });
    await expectGovError(demo.governance.removeHotkey({ neuronId: N, principal: alice.principal }), Err.NotFound);
    const other = await motion(bob, B, 'A third question from Bob');
    await expectGovError(alice.governance.registerVote({ neuronId: N, vote: Vote.Yes, proposalId: other }), Err.NotAuthorized);
    await expectGovError(alice.full(N), Err.NotAuthorized);
    await expectGovError(alice.governance.refreshVotingPower({ neuronId: N }), Err.NotAuthorized);
    expect([...(await alice.raw.get_neuron_ids())]).toEqual([]);
    expect(await alice.governance.listNeurons({ certified: true })).toEqual([]);
    // A random identity is as much a stranger.
    const nobody = await staker(subnet.url, Ed25519KeyIdentity.generate());
    await expectGovError(nobody.governance.registerVote({ neuronId: N, vote: Vote.Yes, proposalId: other }), Err.NotAuthorized);
  });
});
