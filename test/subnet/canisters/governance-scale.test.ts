// The structures that keep governance fast at mainnet size: the ballot snapshot's float64 fast
// path (checked against the exact bigint formulas), and the mainnet-sized fixture at a small size
// through the runtime (ledger balances back every stake; queries, cascade and snapshot round trip).
import { describe, expect, it } from 'vitest';
import { Principal } from '@icp-sdk/core/principal';
import { accountIdentifier } from '../../../subnet/canisters/common/accounts.ts';
import { exactBallotPower, snapshotBallots } from '../../../subnet/canisters/governance/ballots.ts';
import { FIXTURE_WHALE_NEURONS, fixtureWhale } from '../../../subnet/canisters/governance/fixture.ts';
import { GovernanceCanister } from '../../../subnet/canisters/governance/governance.ts';
import { DAY, GovernanceState, MONTH, SIX_MONTHS, TWO_YEARS, U64_MAX, Visibility, Vote, type Neuron } from '../../../subnet/canisters/governance/model.ts';
import { neuronAccount } from '../../../subnet/canisters/governance/staking.ts';
import { GOVERNANCE_ID, LEDGER_ID } from '../../../subnet/canisters/ids.ts';
import { buildFixtureWorld } from '../../../subnet/genesis/fixture.ts';
import { Runtime } from '../../../subnet/runtime/runtime.ts';
import { nnsCanisters } from '../../../subnet/world.ts';

const NOW = 1_790_000_000n;
const econ = { minimumDissolveDelaySeconds: 14n * DAY, startReducingAfterSeconds: SIX_MONTHS, clearFollowingAfterSeconds: MONTH };

/** A deterministic stream of numbers in [0, 1). */
function random(seed: number) {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
}

function neuron(i: number, r: () => number): Neuron {
  const pick = <T,>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const stake = pick([0n, 1n, 100_000_000n, BigInt(Math.floor(r() * 1e12)), 2n ** 53n + 7n, 10n ** 17n + BigInt(i), BigInt(Math.floor(r() * 1e15))]);
  const dissolving = r() < 0.3;
  const sub = new Uint8Array(32);
  new DataView(sub.buffer).setUint32(28, i);
  return {
    id: BigInt(i + 1),
    controller: Principal.anonymous(),
    hotKeys: [],
    subaccount: sub,
    cachedStakeE8s: stake,
    feesE8s: r() < 0.2 ? BigInt(Math.floor(r() * 1e9)) : 0n,
    maturityE8s: 0n,
    stakedMaturityE8s: r() < 0.3 ? BigInt(Math.floor(r() * 1e11)) : 0n,
    createdSeconds: NOW - 1000n,
    agingSinceSeconds: dissolving ? U64_MAX : pick([NOW, NOW - 1n, NOW - BigInt(Math.floor(r() * 2e8)), NOW + 100n]),
    dissolve: dissolving
      ? { kind: 'when', timestamp: NOW + pick([0n, -5n, 14n * DAY, BigInt(Math.floor(r() * 7e7))]) }
      : { kind: 'delay', seconds: pick([0n, 14n * DAY, TWO_YEARS, TWO_YEARS + 99n, BigInt(Math.floor(r() * 7e7))]) },
    followees: new Map(),
    votingPowerRefreshedSeconds: NOW - pick([0n, SIX_MONTHS, SIX_MONTHS + 1n, SIX_MONTHS + BigInt(Math.floor(r() * 2.7e6)), SIX_MONTHS + MONTH, 10n ** 9n]),
    autoStakeMaturity: false,
    visibility: Visibility.Private,
    maturityDisbursements: [],
    eightYearGangBonusBaseE8s: r() < 0.05 ? 10n ** 10n : undefined,
    kycVerified: true,
    notForProfit: false,
  };
}

