// Governance over HTTP with NnsGovernanceCanister (@dfinity/nns): stake, lock, propose, vote,
// decide, and rewards after a simulated day.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GovernanceCanister } from '@dfinity/nns';
import { GOVERNANCE_ID } from '../../subnet/canisters/ids.ts';
import type { Subnet } from '../../subnet/subnet.ts';
import { admin, clients, demoIdentity, startNnsSubnet } from './support/nns.ts';

const ICP = 100_000_000n;
const YEAR = 31_557_600;
let subnet: Subnet;
beforeAll(async () => {
  subnet = await startNnsSubnet();
});
afterAll(async () => subnet?.stop());

async function staker(name: string) {
  const identity = demoIdentity(name);
  const c = await clients(subnet.url, identity);
  const governance = GovernanceCanister.create({ agent: c.agent, canisterId: GOVERNANCE_ID });
  return { identity, ...c, governance };
}

it('stakes, proposes, votes, decides and pays rewards through the real clients', async () => {
  const demo = await staker('demo');
  const alice = await staker('alice');
  const demoNeuron = await demo.governance.stakeNeuron({ stake: 50n * ICP, principal: demo.identity.getPrincipal(), ledgerCanister: demo.ledger });
  const aliceNeuron = await alice.governance.stakeNeuron({ stake: 200n * ICP, principal: alice.identity.getPrincipal(), ledgerCanister: alice.ledger });
  await demo.governance.increaseDissolveDelay({ neuronId: demoNeuron, additionalDissolveDelaySeconds: YEAR });
  await alice.governance.increaseDissolveDelay({ neuronId: aliceNeuron, additionalDissolveDelaySeconds: YEAR });
  const mine = await alice.governance.listNeurons({ certified: true });
  expect(mine.map((n) => n.neuronId)).toEqual([aliceNeuron]);
  expect(mine[0].fullNeuron?.cachedNeuronStake).toBe(200n * ICP);

  const proposalId = await demo.governance.makeProposal({
    neuronId: demoNeuron,
    title: 'Plant more trees',
    url: 'https://example.com/trees',
    summary: 'A motion to **plant** trees.',
    action: { Motion: { motionText: 'We should plant trees.' } },
  });
  expect(proposalId).toBeDefined();
  const open = await alice.governance.getProposal({ proposalId: proposalId!, certified: true });
  expect(open?.status).toBe(1); // Open: the proposer's Yes is far from a majority
  expect(open?.ballots.map((b) => b.neuronId)).toEqual([aliceNeuron]); // only the caller's ballots
  await alice.governance.registerVote({ neuronId: aliceNeuron, vote: 2, proposalId: proposalId! });
  await expect(alice.governance.registerVote({ neuronId: aliceNeuron, vote: 1, proposalId: proposalId! })).rejects.toMatchObject({
    detail: { error_type: 19 }, // NeuronAlreadyVoted
  });
  const decided = await alice.governance.getProposal({ proposalId: proposalId!, certified: true });
  expect(decided?.status).toBe(2); // Rejected: No holds at least half
  const listed = await alice.governance.listProposals({
    request: { limit: 10, beforeProposal: undefined, includeRewardStatus: [], excludeTopic: [], includeAllManageNeuronProposals: false, includeStatus: [] },
    certified: false,
  });
  expect(listed.proposals[0].id).toBe(proposalId);

  // Once its 4-day voting period is over, the next daily reward event settles the proposal and
  // both voters earn maturity. Reward days count from genesis, so that event is the fourth or the
  // fifth after the proposal, depending on where in the day genesis fell.
  await admin(subnet.url, '/_/time', { advance_seconds: 5 * 86_400 });
  await demo.agent.syncTime();
  await alice.agent.syncTime();
  const settled = await alice.governance.getProposal({ proposalId: proposalId!, certified: true });
  expect(settled?.rewardStatus).toBe(3); // Settled
  expect(settled?.deadlineTimestampSeconds).toBe(settled!.proposalTimestampSeconds + 4n * 86_400n);
  const event = await alice.governance.getLatestRewardEvent(true);
  const settledOn = settled!.rewardEventRound;
  expect(settledOn >= 1n && settledOn <= event.day_after_genesis && event.day_after_genesis - settledOn <= 1n).toBe(true);
  if (settledOn === event.day_after_genesis) {
    expect(event.settled_proposals.map((p) => p.id)).toContain(proposalId);
    expect(event.distributed_e8s_equivalent).toBeGreaterThan(0n);
  }
  const aliceAfter = (await alice.governance.listNeurons({ certified: true }))[0];
  const demoAfter = (await demo.governance.listNeurons({ certified: true }))[0];
  expect(aliceAfter.fullNeuron!.maturityE8sEquivalent).toBeGreaterThan(0n);
  expect(demoAfter.fullNeuron!.maturityE8sEquivalent).toBeGreaterThan(0n);
  // The rejected proposer paid the reject cost.
  expect(demoAfter.fullNeuron!.neuronFees).toBeGreaterThan(0n);
});
