// Neuron commands that move stake or maturity, against the demo world: split, merge (previewed by
// governance's simulation, compared with the result), spawn, stake and disburse maturity, disburse
// to an account and to a new neuron. Lost answers are confirmed again without a second effect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountIdentifier } from '@icp-sdk/canisters/ledger/icp';
import { NeuronCommands, type CommandResult } from '../../../electron/services/neuron-commands.ts';
import type { NeuronView } from '../../../electron/services/neuron-view.ts';
import { Neurons } from '../../../electron/services/neurons.ts';
import type { Subnet } from '../../../subnet/subnet.ts';
import { advance, deskFor, demoIdentity, startDeskSubnet, failure, sleep, type TestDesk } from '../support/desk.ts';
import { FaultProxy } from '../support/fault-proxy.ts';

const ICP = 100_000_000n;
const FEE = 10_000n;
const YEAR = 31_557_600n;

let subnet: Subnet;
let proxy: FaultProxy;
let demo: TestDesk;
/** The demo identity through the fault proxy. */
let through: TestDesk;
let commands: NeuronCommands;
let neurons: Neurons;
let start: NeuronView[];
const bobAccount = AccountIdentifier.fromPrincipal({ principal: demoIdentity('bob').getPrincipal() }).toHex();

beforeAll(async () => {
  subnet = await startDeskSubnet('demo');
  proxy = await FaultProxy.start(subnet.url);
  demo = await deskFor(subnet.url, demoIdentity('demo'));
  through = await deskFor(subnet.url, demoIdentity('demo'), { fetch: proxy.fetch });
  commands = new NeuronCommands(demo.ctx);
  neurons = new Neurons(demo.ctx);
  start = await neurons.list();
});
afterAll(async () => {
  await proxy?.stop();
  await subnet?.stop();
});

const refused = async (p: Promise<unknown>, message: RegExp) => {
  const e = await failure(p);
  expect(e.kind).toBe('invalid-input');
  expect(e.message).toMatch(message);
};
const run = async (review: Promise<{ id: string }>, c = commands): Promise<CommandResult> => c.confirm((await review).id);
const get = (id: bigint) => neurons.get(id);
const balance = (account: string) => demo.connection.ledger.accountBalance({ accountIdentifier: account, certified: true });
/** Demo's neurons at the start, by what they are. */
const locked1y = () => start.find((n) => n.isController && n.state === 'locked' && n.dissolveDelaySeconds === YEAR)!;
const locked2y = () => start.find((n) => n.isController && n.state === 'locked' && n.dissolveDelaySeconds === 2n * YEAR)!;
const dissolved = () => start.find((n) => n.state === 'dissolved')!;
const dissolving = () => start.find((n) => n.state === 'dissolving')!;

/** Confirms a review through a proxy that loses the answers of `method`, then again until it goes through. */
async function confirmThroughLostAnswers<T>(method: string, confirm: () => Promise<T>): Promise<T> {
  proxy.dropAnswers({ method }, { times: 6, blackoutMs: 2_000 });
  const first = await failure(confirm());
  expect(first.kind).toBe('network');
  for (let attempt = 0; ; attempt++) {
    await sleep(2_100);
    try {
      return await confirm();
    } catch (e) {
      expect(e).toMatchObject({ kind: 'network' });
      if (attempt >= 3) throw e;
    }
  }
}

