// Cycles: the rate, top-ups, canister creation, canister status and the list of the user's
// canisters, against a live subnet through the real agent.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Principal } from '@icp-sdk/core/principal';
import { AccountIdentifier, SubAccount } from '@icp-sdk/canisters/ledger/icp';
import { Accounts } from '../../../electron/services/accounts.ts';
import { Cycles, type CreateCanisterResult, type TopUpResult } from '../../../electron/services/cycles.ts';
import { LocalStore } from '../../../electron/services/local-store.ts';
import { notifyTopUp } from '../../../electron/services/ledger-cmc.ts';
import { MEMO_TOP_UP, cyclesForE8s, e8sForCycles } from '../../../electron/services/ledger-accounts.ts';
import { emptyLedgerData, type LedgerLocalData } from '../../../electron/services/ledger-store.ts';
import type { Subnet } from '../../../subnet/subnet.ts';
import { admin, deskFor, demoIdentity, mint, startDeskSubnet, failure, type TestDesk } from '../support/desk.ts';

const ICP = 100_000_000n;
const FEE = 10_000n;
const RATE = 35_000n; // the demo world's 3.5 XDR per ICP
const CMC = 'rkp4c-7iaaa-aaaaa-aaaca-cai';

let subnet: Subnet;
let dir: string;
let n = 0;
const newStore = (file = `store-${++n}.json`) => new LocalStore<LedgerLocalData>(join(dir, file), emptyLedgerData);
const mainId = (p: Principal) => AccountIdentifier.fromPrincipal({ principal: p }).toHex();
const cmcAccount = (target: Principal) => AccountIdentifier.fromPrincipal({ principal: Principal.fromText(CMC), subAccount: SubAccount.fromPrincipal(target) }).toHex();
const balanceOf = (d: TestDesk, accountId: string) => d.connection.ledger.accountBalance({ accountIdentifier: accountId, certified: true });
/** A canister controlled by `controller` (admin endpoint), with `cycles`. */
async function newCanister(controller: Principal, cycles = 4_200_000_000_000n): Promise<string> {
  const r = await admin(subnet.url, '/_/canisters', { controllers: [controller.toText()], cycles: cycles.toString() });
  expect(r.status).toBe(200);
  return r.json.canister_id;
}
/** A well-formed canister id that no canister has. */
const NO_SUCH_CANISTER = Principal.fromUint8Array(new Uint8Array([0, 0, 0, 0, 0, 0x7f, 0xff, 0xf0, 1, 1])).toText();

