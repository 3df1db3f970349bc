// Recovery of top-ups and canister creations that were paid but never notified (the app "crashed"
// between the transfer and the notify): a fresh service instance finds them in the ledger history
// and notifies them, once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Principal } from '@icp-sdk/core/principal';
import { AccountIdentifier } from '@icp-sdk/canisters/ledger/icp';
import { DeskError } from '../../../electron/api/errors.ts';
import { Accounts } from '../../../electron/services/accounts.ts';
import { CanisterRecovery } from '../../../electron/services/canister-recovery.ts';
import { Cycles } from '../../../electron/services/cycles.ts';
import { LocalStore } from '../../../electron/services/local-store.ts';
import { MEMO_CREATE_CANISTER, MEMO_TOP_UP, cmcAccountIdOf, fromHex } from '../../../electron/services/ledger-accounts.ts';
import { emptyLedgerData, type LedgerLocalData } from '../../../electron/services/ledger-store.ts';
import type { Subnet } from '../../../subnet/subnet.ts';
import { admin, deskFor, demoIdentity, mint, startDeskSubnet, type TestDesk } from '../support/desk.ts';
import { FaultProxy } from '../support/fault-proxy.ts';

const ICP = 100_000_000n;

let subnet: Subnet;
let dir: string;
let n = 0;
const fileOf = () => join(dir, `store-${++n}.json`);
const open = (file: string) => new LocalStore<LedgerLocalData>(file, emptyLedgerData);
const balanceOf = (d: TestDesk, accountId: string) => d.connection.ledger.accountBalance({ accountIdentifier: accountId, certified: true });
async function newCanister(controller: Principal, cycles = 1_000_000_000_000n): Promise<string> {
  const r = await admin(subnet.url, '/_/canisters', { controllers: [controller.toText()], cycles: cycles.toString() });
  return r.json.canister_id;
}
/** The first half of a flow, as the app does it before the "crash": the legacy transfer to the CMC, no notify. */
async function payOnly(d: TestDesk, memo: bigint, target: Principal, e8s: bigint, fromSubaccountHex?: string | null): Promise<bigint> {
  return d.connection.ledger.transfer({
    to: AccountIdentifier.fromHex(cmcAccountIdOf(target)),
    amount: e8s,
    memo,
    createdAt: BigInt(Date.now()) * 1_000_000n,
    fromSubAccount: fromSubaccountHex ? Array.from(fromHex(fromSubaccountHex)) : undefined,
  });
}

