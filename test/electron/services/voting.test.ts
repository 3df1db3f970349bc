// Voting with a chosen set of the user's neurons against the demo world: one review, votes sent in
// parallel, a result per neuron ("already voted" counts as done), ineligible neurons reported with
// the reason, and lost answers confirmed again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vote } from '@icp-sdk/canisters/nns';
import { DeskError } from '../../../electron/api/errors.ts';
import { NeuronStaking, type StakeResult } from '../../../electron/services/neuron-stake.ts';
import type { NeuronView } from '../../../electron/services/neuron-view.ts';
import { Neurons } from '../../../electron/services/neurons.ts';
import { Proposals } from '../../../electron/services/proposals.ts';
import { Voting } from '../../../electron/services/voting.ts';
import type { Subnet } from '../../../subnet/subnet.ts';
import { admin, deskFor, demoIdentity, startDeskSubnet, failure, sleep, openTestProposal, type TestDesk } from '../support/desk.ts';
import { FaultProxy } from '../support/fault-proxy.ts';

const YEAR = 31_557_600n;

let subnet: Subnet;
let proxy: FaultProxy;
let demo: TestDesk;
let voting: Voting;
let mine: NeuronView[];

beforeAll(async () => {
  subnet = await startDeskSubnet('demo');
  proxy = await FaultProxy.start(subnet.url);
  demo = await deskFor(subnet.url, demoIdentity('demo'));
  voting = new Voting(demo.ctx);
  mine = await new Neurons(demo.ctx).list();
});
afterAll(async () => {
  await proxy?.stop();
  await subnet?.stop();
});

const find = (pred: (n: NeuronView) => boolean) => mine.find(pred)!;

const openProposal = (title: string) => openTestProposal(subnet.url, title);

