// The demo world of `npm run subnet` over HTTP with the real clients: the demo identity's neurons,
// the known neurons, the proposal history, POST /_/proposals, and the auto-voters that keep the
// world alive as the clock moves (votes, following, decisions, daily rewards).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GovernanceCanister, type KnownNeuron, type NeuronInfo, type ProposalInfo } from '@dfinity/nns';
import { GOVERNANCE_ID } from '../../subnet/canisters/ids.ts';
import { DEMO_IDENTITIES } from '../../subnet/genesis/demo.ts';
import { HISTORY_DAYS, KNOWN_NEURONS } from '../../subnet/genesis/nns-world.ts';
import type { Subnet } from '../../subnet/subnet.ts';
import { admin, clients, demoIdentity, startNnsSubnet } from './support/nns.ts';

const ICP = 100_000_000n;
const DAY = 86_400;
// Enum values of @dfinity/nns (the converters' NeuronState, ProposalStatus, ProposalRewardStatus, Topic, Vote).
const NeuronState = { Locked: 1, Dissolving: 2, Dissolved: 3 } as const;
const Status = { Open: 1, Rejected: 2, Executed: 4 } as const;
const Reward = { AcceptVotes: 1, Settled: 3 } as const;
const Topic = { NetworkEconomics: 3, Governance: 4 } as const;
const Vote = { Unspecified: 0 } as const;

let subnet: Subnet;
beforeAll(async () => {
  subnet = await startNnsSubnet({ world: 'demo' });
}, 120_000);
afterAll(async () => subnet?.stop());

async function as(name: string) {
  const identity = demoIdentity(name);
  const c = await clients(subnet.url, identity);
  return { identity, ...c, governance: GovernanceCanister.create({ agent: c.agent, canisterId: GOVERNANCE_ID }) };
}
type Client = Awaited<ReturnType<typeof as>>;

async function advance(seconds: number, ...who: Client[]) {
  const r = await admin(subnet.url, '/_/time', { advance_seconds: seconds });
  expect(r.status).toBe(200);
  for (const c of who) await c.agent.syncTime();
}

async function allProposals(c: Client): Promise<ProposalInfo[]> {
  const out: ProposalInfo[] = [];
  let before: bigint | undefined;
  for (;;) {
    const { proposals } = await c.governance.listProposals({
      request: { limit: 100, beforeProposal: before, includeRewardStatus: [], excludeTopic: [], includeAllManageNeuronProposals: false, includeStatus: [] },
      certified: false,
    });
    out.push(...proposals);
    if (proposals.length < 100) return out;
    before = proposals[proposals.length - 1].id;
  }
}