describe('split and merge', () => {
  it('splits once even when the answer is lost, then merges the child back as previewed', async () => {
    const parent = locked1y();
    await refused(commands.prepareSplit({ neuronId: parent.id, amount: '1' }), /at least 1\.0001 ICP/);
    await refused(commands.prepareSplit({ neuronId: parent.id, amount: '499.5' }), /must keep at least 1\.00 ICP/);
    await refused(commands.prepareSplit({ neuronId: parent.id, amount: '1.123456789' }), /8 decimals/);

    const c = new NeuronCommands(through.ctx);
    const review = await c.prepareSplit({ neuronId: parent.id, amount: '100' });
    expect(review).toMatchObject({ action: 'split-neuron', amountE8s: 100n * ICP - FEE, feeE8s: FEE });
    const split = await confirmThroughLostAnswers('manage_neuron', () => c.confirm(review.id));
    const child = split.createdNeuronId!;
    expect(child).toBeDefined();
    const after = await neurons.list();
    expect(after).toHaveLength(start.length + 1); // one child, not two
    const p = after.find((n) => n.id === parent.id)!;
    const k = after.find((n) => n.id === child)!;
    expect(p.stakeE8s).toBe(parent.stakeE8s - 100n * ICP);
    expect(k).toMatchObject({ stakeE8s: 100n * ICP - FEE, state: 'locked', dissolveDelaySeconds: YEAR, isController: true });
    expect(k.maturityE8s + p.maturityE8s).toBeGreaterThanOrEqual(parent.maturityE8s); // maturity shared (rewards may have come)
    expect(k.following).toEqual(p.following);

    // Merge the child back: the review carries governance's simulation; the result matches it.
    await refused(commands.prepareMerge({ targetNeuronId: parent.id, sourceNeuronId: parent.id }), /into itself/);
    await refused(commands.prepareMerge({ targetNeuronId: parent.id, sourceNeuronId: dissolving().id }), /only locked/);
    const hot = start.find((n) => !n.isController)!;
    await refused(commands.prepareMerge({ targetNeuronId: parent.id, sourceNeuronId: hot.id }), /Only the controller/);
    const merge = await commands.prepareMerge({ targetNeuronId: parent.id, sourceNeuronId: child });
    expect(merge.calls[0].args).toEqual({ neuron_id: parent.id, command: { Merge: { source_neuron_id: child } } });
    expect(merge.preview.id).toBe(parent.id);
    expect(merge.preview.stakeE8s).toBe(p.stakeE8s + k.stakeE8s - FEE);
    expect(merge.notes!.join(' ')).toMatch(/governance's simulation/);
    const merged = await commands.confirm(merge.id);
    expect(merged).toMatchObject({ action: 'merge-neurons', neuronId: parent.id, alreadyDone: false });
    const target = await get(parent.id);
    for (const field of ['stakeE8s', 'maturityE8s', 'stakedMaturityE8s', 'dissolveDelaySeconds', 'state'] as const) expect(target[field]).toEqual(merge.preview[field]);
    expect(target.ageSeconds - merge.preview.ageSeconds).toBeLessThanOrEqual(target.retrievedAtSeconds - merge.preview.retrievedAtSeconds);
    const source = (await demo.connection.governance.listNeurons({ certified: true, neuronIds: [child], includeEmptyNeurons: true }))[0];
    expect(source.fullNeuron!.cachedNeuronStake - source.fullNeuron!.neuronFees).toBe(0n);
    expect((await neurons.list()).map((n) => n.id)).not.toContain(child); // an empty neuron is not listed
  });
});

describe('maturity', () => {
  it('stakes part of the maturity', async () => {
    const n = await get(locked1y().id);
    expect(n.maturityE8s).toBeGreaterThan(0n);
    await refused(commands.prepareStakeMaturity({ neuronId: n.id, percentage: 0 }), /1 to 100/);
    await refused(commands.prepareStakeMaturity({ neuronId: n.id, percentage: 50.5 }), /1 to 100/);
    const review = await commands.prepareStakeMaturity({ neuronId: n.id, percentage: 40 });
    expect(review.calls[0].args).toEqual({ neuron_id: n.id, command: { StakeMaturity: { percentage_to_stake: 40 } } });
    await commands.confirm(review.id);
    const after = await get(n.id);
    const amount = (n.maturityE8s * 40n) / 100n;
    expect(after.stakedMaturityE8s).toBe(n.stakedMaturityE8s + amount);
    expect(after.maturityE8s).toBe(n.maturityE8s - amount);
    expect(after.votingStakeE8s).toBe(n.votingStakeE8s + amount);
    expect(after.potentialVotingPower).toBeGreaterThan(n.potentialVotingPower);
  });

  it('spawns a neuron from maturity; seven days later its maturity is minted', async () => {
    await refused(commands.prepareSpawn({ neuronId: dissolving().id }), /at least 1\.00 ICP/);
    await refused(commands.prepareSpawn({ neuronId: locked2y().id, newController: 'nope' }), /not a valid/);
    const parent = await get(locked2y().id);
    const review = await commands.prepareSpawn({ neuronId: parent.id, percentage: 100 });
    expect(review.calls[0].args).toMatchObject({ neuron_id: parent.id, command: { Spawn: { percentage_to_spawn: 100, new_controller: demo.connection.principal.toText() } } });
    const r = await commands.confirm(review.id);
    const child = await get(r.createdNeuronId!);
    expect(child).toMatchObject({ state: 'spawning', stakeE8s: 0n, maturityE8s: parent.maturityE8s, isController: true });
    expect((await get(parent.id)).maturityE8s).toBe(0n);
    await refused(commands.prepareSpawn({ neuronId: child.id }), /spawning/);
    await refused(commands.prepareSpawn({ neuronId: parent.id }), /at least 1\.00 ICP/);

    await advance(subnet.url, 7 * 86_400 + 3_600, demo, through);
    const spawned = await get(child.id);
    expect(spawned.state).toBe('dissolved');
    expect(spawned.maturityE8s).toBe(0n);
    // Minted with the maturity modulation (a few percent either way).
    expect(Number(spawned.stakeE8s)).toBeGreaterThan(Number(parent.maturityE8s) * 0.89);
    expect(Number(spawned.stakeE8s)).toBeLessThan(Number(parent.maturityE8s) * 1.03);
  });

  it('disburses maturity to another account', async () => {
    const n = await get(locked1y().id);
    await refused(commands.prepareDisburseMaturity({ neuronId: n.id, to: 'ff'.repeat(32) }), /checksum/);
    await refused(commands.prepareDisburseMaturity({ neuronId: dissolving().id }), /at least 1\.00 ICP/);
    const before = await balance(bobAccount);
    const review = await commands.prepareDisburseMaturity({ neuronId: n.id, percentage: 100, to: demoIdentity('bob').getPrincipal().toText() });
    expect(review).toMatchObject({ destination: bobAccount, amountE8s: n.maturityE8s });
    await commands.confirm(review.id);
    const pending = await get(n.id);
    expect(pending.maturityE8s).toBe(0n);
    expect(pending.maturityDisbursements).toHaveLength(1);
    expect(pending.maturityDisbursements[0]).toMatchObject({ amountE8s: n.maturityE8s, to: bobAccount });
    await advance(subnet.url, 7 * 86_400 + 3_600, demo, through);
    expect((await get(n.id)).maturityDisbursements).toEqual([]);
    const received = (await balance(bobAccount)) - before;
    expect(Number(received)).toBeGreaterThan(Number(n.maturityE8s) * 0.89);
    expect(Number(received)).toBeLessThan(Number(n.maturityE8s) * 1.03);
  });
});

describe('disburse', () => {
  it('disburses a dissolved neuron into a new neuron, and its stake to accounts, each once', async () => {
    const n = dissolved();
    await refused(commands.prepareDisburse({ neuronId: locked1y().id }), /locked: only a dissolved neuron/);
    await refused(commands.prepareDisburse({ neuronId: n.id, amount: '76' }), /only 75\.00 ICP/);
    await refused(commands.prepareDisburse({ neuronId: n.id, amount: '0.0001' }), /more than the transaction fee/);
    await refused(commands.prepareDisburse({ neuronId: n.id, to: '12345' }), /neither an account id nor a principal/);
    await refused(commands.prepareDisburse({ neuronId: n.id, to: bobAccount.slice(8) }), /no checksum/);
    await refused(commands.prepareDisburseToNeuron({ neuronId: n.id, amount: '1', dissolveDelaySeconds: YEAR }), /at least 1\.0001 ICP/);
    await refused(commands.prepareDisburseToNeuron({ neuronId: n.id, amount: '10', dissolveDelaySeconds: 3n * YEAR }), /at most/);

    const toNeuron = await commands.prepareDisburseToNeuron({ neuronId: n.id, amount: '30', dissolveDelaySeconds: YEAR });
    const made = await commands.confirm(toNeuron.id);
    const child = await get(made.createdNeuronId!);
    expect(child).toMatchObject({ stakeE8s: 30n * ICP - FEE, state: 'locked', dissolveDelaySeconds: YEAR, isController: true });
    expect((await get(n.id)).stakeE8s).toBe(45n * ICP);

    // 20 ICP to Bob, with the answer lost: confirmed again, paid once.
    const bobBefore = await balance(bobAccount);
    const c = new NeuronCommands(through.ctx);
    const review = await c.prepareDisburse({ neuronId: n.id, to: bobAccount, amount: '20' });
    expect(review).toMatchObject({ action: 'disburse-neuron', amountE8s: 20n * ICP - FEE, feeE8s: FEE, destination: bobAccount, from: n.accountId });
    await confirmThroughLostAnswers('manage_neuron', () => c.confirm(review.id));
    expect((await balance(bobAccount)) - bobBefore).toBe(20n * ICP - FEE);
    expect((await get(n.id)).stakeE8s).toBe(25n * ICP);

    // The rest to the identity's own account.
    const mine = AccountIdentifier.fromPrincipal({ principal: demo.connection.principal }).toHex();
    const before = await balance(mine);
    const all = await commands.prepareDisburse({ neuronId: n.id });
    expect(all).toMatchObject({ amountE8s: 25n * ICP - FEE, destination: mine });
    await commands.confirm(all.id);
    expect((await balance(mine)) - before).toBe(25n * ICP - FEE);
    const left = (await neurons.list()).find((x) => x.id === n.id)!;
    expect(left).toMatchObject({ stakeE8s: 0n, maturityE8s: n.maturityE8s }); // still listed for its maturity
    await refused(commands.prepareDisburse({ neuronId: n.id }), /no stake left/);
  });
});
