// Part of bench/governance-scale.ts, which runs it in its own process and then measures the
// restart. Governance at mainnet size: the fixture of `npm run subnet -- --neurons 400000
// --proposals 150000` in an in-process runtime with persistence on (no HTTP: these are the
// canister's own costs; bench/subnet-http.ts measures the transport). Prints, for each operation,
// the time of the call as the runtime executes it: Candid-encoded request in, Candid-encoded reply
// out (the caller's own decoding of the reply is not counted: that is client-side work).
// BENCH_NEURONS / BENCH_PROPOSALS override the size.
import { Principal } from '@icp-sdk/core/principal';
import { FIXTURE_WHALE_NEURONS, fixtureWhale } from '../subnet/canisters/governance/fixture.ts';
import { GOVERNANCE_ID } from '../subnet/canisters/ids.ts';
import { buildFixtureWorld } from '../subnet/genesis/fixture.ts';
import { Runtime } from '../subnet/runtime/runtime.ts';
import { nnsCanisters } from '../subnet/world.ts';
import { IDL } from '@icp-sdk/core/candid';
import { idlFactory } from '../subnet/candid/generated/governance.did.ts';
import { FIXTURE_KNOWN_NEURONS, fixtureNeuronId } from '../subnet/canisters/governance/fixture.ts';
import type { Outcome } from '../subnet/runtime/runtime.ts';
import { median, ms } from './support.ts';

const service = idlFactory({ IDL }) as unknown as IDL.ServiceClass;
const funcOf = (m: string) => service._fields.find(([n]) => n === m)![1];
const encodeArgs = (m: string, args: unknown[]) => new Uint8Array(IDL.encode(funcOf(m).argTypes, args));
function decoded(m: string, o: Outcome): any {
  if (o.status !== 'replied') throw new Error(`${m}: ${o.message}`);
  return IDL.decode(funcOf(m).retTypes, o.reply)[0];
}
/** A query timed on the server side; returns [ms, decoded reply]. */
function query(m: string, args: unknown[], sender: Principal): [number, any] {
  const arg = encodeArgs(m, args);
  const t0 = performance.now();
  const o = rt.query(GOVERNANCE_ID, m, arg, sender);
  const dt = performance.now() - t0;
  return [dt, decoded(m, o)];
}
let seq = 0;
/** An update call timed from submission to its (durable) reply; returns [ms, decoded reply]. */
async function update(m: string, args: unknown[], sender: Principal): Promise<[number, any]> {
  const arg = encodeArgs(m, args);
  const t0 = performance.now();
  const o = await rt.submit({ requestId: `bench-${Date.now()}-${seq++}`.padEnd(64, '0'), canisterId: GOVERNANCE_ID, method: m, arg, sender, expiry: rt.time + 300_000_000_000n });
  const dt = performance.now() - t0;
  return [dt, decoded(m, o)];
}

const neurons = Number(process.env.BENCH_NEURONS ?? 400_000);
const proposals = Number(process.env.BENCH_PROPOSALS ?? 150_000);
const dir = process.argv[2];
if (!dir) throw new Error('usage: governance-scale-run.ts <empty state dir> (run bench/governance-scale.ts)');
const subnetId = Principal.fromText('2vxsx-fae');
const world = () => nnsCanisters()(subnetId);
const mb = () => `${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB rss`;

async function create() {
  const { canisters, userCanisterHost } = world();
  return Runtime.create({ canisters, userCanisterHost, stateDir: dir, genesis: buildFixtureWorld({ neurons, proposals }) });
}

let t = performance.now();
const rt = await create();
console.log(`fixture: ${neurons} neurons, ${proposals} proposals built in ${((performance.now() - t) / 1000).toFixed(1)} s; ${mb()}`);

const known = (rt.queryDecoded(GOVERNANCE_ID, 'list_known_neurons', [], Principal.anonymous()) as any).known_neurons.map((k: any) => k.id[0].id as bigint);
function fixtureController(id: bigint): Principal {
  const info = rt.queryDecoded(GOVERNANCE_ID, 'list_neurons', [listArgs([id])], Principal.anonymous()) as any;
  return info.full_neurons[0]?.controller[0] ?? Principal.anonymous();
}
function listArgs(ids: bigint[], page = 0n, readable = false) {
  return {
    neuron_ids: BigUint64Array.from(ids),
    include_neurons_readable_by_caller: readable,
    include_empty_neurons_readable_by_caller: [true],
    include_public_neurons_in_full_neurons: [true],
    page_number: [page],
    page_size: [500n],
    neuron_subaccounts: [],
  };
}

