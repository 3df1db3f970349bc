// The cached-type-table encoder gives the same bytes as IDL.encode, on the first call and after.
import { expect, it } from 'vitest';
import { IDL } from '@icp-sdk/core/candid';
import { Principal } from '@icp-sdk/core/principal';
import { idlFactory } from '../../subnet/candid/generated/governance.did.ts';
import { encodeCandid, immutable } from '../../subnet/runtime/candid-encode.ts';

const service = idlFactory({ IDL }) as unknown as IDL.ServiceClass;
const func = (name: string) => service._fields.find(([n]) => n === name)![1];

it('matches IDL.encode byte for byte, with the table cached', () => {
  const ret = func('get_proposal_info').retTypes;
  const proposal = (k: number) => ({
    title: [`Proposal ${k}`],
    summary: 'x'.repeat(k),
    url: '',
    action: [k % 2 ? { Motion: { motion_text: `m${k}` } } : { ExecuteNnsFunction: { nns_function: k, payload: new Uint8Array([k]) } }],
    self_describing_action: [],
  });
  const info = (k: number) => ({
    id: [{ id: BigInt(k) }], status: 4, topic: 2, failure_reason: [], ballots: [[1n, { vote: 1, voting_power: 7n }]],
    proposal_timestamp_seconds: 1n, reward_event_round: 1n, deadline_timestamp_seconds: [1n], failed_timestamp_seconds: 0n,
    reject_cost_e8s: 1n, derived_proposal_information: [], latest_tally: [], total_potential_voting_power: [1n], reward_status: 3,
    decided_timestamp_seconds: 1n, proposal: [proposal(k)], proposer: [{ id: 1n }], executed_timestamp_seconds: 1n,
  });
  for (const v of [[info(1)], [], [info(2)], [info(3)]]) expect(encodeCandid(ret, [v])).toEqual(new Uint8Array(IDL.encode(ret, [v])));
  const two = [IDL.Text, IDL.Principal];
  expect(encodeCandid(two, ['a', Principal.anonymous()])).toEqual(new Uint8Array(IDL.encode(two, ['a', Principal.anonymous()])));
  expect(encodeCandid(two, ['bc', Principal.fromText('aaaaa-aa')])).toEqual(new Uint8Array(IDL.encode(two, ['bc', Principal.fromText('aaaaa-aa')])));
  expect(() => encodeCandid(ret, [[{ id: 'not a record' }]])).toThrow();
});

it('matches IDL.encode on real governance replies of the fixture', async () => {
  const { GovernanceCanister } = await import('../../subnet/canisters/governance/governance.ts');
  const { fixtureWhale } = await import('../../subnet/canisters/governance/fixture.ts');
  const g = new GovernanceCanister();
  const NS = 1_000_000_000n;
  const ctx = (caller: Principal) =>
    ({ self: g.id, caller, time: 1_790_000_000n * NS, cycles: 0n, call: () => Promise.reject(new Error('no calls')), dataCertificate: () => undefined }) as any;
  (g.admin as any).load_fixture(ctx(Principal.anonymous()), { neurons: 1_200, proposals: 150 });
  const whale = fixtureWhale().getPrincipal();
  const calls: [string, unknown[], Principal][] = [
    ['list_neurons', [{ neuron_ids: new BigUint64Array(), include_neurons_readable_by_caller: true, include_empty_neurons_readable_by_caller: [], include_public_neurons_in_full_neurons: [true], page_number: [], page_size: [100n], neuron_subaccounts: [] }], whale],
    ['list_proposals', [{ return_self_describing_action: [], include_reward_status: [], omit_large_fields: [], before_proposal: [], limit: 100, exclude_topic: [], include_all_manage_neuron_proposals: [], include_status: [] }], whale],
    ['get_neuron_ids', [], whale],
    ['list_known_neurons', [], whale],
    ['get_network_economics_parameters', [], whale],
    ['get_latest_reward_event', [], whale],
    ['get_pending_proposals', [], whale],
  ];
  for (const [method, args, caller] of calls) {
    const ret = func(method).retTypes;
    const value = await (g.methods[method] as any).handler(ctx(caller), ...args);
    const values = [value];
    expect(encodeCandid(ret, values), method).toEqual(new Uint8Array(IDL.encode(ret, values)));
    expect(encodeCandid(ret, values), method).toEqual(new Uint8Array(IDL.encode(ret, values)));
  }
});