const postProposal = (body: unknown) => fetch(`${subnet.url}/_/proposals`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('the demo world', () => {
  it('gives the demo identity neurons in every state, funded without touching its ICP', async () => {
    const demo = await as('demo');
    const me = demo.identity.getPrincipal().toText();
    const neurons = await demo.governance.listNeurons({ certified: true });
    const own = neurons.filter((n) => n.fullNeuron?.controller === me);
    expect(own.length).toBeGreaterThanOrEqual(4);
    const inState = (s: number) => own.filter((n) => n.state === s);
    const locked = inState(NeuronState.Locked);
    expect(locked.length).toBeGreaterThanOrEqual(2);
    // Maturity earned through the history's votes: enough to spawn (>= 1 ICP after the worst case).
    expect(locked.some((n) => n.fullNeuron!.maturityE8sEquivalent > 2n * ICP)).toBe(true);
    expect(inState(NeuronState.Dissolving).length).toBeGreaterThanOrEqual(1);
    const dissolved = inState(NeuronState.Dissolved);
    expect(dissolved.length).toBeGreaterThanOrEqual(1);
    expect(dissolved[0].fullNeuron!.cachedNeuronStake).toBeGreaterThan(ICP); // stake to disburse
    // A neuron of another controller where the demo identity is a hotkey.
    const viaHotkey = neurons.find((n) => n.fullNeuron?.controller !== me);
    expect(viaHotkey?.fullNeuron?.hotKeys).toContain(me);
    // Funded from the reserve: the demo identity's ICP is as documented.
    expect(await demo.ledger.accountBalance({ accountIdentifier: (await import('@dfinity/ledger-icp')).AccountIdentifier.fromPrincipal({ principal: demo.identity.getPrincipal() }) })).toBe(DEMO_IDENTITIES[0].e8s);
    for (const name of ['alice', 'bob', 'carol']) {
      const other = await as(name);
      expect((await other.governance.listNeurons({ certified: false })).length, name).toBeGreaterThanOrEqual(1);
    }
  });

  it('has named, public, large known neurons with committed topics', async () => {
    const demo = await as('demo');
    const known = await demo.governance.listKnownNeurons(true);
    const names = known.map((k) => k.name);
    for (const k of KNOWN_NEURONS) expect(names).toContain(k.name);
    for (const k of known) {
      expect(k.description?.length ?? 0).toBeGreaterThan(10);
      expect(k.committed_topics?.length ?? 0).toBeGreaterThan(0);
    }
    const lantern = known.find((k) => k.name === KNOWN_NEURONS[0].name)!;
    const info = (await demo.governance.getNeuron({ certified: false, neuronId: lantern.id }))!;
    expect(info.visibility).toBe(2); // public
    expect(info.dissolveDelaySeconds).toBeGreaterThanOrEqual(BigInt(365 * DAY));
    expect(info.potentialVotingPower ?? info.votingPower).toBeGreaterThan(1_000_000n * ICP);
    expect(info.recentBallots.length).toBeGreaterThan(10); // it has been voting
  });

  it('has a history of proposals: decided, settled by reward events, and some still open', async () => {
    const demo = await as('demo');
    const proposals = await allProposals(demo);
    expect(proposals.length).toBeGreaterThanOrEqual(200);
    const count = (f: (p: ProposalInfo) => boolean) => proposals.filter(f).length;
    expect(count((p) => p.status === Status.Executed)).toBeGreaterThan(50);
    expect(count((p) => p.status === Status.Rejected)).toBeGreaterThan(10);
    expect(count((p) => p.status === Status.Open)).toBeGreaterThan(0);
    expect(count((p) => p.rewardStatus === Reward.Settled)).toBeGreaterThan(100);
    expect(count((p) => p.rewardStatus === Reward.AcceptVotes)).toBeGreaterThan(0);
    expect(count((p) => p.topic === Topic.Governance)).toBeGreaterThan(100);
    expect(count((p) => p.topic === Topic.NetworkEconomics)).toBeGreaterThan(0);
    const oldest = proposals[proposals.length - 1].proposalTimestampSeconds;
    const newest = proposals[0].proposalTimestampSeconds;
    expect(newest - oldest).toBeGreaterThan(BigInt((HISTORY_DAYS - 3) * DAY));
    const event = await demo.governance.getLatestRewardEvent(true);
    expect(event.day_after_genesis).toBeGreaterThanOrEqual(BigInt(HISTORY_DAYS - 1));
    expect(event.distributed_e8s_equivalent).toBeGreaterThan(0n);
  });

  it('holds a daily reward event a day later', async () => {
    const demo = await as('demo');
    const before = await demo.governance.getLatestRewardEvent(true);
    await advance(DAY + 60, demo);
    const after = await demo.governance.getLatestRewardEvent(true);
    expect(after.day_after_genesis).toBeGreaterThan(before.day_after_genesis);
    expect(after.actual_timestamp_seconds).toBeGreaterThan(before.actual_timestamp_seconds);
  });

  it('opens a proposal with POST /_/proposals that the known neurons and their followers decide as the clock moves', async () => {
    const demo = await as('demo');
    const r = await admin(subnet.url, '/_/proposals', {
      title: 'Plant a tree for every new staker',
      summary: 'A motion to **plant** trees.',
      url: 'https://forum.example.org/t/trees/1',
      topic: 4,
    });
    expect(r.status).toBe(200);
    const proposalId = BigInt(r.json.proposal_id);
    const opened = (await demo.governance.getProposal({ proposalId, certified: true }))!;
    expect(opened.status).toBe(Status.Open);
    expect(opened.topic).toBe(Topic.Governance);
    const tally = opened.latestTally!;
    expect(tally.yes).toBeGreaterThan(0n); // the proposer's own vote
    expect(2n * tally.yes).toBeLessThan(tally.total); // not a majority alone
    expect(tally.no).toBe(0n);
    // The demo identity's neurons have ballots, still unspecified.
    expect(opened.ballots.length).toBeGreaterThan(0);
    expect(opened.ballots.every((b) => b.vote === Vote.Unspecified)).toBe(true);

    // Three days and an hour later every known neuron that takes part has voted (their delays
    // are at most 72 hours), and the neurons following them voted with them.
    await advance(3 * DAY + 3600, demo);
    const known = await demo.governance.listKnownNeurons(false);
    const votes = new Map<string, number>();
    for (const k of known) {
      const info = (await demo.governance.getNeuron({ certified: false, neuronId: k.id })) as NeuronInfo;
      const b = info.recentBallots.find((x) => x.proposalId === proposalId);
      if (b) votes.set(k.name, b.vote);
    }
    expect(votes.size).toBeGreaterThanOrEqual(5);
    const lantern = known.find((k: KnownNeuron) => k.name === KNOWN_NEURONS[0].name)!;
    const lanternVote = votes.get(lantern.name);
    expect(lanternVote).toBeDefined(); // the largest known neuron votes on every proposal
    const mine = await demo.governance.listNeurons({ certified: false });
    const follower = mine.find((n) =>
      n.fullNeuron?.followees.some((f) => f.topic === Topic.Governance && f.followees.length === 1 && f.followees[0] === lantern.id),
    )!;
    expect(follower).toBeDefined();
    const voted = (await demo.governance.getProposal({ proposalId, certified: false }))!;
    expect(voted.ballots.find((b) => b.neuronId === follower.neuronId)?.vote).toBe(lanternVote);
    expect(voted.latestTally!.yes + voted.latestTally!.no).toBeGreaterThan(2n * tally.yes);

    // After the longest possible voting period (4 days + wait-for-quiet) and a reward event the
    // proposal is decided and settled.
    await advance(6 * DAY, demo);
    const done = (await demo.governance.getProposal({ proposalId, certified: true }))!;
    expect(done.status).not.toBe(Status.Open);
    expect(done.decidedTimestampSeconds).toBeGreaterThan(0n);
    expect(done.rewardStatus).toBe(Reward.Settled);
    const event = await demo.governance.getLatestRewardEvent(true);
    expect(event.day_after_genesis).toBeGreaterThanOrEqual(done.rewardEventRound);
  });

  it('answers bad POST /_/proposals bodies with 400 and keeps running', async () => {
    const ok = { title: 'A perfectly fine title', summary: 'Fine.', url: 'https://forum.example.org/t/fine/1' };
    const bad: [string, unknown][] = [
      ['not JSON', '{"title": '],
      ['an array', '[1, 2]'],
      ['no title', { summary: 's', url: '' }],
      ['a title that is not a string', { ...ok, title: 42 }],
      ['a title too short', { ...ok, title: 'abc' }],
      ['a blank title', { ...ok, title: '       ' }],
      ['a title too long', { ...ok, title: 'x'.repeat(300) }],
      ['no summary', { title: ok.title, url: ok.url }],
      ['a summary too long', { ...ok, summary: 'é'.repeat(16_000) }],
      ['no url', { title: ok.title, summary: ok.summary }],
      ['a url that is not https', { ...ok, url: 'http://forum.example.org/t/1' }],
      ['a url too long', { ...ok, url: 'https://example.org/' + 'a'.repeat(2_100) }],
      ['a topic other than Governance', { ...ok, topic: 3 }],
      ['a topic by another name', { ...ok, topic: 'SubnetManagement' }],
      ['a topic of the wrong type', { ...ok, topic: [4] }],
    ];
    for (const [what, body] of bad) {
      const res = await postProposal(body);
      expect(res.status, what).toBe(400);
      expect((await res.text()).length, what).toBeGreaterThan(5);
    }
    expect((await fetch(`${subnet.url}/_/proposals`)).status).toBe(405);
    // Still up, and a good body still works (with the topic by name, or none).
    expect((await postProposal({ ...ok, topic: 'Governance' })).status).toBe(200);
    expect((await postProposal(ok)).status).toBe(200);
    expect((await fetch(`${subnet.url}/_/status`)).status).toBe(200);
  });
});

describe('the demo world across a restart', () => {
  it('keeps its auto-voters (their configuration is part of the governance snapshot)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-world-'));
    let restarted: Subnet | undefined;
    try {
      const first = await startNnsSubnet({ stateDir: dir, world: 'demo' });
      expect((await admin(first.url, '/_/status')).json.height).toBeGreaterThan(1000); // the history's rounds
      await first.stop();
      restarted = await startNnsSubnet({ stateDir: dir, world: 'demo' });
      const r = await admin(restarted.url, '/_/proposals', { title: 'Motion after a restart', summary: '', url: '' });
      expect(r.status).toBe(200);
      const proposalId = BigInt(r.json.proposal_id);
      await admin(restarted.url, '/_/time', { advance_seconds: 3 * DAY + 3600 });
      const c = await clients(restarted.url, demoIdentity('demo'));
      await c.agent.syncTime(); // the clock moved ahead of this machine's
      const governance = GovernanceCanister.create({ agent: c.agent, canisterId: GOVERNANCE_ID });
      const lantern = (await governance.listKnownNeurons(false)).find((k) => k.name === KNOWN_NEURONS[0].name)!;
      const info = (await governance.getNeuron({ certified: false, neuronId: lantern.id }))!;
      expect(info.recentBallots.map((b) => b.proposalId)).toContain(proposalId);
    } finally {
      await restarted?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