beforeAll(async () => {
  subnet = await startDeskSubnet('accounts');
  dir = mkdtempSync(join(tmpdir(), 'desk-recovery-'));
});
afterAll(async () => {
  await subnet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('canister recovery', () => {
  it('notifies a top-up whose notify never happened, once', async () => {
    const demo = await deskFor(subnet.url, demoIdentity());
    const file = fileOf();
    const canister = await newCanister(demo.connection.principal);
    const done = await newCanister(demo.connection.principal);
    const cycles = new Cycles(demo.ctx, open(file));
    cycles.addCanister(canister, 'Site');
    cycles.addCanister(done, 'Done');
    // A top-up that went through completely: nothing to recover there.
    await demo.reviews.confirm((await cycles.prepareTopUp({ canisterId: done, amount: '0.3' })).id);
    const block = await payOnly(demo, MEMO_TOP_UP, Principal.fromText(canister), 2n * ICP);
    const before = (await cycles.canisterStatus(canister)).cycles;

    // After the "crash": a new store on the same file, new services.
    const report = await new CanisterRecovery(demo.ctx, open(file)).recover();
    expect(report.recovered).toBe(1);
    expect(report.scanned).toBeGreaterThanOrEqual(3);
    expect(report.items).toEqual([
      {
        blockIndex: block,
        kind: 'top-up',
        from: AccountIdentifier.fromPrincipal({ principal: demo.connection.principal }).toHex(),
        to: cmcAccountIdOf(Principal.fromText(canister)),
        amountE8s: 2n * ICP,
        canisterId: canister,
        outcome: 'recovered',
        cycles: 7_000_000_000_000n,
        message: null,
      },
    ]);
    const added = (await cycles.canisterStatus(canister)).cycles - before;
    expect(added).toBeLessThanOrEqual(7_000_000_000_000n);
    expect(added).toBeGreaterThan(6_999_000_000_000n);

    // Again: the CMC account is empty, so there is nothing left to notify.
    expect(await new CanisterRecovery(demo.ctx, open(file)).recover()).toMatchObject({ items: [], recovered: 0 });
    expect((await cycles.canisterStatus(canister)).cycles).toBeLessThanOrEqual(before + added);
  });

  it('creates the canister of a creation payment made from a subaccount, and lists it', async () => {
    const bob = await deskFor(subnet.url, demoIdentity('bob'));
    const file = fileOf();
    const sub = new Accounts(bob.ctx, open(file)).createSubaccount('Builds');
    await mint(subnet.url, sub.accountId, 3n * ICP);
    const block = await payOnly(bob, MEMO_CREATE_CANISTER, bob.connection.principal, ICP, sub.subaccountHex);

    const report = await new CanisterRecovery(bob.ctx, open(file)).recover();
    expect(report.items).toHaveLength(1);
    const [item] = report.items;
    expect(item).toMatchObject({ blockIndex: block, kind: 'create', from: sub.accountId, outcome: 'recovered', amountE8s: ICP });
    const cycles = new Cycles(bob.ctx, open(file));
    expect(cycles.listCanisters()).toEqual([{ canisterId: item.canisterId, name: '' }]);
    expect((await cycles.canisterStatus(item.canisterId!)).controllers).toEqual([bob.connection.principal.toText()]);
    expect(await balanceOf(bob, cmcAccountIdOf(bob.connection.principal))).toBe(0n);
    expect((await new CanisterRecovery(bob.ctx, open(file)).recover()).items).toEqual([]);
  });

  it('reports a waiting top-up of a canister it does not know, and recovers it once the canister is added', async () => {
    const carol = await deskFor(subnet.url, demoIdentity('carol'));
    const file = fileOf();
    const stranger = await newCanister(Principal.fromText('em2mo-wlfwe-nlzcn-o4sqa-jgi3i-fiyxi-c4gtg-nnjyu-sgk7g-vcjiv-sae'));
    const block = await payOnly(carol, MEMO_TOP_UP, Principal.fromText(stranger), ICP);

    const first = await new CanisterRecovery(carol.ctx, open(file)).recover();
    expect(first.items).toEqual([expect.objectContaining({ blockIndex: block, kind: 'top-up', canisterId: null, outcome: 'unknown-canister', message: expect.stringMatching(/add the canister/) })]);
    expect(first.recovered).toBe(0);

    new Cycles(carol.ctx, open(file)).addCanister(stranger, "Alice's");
    const second = await new CanisterRecovery(carol.ctx, open(file)).recover();
    expect(second.items).toEqual([expect.objectContaining({ blockIndex: block, canisterId: stranger, outcome: 'recovered', cycles: 3_500_000_000_000n })]);
  });

  it('recovers a top-up cut short by a lost answer, from the canisters the app remembers topping up', async () => {
    const proxy = await FaultProxy.start(subnet.url);
    try {
      const through = await deskFor(subnet.url, demoIdentity('alice'), { fetch: proxy.fetch });
      const alice = await deskFor(subnet.url, demoIdentity('alice'));
      const file = fileOf();
      const friend = await newCanister(Principal.fromText('p7nbk-xlkhg-cpics-bztbm-2kgdk-hnqcm-i6jow-qlnjo-m4jyo-plybb-4ae'));
      const review = await new Cycles(through.ctx, open(file)).prepareTopUp({ canisterId: friend, amount: '1' });
      proxy.dropAnswers({ method: 'transfer' }, { times: 4, blackoutMs: 1_000 });
      const e = await through.reviews.confirm(review.id).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(DeskError);
      expect(proxy.reached('notify_top_up')).toBe(0); // paid, never notified; the app then "crashes"

      await new Promise((r) => setTimeout(r, 1_100));
      const report = await new CanisterRecovery(alice.ctx, open(file)).recover();
      expect(report.items).toEqual([expect.objectContaining({ kind: 'top-up', canisterId: friend, outcome: 'recovered', amountE8s: ICP, cycles: 3_500_000_000_000n })]);
      expect(await balanceOf(alice, cmcAccountIdOf(Principal.fromText(friend)))).toBe(0n);
    } finally {
      await proxy.stop();
    }
  });

  it('needs a key, and bounds its scan', async () => {
    const demo = await deskFor(subnet.url, demoIdentity());
    const watch = await deskFor(subnet.url, demo.connection.principal);
    await expect(new CanisterRecovery(watch.ctx, open(fileOf())).recover()).rejects.toMatchObject({ kind: 'watch-only' });
    await expect(new CanisterRecovery(demo.ctx, open(fileOf())).recover({ perAccount: 5000 })).rejects.toMatchObject({ kind: 'invalid-input' });
  });
});
