// Neuron commands that change a neuron's settings, each a review then a confirm, against the demo
// world: dissolve delay and state, hotkeys (and what a hotkey may not do), following, visibility,
// the Neurons' Fund, auto-stake, voting power refresh. Inputs are checked before anything is sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NeuronCommands, type CommandResult } from '../../../electron/services/neuron-commands.ts';
import { NeuronStaking, type StakeResult } from '../../../electron/services/neuron-stake.ts';
import type { NeuronView } from '../../../electron/services/neuron-view.ts';
import { Neurons } from '../../../electron/services/neurons.ts';
import type { Subnet } from '../../../subnet/subnet.ts';
import { deskFor, demoIdentity, startDeskSubnet, failure, type TestDesk } from '../support/desk.ts';

const YEAR = 31_557_600n;
const TWO_YEARS = 63_115_200n;

let subnet: Subnet;
let demo: TestDesk;
let commands: NeuronCommands;
let neurons: Neurons;
/** A neuron staked for these tests (10 ICP, locked for a year). */
let own: bigint;
/** The hardware-wallet neuron the demo identity is a hotkey of. */
let hot: NeuronView;
let lantern: bigint;

beforeAll(async () => {
  subnet = await startDeskSubnet('demo');
  demo = await deskFor(subnet.url, demoIdentity('demo'));
  commands = new NeuronCommands(demo.ctx);
  neurons = new Neurons(demo.ctx);
  const staking = new NeuronStaking(demo.ctx);
  own = (await staking.confirm<StakeResult>((await staking.prepareStake({ amount: '10', dissolveDelaySeconds: YEAR })).id)).neuronId;
  hot = (await neurons.list()).find((n) => !n.isController)!;
  lantern = (await neurons.knownNeurons()).find((k) => k.name === 'Lantern Hill Collective')!.id;
});
afterAll(async () => subnet?.stop());

const refused = async (p: Promise<unknown>, message: RegExp) => {
  const e = await failure(p);
  expect(e.kind).toBe('invalid-input');
  expect(e.message).toMatch(message);
};
const run = async (review: Promise<{ id: string }>): Promise<CommandResult> => commands.confirm((await review).id);
const get = (id: bigint) => neurons.get(id);

