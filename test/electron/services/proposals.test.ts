// Proposals against the demo world's history: the list with its filters and paging, the detail,
// actionable proposals, and making a Motion proposal (reviewed; a lost answer confirmed again makes
// one proposal, not two).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { DeskError } from '../../../electron/api/errors.ts';
import { Neurons } from '../../../electron/services/neurons.ts';
import { Proposals } from '../../../electron/services/proposals.ts';
import type { ProposalView } from '../../../electron/services/proposal-view.ts';
import { Voting } from '../../../electron/services/voting.ts';
import type { Subnet } from '../../../subnet/subnet.ts';
import { admin, deskFor, demoIdentity, startDeskSubnet, failure, sleep, openTestProposal, type TestDesk } from '../support/desk.ts';
import { FaultProxy } from '../support/fault-proxy.ts';

let subnet: Subnet;
let proxy: FaultProxy;
let demo: TestDesk;
let proposals: Proposals;

beforeAll(async () => {
  subnet = await startDeskSubnet('demo');
  proxy = await FaultProxy.start(subnet.url);
  demo = await deskFor(subnet.url, demoIdentity('demo'));
  proposals = new Proposals(demo.ctx);
});
afterAll(async () => {
  await proxy?.stop();
  await subnet?.stop();
});

const ids = (ps: ProposalView[]) => ps.map((p) => p.id);
const descending = (xs: bigint[]) => xs.every((x, i) => i === 0 || xs[i - 1] > x);

const openProposal = (title: string) => openTestProposal(subnet.url, title, 'https://forum.example.org/t/test/1');