beforeAll(async () => {
  subnet = await startDeskSubnet('accounts');
  dir = mkdtempSync(join(tmpdir(), 'desk-cycles-'));
});
afterAll(async () => {
  await subnet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('cycles', () => {
  it('converts at the CMC rate, both ways', async () => {
    const demo = await deskFor(subnet.url, demoIdentity());
    const cycles = new Cycles(demo.ctx, newStore());
    expect(await cycles.conversionRate()).toEqual({ xdrPermyriadPerIcp: RATE, cyclesPerIcp: 3_500_000_000_000n });
    expect(await cycles.preview({ icp: '1.5' })).toEqual({ amountE8s: 150_000_000n, feeE8s: FEE, totalE8s: 150_010_000n, cycles: 5_250_000_000_000n, xdrPermyriadPerIcp: RATE });
    expect((await cycles.preview({ cycles: '3500000000000' })).amountE8s).toBe(ICP);
    const odd = await cycles.preview({ cycles: 1_000_000_000_001n });
    expect(odd.cycles).toBeGreaterThanOrEqual(1_000_000_000_001n);
    expect(cyclesForE8s(odd.amountE8s - 1n, RATE)).toBeLessThan(1_000_000_000_001n);
    expect(e8sForCycles(1n, 1n)).toBe(1n); // a rate below one cycle per e8 still rounds up
    expect(cyclesForE8s(e8sForCycles(7n, 3n), 3n)).toBeGreaterThanOrEqual(7n);
    for (const bad of [{}, { icp: '1', cycles: '5' }, { cycles: '1.5' }, { cycles: '0' }, { icp: '0.123456789' }]) {
      expect((await failure(cycles.preview(bad))).kind, JSON.stringify(bad)).toBe('invalid-input');
    }
  });

  it("keeps a labelled list of the user's canisters per network and principal", async () => {
    const demo = await deskFor(subnet.url, demoIdentity());
    const file = 'canisters.json';
    const cycles = new Cycles(demo.ctx, newStore(file));
    const a = await newCanister(demo.connection.principal);
    const b = await newCanister(demo.connection.principal);
    expect(cycles.addCanister(a, ' Website ')).toEqual({ canisterId: a, name: 'Website' });
    expect(cycles.addCanister(` ${b} `)).toEqual({ canisterId: b, name: '' });
    expect(cycles.renameCanister(b, 'Backend')).toEqual({ canisterId: b, name: 'Backend' });
    expect((await failure(() => cycles.addCanister(a))).message).toMatch(/already in the list as "Website"/);
    expect((await failure(() => cycles.addCanister('not-a-principal'))).message).toMatch(/not a valid canister id/);
    expect((await failure(() => cycles.addCanister(demo.connection.principal.toText()))).message).toMatch(/user's principal/);
    expect((await failure(() => cycles.renameCanister(NO_SUCH_CANISTER, 'x'))).kind).toBe('not-found');
    expect((await failure(() => cycles.addCanister(NO_SUCH_CANISTER, 'x'.repeat(49)))).message).toMatch(/at most 48/);

    expect(new Cycles(demo.ctx, newStore(file)).listCanisters()).toEqual([
      { canisterId: a, name: 'Website' },
      { canisterId: b, name: 'Backend' },
    ]);
    cycles.removeCanister(a);
    expect((await failure(() => cycles.removeCanister(a))).kind).toBe('not-found');
    expect(new Cycles(demo.ctx, newStore(file)).listCanisters()).toEqual([{ canisterId: b, name: 'Backend' }]);
    const alice = await deskFor(subnet.url, demoIdentity('alice'));
    expect(new Cycles(alice.ctx, newStore(file)).listCanisters()).toEqual([]);
  });

  it('reads the status of a canister the user controls, and says why it cannot for others', async () => {
    const demo = await deskFor(subnet.url, demoIdentity());
    const store = newStore();
    const cycles = new Cycles(demo.ctx, store);
    const mine = await newCanister(demo.connection.principal, 350_000_000_000n);
    const s = await cycles.canisterStatus(mine);
    expect(s).toMatchObject({ canisterId: mine, status: 'running', controllers: [demo.connection.principal.toText()], moduleHash: null });
    expect(s.cycles).toBeLessThanOrEqual(350_000_000_000n);
    expect(s.cycles).toBeGreaterThan(349_000_000_000n);
    expect(s.idleCyclesBurnedPerDay).toBeGreaterThan(0n);
    expect(s.memorySizeBytes).toBeGreaterThan(0n);
    // Days until frozen: the balance above the freezing reserve over the daily burn.
    const reserve = (s.idleCyclesBurnedPerDay! * s.freezingThresholdSeconds) / 86_400n;
    expect(s.daysLeft).toBeCloseTo(Number(s.cycles - reserve) / Number(s.idleCyclesBurnedPerDay), 1);

    const alice = await deskFor(subnet.url, demoIdentity('alice'));
    const notMine = await failure(new Cycles(alice.ctx, newStore()).canisterStatus(mine));
    expect([notMine.kind, notMine.message]).toEqual(['rejected', expect.stringMatching(/controllers/)]);
    expect((await failure(cycles.canisterStatus('aaaaa-aa'))).kind).toBe('invalid-input');

    cycles.addCanister(mine, 'Low');
    cycles.addCanister(NO_SUCH_CANISTER, 'Gone');
    const listed = await cycles.canistersWithStatus();
    expect(listed.map((c) => [c.name, c.status?.status ?? c.error?.kind])).toEqual([
      ['Low', 'running'],
      ['Gone', 'not-found'],
    ]);
  });

  it('tops up a canister only when the review is confirmed', async () => {
    const demo = await deskFor(subnet.url, demoIdentity());
    const store = newStore();
    const cycles = new Cycles(demo.ctx, store);
    const canister = await newCanister(demo.connection.principal, 1_000_000_000_000n);
    cycles.addCanister(canister, 'Site');
    const accounts = new Accounts(demo.ctx, store);
    const savings = accounts.createSubaccount('Cycles money');
    await mint(subnet.url, savings.accountId, 5n * ICP);
    const before = (await cycles.canisterStatus(canister)).cycles;

    const review = await cycles.prepareTopUp({ canisterId: canister, amount: '2', from: 1 });
    expect(review).toMatchObject({ action: 'top-up-canister', title: 'Top up Site with 2.00 ICP', amountE8s: 2n * ICP, feeE8s: FEE, from: savings.accountId, destination: canister });
    expect(review.calls).toEqual([
      {
        canisterId: 'ryjl3-tyaaa-aaaaa-aaaba-cai',
        canisterName: 'ICP ledger',
        method: 'transfer',
        args: {
          to: cmcAccount(Principal.fromText(canister)),
          amount: { e8s: 2n * ICP },
          fee: { e8s: FEE },
          memo: 0x50555054n,
          from_subaccount: savings.subaccountHex,
          created_at_time: { timestamp_nanos: expect.any(BigInt) },
        },
      },
      { canisterId: CMC, canisterName: 'Cycles minting canister', method: 'notify_top_up', args: { block_index: expect.any(String), canister_id: canister } },
    ]);
    expect(review.notes?.[0]).toMatch(/^About 7 T cycles/);
    expect(await accounts.balance(1)).toBe(5n * ICP); // nothing moved yet
    expect((await cycles.canisterStatus(canister)).cycles).toBeLessThanOrEqual(before);

    const result = await demo.reviews.confirm<TopUpResult>(review.id);
    expect(result).toMatchObject({ canisterId: canister, cycles: 7_000_000_000_000n, amountE8s: 2n * ICP, feeE8s: FEE });
    expect(await accounts.balance(1)).toBe(3n * ICP - FEE);
    const after = (await cycles.canisterStatus(canister)).cycles;
    expect(after - before).toBeLessThanOrEqual(7_000_000_000_000n);
    expect(after - before).toBeGreaterThan(7_000_000_000_000n - 1_000_000_000n); // less a little idle burn
    expect(await balanceOf(demo, cmcAccount(Principal.fromText(canister)))).toBe(0n); // the CMC burned the ICP
  });

  it('says clearly when the CMC refunds or refuses a payment', async () => {
    const demo = await deskFor(subnet.url, demoIdentity());
    const cycles = new Cycles(demo.ctx, newStore());
    const me = mainId(demo.connection.principal);
    const before = await balanceOf(demo, me);
    const review = await cycles.prepareTopUp({ canisterId: NO_SUCH_CANISTER, amount: '1' });
    const refunded = await failure(demo.reviews.confirm(review.id));
    expect([refunded.kind, refunded.message]).toEqual(['rejected', expect.stringMatching(/refunded the payment/)]);
    // The refund: the amount less the transfer fee of the refund and the CMC's 2-fee charge.
    expect(await balanceOf(demo, me)).toBe(before - FEE - 3n * FEE);

    // A block that is not a payment to the CMC; a block older than the CMC keeps.
    const sent = await demo.connection.ledger.transfer({ to: AccountIdentifier.fromHex(mainId(Principal.fromText('em2mo-wlfwe-nlzcn-o4sqa-jgi3i-fiyxi-c4gtg-nnjyu-sgk7g-vcjiv-sae'))), amount: 1n });
    const canister = await newCanister(demo.connection.principal);
    const invalid = await failure(notifyTopUp(demo.connection, sent, canister));
    expect([invalid.kind, invalid.message]).toEqual(['rejected', expect.stringMatching(/did not accept the payment's transaction/)]);
    const old = await failure(notifyTopUp(demo.connection, 0n, canister));
    expect([old.kind, old.message]).toEqual(['rejected', expect.stringMatching(/too old/)]);
  });

  it('creates a canister controlled by the user and lists it', async () => {
    const demo = await deskFor(subnet.url, demoIdentity());
    const store = newStore();
    const cycles = new Cycles(demo.ctx, store);
    const me = mainId(demo.connection.principal);
    const before = await balanceOf(demo, me);

    const review = await cycles.prepareCreateCanister({ amount: '1', name: 'Game server' });
    expect(review).toMatchObject({ action: 'create-canister', title: 'Create a canister "Game server" with 1.00 ICP', amountE8s: ICP, feeE8s: FEE, from: me });
    expect(review.calls.map((c) => [c.method, (c.args as { memo?: bigint; to?: string; controller?: string }).memo ?? (c.args as { controller?: string }).controller])).toEqual([
      ['transfer', 0x41455243n],
      ['notify_create_canister', demo.connection.principal.toText()],
    ]);
    expect((review.calls[0].args as { to: string }).to).toBe(cmcAccount(demo.connection.principal));
    expect(await balanceOf(demo, me)).toBe(before);

    const created = await demo.reviews.confirm<CreateCanisterResult>(review.id);
    expect(created).toMatchObject({ name: 'Game server', amountE8s: ICP, feeE8s: FEE });
    expect(await balanceOf(demo, me)).toBe(before - ICP - FEE);
    expect(new Cycles(demo.ctx, store).listCanisters()).toEqual([{ canisterId: created.canisterId, name: 'Game server' }]);
    const status = await cycles.canisterStatus(created.canisterId);
    expect(status.controllers).toEqual([demo.connection.principal.toText()]);
    expect(status.cycles).toBeLessThanOrEqual(3_500_000_000_000n - 500_000_000_000n); // less the creation fee
    expect(status.cycles).toBeGreaterThan(2_990_000_000_000n);
  });

  it('refuses bad top-ups and creations before anything is sent', async () => {
    const carol = await deskFor(subnet.url, demoIdentity('carol'));
    const cycles = new Cycles(carol.ctx, newStore());
    const canister = await newCanister(carol.connection.principal);
    const me = mainId(carol.connection.principal);
    const before = await balanceOf(carol, me);
    const cases: [() => Promise<unknown>, string, RegExp][] = [
      [() => cycles.prepareTopUp({ canisterId: 'nope', amount: '1' }), 'invalid-input', /not a valid canister id/],
      [() => cycles.prepareTopUp({ canisterId: carol.connection.principal.toText(), amount: '1' }), 'invalid-input', /user's principal/],
      [() => cycles.prepareTopUp({ canisterId: canister, amount: '0.000000001' }), 'invalid-input', /8 decimals/],
      [() => cycles.prepareTopUp({ canisterId: canister, amount: '0' }), 'invalid-input', /more than zero/],
      [() => cycles.prepareTopUp({ canisterId: canister, amount: '42' }), 'insufficient-funds', /at most 41\.9999/],
      [() => cycles.prepareTopUp({ canisterId: canister, amount: '1', from: 2 }), 'not-found', /not one of/],
      [() => cycles.prepareCreateCanister({ amount: '0.1' }), 'invalid-input', /needs at least 0\.14285715 ICP/],
      [() => cycles.prepareCreateCanister({ amount: '50' }), 'insufficient-funds', /not enough/],
      [() => cycles.prepareCreateCanister({ amount: '1', name: 'n'.repeat(49) }), 'invalid-input', /at most 48/],
    ];
    for (const [f, kind, message] of cases) {
      const e = await failure(f);
      expect([e.kind, e.message]).toEqual([kind, expect.stringMatching(message)]);
    }
    const watch = await deskFor(subnet.url, carol.connection.principal);
    const watched = new Cycles(watch.ctx, newStore());
    expect((await failure(watched.prepareTopUp({ canisterId: canister, amount: '1' }))).kind).toBe('watch-only');
    expect((await failure(watched.prepareCreateCanister({ amount: '1' }))).kind).toBe('watch-only');
    expect(await balanceOf(carol, me)).toBe(before);
  });

  it('remembers the canisters it topped up, for recovery', async () => {
    const bob = await deskFor(subnet.url, demoIdentity('bob'));
    const store = newStore();
    const cycles = new Cycles(bob.ctx, store);
    const friend = await newCanister(Principal.fromText('em2mo-wlfwe-nlzcn-o4sqa-jgi3i-fiyxi-c4gtg-nnjyu-sgk7g-vcjiv-sae'));
    await bob.reviews.confirm((await cycles.prepareTopUp({ canisterId: friend, amount: '0.5' })).id);
    expect(cycles.listCanisters()).toEqual([]); // a friend's canister does not join the list
    expect(new Cycles(bob.ctx, store).topUpCandidates()).toEqual([friend]);
    const tx = await bob.connection.index.getTransactions({ accountIdentifier: mainId(bob.connection.principal), maxResults: 1n, certified: false });
    const op = tx.transactions[0].transaction;
    expect(op.memo).toBe(MEMO_TOP_UP);
  });
});