describe('dissolve delay and state', () => {
  it('increases the dissolve delay to a chosen total, within the network\'s limits', async () => {
    const review = await commands.prepareIncreaseDissolveDelay({ neuronId: own, dissolveDelaySeconds: YEAR + YEAR / 2n });
    expect(review).toMatchObject({ action: 'increase-dissolve-delay', signer: demo.connection.principal.toText() });
    expect(review.calls).toEqual([
      {
        canisterId: 'rrkah-fqaaa-aaaaa-aaaaq-cai',
        canisterName: 'NNS governance',
        method: 'manage_neuron',
        args: { neuron_id: own, command: { Configure: { operation: { IncreaseDissolveDelay: { additional_dissolve_delay_seconds: YEAR / 2n } } } } },
      },
    ]);
    // A second review of the same change, confirmed after the first ran: recognised as done, not added twice.
    const twin = await commands.prepareIncreaseDissolveDelay({ neuronId: own, dissolveDelaySeconds: YEAR + YEAR / 2n });
    expect(await commands.confirm(review.id)).toEqual({ action: 'increase-dissolve-delay', neuronId: own, alreadyDone: false });
    expect(await commands.confirm(twin.id)).toMatchObject({ alreadyDone: true });
    expect((await get(own)).dissolveDelaySeconds).toBe(YEAR + YEAR / 2n);

    await refused(commands.prepareIncreaseDissolveDelay({ neuronId: own, dissolveDelaySeconds: YEAR }), /already has a dissolve delay/);
    await refused(commands.prepareIncreaseDissolveDelay({ neuronId: own, dissolveDelaySeconds: TWO_YEARS + 1n }), /at most 2 years/);
    await refused(commands.prepareIncreaseDissolveDelay({ neuronId: own, dissolveDelaySeconds: 1.5 }), /whole number/);
    await refused(commands.prepareIncreaseDissolveDelay({ neuronId: hot.id, dissolveDelaySeconds: YEAR }), /Only the controller/);
    expect((await failure(commands.prepareIncreaseDissolveDelay({ neuronId: 7n, dissolveDelaySeconds: YEAR }))).kind).toBe('not-found');
  });

  it('sets a dissolve date', async () => {
    const n = await get(own);
    const ts = n.retrievedAtSeconds + TWO_YEARS - 86_400n;
    await refused(commands.prepareSetDissolveTimestamp({ neuronId: own, timestampSeconds: n.retrievedAtSeconds - 10n }), /future/);
    await refused(commands.prepareSetDissolveTimestamp({ neuronId: own, timestampSeconds: n.retrievedAtSeconds + TWO_YEARS + 86_400n }), /at most/);
    await refused(commands.prepareSetDissolveTimestamp({ neuronId: own, timestampSeconds: n.retrievedAtSeconds + YEAR }), /earlier than/);
    const review = await commands.prepareSetDissolveTimestamp({ neuronId: own, timestampSeconds: ts });
    expect(review.calls[0].args).toEqual({ neuron_id: own, command: { Configure: { operation: { SetDissolveTimestamp: { dissolve_timestamp_seconds: ts } } } } });
    await commands.confirm(review.id);
    const after = await get(own);
    expect(after.state).toBe('locked');
    // Locked: the delay is the time from the command to the date.
    expect(after.dissolveDelaySeconds).toBeGreaterThan(TWO_YEARS - 86_400n - 60n);
    expect(after.dissolveDelaySeconds).toBeLessThanOrEqual(TWO_YEARS - 86_400n);
  });

  it('starts and stops dissolving, refusing what the state makes meaningless', async () => {
    await refused(commands.prepareStopDissolving({ neuronId: own }), /only a dissolving neuron/);
    const start = await commands.prepareStartDissolving({ neuronId: own });
    expect(start.notes!.join(' ')).toMatch(/age bonus/);
    await commands.confirm(start.id);
    const dissolving = await get(own);
    expect(dissolving).toMatchObject({ state: 'dissolving', ageSeconds: 0n });
    expect(dissolving.dissolveAtSeconds! - dissolving.retrievedAtSeconds).toBe(dissolving.dissolveDelaySeconds);
    await refused(commands.prepareStartDissolving({ neuronId: own }), /only a locked neuron/);

    // A dissolving neuron's delay increase moves its dissolve date by exactly the addition.
    // (The addition is what the chosen total lacks when the review is prepared, a second or so later.)
    const inc = await commands.prepareIncreaseDissolveDelay({ neuronId: own, dissolveDelaySeconds: dissolving.dissolveDelaySeconds + 86_400n });
    const added = (inc.calls[0].args as { command: { Configure: { operation: { IncreaseDissolveDelay: { additional_dissolve_delay_seconds: bigint } } } } }).command.Configure.operation
      .IncreaseDissolveDelay.additional_dissolve_delay_seconds;
    expect(added - 86_400n).toBeLessThan(60n);
    await commands.confirm(inc.id);
    expect((await get(own)).dissolveAtSeconds).toBe(dissolving.dissolveAtSeconds! + added);

    await run(commands.prepareStopDissolving({ neuronId: own }));
    const locked = await get(own);
    expect(locked.state).toBe('locked');
    expect(locked.dissolveDelaySeconds).toBeGreaterThan(TWO_YEARS - 2n * 86_400n);
    await refused(commands.prepareStartDissolving({ neuronId: hot.id }), /Only the controller/);
    const dissolved = (await neurons.list()).find((x) => x.state === 'dissolved')!;
    await refused(commands.prepareStartDissolving({ neuronId: dissolved.id }), /dissolved: only a locked neuron/);
  });
});

