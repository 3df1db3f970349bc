// Voting rewards, spawn and maturity disbursement over HTTP with simulated days (reference,
// "Voting rewards", "manage_neuron: Spawn / DisburseMaturity"):
// - each day the pool grows by total supply * rate(day) / 365.25 * 0.6329 (M70, applied to each
//   day's new pool as rewards.ts does); a day that settles nothing rolls its pool over; the event
//   that settles proposals shares the pool: reward_i = floor(sum_p w_p * ballot_ip * pool /
//   sum_p w_p * total_potential_p) (Governance weighs 20, NetworkEconomics 1), for votes cast
//   directly or by following, into maturity or, with auto-stake, staked maturity;
// - a spawned neuron is minted its maturity times the modulation of the day it is minted, 7 days
//   later; a maturity disbursement likewise, to its destination account. Ledger balances checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NeuronVisibility } from '@dfinity/nns';
import type { Subnet } from '../../subnet/subnet.ts';
import { GOVERNANCE_ID } from '../../subnet/canisters/ids.ts';
import { admin } from './support/nns.ts';
import {
  DAY,
  ICP,
  NeuronState,
  SIX_MONTHS,
  Topic,
  Vote,
  YEAR,
  advance,
  dailyRewardPoolE8s,
  economicsProposal,
  modulated,
  motion,
  neuronAccount,
  rewardWeightCentis,
  staker,
  type Gov,
  type Staker,
  startGovernanceSubnet,
} from './support/governance.ts';

let subnet: Subnet;
let demo: Staker;
let alice: Staker;
let bob: Staker;
let N1: bigint; // demo, proposer
let N2: bigint; // demo, auto-stakes maturity
let A1: bigint; // alice
let B1: bigint; // bob, never votes
let F1: bigint; // bob, follows A1 on the catch-all: votes on E by following, not on M (Governance)
let M: bigint; // a motion (Governance, weight 20)
let E: bigint; // network economics (weight 1)
/** Ballots of each neuron on each proposal, read before the settlement drops them. */
const ballots = new Map<bigint, Map<bigint, { vote: number; power: bigint }>>();
const totals = new Map<bigint, { topic: number; potential: bigint }>();

const nowSeconds = async () => BigInt((await admin(subnet.url, '/_/status')).json.time_ns) / 1_000_000_000n;
const everyone = () => [demo, alice, bob];

beforeAll(async () => {
  subnet = await startGovernanceSubnet();
  [demo, alice, bob] = await Promise.all(['demo', 'alice', 'bob'].map((n) => staker(subnet.url, n)));
  N1 = await demo.stake(100n * ICP, YEAR);
  N2 = await demo.stake(50n * ICP, 2n * YEAR);
  await demo.governance.autoStakeMaturity({ neuronId: N2, autoStake: true });
  A1 = await alice.stake(300n * ICP, SIX_MONTHS);
  B1 = await bob.stake(20n * ICP, 30n * DAY);
  await alice.governance.setVisibility(A1, NeuronVisibility.Public);
  F1 = await bob.stake(10n * ICP, 30n * DAY);
  await bob.governance.setFollowees({ neuronId: F1, topic: Topic.CatchAll, followees: [A1] });
  M = await motion(demo, N1, 'Reward me');
  E = await economicsProposal(demo, N1);
  await alice.governance.registerVote({ neuronId: A1, vote: Vote.Yes, proposalId: M });
  await alice.governance.registerVote({ neuronId: A1, vote: Vote.No, proposalId: E });
  await demo.governance.registerVote({ neuronId: N2, vote: Vote.Yes, proposalId: E });
  for (const p of [M, E]) {
    const map = new Map<bigint, { vote: number; power: bigint }>();
    for (const s of everyone()) for (const [id, b] of (await s.proposal(p)).ballots) map.set(id, { vote: b.vote, power: b.voting_power });
    ballots.set(p, map);
    const info = await demo.proposal(p);
    totals.set(p, { topic: info.topic, potential: info.total_potential_voting_power[0]! });
  }
});
afterAll(async () => subnet?.stop());

