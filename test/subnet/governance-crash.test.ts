// Governance survives `kill -9` of the subnet process (reference, architecture: "every value-moving
// flow can be retried ... and recovered later from the ledger history"):
// - a stake transferred to the neuron staking account before a crash is found after the restart:
//   the memo is read back from the index (the transfer to the staking account it derives), the
//   neuron claimed with it, and a resent transfer is a duplicate, not a second payment;
// - neurons (hotkeys, followees, dissolve state, maturity, staked maturity, pending disbursements,
//   a spawning child), proposals with their votes and the latest reward event are identical after a
//   SIGKILL and a restart on the same state directory, and the timers still run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { memoToNeuronAccountIdentifier, NeuronVisibility } from '@dfinity/nns';
import { TxDuplicateError } from '@dfinity/ledger-icp';
import { GOVERNANCE_ID } from '../../subnet/canisters/ids.ts';
import type { Subnet } from '../../subnet/subnet.ts';
import { admin } from './support/nns.ts';
import { spawnSubnet, type SubnetProcess } from './support/process.ts';
import {
  DAY,
  Err,
  ICP,
  NeuronState,
  SIX_MONTHS,
  Topic,
  Vote,
  YEAR,
  advance,
  expectGovError,
  motion,
  neuronAccount,
  staker,
  stakingSubaccount,
  startGovernanceSubnet,
  votingPowerOf,
  type Gov,
  type Staker,
} from './support/governance.ts';

