// Proposals closing soon, against the demo world: a test proposal is announced once when the
// subnet's clock comes within 24 hours of its deadline (with the number of neurons that can still
// vote), never again (not even after a restart), and never when every eligible neuron has voted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClosingSoonProposal } from '../../../electron/api/events.ts';
import { ClosingSoonWatcher, closingSoon, emptyClosingSoonData, type ClosingSoonData, type WatchTarget } from '../../../electron/services/closing-soon.ts';
import { LocalStore } from '../../../electron/services/local-store.ts';
import { Proposals, type ActionableProposal } from '../../../electron/services/proposals.ts';
import { Voting } from '../../../electron/services/voting.ts';
import type { Subnet } from '../../../subnet/subnet.ts';
import { admin, advance, deskFor, demoIdentity, startDeskSubnet, type TestDesk } from '../support/desk.ts';

const HOUR = 3_600;

let subnet: Subnet;
let demo: TestDesk;
let dir: string;

beforeAll(async () => {
  subnet = await startDeskSubnet('demo');
  demo = await deskFor(subnet.url, demoIdentity('demo'));
  dir = mkdtempSync(join(tmpdir(), 'desk-closing-soon-'));
});
afterAll(async () => {
  await subnet?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function openProposal(title: string): Promise<bigint> {
  const r = await admin(subnet.url, '/_/proposals', { title, summary: `About ${title}.`, url: '' });
  expect(r.status).toBe(200);
  return BigInt(r.json.proposal_id);
}

/** Moves the subnet's clock to `left` seconds before the proposal's deadline (wait-for-quiet may push it: follow). */
async function closeTo(id: bigint, left: number): Promise<bigint> {
  const proposals = new Proposals(demo.ctx);
  for (let i = 0; i < 5; i++) {
    const deadline = (await proposals.get(id)).deadlineSeconds!;
    const now = demo.ctx.nowNs() / 1_000_000_000n;
    if (deadline - now <= BigInt(left) + 60n) return deadline;
    await advance(subnet.url, Number(deadline - now) - left, demo);
  }
  throw new Error(`proposal ${id}'s deadline kept moving`);
}

function watcherFor(d: TestDesk, store: LocalStore<ClosingSoonData>, scope = `local|${d.connection.principal.toText()}`) {
  const events: ClosingSoonProposal[][] = [];
  const target: WatchTarget = { scope, actionable: () => new Proposals(d.ctx).actionable(), nowNs: async () => d.ctx.nowNs() };
  const watcher = new ClosingSoonWatcher({ store, target: async () => target, emit: (p) => events.push(p), intervalMs: 3_600_000, settleMs: 0 });
  return { watcher, events };
}

describe('closing soon', () => {
  it('announces a proposal once when it closes within 24 hours, with the neurons that can still vote; never one all of them voted on', async () => {
    const storePath = join(dir, 'notifications.json');
    const store = new LocalStore<ClosingSoonData>(storePath, emptyClosingSoonData);
    const { watcher, events } = watcherFor(demo, store);
    watcher.start();
    await watcher.check(); // whatever the demo world has closing soon already
    events.length = 0;

    const open = await openProposal('Plant a tree for every neuron');
    const votedOn = await openProposal('Paint the data centre green');
    const voting = new Voting(demo.ctx);
    await voting.confirm((await voting.prepareVote({ proposalId: votedOn, vote: 'yes' })).id);
    expect((await voting.eligibility(votedOn)).neurons.filter((n) => n.status === 'can-vote')).toEqual([]);

    // Four days to vote: not yet closing soon.
    expect(await watcher.check()).toEqual([]);
    expect(events).toEqual([]);

    // Within 24 hours of the deadline on the subnet's clock (this machine's clock has not moved).
    const deadline = await closeTo(open, 20 * HOUR);
    const canVote = (await voting.eligibility(open)).neurons.filter((n) => n.status === 'can-vote').length;
    expect(canVote).toBeGreaterThan(0);
    const announced = await watcher.check();
    const mine = announced.find((p) => p.id === open);
    expect(mine).toMatchObject({ id: open, title: 'Plant a tree for every neuron', deadlineSeconds: deadline, neurons: canVote });
    expect(mine!.secondsLeft).toBeGreaterThan(0);
    expect(mine!.secondsLeft).toBeLessThanOrEqual(24 * HOUR);
    expect(announced.find((p) => p.id === votedOn)).toBeUndefined();
    expect(events).toEqual([announced]);
    expect(watcher.recent().map((p) => p.id)).toContain(open);

    // Once: not again at the next check, nor by a watcher started afresh over the same store.
    await advance(subnet.url, HOUR, demo);
    expect((await new Proposals(demo.ctx).actionable()).some((p) => p.id === open)).toBe(true);
    expect(await watcher.check()).toEqual([]);
    expect(events).toHaveLength(1);
    watcher.stop();
    const again = watcherFor(demo, new LocalStore<ClosingSoonData>(storePath, emptyClosingSoonData));
    again.watcher.start();
    expect(await again.watcher.check()).toEqual([]);
    expect(again.events).toEqual([]);

    // Each identity and network is told on its own: another scope over the same store hears of it.
    const other = watcherFor(demo, store, 'custom-network|someone');
    other.watcher.start();
    await other.watcher.check(); // (its first check, started with it, may be the one that tells)
    expect(other.events.flat().filter((p) => p.id === open)).toHaveLength(1);
    other.watcher.stop();
    again.watcher.stop();
  });

  it('announces nothing while stopped (locked) or switched off, and again after being switched back on', async () => {
    const store = new LocalStore<ClosingSoonData>(join(dir, 'off.json'), emptyClosingSoonData);
    const { watcher, events } = watcherFor(demo, store);
    const id = await openProposal('Name the next release');
    await closeTo(id, 20 * HOUR);
    expect(await watcher.check()).toEqual([]); // never started: the vault is locked
    watcher.start();
    watcher.setEnabled(false);
    expect(await watcher.check()).toEqual([]);
    expect(watcher.recent()).toEqual([]);
    expect(store.read().closingSoon).toBe(false);
    watcher.setEnabled(true); // looks again at once
    await watcher.check();
    expect(events.flat().filter((p) => p.id === id)).toHaveLength(1);
    watcher.stop();
    expect(watcher.recent()).toEqual([]);
  });
});

describe('closingSoon (the rule)', () => {
  const base: Omit<ActionableProposal, 'id' | 'title' | 'deadlineSeconds' | 'acceptingVotes' | 'votableNeuronIds'> = { summary: '', url: '', topic: 4, topicName: 'Governance', status: 1, statusName: 'open', rewardStatus: 1, rewardStatusName: 'accepting-votes', createdAtSeconds: 0n, rejectCostE8s: 0n, tally: { yes: 0n, no: 0n, total: 0n, timestampSeconds: 0n }, yesPercent: 0, noPercent: 0, immediateMajorityPercent: 50, standardMajorityPercent: 3, ballots: [] };
  const p = (id: bigint, deadlineSeconds: bigint | undefined, votable: number, acceptingVotes = true): ActionableProposal => ({
    ...base,
    id,
    title: `P${id}`,
    deadlineSeconds,
    acceptingVotes,
    votableNeuronIds: Array.from({ length: votable }, (_, i) => BigInt(i + 1)),
  });

  it('keeps those closing within the window with neurons that can vote, soonest first', () => {
    const now = 1_000_000n;
    const list = [p(1n, now + 23n * 3_600n, 2), p(2n, now + 25n * 3_600n, 1), p(3n, now + 60n, 3), p(4n, now, 1), p(5n, now + 100n, 0), p(6n, undefined, 1), p(7n, now + 10n, 1, false)];
    expect(closingSoon(list, now)).toEqual([
      { id: 3n, title: 'P3', deadlineSeconds: now + 60n, secondsLeft: 60, neurons: 3 },
      { id: 1n, title: 'P1', deadlineSeconds: now + 23n * 3_600n, secondsLeft: 23 * 3_600, neurons: 2 },
    ]);
  });
});

describe('the watcher (lifecycle)', () => {
  const soonProposal = (id: bigint, now: bigint): ActionableProposal => ({
    id,
    title: `P${id}`,
    summary: '',
    url: '',
    topic: 4,
    topicName: 'Governance',
    status: 1,
    statusName: 'open',
    rewardStatus: 1,
    rewardStatusName: 'accepting-votes',
    createdAtSeconds: now - 3n * 86_400n,
    deadlineSeconds: now + 3_600n,
    rejectCostE8s: 0n,
    tally: { yes: 0n, no: 0n, total: 0n, timestampSeconds: 0n },
    yesPercent: 0,
    noPercent: 0,
    immediateMajorityPercent: 50,
    standardMajorityPercent: 3,
    acceptingVotes: true,
    ballots: [],
    votableNeuronIds: [1n],
  });
  const NOW = 2_000_000_000n;

  it('publishes nothing from a check that was under way when the vault locked or the identity changed', async () => {
    const store = new LocalStore<ClosingSoonData>(join(dir, 'lifecycle.json'), emptyClosingSoonData);
    const events: ClosingSoonProposal[][] = [];
    let release = () => {};
    let started = () => {};
    const target: WatchTarget = {
      scope: 'local|me',
      actionable: async () => {
        started();
        await new Promise<void>((r) => (release = r));
        return [soonProposal(1n, NOW)];
      },
      nowNs: async () => NOW * 1_000_000_000n,
    };
    const watcher = new ClosingSoonWatcher({ store, target: async () => target, emit: (p) => events.push(p), intervalMs: 3_600_000, settleMs: 10_000 });
    const underWay = () => new Promise<void>((r) => (started = r));

    let inFlight = underWay();
    watcher.start(); // checks at once
    await inFlight;
    watcher.stop(); // locked meanwhile
    release();
    await watcher.check();
    expect(events).toEqual([]);
    expect(store.read().announced).toEqual({});

    inFlight = underWay();
    watcher.start();
    await inFlight;
    watcher.changed(); // another identity meanwhile (its own check comes after the settle time)
    release();
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual([]);

    inFlight = underWay();
    const next = watcher.check();
    await inFlight;
    release();
    expect((await next).map((p) => p.id)).toEqual([1n]);
    expect(events).toHaveLength(1);
    watcher.stop();
  });

  it('gives up on a check the network never answers, and the next one still runs', async () => {
    const store = new LocalStore<ClosingSoonData>(join(dir, 'hung.json'), emptyClosingSoonData);
    const errors: unknown[] = [];
    const events: ClosingSoonProposal[][] = [];
    let hang = true;
    const target: WatchTarget = {
      scope: 'mainnet|me',
      actionable: () => (hang ? new Promise(() => undefined) : Promise.resolve([soonProposal(2n, NOW)])),
      nowNs: async () => NOW * 1_000_000_000n,
    };
    const watcher = new ClosingSoonWatcher({ store, target: async () => target, emit: (p) => events.push(p), intervalMs: 3_600_000, settleMs: 10_000, checkTimeoutMs: 50, onError: (e) => errors.push(e) });
    watcher.start(); // its first check is queued behind this one
    expect(await watcher.check()).toEqual([]); // hangs, and is given up
    expect(errors).toHaveLength(1);
    hang = false;
    // The queued check and this one end (whichever sees the answer announces it, once).
    await watcher.check();
    expect(events.flat().map((p) => p.id)).toEqual([2n]);
    expect(events).toHaveLength(1);
    watcher.stop();
  });
});