describe('voting', () => {
  it('votes with a chosen set of neurons: per-neuron results, already-voted counted as done, ineligible ones with the reason', async () => {
    const id = await openProposal('Translate the staking guide');
    // A neuron staked after the proposal: no ballot.
    const staking = new NeuronStaking(demo.ctx);
    const late = (await staking.confirm<StakeResult>((await staking.prepareStake({ amount: '5', dissolveDelaySeconds: YEAR })).id)).neuronId;
    const oneYear = find((n) => n.isController && n.state === 'locked' && n.dissolveDelaySeconds === YEAR);
    const twoYears = find((n) => n.dissolveDelaySeconds === 2n * YEAR);
    const dissolvingN = find((n) => n.state === 'dissolving');
    const dissolved = find((n) => n.state === 'dissolved');
    const hot = find((n) => !n.isController);

    const e = await voting.eligibility(id);
    expect(e.acceptingVotes).toBe(true);
    const status = new Map(e.neurons.map((n) => [n.neuronId, n]));
    for (const n of [oneYear, twoYears, dissolvingN, hot]) {
      expect(status.get(n.id)!.status).toBe('can-vote');
      expect(status.get(n.id)!.votingPower).toBeGreaterThan(0n);
    }
    expect(status.get(dissolved.id)).toMatchObject({ status: 'ineligible', reason: 'dissolve-delay-too-short' });
    expect(status.get(late)).toMatchObject({ status: 'ineligible', reason: 'created-after-proposal' });

    // The two-year neuron votes No on its own first; then one review for all of them.
    await demo.connection.governance.registerVote({ neuronId: twoYears.id, vote: Vote.No, proposalId: id });
    const review = await voting.prepareVote({ proposalId: String(id), vote: 'yes', neuronIds: [oneYear.id, twoYears.id, dissolvingN.id, hot.id, dissolved.id, late] });
    expect(review.action).toBe('vote');
    expect(review.title).toBe(`Vote Yes on proposal ${id} with 3 neurons`);
    expect(review.calls.map((c) => (c.args as { neuron_id: bigint }).neuron_id)).toEqual([oneYear.id, dissolvingN.id, hot.id]);
    expect(review.calls[0].args).toEqual({ neuron_id: oneYear.id, command: { RegisterVote: { proposal: id, vote: Vote.Yes } } });
    const notes = review.notes!.join('\n');
    expect(notes).toMatch(new RegExp(`Neuron ${twoYears.id} already voted No`));
    expect(notes).toMatch(new RegExp(`Neuron ${late} cannot vote: the neuron was created after the proposal`));
    expect(notes).toMatch(new RegExp(`Neuron ${dissolved.id} cannot vote: its dissolve delay`));

    // Between the review and the confirm, the dissolving neuron votes by itself: "already voted" at confirm.
    await demo.connection.governance.registerVote({ neuronId: dissolvingN.id, vote: Vote.Yes, proposalId: id });
    const result = await voting.confirm(review.id);
    const outcome = new Map(result.results.map((r) => [r.neuronId, r.outcome]));
    expect(outcome.get(oneYear.id)).toBe('voted');
    expect(outcome.get(hot.id)).toBe('voted'); // a hotkey votes for the neuron
    expect(outcome.get(dissolvingN.id)).toBe('already-voted');
    expect(outcome.get(twoYears.id)).toBe('already-voted');
    expect(result.results.every((r) => r.error === undefined)).toBe(true);
    expect(result.ineligible.map((x) => [x.neuronId, x.reason]).sort()).toEqual(
      [
        [dissolved.id, 'dissolve-delay-too-short'],
        [late, 'created-after-proposal'],
      ].sort(),
    );
    const ballots = new Map(result.proposal!.ballots.map((b) => [b.neuronId, b.vote]));
    expect(ballots.get(oneYear.id)).toBe('yes');
    expect(ballots.get(hot.id)).toBe('yes');
    expect(ballots.get(twoYears.id)).toBe('no');

    const after = await voting.eligibility(id);
    expect(after.neurons.filter((n) => n.status === 'can-vote')).toEqual([]);
    expect(after.neurons.find((n) => n.neuronId === twoYears.id)).toMatchObject({ status: 'voted', vote: 'no' });
    expect((await failure(voting.prepareVote({ proposalId: id, vote: 'no' }))).message).toMatch(/None of your neurons can vote/);
  });

  it('refuses what cannot be voted', async () => {
    const id = await openProposal('Hold a community call');
    const canVote = (await voting.eligibility(id)).neurons.filter((n) => n.status === 'can-vote').length;
    expect(canVote).toBe(5); // the four of the demo world and the one staked in the test above
    const settled = (await new Proposals(demo.ctx).list({ rewardStatuses: [3], limit: 1 })).proposals[0];
    expect((await failure(voting.prepareVote({ proposalId: settled.id, vote: 'yes' }))).message).toMatch(/has closed/);
    expect((await failure(voting.prepareVote({ proposalId: id, vote: 'maybe' as 'yes' }))).kind).toBe('invalid-input');
    expect((await failure(voting.prepareVote({ proposalId: 999_999n, vote: 'yes' }))).kind).toBe('not-found');
    expect((await failure(voting.prepareVote({ proposalId: id, vote: 'yes', neuronIds: [123n] }))).kind).toBe('not-found');
    const dissolved = find((n) => n.state === 'dissolved');
    expect((await failure(voting.prepareVote({ proposalId: id, vote: 'yes', neuronIds: [dissolved.id] }))).message).toMatch(/None of the chosen neurons can vote/);
    const watcher = await deskFor(subnet.url, demo.connection.principal);
    expect((await failure(new Voting(watcher.ctx).prepareVote({ proposalId: id, vote: 'yes' }))).kind).toBe('watch-only');
    expect((await voting.eligibility(id)).neurons.filter((n) => n.status === 'can-vote').length).toBe(canVote); // nothing was sent
  });

  it('votes No with every neuron that can, confirmed again after lost answers', async () => {
    const id = await openProposal('Rename the play network');
    const through = await deskFor(subnet.url, demoIdentity('demo'), { fetch: proxy.fetch });
    const v = new Voting(through.ctx);
    const review = await v.prepareVote({ proposalId: id, vote: 'no' });
    const voters = (await v.eligibility(id)).neurons.filter((n) => n.status === 'can-vote').length;
    expect(review.calls).toHaveLength(voters);
    // Enough lost answers to outlast the agent's own retries of every vote (4 attempts each).
    proxy.dropAnswers({ method: 'manage_neuron' }, { times: 4 * voters, blackoutMs: 2_000 });
    expect((await failure(v.confirm(review.id))).kind).toBe('network');
    let result;
    for (let attempt = 0; !result; attempt++) {
      await sleep(2_100);
      result = await v.confirm(review.id).catch((e: DeskError) => {
        expect(e.kind).toBe('network');
        if (attempt >= 3) throw e;
        return undefined;
      });
    }
    expect(result.results).toHaveLength(voters);
    expect(result.results.every((r) => r.outcome === 'voted' || r.outcome === 'already-voted')).toBe(true);
    const p = await new Proposals(demo.ctx).get(id);
    expect(p.ballots.every((b) => b.vote === 'no')).toBe(true);
    expect(p.tally.no).toBe(p.ballots.reduce((s, b) => s + b.votingPower, 0n));
  });
});
