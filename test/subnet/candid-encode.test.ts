// The cached-type-table encoder gives the same bytes as IDL.encode, on the first call and after.
import { expect, it } from 'vitest';
import { IDL } from '@icp-sdk/core/candid';
import { Principal } from '@icp-sdk/core/principal';
import { idlFactory } from '../../subnet/candid/generated/governance.did.ts';
import { encodeCandid } from '../../subnet/runtime/candid-encode.ts';

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
