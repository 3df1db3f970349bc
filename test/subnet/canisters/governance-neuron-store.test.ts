// The column store of neurons: every field reads back exactly what was written, through a view and
// through an encode/decode round trip, including values the float64 columns keep aside.
import { Principal } from '@icp-sdk/core/principal';
import { describe, expect, it } from 'vitest';
import { GovernanceState, U64_MAX, Visibility, type Neuron } from '../../../subnet/canisters/governance/model.ts';
import { plainNeuron } from '../../../subnet/canisters/governance/neuron-store.ts';

const alice = Principal.fromText('xkbqi-2qaaa-aaaah-qbpqq-cai');
const bob = Principal.fromUint8Array(new Uint8Array(29).fill(7));

function neuron(id: bigint, o: Partial<Neuron> = {}): Neuron {
  const sub = new Uint8Array(32);
  new DataView(sub.buffer).setBigUint64(24, id);
  return {
    id,
    controller: alice,
    hotKeys: [],
    subaccount: sub,
    cachedStakeE8s: 100_000_000n,
    feesE8s: 0n,
    maturityE8s: 0n,
    stakedMaturityE8s: 0n,
    createdSeconds: 1_700_000_000n,
    agingSinceSeconds: 1_700_000_000n,
    dissolve: { kind: 'delay', seconds: 15_778_800n },
    followees: new Map(),
    votingPowerRefreshedSeconds: 1_700_000_000n,
    autoStakeMaturity: false,
    visibility: Visibility.Private,
    maturityDisbursements: [],
    kycVerified: true,
    notForProfit: false,
    ...o,
  };
}

const EDGE: Neuron[] = [
  neuron(1n),
  neuron(2n ** 64n - 1n, {
    controller: bob,
    hotKeys: [alice, Principal.anonymous()],
    cachedStakeE8s: 2n ** 53n + 7n,
    feesE8s: 2n ** 53n,
    maturityE8s: 10n ** 17n + 3n,
    stakedMaturityE8s: 2n ** 53n - 1n,
    agingSinceSeconds: U64_MAX,
    dissolve: { kind: 'when', timestamp: 1_800_000_000n },
    followees: new Map([
      [0, [1n, 5n]],
      [4, [2n ** 63n]],
    ]),
    autoStakeMaturity: true,
    joinedCommunityFundSeconds: 0n,
    visibility: Visibility.Public,
    knownNeuron: { name: 'Edge "quoted" \u00e9', description: 'd', links: ['https://example.org'], committedTopics: [4, 14] },
    spawnAtSeconds: 1_750_000_000n,
    maturityDisbursements: [
      { amountE8s: 5n, timestampSeconds: 9n, toAccountIdentifier: new Uint8Array(32).fill(1) },
      { amountE8s: 2n ** 60n, timestampSeconds: 10n, toAccountIdentifier: new Uint8Array(32).fill(2), toAccount: { owner: bob, subaccount: new Uint8Array(32).fill(3) } },
      { amountE8s: 1n, timestampSeconds: 11n, toAccountIdentifier: new Uint8Array(32).fill(4), toAccount: { owner: alice } },
    ],
    eightYearGangBonusBaseE8s: 12_345n,
    neuronType: 2,
    kycVerified: false,
    notForProfit: true,
  }),
  neuron(3n, { dissolve: { kind: 'delay', seconds: 0n }, cachedStakeE8s: 0n }),
];

const fields = (n: Neuron) => ({ ...plainNeuron(n), slot: undefined });