it('compiled encoders: inlined records, opts, vecs and numbers, and their fallbacks, match IDL.encode', () => {
  // Bytes as IDL.encode gives them, on the first call (type table from IDL.encode) and cached.
  const seen = new WeakSet<IDL.Type[]>();
  const same = (types: IDL.Type[], values: unknown[]) => {
    seen.add(types);
    const want = new Uint8Array(IDL.encode(types, values));
    expect(encodeCandid(types, values)).toEqual(want);
    expect(encodeCandid(types, values)).toEqual(want);
  };
  // Refused by both. The same types array as a `same` before: encodeCandid's first call for a
  // types array runs IDL.encode, whose own check would be the one tested.
  const refused = (types: IDL.Type[], values: unknown[]) => {
    expect(seen.has(types)).toBe(true);
    expect(() => IDL.encode(types, values)).toThrow();
    expect(() => encodeCandid(types, values)).toThrow(/Invalid|leb/);
  };

  // Governance's BallotInfo: the shape of 50k values per list_neurons page.
  const Ballot = IDL.Record({ vote: IDL.Int32, proposal_id: IDL.Opt(IDL.Record({ id: IDL.Nat64 })) });
  const ballots = [IDL.Vec(Ballot)];
  const shared = Object.freeze({ vote: 1, proposal_id: Object.freeze([Object.freeze({ id: 7n })]) });
  const edge = [0n, 1n, 127n, 128n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 64n - 1n];
  same(ballots, [[shared, shared, ...edge.map((id, i) => ({ vote: [0, 1, 2, -1, -(2 ** 31), 2 ** 31 - 1, 3][i], proposal_id: [{ id }] })), { vote: 2, proposal_id: [] }, shared]]);
  same(ballots, [[]]);
  same(ballots, [[{ vote: 5n, proposal_id: [{ id: 9 }] }]]); // int32 from a bigint, nat64 from a number
  same(ballots, [[{ vote: 1, proposal_id: [{ id: 3n, extra: 'ignored' }], other: 1 }]]);
  refused(ballots, [[{ vote: 1, proposal_id: [{ id: 2n ** 64n }] }]]);
  refused(ballots, [[{ vote: 1, proposal_id: [{ id: -1n }] }]]);
  refused(ballots, [[{ vote: 1, proposal_id: [{ id: 1.5 }] }]]);
  refused(ballots, [[{ vote: 1, proposal_id: [{ id: '1' }] }]]);
  refused(ballots, [[{ vote: 2 ** 31, proposal_id: [] }]]);
  refused(ballots, [[{ vote: -(2 ** 31) - 1, proposal_id: [] }]]);
  refused(ballots, [[{ vote: 0.5, proposal_id: [] }]]);
  refused(ballots, [[{ vote: 1, proposal_id: [{ id: 1n }, { id: 2n }] }]]);
  refused(ballots, [[{ vote: 1, proposal_id: null }]]);
  refused(ballots, [[{ vote: 1, proposal_id: { id: 1n } }]]);
  refused(ballots, [[{ proposal_id: [] }]]);
  refused(ballots, [[{ vote: 1, proposal_id: [{}] }]]);
  refused(ballots, [[null]]);
  refused(ballots, [[1]]);
  refused(ballots, [{ length: 1, 0: shared }]);
  // A missing opt field is none (as before; IDL.encode itself insists on the key).
  expect(encodeCandid(ballots, [[{ vote: 1 }]])).toEqual(encodeCandid(ballots, [[{ vote: 1, proposal_id: [] }]]));

  // Every other kind inside a record: nat, bool, null, text, principal, variant, tuple, blob and
  // typed vecs, vec of vec, other fixed widths, int, float.
  const Kind = IDL.Variant({ A: IDL.Null, B: IDL.Record({ x: IDL.Nat64 }), C: IDL.Text });
  const Big = IDL.Record({
    nat: IDL.Nat,
    bool: IDL.Bool,
    nul: IDL.Null,
    text: IDL.Text,
    who: IDL.Principal,
    kind: Kind,
    pair: IDL.Tuple(IDL.Nat64, IDL.Text),
    pairs: IDL.Vec(IDL.Tuple(IDL.Nat64, IDL.Opt(IDL.Nat32))),
    blob: IDL.Vec(IDL.Nat8),
    ids: IDL.Vec(IDL.Nat64),
    ints: IDL.Vec(IDL.Int32),
    grid: IDL.Vec(IDL.Vec(IDL.Nat16)),
    small: IDL.Record({ a: IDL.Nat8, b: IDL.Int8, c: IDL.Int16, d: IDL.Int64, e: IDL.Nat32 }),
    int: IDL.Int,
    float: IDL.Float64,
    maybe: IDL.Opt(IDL.Opt(IDL.Bool)),
  });
  const big = (k: number) => ({
    nat: k ? 2n ** 70n + BigInt(k) : 0,
    bool: k % 2 === 0,
    nul: null,
    text: `naïve ${k} ✓`,
    who: k ? Principal.fromText('aaaaa-aa') : Principal.anonymous(),
    kind: [{ A: null }, { B: { x: BigInt(k) } }, { C: 'c' }][k % 3],
    pair: [BigInt(k), 'p'],
    pairs: [[1n, []], [2n, [k]]],
    blob: k % 2 ? new Uint8Array([1, 2, k]) : [1, 2, k],
    ids: k % 2 ? BigUint64Array.from([1n, 2n ** 64n - 1n]) : [1n, 2n ** 64n - 1n],
    ints: k % 2 ? Int32Array.from([-1, k]) : [-1, k],
    grid: [[], [1, 2], Uint16Array.from([3])],
    small: { a: 255, b: -128, c: -2, d: -(2n ** 63n), e: 2 ** 32 - 1 },
    int: -BigInt(k),
    float: k / 3,
    maybe: [[], [[true]], [[false]]][k % 3],
  });
  const bigs = [Big];
  same(bigs, [big(0)]);
  same([IDL.Vec(Big), IDL.Opt(Big)], [[0, 1, 2, 3, 4, 5].map(big), [big(6)]]);
  same([IDL.Vec(Big), IDL.Opt(Big)], [[], []]);
  refused(bigs, [{ ...big(1), nat: -1n }]);
  refused(bigs, [{ ...big(1), bool: 1 }]);
  refused(bigs, [{ ...big(1), nul: 0 }]);
  refused(bigs, [{ ...big(1), text: 1 }]);
  refused(bigs, [{ ...big(1), who: 'aaaaa-aa' }]);
  refused(bigs, [{ ...big(1), kind: { D: null } }]);
  refused(bigs, [{ ...big(1), pair: [1n] }]);
  refused(bigs, [{ ...big(1), ids: 'not a vec' }]);
  refused(bigs, [{ ...big(1), ints: [2 ** 31] }]);
  refused(bigs, [{ ...big(1), small: { ...big(1).small, a: 256 } }]);
  refused(bigs, [{ ...big(1), maybe: [[1]] }]);

  // A recursive type (called through its own encoder) and nesting past the inlining budget.
  const Tree = IDL.Rec();
  Tree.fill(IDL.Record({ value: IDL.Nat64, children: IDL.Vec(Tree), parent: IDL.Opt(Tree) }));
  const leaf = (v: bigint) => ({ value: v, children: [], parent: [] });
  const trees = [Tree];
  same(trees, [{ value: 1n, children: [leaf(2n), { value: 3n, children: [leaf(4n)], parent: [leaf(0n)] }], parent: [] }]);
  refused(trees, [{ value: 1n, children: [{ value: -1n, children: [], parent: [] }], parent: [] }]);
  let deep: IDL.Type = IDL.Nat64;
  let deepValue: unknown = 5n;
  for (let i = 0; i < 12; i++) {
    deep = i % 2 ? IDL.Opt(deep) : IDL.Record({ [`f${i}`]: deep, n: IDL.Nat32 });
    deepValue = i % 2 ? [deepValue] : { [`f${i}`]: deepValue, n: i };
  }
  same([deep], [deepValue]);
  const wide = IDL.Record(Object.fromEntries(Array.from({ length: 450 }, (_, i) => [`w${i}`, i % 2 ? IDL.Opt(IDL.Nat64) : IDL.Int32])));
  const wideValue = Object.fromEntries(Array.from({ length: 450 }, (_, i) => [`w${i}`, i % 2 ? [BigInt(i)] : -i]));
  const wides = [wide];
  same(wides, [wideValue]);
  refused(wides, [{ ...wideValue, w449: [-1n] }]);
});