describe('listing', () => {
  it('pages through every proposal with before_proposal, newest first', async () => {
    const first = await proposals.list();
    expect(first.proposals).toHaveLength(50);
    expect(descending(ids(first.proposals))).toBe(true);
    expect(first.nextBeforeProposal).toBe(first.proposals[49].id);
    const seen: bigint[] = [];
    let before: bigint | undefined;
    for (let page = 0; page < 20; page++) {
      const p = await proposals.list({ limit: 100, ...(before === undefined ? {} : { beforeProposal: String(before) }) });
      if (before !== undefined) expect(p.proposals.every((x) => x.id < before!)).toBe(true);
      seen.push(...ids(p.proposals));
      if (p.nextBeforeProposal === undefined) break;
      before = p.nextBeforeProposal;
    }
    expect(descending(seen)).toBe(true); // no repeats, nothing out of order
    const direct = await demo.connection.governance.listProposals({
      certified: true,
      request: { limit: 100, beforeProposal: undefined, includeRewardStatus: [], excludeTopic: [], includeAllManageNeuronProposals: false, includeStatus: [] },
    });
    expect(seen.slice(0, 100)).toEqual(direct.proposals.map((p) => p.id));
    expect(seen.length).toBeGreaterThan(200);
    expect(seen[seen.length - 1]).toBeLessThanOrEqual(2n);
  });

  it('filters by topic, status and reward status', async () => {
    const economics = await proposals.list({ topics: [3], limit: 100 });
    expect(economics.proposals.length).toBeGreaterThan(0);
    expect(economics.proposals.every((p) => p.topic === 3 && p.topicName === 'NetworkEconomics' && p.actionType === 'ManageNetworkEconomics')).toBe(true);
    const open = await proposals.list({ statuses: [1], limit: 100 });
    expect(open.proposals.length).toBeGreaterThan(0);
    expect(open.proposals.every((p) => p.statusName === 'open' && p.decidedAtSeconds === undefined)).toBe(true);
    const settled = await proposals.list({ rewardStatuses: [3], limit: 20 });
    expect(settled.proposals).toHaveLength(20);
    expect(settled.proposals.every((p) => p.rewardStatusName === 'settled' && !p.acceptingVotes)).toBe(true);
    const adoptedGovernance = await proposals.list({ topics: [4], statuses: [3, 4], limit: 100 });
    expect(adoptedGovernance.proposals.every((p) => p.topic === 4 && ['adopted', 'executed'].includes(p.statusName))).toBe(true);
    const rejected = await proposals.list({ statuses: [2], limit: 100 });
    expect(rejected.proposals.every((p) => p.statusName === 'rejected')).toBe(true);
    expect(rejected.proposals.length + adoptedGovernance.proposals.length).toBeGreaterThan(0);

    for (const bad of [{ topics: [99] }, { statuses: [9] }, { rewardStatuses: [0] }, { limit: 0 }, { limit: 101 }, { beforeProposal: 'abc' }, { limit: 2.5 }])
      expect((await failure(proposals.list(bad))).kind, JSON.stringify(bad)).toBe('invalid-input');
  });

  it('shows one proposal in detail, as plain data', async () => {
    const id = await openProposal('Publish a yearly report of the play network');
    const p = await proposals.get(String(id));
    expect(p).toMatchObject({
      id,
      title: 'Publish a yearly report of the play network',
      summary: 'About Publish a yearly report of the play network.',
      url: 'https://forum.example.org/t/test/1',
      actionType: 'Motion',
      topic: 4,
      topicName: 'Governance',
      statusName: 'open',
      rewardStatusName: 'accepting-votes',
      acceptingVotes: true,
      immediateMajorityPercent: 50,
      standardMajorityPercent: 3,
    });
    expect(p.action).toEqual({ motionText: expect.any(String) });
    expect(p.tally.total).toBe(p.totalPotentialVotingPower !== undefined ? p.tally.total : 0n);
    expect(p.yesPercent).toBeGreaterThan(0); // the proposer voted yes
    expect(p.yesPercent).toBeLessThan(50);
    expect(p.deadlineSeconds! - p.createdAtSeconds).toBe(4n * 86_400n);
    // Ballots of the user's voting neurons (the hotkey neuron's too), none cast yet.
    const mine = (await new Neurons(demo.ctx).list()).filter((n) => n.canVote).map((n) => n.id).sort();
    expect(p.ballots.map((b) => b.neuronId).sort()).toEqual(mine);
    expect(p.ballots.every((b) => b.vote === 'unspecified' && b.votingPower > 0n)).toBe(true);
    expect(structuredClone(p)).toEqual(p);
    expect((await failure(proposals.get(999_999n))).kind).toBe('not-found');
    expect((await failure(proposals.get('x'))).kind).toBe('invalid-input');
  });
});

describe('actionable proposals', () => {
  it('are the ones where votes count and one of the user\'s neurons has not voted', async () => {
    const id = await openProposal('Fund a meetup of stakers');
    const actionable = await proposals.actionable();
    expect(actionable.length).toBeGreaterThan(0);
    expect(descending(ids(actionable))).toBe(true);
    for (const p of actionable) {
      expect(p.acceptingVotes).toBe(true);
      expect(p.votableNeuronIds.length).toBeGreaterThan(0);
      expect(p.votableNeuronIds.every((n) => p.ballots.some((b) => b.neuronId === n && b.vote === 'unspecified'))).toBe(true);
    }
    const fresh = actionable.find((p) => p.id === id)!;
    expect(fresh.votableNeuronIds).toHaveLength(4);
    // Not actionable for someone without neurons, nor once every neuron of the user has voted.
    const stranger = await deskFor(subnet.url, Ed25519KeyIdentity.generate());
    expect((await new Proposals(stranger.ctx).actionable()).map((p) => p.id)).not.toContain(id);
    const voting = new Voting(demo.ctx);
    await voting.confirm((await voting.prepareVote({ proposalId: id, vote: 'yes' })).id);
    const after = await proposals.actionable();
    expect(ids(after)).not.toContain(id);
    // Older open proposals the user has voted on by following are not actionable either.
    const open = await proposals.list({ statuses: [1], limit: 100 });
    const votedAll = open.proposals.filter((p) => p.ballots.length > 0 && p.ballots.every((b) => b.vote !== 'unspecified'));
    expect(votedAll.length).toBeGreaterThan(0);
    for (const p of votedAll) expect(ids(after)).not.toContain(p.id);
  });
});