describe('neuron store', () => {
  it('reads back every field exactly, through views and after an encode/decode round trip', () => {
    const state = new GovernanceState();
    const views = EDGE.map((n) => state.addNeuron(n));
    views.forEach((v, i) => expect(fields(v)).toEqual(fields(EDGE[i])));
    expect(Object.isFrozen(EDGE[0])).toBe(true); // the object passed in is not the neuron any more

    const restored = new GovernanceState();
    restored.restoreNeurons(state.store.encode());
    for (const n of EDGE) expect(fields(restored.neuron(n.id)!)).toEqual(fields(n));
    expect(restored.neuronIdsOf(alice)).toEqual(new Set([1n, 2n ** 64n - 1n, 3n]));
    expect(restored.neuronIdsOf(bob)).toEqual(new Set([2n ** 64n - 1n]));
    expect(restored.neuronBySubaccount(EDGE[2].subaccount)?.id).toBe(3n);
    expect([...restored.followerSlotsOf(0, 5n)]).toEqual([1]);
    expect(restored.knownNeuronIds).toEqual(new Set([2n ** 64n - 1n]));
  });

  it('restores the hash tables from their dump, and rebuilds them when the dump does not fit', () => {
    const state = new GovernanceState();
    for (let i = 1n; i <= 3000n; i++) state.addNeuron(neuron(i * 7919n, { controller: i % 3n === 0n ? bob : alice }));
    state.removeNeuron(7919n * 5n);
    const bytes = state.store.encode();
    const good = state.dumpIndexes();
    const wrong = new GovernanceState();
    for (let i = 1n; i <= 2999n; i++) wrong.addNeuron(neuron(i * 13n));
    for (const indexes of [good, wrong.dumpIndexes(), { ...good, byId: good.byId.subarray(0, 100) }]) {
      const again = new GovernanceState();
      again.restoreNeurons(bytes, indexes);
      expect(again.neuron(7919n * 3n)?.id).toBe(7919n * 3n);
      expect(again.neuron(7919n * 5n)).toBeUndefined();
      expect(again.neuronIdsOf(bob).size).toBe(1000);
      expect(again.neuronIdsOf(alice).size).toBe(1999);
      expect(again.neuronBySubaccount(neuron(7919n * 2999n).subaccount)?.id).toBe(7919n * 2999n);
      again.addNeuron(neuron(1n));
      expect(again.neuronIdsOf(alice).size).toBe(2000);
    }
  });

  it('keeps follower lists true through follow, unfollow and follow again, and across a dump', () => {
    const state = new GovernanceState();
    const [a, b, c] = [1n, 2n, 3n].map((id) => state.addNeuron(neuron(id)));
    state.setFollowees(b, 4, [a.id]);
    state.setFollowees(c, 4, [a.id, b.id]);
    state.setFollowees(b, 4, []); // b leaves a stale entry in a's list
    state.setFollowees(c, 4, [b.id]); // c drops a
    state.setFollowees(c, 4, [a.id, b.id]); // and follows a again
    state.setFollowees(b, 4, [a.id]);
    state.setFollowees(b, 4, [a.id, c.id]);
    expect(state.followersOf(4, a.id)).toEqual(new Set([b.id, c.id]));
    expect(state.followersOf(4, b.id)).toEqual(new Set([c.id]));
    expect(state.followersOf(4, c.id)).toEqual(new Set([b.id]));
    state.setFollowees(c, 4, []);
    expect(state.followersOf(4, a.id)).toEqual(new Set([b.id]));
    const seen: number[] = [];
    state.forEachFollower(4, a.id, (slot) => seen.push(slot));
    expect(new Set(seen)).toEqual(new Set([b.slot])); // b twice: it followed a, left, and came back
    const again = new GovernanceState();
    again.restoreNeurons(state.store.encode(), state.dumpIndexes());
    expect(again.followersOf(4, a.id)).toEqual(new Set([b.id]));
    expect(again.followersOf(4, c.id)).toEqual(new Set([b.id]));
    expect(again.followersOf(4, b.id).size).toBe(0);
  });

  it('writes through a view: amounts, dissolve state, optional fields, lists', () => {
    const state = new GovernanceState();
    const n = state.addNeuron(neuron(9n));
    n.maturityE8s += 2n ** 60n;
    n.dissolve = { kind: 'when', timestamp: 42n };
    n.spawnAtSeconds = 7n;
    n.spawnAtSeconds = undefined;
    n.joinedCommunityFundSeconds = 2n ** 53n + 1n;
    n.maturityDisbursements = [...n.maturityDisbursements, { amountE8s: 1n, timestampSeconds: 2n, toAccountIdentifier: new Uint8Array(32) }];
    state.addHotKey(n, bob);
    n.maturityE8s = 5n; // from a kept-aside value back to a plain one
    const again = new GovernanceState();
    again.restoreNeurons(state.store.encode());
    const m = again.neuron(9n)!;
    expect(m.maturityE8s).toBe(5n);
    expect(m.dissolve).toEqual({ kind: 'when', timestamp: 42n });
    expect(m.spawnAtSeconds).toBeUndefined();
    expect(m.joinedCommunityFundSeconds).toBe(2n ** 53n + 1n);
    expect(m.maturityDisbursements).toHaveLength(1);
    expect(m.hotKeys.map((k) => k.toText())).toEqual([bob.toText()]);
    expect(again.neuronIdsOf(bob)).toEqual(new Set([9n]));
  });

  it('keeps the slot and id of a removed neuron', () => {
    const state = new GovernanceState();
    state.addNeuron(neuron(1n));
    state.addNeuron(neuron(2n, { followees: new Map([[0, [1n]]]) }));
    state.addNeuron(neuron(3n));
    state.removeNeuron(2n);
    expect(state.neuronIdsOf(alice)).toEqual(new Set([1n, 3n])); // out of the middle of alice's chain
    state.removeNeuron(3n); // the head of the chain
    expect(state.neuronIdsOf(alice)).toEqual(new Set([1n]));
    state.addNeuron(neuron(4n));
    expect(state.neuronIdsOf(alice)).toEqual(new Set([1n, 4n]));
    expect(state.neuronBySubaccount(neuron(3n).subaccount)).toBeUndefined();
    const again = new GovernanceState();
    again.restoreNeurons(state.store.encode());
    expect(again.neuron(2n)).toBeUndefined();
    expect(again.idAt(1)).toBe(2n);
    expect(again.neuron(3n)).toBeUndefined();
    expect(again.neuron(4n)?.slot).toBe(3);
    expect(again.neuronIdsOf(alice)).toEqual(new Set([1n, 4n]));
    expect(again.neuronCount).toBe(2);
    expect([...again.neurons.values()].map((n) => n.id)).toEqual([1n, 4n]);
    expect(again.followerSlotsOf(0, 1n).size).toBe(0);
  });
});