describe('ballot snapshot', () => {
  it('gives exactly the reference formulas for every neuron (fast path and fallbacks)', () => {
    const state = new GovernanceState();
    const r = random(42);
    for (let i = 0; i < 20_000; i++) state.addNeuron(neuron(i, r));
    const snap = snapshotBallots(state, NOW, econ);
    let potential = 0n;
    let deciding = 0n;
    let eligible = 0;
    for (const n of state.neuronsBySlot) {
      const want = exactBallotPower(n!, NOW, econ);
      const got = snap.ballots.get(n!.id);
      if (!want) {
        expect(got).toBeUndefined();
        continue;
      }
      eligible++;
      expect(got, `neuron ${n!.id}`).toEqual({ vote: Vote.Unspecified, votingPower: want.deciding });
      potential += want.potential;
      deciding += want.deciding;
    }
    expect(eligible).toBeGreaterThan(5_000);
    expect(snap.ballots.size).toBe(eligible);
    expect(snap.totalPotential).toBe(potential);
    expect(snap.totalDeciding).toBe(deciding);
  });
});

describe('the mainnet-sized fixture, small', () => {
  it('is backed by the ledger, answers queries, cascades, and survives a snapshot round trip', async () => {
    const { canisters, userCanisterHost } = nnsCanisters()(Principal.fromText('2vxsx-fae'));
    const governance = canisters.find((c) => c instanceof GovernanceCanister) as GovernanceCanister;
    const rt = await Runtime.create({ canisters, userCanisterHost, genesis: buildFixtureWorld({ neurons: 1_500, proposals: 300 }) });
    const anon = Principal.anonymous();
    const state = governance.governanceState;
    expect(state.neurons.size).toBe(1_500);
    expect(state.proposals.size).toBe(300);

    // Every stake is on the neuron's ledger account.
    for (const n of [...state.neurons.values()].slice(0, 50)) {
      const balance = rt.queryDecoded<{ e8s: bigint }>(LEDGER_ID, 'account_balance', [{ account: neuronAccount(n.subaccount) }], anon);
      expect(balance.e8s).toBe(n.cachedStakeE8s);
    }
    expect(neuronAccount(state.neuronsBySlot[0]!.subaccount)).not.toEqual(accountIdentifier(anon));

    const whale = fixtureWhale().getPrincipal();
    const ids = rt.queryDecoded<BigUint64Array>(GOVERNANCE_ID, 'get_neuron_ids', [], whale);
    expect(ids.length).toBe(FIXTURE_WHALE_NEURONS);
    const known = rt.queryDecoded<any>(GOVERNANCE_ID, 'list_known_neurons', [], anon).known_neurons;
    expect(known.length).toBe(12);

    const req = { return_self_describing_action: [], include_reward_status: [], omit_large_fields: [true], before_proposal: [], limit: 100, exclude_topic: [], include_all_manage_neuron_proposals: [], include_status: [] };
    const page = rt.queryDecoded<any>(GOVERNANCE_ID, 'list_proposals', [req], anon).proposal_info;
    expect(page.map((p: any) => p.id[0].id)).toEqual(Array.from({ length: 100 }, (_, i) => 300n - BigInt(i)));
    expect(page.filter((p: any) => p.status === 1).length).toBe(8); // the open ones, newest

    // A vote of known neuron 0 on an open Governance proposal reaches its followers.
    const open = page[0].id[0].id as bigint;
    const k0 = state.neuron(known[0].id[0].id)!;
    const before = state.proposals.get(open)!.tally.yes;
    const r = await rt.callDecoded<any>(GOVERNANCE_ID, 'manage_neuron', [{ id: [{ id: k0.id }], command: [{ RegisterVote: { vote: 1, proposal: [{ id: open }] } }], neuron_id_or_subaccount: [] }], k0.controller);
    expect('RegisterVote' in r.command[0]).toBe(true);
    const followers = [...state.followerSlotsOf(4, k0.id)].map((s) => state.neuronsBySlot[s]!);
    const p = state.proposals.get(open)!;
    const voted = followers.filter((f) => p.ballots.get(f.id)?.vote === Vote.Yes);
    expect(voted.length).toBe(followers.filter((f) => p.ballots.has(f.id)).length);
    expect(voted.length).toBeGreaterThan(50);
    expect(p.tally.yes).toBeGreaterThan(before);
    expect(state.recentBallots(voted[0])[0]).toEqual({ proposalId: open, vote: Vote.Yes });

    const snap = governance.snapshot();
    const copy = new GovernanceCanister();
    copy.restore(snap);
    expect(copy.snapshot()).toEqual(snap);
    expect(copy.governanceState.proposals.get(open)!.ballots.get(voted[0].id)).toEqual(p.ballots.get(voted[0].id));
    await rt.close();
  });
});