describe('hotkeys', () => {
  const bob = demoIdentity('bob').getPrincipal().toText();

  it('adds and removes hotkeys, with checked principals', async () => {
    await refused(commands.prepareAddHotkey({ neuronId: own, principal: 'not-a-principal' }), /not a valid principal/);
    await refused(commands.prepareAddHotkey({ neuronId: own, principal: '2vxsx-fae' }), /anonymous/);
    await refused(commands.prepareAddHotkey({ neuronId: own, principal: demo.connection.principal.toText() }), /controller/);
    const add = await commands.prepareAddHotkey({ neuronId: own, principal: bob });
    expect(add.calls[0].args).toEqual({ neuron_id: own, command: { Configure: { operation: { AddHotKey: { new_hot_key: bob } } } } });
    await commands.confirm(add.id);
    expect((await get(own)).hotkeys).toEqual([bob]);
    await refused(commands.prepareAddHotkey({ neuronId: own, principal: bob }), /already a hotkey/);
    // Bob now sees the neuron as a hotkey.
    const bobDesk = await deskFor(subnet.url, demoIdentity('bob'));
    expect((await new Neurons(bobDesk.ctx).get(own)).isController).toBe(false);

    const remove = await commands.prepareRemoveHotkey({ neuronId: own, principal: bob });
    expect(remove.notes!.join(' ')).not.toMatch(/loses access/);
    await commands.confirm(remove.id);
    expect((await get(own)).hotkeys).toEqual([]);
    await refused(commands.prepareRemoveHotkey({ neuronId: own, principal: bob }), /not a hotkey/);
    expect((await failure(new Neurons(bobDesk.ctx).get(own))).kind).toBe('not-found');
  });

  it('refuses an eleventh hotkey', async () => {
    const { Principal } = await import('@icp-sdk/core/principal');
    const key = (i: number) => Principal.fromUint8Array(new Uint8Array([1, 2, 3, i]));
    for (let i = 0; i < 10; i++) await demo.connection.governance.addHotkey({ neuronId: own, principal: key(i) });
    await refused(commands.prepareAddHotkey({ neuronId: own, principal: bob }), /already has 10 hotkeys/);
    for (let i = 0; i < 10; i++) await demo.connection.governance.removeHotkey({ neuronId: own, principal: key(i) });
  });

  it('lets a hotkey vote-side commands through and keeps the controller\'s to the controller', async () => {
    await refused(commands.prepareDisburse({ neuronId: hot.id }), /Only the controller of neuron .* can disburse it; this identity is one of its hotkeys/);
    await refused(commands.prepareSplit({ neuronId: hot.id, amount: '10' }), /Only the controller/);
    await refused(commands.prepareSpawn({ neuronId: hot.id }), /Only the controller/);
    await refused(commands.prepareStakeMaturity({ neuronId: hot.id }), /Only the controller/);
    await refused(commands.prepareSetVisibility({ neuronId: hot.id, visibility: 'public' }), /Only the controller/);
    await refused(commands.prepareAddHotkey({ neuronId: hot.id, principal: bob }), /Only the controller/);
    await refused(commands.prepareRemoveHotkey({ neuronId: hot.id, principal: bob }), /Only the controller|not a hotkey/);
    await refused(commands.prepareFollow({ neuronId: hot.id, topic: 1, followees: [lantern] }), /Only the controller .* neuron management/);
    // Allowed to a hotkey: following (not on neuron management), the Neurons' Fund, refreshing.
    await run(commands.prepareFollow({ neuronId: hot.id, topic: 8, followees: [lantern] }));
    expect((await get(hot.id)).following.find((f) => f.topic === 8)!.followees).toEqual([{ id: lantern, name: 'Lantern Hill Collective' }]);
    await run(commands.prepareJoinNeuronsFund({ neuronId: hot.id }));
    expect((await get(hot.id)).neuronsFund).toBe(true);
    await run(commands.prepareLeaveNeuronsFund({ neuronId: hot.id }));
    expect(await run(commands.prepareRefreshVotingPower({ neuronId: hot.id }))).toMatchObject({ alreadyDone: false });
  });

  it('warns in the review when the identity would remove itself and lose access', async () => {
    const me = demo.connection.principal.toText();
    const review = await commands.prepareRemoveHotkey({ neuronId: hot.id, principal: me });
    expect(review.notes!.join(' ')).toMatch(/this identity: after this it loses access to neuron/);
    // As on mainnet, a hotkey may remove itself; the neuron is then no longer this identity's.
    await commands.confirm(review.id);
    expect((await new Neurons(demo.ctx).list()).map((n) => n.id)).not.toContain(hot.id);
  });
});