describe('voting rewards', () => {
  let supply: bigint;
  let rolledOver: bigint;

  it('days 1 to 4 settle nothing (voting is still open): their pools roll over', async () => {
    expect([...ballots.get(M)!.keys()].sort()).toEqual([N1, N2, A1, B1, F1].sort());
    expect(ballots.get(E)!.get(F1)!.vote).toBe(Vote.No); // followed A1
    expect(ballots.get(M)!.get(F1)!.vote).toBe(Vote.Unspecified); // no catch-all on Governance
    supply = await demo.rawLedger.icrc1_total_supply();
    await advance(subnet.url, 4n * DAY, ...everyone());
    const e = await demo.governance.getLatestRewardEvent(true);
    expect(e.day_after_genesis).toBe(4n);
    expect(e.settled_proposals).toEqual([]);
    expect(e.distributed_e8s_equivalent).toBe(0n);
    expect(e.rounds_since_last_distribution).toEqual([4n]);
    let pool = 0n;
    for (let d = 1n; d <= 4n; d++) pool += dailyRewardPoolE8s(supply, d);
    expect(e.total_available_e8s_equivalent).toBe(pool);
    expect(e.latest_round_available_e8s_equivalent).toEqual([dailyRewardPoolE8s(supply, 4n)]);
    rolledOver = pool;
    for (const id of [N1, N2]) expect((await demo.full(id)).maturity_e8s_equivalent).toBe(0n);
    // Both proposals are past their deadline now, ready to settle.
    expect((await demo.proposal(M)).reward_status).toBe(2);
    expect((await demo.proposal(E)).reward_status).toBe(2);
  });

  it('a day later the event settles both proposals and credits maturity by the formula', async () => {
    const before = new Map<bigint, Gov.Neuron>();
    for (const [s, id] of [[demo, N1], [demo, N2], [alice, A1], [bob, B1], [bob, F1]] as const) before.set(id, await s.full(id));
    await advance(subnet.url, DAY, ...everyone());
    const e = await demo.governance.getLatestRewardEvent(true);
    expect(e.day_after_genesis).toBe(5n);
    expect(e.settled_proposals.map((p) => p.id).sort()).toEqual([M, E].sort());
    expect(e.rounds_since_last_distribution).toEqual([5n]);
    const fresh = dailyRewardPoolE8s(supply, 5n);
    expect(e.latest_round_available_e8s_equivalent).toEqual([fresh]);
    const pool = rolledOver + fresh;
    expect(e.total_available_e8s_equivalent).toBe(pool);

    // reward_i = floor(sum_p w_p * power_ip * pool / sum_p w_p * total_potential_p), voters only.
    let denominator = 0n;
    for (const p of [M, E]) denominator += rewardWeightCentis(totals.get(p)!.topic) * totals.get(p)!.potential;
    const expected = new Map<bigint, bigint>();
    for (const id of [N1, N2, A1, B1, F1]) {
      let used = 0n;
      for (const p of [M, E]) {
        const b = ballots.get(p)!.get(id)!;
        if (b.vote !== Vote.Unspecified) used += rewardWeightCentis(totals.get(p)!.topic) * b.power;
      }
      expected.set(id, (used * pool) / denominator);
    }
    expect(expected.get(B1)).toBe(0n);
    expect(expected.get(N1)! > 0n && expected.get(N2)! > 0n && expected.get(A1)! > 0n && expected.get(F1)! > 0n).toBe(true);
    const after = new Map<bigint, Gov.Neuron>();
    for (const [s, id] of [[demo, N1], [demo, N2], [alice, A1], [bob, B1], [bob, F1]] as const) after.set(id, await s.full(id));
    const gained = (id: bigint, field: 'maturity' | 'staked') => {
      const f = (n: Gov.Neuron) => (field === 'maturity' ? n.maturity_e8s_equivalent : (n.staked_maturity_e8s_equivalent[0] ?? 0n));
      return f(after.get(id)!) - f(before.get(id)!);
    };
    expect(gained(N1, 'maturity')).toBe(expected.get(N1));
    expect(gained(A1, 'maturity')).toBe(expected.get(A1));
    expect(gained(B1, 'maturity')).toBe(0n);
    expect(gained(F1, 'maturity')).toBe(expected.get(F1)); // earned by following
    // Auto-stake: N2's reward is staked maturity.
    expect(gained(N2, 'maturity')).toBe(0n);
    expect(gained(N2, 'staked')).toBe(expected.get(N2));
    expect(e.distributed_e8s_equivalent).toBe(expected.get(N1)! + expected.get(N2)! + expected.get(A1)! + expected.get(F1)!);
    // Rewards are maturity, not ICP: the supply did not change; the ballots are gone once settled.
    expect(await demo.rawLedger.icrc1_total_supply()).toBe(supply);
    const settled = await demo.proposal(M);
    expect(settled.reward_status).toBe(3);
    expect(settled.reward_event_round).toBe(5n);
    expect(settled.ballots).toEqual([]);
  });
});

