// A neuron's voting history against the demo world: its recent ballots in the view (newest first),
// joined with the proposals' titles, topics and outcomes; a new vote shows up first.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DeskError } from '../../../electron/api/errors.ts';
import { recentBallotsOf } from '../../../electron/services/neuron-view.ts';
import { Neurons, findNeuron, loadNeurons } from '../../../electron/services/neurons.ts';
import { Proposals } from '../../../electron/services/proposals.ts';
import { Voting } from '../../../electron/services/voting.ts';
import type { Subnet } from '../../../subnet/subnet.ts';
import { deskFor, demoIdentity, openTestProposal, startDeskSubnet, type TestDesk } from '../support/desk.ts';

const YEAR = 31_557_600n;

let subnet: Subnet;
let demo: TestDesk;
let neurons: Neurons;

beforeAll(async () => {
  subnet = await startDeskSubnet('demo');
  demo = await deskFor(subnet.url, demoIdentity('demo'));
  neurons = new Neurons(demo.ctx);
});
afterAll(async () => {
  await subnet?.stop();
});

const openProposal = (title: string) => openTestProposal(subnet.url, title);
/** The neuron's recent ballots as governance lists them. */
const ballotsOf = async (id: bigint) => recentBallotsOf(findNeuron(await loadNeurons(demo.connection), id).raw);

describe('voting history', () => {
  it('lists a vote just cast first, with the proposal title, topic and status', async () => {
    const oneYear = (await neurons.list()).find((n) => n.isController && n.state === 'locked' && n.dissolveDelaySeconds === YEAR)!;
    const before = await neurons.votingHistory(oneYear.id);
    expect(before.length).toBe((await ballotsOf(oneYear.id)).length);

    const id = await openProposal('Publish a glossary of governance terms');
    const voting = new Voting(demo.ctx);
    await voting.confirm(
      (
        await voting.prepareVote({ proposalId: id, vote: 'no', neuronIds: [oneYear.id] })
      ).id,
    );

    const ballots = await ballotsOf(oneYear.id);
    expect(ballots[0]).toEqual({ proposalId: id, vote: 'no' });
    const history = await neurons.votingHistory(String(oneYear.id));
    expect(history[0]).toMatchObject({ proposalId: id, vote: 'no', title: 'Publish a glossary of governance terms', topic: 4, topicName: 'Governance', status: 'open' });
    expect(history.map((h) => h.proposalId)).toEqual(ballots.map((b) => b.proposalId));
    // Every ballot of the history has its proposal's title (the demo world keeps all its proposals).
    for (const h of history) {
      expect(h.title, `proposal ${h.proposalId}`).toBeTruthy();
      expect(['yes', 'no']).toContain(h.vote);
    }
    // The titles match the proposals themselves.
    const proposals = new Proposals(demo.ctx);
    for (const h of history.slice(0, 3)) expect(h.title).toBe((await proposals.get(h.proposalId)).title);
  });

  it('reads the ballots\' proposals in one page, older ones one by one; refuses a neuron that is not the user\'s', async () => {
    const all = await neurons.list();
    // The dissolving demo neuron voted (by following) on proposals far apart: the newest page does not hold them all.
    const dissolving = all.find((n) => n.state === 'dissolving')!;
    const ballots = await ballotsOf(dissolving.id);
    const ids = ballots.map((b) => b.proposalId);
    expect(ids.length).toBeGreaterThan(2);
    expect(ids[0] - ids[ids.length - 1]).toBeGreaterThan(100n);
    const gov = demo.connection.governance;
    const lists = vi.spyOn(gov, 'listProposals');
    const gets = vi.spyOn(gov, 'getProposal');
    try {
      const history = await neurons.votingHistory(dissolving.id);
      expect(history.map((h) => h.proposalId)).toEqual(ids);
      expect(history.map((h) => h.vote)).toEqual(ballots.map((b) => b.vote));
      for (const h of history) {
        expect(h.title, `proposal ${h.proposalId}`).toBeTruthy();
        expect(h.status).not.toBe('open');
        expect(h.decidedAtSeconds).toBeGreaterThan(0n);
      }
      expect(lists).toHaveBeenCalledTimes(1);
      const beyondPage = ids.filter((id) => id <= ids[0] - 100n).length;
      expect(beyondPage).toBeGreaterThan(0);
      expect(gets).toHaveBeenCalledTimes(beyondPage);
    } finally {
      lists.mockRestore();
      gets.mockRestore();
    }
    const e = await neurons.votingHistory(999_999_999n).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DeskError);
    expect((e as DeskError).kind).toBe('not-found');
  });
});
