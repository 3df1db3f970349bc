// Staking a neuron from scratch with the demo identities' ICP (transfer + claim + settings in one
// review), answers lost at each step and the review confirmed again (one transfer, one neuron),
// adding stake, and recovering stakes whose claim never happened.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountIdentifier } from '@icp-sdk/canisters/ledger/icp';
import { Principal } from '@icp-sdk/core/principal';
import { neuronAccountId, randomNonce, transferOnce } from '../../../electron/services/neuron-calls.ts';
import { NeuronRecovery } from '../../../electron/services/neuron-recovery.ts';
import { NeuronStaking, type IncreaseStakeResult, type StakeResult } from '../../../electron/services/neuron-stake.ts';
import { Neurons } from '../../../electron/services/neurons.ts';
import type { Subnet } from '../../../subnet/subnet.ts';
import { deskFor, demoIdentity, startDeskSubnet, failure, sleep, type TestDesk } from '../support/desk.ts';
import { FaultProxy } from '../support/fault-proxy.ts';

const ICP = 100_000_000n;
const FEE = 10_000n;
const YEAR = 31_557_600n;

let subnet: Subnet;
let proxy: FaultProxy;

beforeAll(async () => {
  subnet = await startDeskSubnet('accounts');
  proxy = await FaultProxy.start(subnet.url);
});
afterAll(async () => {
  await proxy?.stop();
  await subnet?.stop();
});

const mainAccount = (d: TestDesk) => AccountIdentifier.fromPrincipal({ principal: d.connection.principal }).toHex();
const balance = (d: TestDesk, account = mainAccount(d)) => d.connection.ledger.accountBalance({ accountIdentifier: account, certified: true });
const transfersTo = async (d: TestDesk, account: string) =>
  (await d.connection.index.getTransactions({ accountIdentifier: account, maxResults: 100n, certified: true })).transactions.filter((t) => 'Transfer' in t.transaction.operation);

/**
 * What a user does after a lost answer: confirm the same review again (after the outage) until it
 * goes through. The first confirm must have failed with a network error.
 */