describe('spawn and maturity disbursement', () => {
  const setModulation = (permyriad: number) => subnet.runtime.admin(GOVERNANCE_ID, 'set_maturity_modulation', { permyriad });

  it('spawn: a Spawning child now, minted its maturity with the modulation of 7 days later; a disbursement likewise', async () => {
    const parent = await demo.full(N1);
    const maturity = parent.maturity_e8s_equivalent;
    expect(maturity).toBeGreaterThan(2n * ICP);
    const calledAt = await nowSeconds();
    const child = await demo.governance.spawnNeuron({ neuronId: N1, percentageToSpawn: 60, newController: bob.principal });
    const share = (maturity * 60n) / 100n;
    expect((await demo.full(N1)).maturity_e8s_equivalent).toBe(maturity - share);
    const spawning = await bob.full(child);
    const spawnedAt = (await bob.info(child)).retrieved_at_timestamp_seconds;
    expect(spawning.controller[0]?.toText()).toBe(bob.principal.toText());
    expect(spawning.maturity_e8s_equivalent).toBe(share);
    expect(spawning.cached_neuron_stake_e8s).toBe(0n);
    // Spawning for 7 days from the call (dissolving until then).
    const spawnAt = spawning.spawn_at_timestamp_seconds[0]!;
    expect(spawnAt - 7n * DAY).toBeGreaterThanOrEqual(calledAt);
    expect(spawnAt - 7n * DAY).toBeLessThanOrEqual(spawnedAt);
    expect(spawning.dissolve_state).toEqual([{ WhenDissolvedTimestampSeconds: spawnAt }]);
    expect((await bob.info(child)).state).toBe(NeuronState.Spawning);
    const childAccount = neuronAccount(spawning.account);
    expect(await bob.balance(childAccount)).toBe(0n);

    // Three days later Alice disburses 40% of her maturity to Bob's account.
    await advance(subnet.url, 3n * DAY, ...everyone());
    const aliceMaturity = (await alice.full(A1)).maturity_e8s_equivalent;
    const bobBefore = await bob.balance(bob.account);
    await alice.governance.disburseMaturity({ neuronId: A1, percentageToDisburse: 40, toAccountIdentifier: bob.account.toHex() });
    const amount = (aliceMaturity * 40n) / 100n;
    const pending = await alice.full(A1);
    expect(pending.maturity_e8s_equivalent).toBe(aliceMaturity - amount);
    const [d] = pending.maturity_disbursements_in_progress[0]!;
    expect(d.amount_e8s).toEqual([amount]);
    expect(d.account_identifier_to_disburse_to[0]?.hash).toEqual(bob.account.toUint8Array());
    const requested = d.timestamp_of_disbursement_seconds[0]!;
    expect(d.finalize_disbursement_timestamp_seconds).toEqual([requested + 7n * DAY]);

    // The spawn completes with the modulation of its day: -4.20%.
    await setModulation(-420);
    const supply = await demo.rawLedger.icrc1_total_supply();
    await advance(subnet.url, spawnAt + 60n - (await nowSeconds()), ...everyone());
    const minted = modulated(share, -420n);
    const spawned = await bob.full(child);
    expect(spawned.spawn_at_timestamp_seconds).toEqual([]);
    expect(spawned.cached_neuron_stake_e8s).toBe(minted);
    expect(spawned.maturity_e8s_equivalent).toBe(0n);
    expect(await bob.balance(childAccount)).toBe(minted);
    expect((await bob.info(child)).state).toBe(NeuronState.Dissolved);
    expect(await demo.rawLedger.icrc1_total_supply()).toBe(supply + minted);
    // The disbursement is not due yet.
    expect(await bob.balance(bob.account)).toBe(bobBefore);
    expect((await alice.full(A1)).maturity_disbursements_in_progress[0]).toHaveLength(1);

    // The disbursement completes with the modulation of its day: +1.37%.
    await setModulation(137);
    await advance(subnet.url, requested + 7n * DAY + 60n - (await nowSeconds()), ...everyone());
    const paid = modulated(amount, 137n);
    expect(await bob.balance(bob.account)).toBe(bobBefore + paid);
    expect((await alice.full(A1)).maturity_disbursements_in_progress).toEqual([[]]);
    expect(await demo.rawLedger.icrc1_total_supply()).toBe(supply + minted + paid);
    // Bob may now disburse the spawned neuron's stake (it is dissolved).
    const bobMid = await bob.balance(bob.account);
    await bob.governance.disburse({ neuronId: child });
    expect(await bob.balance(bob.account)).toBe(bobMid + minted - 10_000n);
    expect(await bob.balance(childAccount)).toBe(0n);
  });
});