describe('following', () => {
  it('follows known neurons per topic, and sets several topics at once', async () => {
    const follow = await commands.prepareFollow({ neuronId: own, topic: 4, followees: [String(lantern)] });
    expect(follow.calls[0].args).toEqual({ neuron_id: own, command: { Follow: { topic: 4, followees: [lantern] } } });
    expect(follow.notes!.join(' ')).toMatch(/Governance: Lantern Hill Collective/);
    await commands.confirm(follow.id);
    expect((await get(own)).following.find((f) => f.topic === 4)).toEqual({ topic: 4, topicName: 'Governance', followees: [{ id: lantern, name: 'Lantern Hill Collective' }] });

    const known = (await neurons.knownNeurons()).map((k) => k.id);
    const set = await commands.prepareSetFollowing({ neuronId: own, topics: [{ topic: 0, followees: known.slice(0, 3) }, { topic: 4, followees: [] }, { topic: 14, followees: [known[3]] }] });
    expect(set.action).toBe('set-following');
    await commands.confirm(set.id);
    const f = (await get(own)).following;
    expect(f.map((x) => x.topic)).toEqual([0, 14]);
    expect(f[0].followees.map((x) => x.id)).toEqual(known.slice(0, 3));
  });

  it('checks followees before anything is sent', async () => {
    const bobDesk = await deskFor(subnet.url, demoIdentity('bob'));
    const bobs = (await new Neurons(bobDesk.ctx).list())[0];
    expect(bobs.visibility).toBe('private');
    await refused(commands.prepareFollow({ neuronId: own, topic: 4, followees: [bobs.id] }), /private/);
    await refused(commands.prepareFollow({ neuronId: own, topic: 4, followees: [123_456_789n] }), /does not exist/);
    await refused(commands.prepareFollow({ neuronId: own, topic: 99, followees: [lantern] }), /not a proposal topic/);
    await refused(commands.prepareFollow({ neuronId: own, topic: 4, followees: [lantern, lantern] }), /twice/);
    await refused(commands.prepareFollow({ neuronId: own, topic: 4, followees: [own] }), /cannot follow itself/);
    await refused(commands.prepareFollow({ neuronId: own, topic: 4, followees: Array.from({ length: 16 }, (_, i) => BigInt(i + 1)) }), /at most 15/);
    await refused(commands.prepareFollow({ neuronId: own, topic: 4, followees: ['x1'] }), /not a neuron id/);
    await refused(commands.prepareSetFollowing({ neuronId: own, topics: [{ topic: 4, followees: [] }, { topic: 4, followees: [] }] }), /twice/);
    // One of the user's own private neurons can be followed.
    const mine = (await neurons.list()).find((n) => n.isController && n.id !== own && n.visibility === 'private')!;
    await run(commands.prepareFollow({ neuronId: own, topic: 7, followees: [mine.id] }));
    expect((await get(own)).following.find((f) => f.topic === 7)!.followees).toEqual([{ id: mine.id }]);
  });
});

describe('settings', () => {
  it('makes a neuron public or private', async () => {
    expect((await get(own)).visibility).toBe('private');
    await refused(commands.prepareSetVisibility({ neuronId: own, visibility: 'private' }), /already private/);
    await refused(commands.prepareSetVisibility({ neuronId: own, visibility: 'secret' as 'public' }), /either "public" or "private"/);
    const review = await commands.prepareSetVisibility({ neuronId: own, visibility: 'public' });
    expect(review.calls[0].args).toEqual({ neuron_id: own, command: { Configure: { operation: { SetVisibility: { visibility: 2 } } } } });
    await commands.confirm(review.id);
    expect((await get(own)).visibility).toBe('public');
    await run(commands.prepareSetVisibility({ neuronId: own, visibility: 'private' }));
    expect((await get(own)).visibility).toBe('private');
  });

  it('joins and leaves the Neurons\' Fund', async () => {
    await refused(commands.prepareLeaveNeuronsFund({ neuronId: own }), /not in the Neurons' Fund/);
    await run(commands.prepareJoinNeuronsFund({ neuronId: own }));
    const joined = await get(own);
    expect(joined.neuronsFund).toBe(true);
    expect(joined.joinedNeuronsFundAtSeconds).toBeGreaterThan(0n);
    await refused(commands.prepareJoinNeuronsFund({ neuronId: own }), /already in the Neurons' Fund/);
    await run(commands.prepareLeaveNeuronsFund({ neuronId: own }));
    expect((await get(own)).neuronsFund).toBe(false);
  });

  it('turns auto-stake maturity on and off', async () => {
    await refused(commands.prepareSetAutoStakeMaturity({ neuronId: own, enabled: false }), /already off/);
    const on = await commands.prepareSetAutoStakeMaturity({ neuronId: own, enabled: true });
    expect(on.calls[0].args).toEqual({ neuron_id: own, command: { Configure: { operation: { ChangeAutoStakeMaturity: { requested_setting_for_auto_stake_maturity: true } } } } });
    await commands.confirm(on.id);
    expect((await get(own)).autoStakeMaturity).toBe(true);
    await refused(commands.prepareSetAutoStakeMaturity({ neuronId: own, enabled: true }), /already on/);
    await run(commands.prepareSetAutoStakeMaturity({ neuronId: own, enabled: false }));
    expect((await get(own)).autoStakeMaturity).toBe(false);
  });

  it('refuses every command for a watch-only identity', async () => {
    const watcher = await deskFor(subnet.url, demo.connection.principal);
    const c = new NeuronCommands(watcher.ctx);
    expect((await failure(c.prepareStartDissolving({ neuronId: own }))).kind).toBe('watch-only');
    expect((await failure(c.prepareRefreshVotingPower({ neuronId: own }))).kind).toBe('watch-only');
  });
});