describe('motion proposals', () => {
  it('checks the text and the neuron before anything is sent', async () => {
    const list = await new Neurons(demo.ctx).list();
    const twoYears = list.find((n) => n.dissolveDelaySeconds === 63_115_200n)!;
    const hot = list.find((n) => !n.isController)!;
    const dissolved = list.find((n) => n.state === 'dissolved')!;
    const base = { neuronId: twoYears.id, title: 'Plant a tree', summary: 'A **motion**.', url: 'https://forum.example.org/t/trees/1' };
    const bad = async (a: Partial<typeof base> & { motionText?: string }, re: RegExp) => {
      const e = await failure(proposals.prepareMotion({ ...base, ...a }));
      expect(e.kind).toBe('invalid-input');
      expect(e.message).toMatch(re);
    };
    await bad({ title: 'abc' }, /title/);
    await bad({ title: 'x'.repeat(257) }, /title/);
    await bad({ url: 'http://forum.example.org' }, /https/);
    await bad({ summary: 'x'.repeat(30_001) }, /summary/);
    await bad({ motionText: 'y'.repeat(10_001) }, /motion text/);
    await bad({ neuronId: dissolved.id }, /dissolve delay of at least/);
    await bad({ neuronId: hot.id }, /dissolve delay of at least/); // a hotkey may propose, but this neuron's delay is 3 months
    expect((await failure(proposals.prepareMotion({ ...base, neuronId: 1n }))).kind).toBe('not-found');
  });

  it('makes a Motion proposal once, even when the answer is lost', async () => {
    const neuron = (await new Neurons(demo.ctx).list()).find((n) => n.dissolveDelaySeconds === 63_115_200n)!;
    const through = await deskFor(subnet.url, demoIdentity('demo'), { fetch: proxy.fetch });
    const p = new Proposals(through.ctx);
    const title = `Plant a tree for every new staker (${Date.now()})`;
    const review = await p.prepareMotion({ neuronId: neuron.id, title, summary: 'A **motion**.', url: 'https://forum.example.org/t/trees/1', motionText: 'Plant trees.' });
    expect(review).toMatchObject({ action: 'make-motion-proposal', signer: demo.connection.principal.toText() });
    expect(review.calls[0].args).toEqual({
      neuron_id: neuron.id,
      command: { MakeProposal: { title, summary: 'A **motion**.', url: 'https://forum.example.org/t/trees/1', action: { Motion: { motion_text: 'Plant trees.' } } } },
    });
    expect(review.notes!.join(' ')).toMatch(/If the proposal is rejected, 25\.00 ICP/);
    proxy.dropAnswers({ method: 'manage_neuron' }, { times: 6, blackoutMs: 2_000 });
    expect((await failure(p.confirm(review.id))).kind).toBe('network');
    let result;
    for (let attempt = 0; !result; attempt++) {
      await sleep(2_100);
      result = await p.confirm(review.id).catch((e: DeskError) => {
        expect(e.kind).toBe('network');
        if (attempt >= 3) throw e;
        return undefined;
      });
    }
    const mine = (await proposals.list({ limit: 20 })).proposals.filter((x) => x.title === title);
    expect(mine).toHaveLength(1); // one proposal, not two
    expect(mine[0].id).toBe(result.proposalId);
    const made = await proposals.get(result.proposalId);
    expect(made).toMatchObject({ proposer: neuron.id, actionType: 'Motion', action: { motionText: 'Plant trees.' }, statusName: 'open' });
    expect(made.ballots.find((b) => b.neuronId === neuron.id)!.vote).toBe('yes');
  });
});