const SCRIPT = 'test/subnet/support/governance-subnet.ts';
const dirs: string[] = [];
const running: Subnet[] = [];
const processes: SubnetProcess[] = [];
afterEach(async () => {
  for (const p of processes.splice(0)) await p.kill('SIGKILL');
  for (const s of running.splice(0)) await s.stop().catch(() => {});
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function crashable(): Promise<{ dir: string; proc: SubnetProcess }> {
  const dir = mkdtempSync(join(tmpdir(), 'governance-crash-'));
  dirs.push(dir);
  const proc = await spawnSubnet(SCRIPT, [dir]);
  processes.push(proc);
  return { dir, proc };
}

async function restart(dir: string): Promise<Subnet> {
  const s = await startGovernanceSubnet({ stateDir: dir });
  running.push(s);
  return s;
}

const nowNs = async (url: string) => BigInt((await admin(url, '/_/status')).json.time_ns);

describe('a stake transferred, then a crash before the claim', () => {
  it('is claimed by memo after the restart; the resent transfer is a duplicate', async () => {
    const { dir, proc } = await crashable();
    const demo = await staker(proc.url, 'demo');
    const alice = await staker(proc.url, 'alice');
    const memo = 0x5eed_0000_0000_0001n;
    const account = neuronAccount(stakingSubaccount(demo.principal, memo));
    // The reference's staking account is the one the client library computes.
    expect(account.toHex()).toBe(memoToNeuronAccountIdentifier({ controller: demo.principal, memo, governanceCanisterId: GOVERNANCE_ID }).toHex());
    const createdAt = await nowNs(proc.url);
    const block = await demo.ledger.transfer({ to: account, amount: 12n * ICP, memo, createdAt });
    // Alice stakes too; Bob will claim it for her (anyone may, by memo and controller).
    const aliceMemo = 0x5eed_0000_0000_0002n;
    const aliceAccount = neuronAccount(stakingSubaccount(alice.principal, aliceMemo));
    await alice.ledger.transfer({ to: aliceAccount, amount: 3n * ICP, memo: aliceMemo, createdAt });
    await proc.kill('SIGKILL');

    const subnet = await restart(dir);
    const demo2 = await staker(subnet.url, 'demo');
    const bob2 = await staker(subnet.url, 'bob');
    expect(await demo2.balance(account)).toBe(12n * ICP);
    expect(await demo2.governance.listNeurons({ certified: true })).toEqual([]);
    // The wallet retries the transfer (same created_at_time): the ledger refuses to pay twice.
    const retry = await demo2.ledger.transfer({ to: account, amount: 12n * ICP, memo, createdAt }).catch((e: unknown) => e);
    expect(retry).toBeInstanceOf(TxDuplicateError);
    expect((retry as TxDuplicateError).duplicateOf).toBe(block);
    expect(await demo2.balance(account)).toBe(12n * ICP);

    // The wallet recovers the memo from the ledger history (the index): the transfer from its
    // account to a neuron staking account, whose subaccount that memo derives.
    const history = await demo2.index.getTransactions({ accountIdentifier: demo2.account.toHex(), maxResults: 100n, certified: true });
    const staking = history.transactions.filter(({ transaction: t }) => {
      const op = t.operation;
      return 'Transfer' in op && op.Transfer.from === demo2.account.toHex() && op.Transfer.to === neuronAccount(stakingSubaccount(demo.principal, t.memo)).toHex();
    });
    expect(staking.map((t) => t.id)).toEqual([block]);
    const found = staking[0].transaction.memo;
    expect(found).toBe(memo);
    // claim_or_refresh by memo (controller = caller).
    const claim = () => demo2.raw.manage_neuron({ id: [], neuron_id_or_subaccount: [], command: [{ ClaimOrRefresh: { by: [{ Memo: found }] } }] });
    const res = await claim();
    const cmd = res.command[0]!;
    if (!('ClaimOrRefresh' in cmd)) throw new Error(JSON.stringify(cmd, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
    const id = cmd.ClaimOrRefresh.refreshed_neuron_id[0]!.id;
    const full = await demo2.full(id);
    const claimedAt = (await demo2.info(id)).retrieved_at_timestamp_seconds;
    expect(full.cached_neuron_stake_e8s).toBe(12n * ICP);
    expect(full.controller[0]?.toText()).toBe(demo.principal.toText());
    expect(Buffer.from(full.account).toString('hex')).toBe(Buffer.from(stakingSubaccount(demo.principal, memo)).toString('hex'));
    expect(full.dissolve_state).toEqual([{ DissolveDelaySeconds: 7n * DAY }]);
    expect(full.aging_since_timestamp_seconds).toBeLessThanOrEqual(claimedAt);
    expect(full.aging_since_timestamp_seconds).toBeGreaterThanOrEqual(createdAt / 1_000_000_000n);
    expect(full.visibility).toEqual([NeuronVisibility.Private]);
    expect(full.hot_keys).toEqual([]);
    // Claiming again finds the same neuron (nothing new, stake unchanged).
    const again = (await claim()).command[0]!;
    expect('ClaimOrRefresh' in again && again.ClaimOrRefresh.refreshed_neuron_id[0]?.id).toBe(id);
    expect((await demo2.full(id)).cached_neuron_stake_e8s).toBe(12n * ICP);
    expect([...(await demo2.raw.get_neuron_ids())]).toEqual([id]);

    // Bob claims Alice's stake for her with claim_or_refresh_neuron_from_account.
    const r = await bob2.raw.claim_or_refresh_neuron_from_account({ controller: [alice.principal], memo: aliceMemo });
    const [result] = r.result;
    if (!result || !('NeuronId' in result)) throw new Error('no neuron');
    const alice2 = await staker(subnet.url, 'alice');
    expect((await alice2.full(result.NeuronId.id)).cached_neuron_stake_e8s).toBe(3n * ICP);
    expect((await alice2.full(result.NeuronId.id)).controller[0]?.toText()).toBe(alice.principal.toText());
    expect([...(await bob2.raw.get_neuron_ids())]).toEqual([]);
  });
});

/** A full neuron without the fields that move with the clock (voting power grows with age). */
const still = (n: Gov.Neuron) => ({ ...n, potential_voting_power: undefined, deciding_voting_power: undefined });

describe('governance state across kill -9', () => {
  it('neurons, proposals with votes, followees and maturity are identical after the restart, and the timers still run', async () => {
    const { dir, proc } = await crashable();
    const [demo, alice, bob] = await Promise.all(['demo', 'alice', 'bob'].map((n) => staker(proc.url, n)));
    const everyone = [demo, alice, bob];
    const P = await demo.stake(100n * ICP, YEAR);
    const F = await demo.stake(10n * ICP, YEAR);
    const A = await alice.stake(50n * ICP, SIX_MONTHS);
    const D = await demo.stake(5n * ICP, 30n * DAY);
    await demo.governance.setVisibility(F, NeuronVisibility.Public);
    await alice.governance.addHotkey({ neuronId: A, principal: bob.principal });
    await alice.governance.setFollowing({
      neuronId: A,
      topicFollowing: [
        { topic: Topic.CatchAll, followees: [F] },
        { topic: Topic.Governance, followees: [F] },
      ],
    });
    await demo.governance.autoStakeMaturity({ neuronId: F, autoStake: true });
    await demo.governance.joinCommunityFund(P);

    // A proposal that settles (maturity for the voters), then an open one with votes.
    const settled = await motion(demo, P, 'Before the crash, settled');
    await demo.governance.registerVote({ neuronId: F, vote: Vote.Yes, proposalId: settled }); // A follows
    await advance(proc.url, 5n * DAY, ...everyone);
    expect((await demo.proposal(settled)).reward_status).toBe(3);
    const open = await motion(demo, P, 'Before the crash, open');
    await demo.governance.registerVote({ neuronId: F, vote: Vote.No, proposalId: open }); // A follows No
    await demo.governance.registerVote({ neuronId: D, vote: Vote.Yes, proposalId: open });
    // Maturity in flight: a spawning child of P, a pending disbursement of A, staked maturity of F.
    const spawned = await demo.governance.spawnNeuron({ neuronId: P, percentageToSpawn: 50 });
    await alice.governance.disburseMaturity({ neuronId: A, percentageToDisburse: 30 });
    await demo.governance.startDissolving(D);

    const neurons: [Staker, bigint][] = [[demo, P], [demo, F], [alice, A], [demo, D], [demo, spawned]];
    const before = {
      full: await Promise.all(neurons.map(([s, id]) => s.full(id))),
      proposals: await Promise.all([settled, open].flatMap((id) => [demo.proposal(id), alice.proposal(id)])),
      event: await demo.governance.getLatestRewardEvent(true),
      ids: await Promise.all(everyone.map(async (s) => [...(await s.raw.get_neuron_ids())])),
      economics: await demo.raw.get_network_economics_parameters(),
    };
    expect(before.full[0].maturity_e8s_equivalent).toBeGreaterThan(0n);
    expect(before.full[1].staked_maturity_e8s_equivalent[0]).toBeGreaterThan(0n);
    expect(before.full[2].maturity_disbursements_in_progress[0]).toHaveLength(1);
    expect(before.full[4].spawn_at_timestamp_seconds).toHaveLength(1);
    // demo's ballots on the open proposal: P Yes, F No, D Yes (the child came later); alice's: A No.
    expect(before.proposals[2].ballots.map(([id, b]) => [id, b.vote]).sort()).toEqual([[P, Vote.Yes], [F, Vote.No], [D, Vote.Yes]].sort());
    expect(before.proposals[3].ballots.map(([id, b]) => [id, b.vote])).toEqual([[A, Vote.No]]);
    expect(before.full[2].followees.length).toBe(2);
    await proc.kill('SIGKILL');

    const subnet = await restart(dir);
    const [demo2, alice2, bob2] = await Promise.all(['demo', 'alice', 'bob'].map((n) => staker(subnet.url, n)));
    const after = {
      full: await Promise.all(neurons.map(([s, id]) => (s === demo ? demo2 : alice2).full(id))),
      proposals: await Promise.all([settled, open].flatMap((id) => [demo2.proposal(id), alice2.proposal(id)])),
      event: await demo2.governance.getLatestRewardEvent(true),
      ids: await Promise.all([demo2, alice2, bob2].map(async (s) => [...(await s.raw.get_neuron_ids())])),
      economics: await demo2.raw.get_network_economics_parameters(),
    };
    expect(after.full.map(still)).toEqual(before.full.map(still));
    expect(after.proposals).toEqual(before.proposals);
    expect(after.event).toEqual(before.event);
    expect(after.ids).toEqual(before.ids);
    expect(after.economics).toEqual(before.economics);
    // The voting power is the formula's at the new time.
    for (const [s, id] of neurons) {
      const who = s === demo ? demo2 : alice2;
      const info = await who.info(id);
      const expected = votingPowerOf(await who.full(id), info.retrieved_at_timestamp_seconds);
      const spawning = info.state === NeuronState.Spawning;
      expect(info.potential_voting_power[0]).toBe(spawning ? 0n : expected.potential);
      expect(info.deciding_voting_power[0]).toBe(spawning ? 0n : expected.deciding);
    }

    // Still alive: the hotkey votes on a new proposal, A cannot vote twice, the timers pay out.
    const next = await motion(demo2, P, 'After the crash');
    await bob2.governance.registerVote({ neuronId: A, vote: Vote.Yes, proposalId: next });
    await expectGovError(bob2.governance.registerVote({ neuronId: A, vote: Vote.No, proposalId: open }), Err.NeuronAlreadyVoted);
    expect(new Map((await alice2.proposal(next)).ballots.map(([id, b]) => [id, b.vote])).get(A)).toBe(Vote.Yes);
    const aliceBalance = await alice2.balance(alice2.account);
    const [pending] = before.full[2].maturity_disbursements_in_progress[0]!;
    await advance(subnet.url, 8n * DAY, demo2, alice2, bob2);
    const child = await demo2.full(spawned);
    expect(child.spawn_at_timestamp_seconds).toEqual([]);
    expect(child.cached_neuron_stake_e8s).toBe(before.full[4].maturity_e8s_equivalent); // modulation 0
    expect(await demo2.balance(neuronAccount(child.account))).toBe(child.cached_neuron_stake_e8s);
    expect(await alice2.balance(alice2.account)).toBe(aliceBalance + pending.amount_e8s[0]!);
    expect((await demo2.info(D)).state).toBe(NeuronState.Dissolving);
  });
});