const motion = (k: number) => ({
  title: [`Benchmark motion ${k}`],
  summary: 'Measuring the ballot snapshot.',
  url: '',
  action: [{ Motion: { motion_text: `motion ${k}` } }],
});
async function manage(sender: Principal, id: bigint, command: unknown): Promise<[number, any]> {
  const [dt, r] = await update('manage_neuron', [{ id: [{ id }], command: [command], neuron_id_or_subaccount: [] }], sender);
  const c = r.command[0];
  if ('Error' in c) throw new Error(c.Error.error_message);
  return [dt, c];
}

// Known neuron 0 of the fixture is the one ~40% of all neurons follow on Governance.
const proposer = fixtureNeuronId(1);
const proposerController = fixtureController(proposer);
const voter = fixtureNeuronId(0);
if (known.length !== FIXTURE_KNOWN_NEURONS) throw new Error('not the fixture');
const voterController = fixtureController(voter);
const open: number[] = [];
const cascade: number[] = [];
for (let k = 0; k < 9; k++) {
  const [dtMake, made] = await manage(proposerController, proposer, { MakeProposal: motion(k) });
  open.push(dtMake);
  const pid = made.MakeProposal.proposal_id[0].id;
  const [dtVote] = await manage(voterController, voter, { RegisterVote: { vote: 1, proposal: [{ id: pid }] } });
  cascade.push(dtVote);
}
const [, info] = query('list_proposals', [{
  return_self_describing_action: [], include_reward_status: [], omit_large_fields: [true], before_proposal: [], limit: 1, exclude_topic: [], include_all_manage_neuron_proposals: [], include_status: [],
}], voterController);
const followers = (rt as any).entries.get(GOVERNANCE_ID.toText()).canister.governanceState.followerSlotsOf(4, voter).size;
console.log(`open a proposal (ballot snapshot of every eligible neuron): median ${ms(median(open))} (${open.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`vote of a known neuron cascading to its ${followers} followers on the topic: median ${ms(median(cascade))} (${cascade.map((x) => x.toFixed(0)).join(", ")}); yes after: ${info.proposal_info[0].latest_tally[0].yes * 100n / info.proposal_info[0].latest_tally[0].total}% of the total`);

const listReq = (before: bigint[], extra: object = {}) => ({
  return_self_describing_action: [], include_reward_status: [], omit_large_fields: [true], before_proposal: before.map((id) => ({ id })), limit: 100, exclude_topic: [],
  include_all_manage_neuron_proposals: [], include_status: [], ...extra,
});
const pages: number[] = [];
let before: bigint[] = [];
for (let i = 0; i < 20; i++) {
  const [dt, r] = query('list_proposals', [listReq(before)], Principal.anonymous());
  pages.push(dt);
  before = [r.proposal_info.at(-1).id[0].id];
}
const filtered: number[] = [];
for (let i = 0; i < 10; i++) {
  filtered.push(query('list_proposals', [listReq([], { exclude_topic: Int32Array.from([2, 12, 7, 5]), include_status: Int32Array.from([4]) })], Principal.anonymous())[0]);
}
console.log(`list_proposals, 100 per page, 20 pages back: median ${ms(median(pages))}; with topic and status filters: median ${ms(median(filtered))}`);

const whale = fixtureWhale().getPrincipal();
const listed: number[] = [];
let total = 0;
// One round to warm up (the first call of a query also pays for compiling its code), then five.
query('list_neurons', [listArgs([], 0n, true)], fixtureWhale().getPrincipal());
for (let i = 0; i < 5; i++) {
  const [t0, r0] = query('list_neurons', [listArgs([], 0n, true)], whale);
  const [t1, r1] = query('list_neurons', [listArgs([], 1n, true)], whale);
  listed.push(t0 + t1);
  total = r0.full_neurons.length + r1.full_neurons.length;
}
console.log(`list_neurons of an identity with ${FIXTURE_WHALE_NEURONS} neurons (2 pages of 500, full neurons with 100 recent ballots each): median ${ms(median(listed) / 2)} per page (${total} neurons)`);

// Past the open proposals' deadlines: they are decided, then settled by the next daily reward event.
t = performance.now();
await rt.advanceTime(5 * 86_400);
console.log(`five simulated days (deadlines, five daily reward events, one of them settling the open proposals): ${ms(performance.now() - t)}`);
const ev = rt.queryDecoded(GOVERNANCE_ID, 'get_latest_reward_event', [], Principal.anonymous()) as any;
console.log(`  reward event: ${ev.settled_proposals.length} proposals settled, ${ev.distributed_e8s_equivalent / 100_000_000n} ICP of maturity distributed; ${mb()}`);

t = performance.now();
await rt.close();
console.log(`checkpoint (close): ${ms(performance.now() - t)}`);
// The restart is measured by governance-scale.ts once this process has exited.