async function confirmAgainUntilDone<T>(confirm: () => Promise<T>): Promise<T> {
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

describe('staking', () => {
  it('refuses bad input before anything is sent', async () => {
    const carol = await deskFor(subnet.url, demoIdentity('carol'));
    const staking = new NeuronStaking(carol.ctx);
    const before = await balance(carol);
    expect((await failure(staking.prepareStake({ amount: '1.000000001' }))).kind).toBe('invalid-input');
    expect((await failure(staking.prepareStake({ amount: '0' }))).kind).toBe('invalid-input');
    expect((await failure(staking.prepareStake({ amount: '-5' }))).kind).toBe('invalid-input');
    expect((await failure(staking.prepareStake({ amount: 0n }))).kind).toBe('invalid-input');
    expect((await failure(staking.prepareStake({ amount: '0.5' }))).message).toMatch(/at least 1\.00 ICP/);
    const tooMuch = await failure(staking.prepareStake({ amount: '42' })); // 42 ICP held: no room for the fee
    expect(tooMuch.kind).toBe('insufficient-funds');
    expect((await failure(staking.prepareStake({ amount: '2', dissolveDelaySeconds: 3n * YEAR }))).message).toMatch(/at most/);
    expect((await failure(staking.prepareStake({ amount: '2', dissolveDelaySeconds: -1 }))).kind).toBe('invalid-input');
    expect((await failure(staking.prepareStake({ amount: '2', following: [{ topic: 4, followees: ['123456789'] }] }))).message).toMatch(/does not exist/);
    expect((await failure(staking.prepareStake({ amount: '2', following: [{ topic: 99, followees: [] }] }))).message).toMatch(/not a proposal topic/);
    expect((await failure(staking.prepareStake({ amount: '2', fromSubaccount: 'xyz' }))).kind).toBe('invalid-input');
    const watcher = await deskFor(subnet.url, carol.connection.principal);
    expect((await failure(new NeuronStaking(watcher.ctx).prepareStake({ amount: '2' }))).kind).toBe('watch-only');
    expect(await balance(carol)).toBe(before);
    expect(await new Neurons(carol.ctx).list()).toEqual([]);
  });

  it('stakes with every setting fixed in one review, and confirms once', async () => {
    const bob = await deskFor(subnet.url, demoIdentity('bob'));
    const staking = new NeuronStaking(bob.ctx);
    const neurons = new Neurons(bob.ctx);
    const first = await staking.confirm<StakeResult>((await staking.prepareStake({ amount: '5' })).id);
    const before = await balance(bob);
    const review = await staking.prepareStake({
      amount: '10.5',
      dissolveDelaySeconds: YEAR,
      visibility: 'public',
      following: [{ topic: 4, followees: [first.neuronId] }],
    });
    expect(review).toMatchObject({ action: 'stake-neuron', amountE8s: 1_050_000_000n, feeE8s: FEE, from: mainAccount(bob), signer: bob.connection.principal.toText() });
    expect(review.calls.map((c) => [c.canisterName, c.method])).toEqual([
      ['ICP ledger', 'transfer'],
      ['NNS governance', 'manage_neuron'],
      ['NNS governance', 'manage_neuron'],
      ['NNS governance', 'manage_neuron'],
      ['NNS governance', 'manage_neuron'],
    ]);
    const transfer = review.calls[0].args as { to: string; memo: bigint; amount: { e8s: bigint }; created_at_time: { timestamp_nanos: bigint } };
    expect(transfer.to).toBe(neuronAccountId(bob.connection.principal, transfer.memo));
    expect(transfer.memo).toBeGreaterThan(0n);
    expect(review.calls[1].args).toEqual({ command: { ClaimOrRefresh: { by: { MemoAndController: { memo: transfer.memo, controller: bob.connection.principal.toText() } } } } });
    expect(review.notes!.join(' ')).toMatch(/locked/);
    expect(await balance(bob)).toBe(before); // nothing sent yet

    const result = await staking.confirm<StakeResult>(review.id);
    expect(result).toMatchObject({ memo: transfer.memo, accountId: transfer.to });
    expect(await staking.confirm(review.id)).toEqual(result); // confirming again does not run again
    expect(before - (await balance(bob))).toBe(1_050_000_000n + FEE);
    const n = await neurons.get(result.neuronId);
    expect(n).toMatchObject({ stakeE8s: 1_050_000_000n, state: 'locked', dissolveDelaySeconds: YEAR, visibility: 'public', accountId: transfer.to, isController: true });
    expect(n.following).toEqual([{ topic: 4, topicName: 'Governance', followees: [{ id: first.neuronId }] }]);
    expect(n.canVote).toBe(true);
    expect((await neurons.list()).map((x) => x.id).sort()).toEqual([first.neuronId, result.neuronId].sort());
  });

  it('stakes from a subaccount', async () => {
    const alice = await deskFor(subnet.url, demoIdentity('alice'));
    const sub = '00'.repeat(31) + '07';
    const subAccount = AccountIdentifier.fromPrincipal({ principal: alice.connection.principal, subAccount: (await import('@icp-sdk/canisters/ledger/icp')).SubAccount.fromID(7) }).toHex();
    await transferOnce(alice.connection, { to: subAccount, amountE8s: 20n * ICP, feeE8s: FEE, memo: 0n, createdAtTimeNs: alice.ctx.nowNs() });
    const staking = new NeuronStaking(alice.ctx);
    const review = await staking.prepareStake({ amount: '15', fromSubaccount: sub });
    expect(review.from).toBe(subAccount);
    const r = await staking.confirm<StakeResult>(review.id);
    expect(await balance(alice, subAccount)).toBe(20n * ICP - 15n * ICP - FEE);
    expect((await new Neurons(alice.ctx).get(r.neuronId)).stakeE8s).toBe(15n * ICP);
    expect((await failure(staking.prepareStake({ amount: '10', fromSubaccount: sub }))).kind).toBe('insufficient-funds');
  });

  for (const step of ['transfer', 'manage_neuron'] as const) {
    it(`stakes exactly once when the ${step === 'transfer' ? 'transfer' : 'claim'}'s answers are lost and the review is confirmed again`, async () => {
      const identity = demoIdentity('demo');
      const through = await deskFor(subnet.url, identity, { fetch: proxy.fetch });
      const direct = await deskFor(subnet.url, identity);
      const staking = new NeuronStaking(through.ctx);
      const before = await balance(direct);
      const countBefore = (await new Neurons(direct.ctx).list()).length;
      const review = await staking.prepareStake({ amount: '3', dissolveDelaySeconds: YEAR / 2n });
      const account = (review.calls[0].args as { to: string }).to;
      proxy.dropAnswers({ method: step }, { times: 6, blackoutMs: 2_000 });
      const result = await confirmAgainUntilDone(() => staking.confirm<StakeResult>(review.id));
      expect(proxy.dropped(step)).toBeGreaterThanOrEqual(1);
      // The effect happened exactly once: one transfer, one neuron.
      expect(before - (await balance(direct))).toBe(3n * ICP + FEE);
      expect(await transfersTo(direct, account)).toHaveLength(1);
      const list = await new Neurons(direct.ctx).list();
      expect(list).toHaveLength(countBefore + 1);
      expect(list.filter((n) => n.accountId === account)).toHaveLength(1);
      expect(byId(list, result.neuronId)).toMatchObject({ stakeE8s: 3n * ICP, dissolveDelaySeconds: YEAR / 2n });
    });
  }

  it('adds stake to a neuron: a transfer to its account and a refresh', async () => {
    const bob = await deskFor(subnet.url, demoIdentity('bob'));
    const [n] = await new Neurons(bob.ctx).list();
    const before = await balance(bob);
    const staking = new NeuronStaking(bob.ctx);
    expect((await failure(staking.prepareIncreaseStake({ neuronId: n.id, amount: '0.000000001' }))).kind).toBe('invalid-input');
    expect((await failure(staking.prepareIncreaseStake({ neuronId: n.id, amount: '100000' }))).kind).toBe('insufficient-funds');
    expect((await failure(staking.prepareIncreaseStake({ neuronId: 42n, amount: '1' }))).kind).toBe('not-found');
    const review = await staking.prepareIncreaseStake({ neuronId: n.id, amount: '2.25' });
    expect(review).toMatchObject({ action: 'increase-stake', amountE8s: 225_000_000n, feeE8s: FEE, destination: `Neuron ${n.id} (account ${n.accountId})` });
    const r = await staking.confirm<IncreaseStakeResult>(review.id);
    expect(r.stakeE8s).toBe(n.stakeE8s + 225_000_000n);
    expect((await new Neurons(bob.ctx).get(n.id)).stakeE8s).toBe(n.stakeE8s + 225_000_000n);
    expect(before - (await balance(bob))).toBe(225_000_000n + FEE);
  });
});

describe('recovery', () => {
  it('claims a stake whose claim never happened, and refreshes a top-up that was never refreshed', async () => {
    const alice = await deskFor(subnet.url, demoIdentity('alice'));
    const p = alice.connection.principal;
    const recovery = new NeuronRecovery(alice.ctx);
    const neurons = new Neurons(alice.ctx);
    const staking = new NeuronStaking(alice.ctx);
    await staking.confirm((await staking.prepareStake({ amount: '6' })).id);
    const known = (await neurons.list()).map((n) => n.id);
    const fresh = await recovery.scan();
    expect(fresh.pendingStakes).toEqual([]);
    expect(fresh.unrefreshed).toEqual([]);

    // "Crash" between transfer and claim: the transfer to the neuron account with the memo, then nothing.
    const memo = randomNonce();
    const account = neuronAccountId(p, memo);
    await transferOnce(alice.connection, { to: account, amountE8s: 7n * ICP, feeE8s: FEE, memo, createdAtTimeNs: alice.ctx.nowNs() });
    // A stake too small to claim, and a transfer with a memo to someone else's neuron account (not ours).
    const small = randomNonce();
    await transferOnce(alice.connection, { to: neuronAccountId(p, small), amountE8s: ICP / 2n, feeE8s: FEE, memo: small, createdAtTimeNs: alice.ctx.nowNs() });
    const other = randomNonce();
    const bob = Principal.fromText(demoIdentity('bob').getPrincipal().toText());
    await transferOnce(alice.connection, { to: neuronAccountId(bob, other), amountE8s: 2n * ICP, feeE8s: FEE, memo: other, createdAtTimeNs: alice.ctx.nowNs() });
    // A top-up to an existing neuron that was never refreshed.
    const target = (await neurons.list())[0];
    await transferOnce(alice.connection, { to: target.accountId!, amountE8s: 4n * ICP, feeE8s: FEE, memo: 0n, createdAtTimeNs: alice.ctx.nowNs() });

    const scan = await recovery.scan();
    expect(scan.pendingStakes.map((s) => [s.memo, s.accountId, s.balanceE8s, s.claimable]).sort()).toEqual(
      [
        [memo, account, 7n * ICP, true],
        [small, neuronAccountId(p, small), ICP / 2n, false],
      ].sort(),
    );
    expect(scan.unrefreshed).toEqual([{ neuronId: target.id, accountId: target.accountId, balanceE8s: target.stakeE8s + 4n * ICP, cachedStakeE8s: target.cachedStakeE8s }]);

    const review = await recovery.prepareRecover();
    expect(review.action).toBe('recover-neurons');
    expect(review.calls).toHaveLength(2);
    expect(review.notes!.join('\n')).toMatch(/less than the minimum stake/);
    const result = await recovery.confirm(review.id);
    expect(result.failed).toEqual([]);
    expect(result.refreshed).toEqual([{ neuronId: target.id }]);
    expect(result.claimed).toHaveLength(1);
    expect(result.claimed[0]).toMatchObject({ memo, accountId: account });
    const after = await neurons.list();
    expect(after.map((n) => n.id).sort()).toEqual([...known, result.claimed[0].neuronId].sort());
    expect(byId(after, result.claimed[0].neuronId)).toMatchObject({ stakeE8s: 7n * ICP, state: 'locked', isController: true });
    expect(byId(after, target.id).stakeE8s).toBe(target.stakeE8s + 4n * ICP);

    const again = await recovery.scan();
    expect(again.pendingStakes.filter((s) => s.claimable)).toEqual([]);
    expect(again.unrefreshed).toEqual([]);
    expect((await failure(recovery.prepareRecover())).kind).toBe('not-found');
  });
});

function byId<T extends { id: bigint }>(list: T[], id: bigint): T {
  const n = list.find((x) => x.id === id);
  if (!n) throw new Error(`no neuron ${id}`);
  return n;
}