it('immutable(): deep-frozen plain data, whose vecs are encoded once and copied after, byte for byte', () => {
  const Ballot = IDL.Record({ vote: IDL.Int32, proposal_id: IDL.Opt(IDL.Record({ id: IDL.Nat64 })) });
  // Two vec types of the same shape (each keeps its own bytes), in a record and alone.
  const Reply = IDL.Record({ a: IDL.Vec(Ballot), b: IDL.Vec(IDL.Tuple(IDL.Nat64, IDL.Record({ recent: IDL.Vec(Ballot) }))) });
  const types = [Reply];
  const alone = [IDL.Vec(Ballot)];
  const list = immutable([
    { vote: 1, proposal_id: [{ id: 5n }] },
    { vote: 2, proposal_id: [] },
    { vote: 1, proposal_id: [{ id: 2n ** 64n - 1n }] },
  ]);
  const other = immutable([{ vote: 0, proposal_id: [{ id: 0n }] }]);
  const reply = (k: number) => ({ a: k % 2 ? list : other, b: [[1n, { recent: list }], [2n, { recent: [...list] }], [3n, { recent: other }], [4n, { recent: list }]] });
  for (let k = 0; k < 4; k++) {
    const want = new Uint8Array(IDL.encode(types, [reply(k)]));
    expect(encodeCandid(types, [reply(k)])).toEqual(want);
    expect(encodeCandid(alone, [list])).toEqual(new Uint8Array(IDL.encode(alone, [list])));
  }
  // Frozen all the way down; a mutable copy is encoded as itself.
  expect(Object.isFrozen(list) && Object.isFrozen(list[0]) && Object.isFrozen(list[0].proposal_id) && Object.isFrozen(list[0].proposal_id[0])).toBe(true);
  expect(() => (list as unknown[]).push({ vote: 1, proposal_id: [] })).toThrow();
  const copy = list.map((b) => ({ ...b }));
  copy[0].vote = 2;
  expect(encodeCandid(alone, [copy])).toEqual(new Uint8Array(IDL.encode(alone, [copy])));
  // A vec that did not encode (invalid) is not remembered, and still refused.
  const bad = immutable([{ vote: 1, proposal_id: [{ id: -1n }] }]);
  expect(() => encodeCandid(alone, [bad])).toThrow(/Invalid/);
  expect(() => encodeCandid(alone, [bad])).toThrow(/Invalid/);
  // Only plain data.
  expect(() => immutable([Principal.anonymous()])).toThrow(/plain data/);
  expect(() => immutable({ blob: new Uint8Array([1]) })).toThrow(/plain data/);
  expect(() => immutable({ get id() { return 1n; } })).toThrow(/accessor/);
  expect(immutable(7n)).toBe(7n);
});
