// Accounts, sending ICP and the address book, against a live subnet through the real agent.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Principal } from '@icp-sdk/core/principal';
import { AccountIdentifier, SubAccount } from '@icp-sdk/canisters/ledger/icp';
import { encodeIcrcAccount } from '@icp-sdk/canisters/ledger/icrc';
import { DeskError } from '../../../electron/api/errors.ts';
import { connect } from '../../../electron/network/agents.ts';
import { Accounts, type SendResult } from '../../../electron/services/accounts.ts';
import { AddressBook } from '../../../electron/services/address-book.ts';
import { fixedContext } from '../../../electron/services/context.ts';
import { LocalStore } from '../../../electron/services/local-store.ts';
import { MINTING_ACCOUNT_ID } from '../../../electron/services/ledger-accounts.ts';
import { emptyLedgerData, type LedgerLocalData } from '../../../electron/services/ledger-store.ts';
import { ReviewDesk } from '../../../electron/services/reviews.ts';
import type { Subnet } from '../../../subnet/subnet.ts';
import { deskFor, demoIdentity, mint, startDeskSubnet, failure, type TestDesk } from '../support/desk.ts';

const ICP = 100_000_000n;
const FEE = 10_000n;

let subnet: Subnet;
let dir: string;
let n = 0;
const newStore = (file = `store-${++n}.json`) => new LocalStore<LedgerLocalData>(join(dir, file), emptyLedgerData);
const mainId = (p: Principal) => AccountIdentifier.fromPrincipal({ principal: p }).toHex();
const subId = (p: Principal, i: number) => AccountIdentifier.fromPrincipal({ principal: p, subAccount: SubAccount.fromID(i) }).toHex();
const balanceOf = (d: TestDesk, accountId: string) => d.connection.ledger.accountBalance({ accountIdentifier: accountId, certified: true });

beforeAll(async () => {
  subnet = await startDeskSubnet('accounts');
  dir = mkdtempSync(join(tmpdir(), 'desk-accounts-'));
});
afterAll(async () => {
  await subnet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('accounts', () => {
  it('has the main account and numbered, named subaccounts kept per network and principal', async () => {
    const file = 'names.json';
    const bob = await deskFor(subnet.url, demoIdentity('bob'));
    const p = bob.connection.principal;
    const accounts = new Accounts(bob.ctx, newStore(file));
    expect(accounts.list()).toEqual([{ index: 0, name: 'Main', accountId: mainId(p), icrc1: p.toText(), subaccountHex: null }]);

    const savings = accounts.createSubaccount('  Savings ');
    expect(savings).toMatchObject({ index: 1, name: 'Savings', accountId: subId(p, 1), subaccountHex: '0'.repeat(62) + '01' });
    expect(savings.icrc1).toBe(encodeIcrcAccount({ owner: p, subaccount: SubAccount.fromID(1).toUint8Array() }));
    expect(accounts.createSubaccount('Trading').index).toBe(2);
    expect(accounts.renameSubaccount(2, 'Play money')).toMatchObject({ index: 2, name: 'Play money', accountId: subId(p, 2) });

    expect((await failure(Promise.resolve().then(() => accounts.createSubaccount('savings')))).message).toMatch(/already called "Savings"/);
    expect((await failure(Promise.resolve().then(() => accounts.createSubaccount('main')))).kind).toBe('invalid-input');
    expect((await failure(Promise.resolve().then(() => accounts.createSubaccount('   ')))).message).toMatch(/name/);
    expect((await failure(Promise.resolve().then(() => accounts.createSubaccount('x'.repeat(33))))).message).toMatch(/at most 32/);
    expect((await failure(Promise.resolve().then(() => accounts.renameSubaccount(0, 'Primary')))).message).toMatch(/main account/);
    expect((await failure(Promise.resolve().then(() => accounts.renameSubaccount(7, 'Nope')))).kind).toBe('not-found');
    expect((await failure(Promise.resolve().then(() => accounts.account(9)))).kind).toBe('not-found');
    expect(accounts.account(subId(p, 2)).name).toBe('Play money');
    expect(accounts.account(savings.icrc1).index).toBe(1);

    // A new store on the same file sees the names; another identity on it has only its main account.
    expect(new Accounts(bob.ctx, newStore(file)).list().map((a) => [a.index, a.name])).toEqual([
      [0, 'Main'],
      [1, 'Savings'],
      [2, 'Play money'],
    ]);
    const carol = await deskFor(subnet.url, demoIdentity('carol'));
    expect(new Accounts(carol.ctx, newStore(file)).list().map((a) => a.name)).toEqual(['Main']);
  });

  it('reads certified balances of every account and their total, also for a watch-only identity', async () => {
    const alice = await deskFor(subnet.url, demoIdentity('alice'));
    const store = newStore();
    const accounts = new Accounts(alice.ctx, store);
    const sub = accounts.createSubaccount('Cold');
    await mint(subnet.url, sub.icrc1, 12n * ICP);
    const { accounts: list, totalE8s } = await accounts.balances();
    expect(list.map((a) => [a.name, a.balanceE8s])).toEqual([
      ['Main', 10_000n * ICP],
      ['Cold', 12n * ICP],
    ]);
    expect(totalE8s).toBe(10_012n * ICP);

    const watch = await deskFor(subnet.url, alice.connection.principal);
    const watched = new Accounts(watch.ctx, store);
    expect((await watched.balances()).totalE8s).toBe(10_012n * ICP);
    expect(await watched.maxAmount(1)).toEqual({ maxE8s: 12n * ICP - FEE, balanceE8s: 12n * ICP, feeE8s: FEE });
    const e = await failure(watched.prepareSend({ to: mainId(alice.connection.principal), amount: '1', from: 1 }));
    expect(e.kind).toBe('watch-only');
  });

  it('refuses a bad send before anything is sent', async () => {
    const carol = await deskFor(subnet.url, demoIdentity('carol'));
    const accounts = new Accounts(carol.ctx, newStore());
    const alice = mainId(Principal.fromText('em2mo-wlfwe-nlzcn-o4sqa-jgi3i-fiyxi-c4gtg-nnjyu-sgk7g-vcjiv-sae'));
    const me = mainId(carol.connection.principal);
    const before = await balanceOf(carol, me);
    const flipped = alice.slice(0, 63) + (alice[63] === '0' ? '1' : '0');
    const icrc = encodeIcrcAccount({ owner: Principal.fromText('em2mo-wlfwe-nlzcn-o4sqa-jgi3i-fiyxi-c4gtg-nnjyu-sgk7g-vcjiv-sae'), subaccount: SubAccount.fromID(3).toUint8Array() });
    const badIcrc = icrc.replace(/-([a-z2-7]{7})\.3$/, (_m, c: string) => `-${c[0] === 'a' ? 'b' : 'a'}${c.slice(1)}.3`);
    expect(badIcrc).not.toBe(icrc);

    const cases: [Parameters<Accounts['prepareSend']>[0], string, RegExp][] = [
      [{ to: flipped, amount: '1' }, 'invalid-input', /checksum/],
      [{ to: badIcrc, amount: '1' }, 'invalid-input', /checksum/],
      [{ to: 'not an account', amount: '1' }, 'invalid-input', /not a valid/],
      [{ to: alice, amount: '1.000000001' }, 'invalid-input', /8 decimals/],
      [{ to: alice, amount: '0' }, 'invalid-input', /more than zero/],
      [{ to: alice, amount: 0n }, 'invalid-input', /more than zero/],
      [{ to: alice, amount: '-1' }, 'invalid-input', /negative/],
      [{ to: alice, amount: '1e3' }, 'invalid-input', /not an amount/],
      [{ to: alice, amount: '42' }, 'insufficient-funds', /at most 41\.9999 ICP/],
      [{ to: alice, amount: 42n * ICP - FEE + 1n }, 'insufficient-funds', /not enough/],
      [{ to: me, amount: '1' }, 'invalid-input', /account the ICP would come from/],
      [{ to: carol.connection.principal.toText(), amount: '1' }, 'invalid-input', /account the ICP would come from/],
      [{ to: MINTING_ACCOUNT_ID, amount: '1' }, 'invalid-input', /minting account/],
      [{ to: alice, amount: '1', from: 3 }, 'not-found', /not one of/],
      [{ to: alice, amount: '1', memo: 'hello' }, 'invalid-input', /memo/],
      [{ to: alice, amount: '1', memo: '0xff' }, 'invalid-input', /whole number/],
      [{ to: alice, amount: '1', memo: '18446744073709551616' }, 'invalid-input', /at most/],
      [{ to: icrc, amount: '1', memo: '0x' + 'ab'.repeat(33) }, 'invalid-input', /32 bytes/],
    ];
    for (const [req, kind, message] of cases) {
      const e = await failure(accounts.prepareSend(req));
      expect([e.kind, e.message], JSON.stringify(req, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))).toEqual([kind, expect.stringMatching(message)]);
    }
    // Exactly balance - fee is fine (prepared, then left unconfirmed).
    const max = await accounts.maxAmount();
    expect(max.maxE8s).toBe(42n * ICP - FEE);
    const r = await accounts.prepareSend({ to: alice, amount: max.maxE8s });
    carol.reviews.cancel(r.id);
    expect(await balanceOf(carol, me)).toBe(before);
  });

  it('sends to an account id only when the review is confirmed, and pays once', async () => {
    const bob = await deskFor(subnet.url, demoIdentity('bob'));
    const store = newStore();
    const book = new AddressBook(bob.ctx, store);
    const alice = mainId(Principal.fromText('em2mo-wlfwe-nlzcn-o4sqa-jgi3i-fiyxi-c4gtg-nnjyu-sgk7g-vcjiv-sae'));
    book.add({ label: 'Alice', address: alice });
    const accounts = new Accounts(bob.ctx, store);
    const me = mainId(bob.connection.principal);
    const [bobBefore, aliceBefore] = [await balanceOf(bob, me), await balanceOf(bob, alice)];

    const review = await accounts.prepareSend({ to: alice.toUpperCase(), amount: '1.25', memo: '7' });
    expect(review).toMatchObject({
      action: 'send-icp',
      title: 'Send 1.25 ICP',
      network: 'Local test subnet',
      signer: bob.connection.principal.toText(),
      amountE8s: 125_000_000n,
      feeE8s: FEE,
      from: me,
      destination: alice,
    });
    expect(review.calls).toEqual([
      {
        canisterId: 'ryjl3-tyaaa-aaaaa-aaaba-cai',
        canisterName: 'ICP ledger',
        method: 'transfer',
        args: {
          to: alice,
          amount: { e8s: 125_000_000n },
          fee: { e8s: FEE },
          memo: 7n,
          from_subaccount: null,
          created_at_time: { timestamp_nanos: expect.any(BigInt) },
        },
      },
    ]);
    expect(review.notes?.[0]).toBe('To "Alice" (address book).');
    expect([await balanceOf(bob, me), await balanceOf(bob, alice)]).toEqual([bobBefore, aliceBefore]);

    const result = await bob.reviews.confirm<SendResult>(review.id);
    expect(result).toMatchObject({ from: me, to: alice, amountE8s: 125_000_000n, feeE8s: FEE });
    expect(await bob.reviews.confirm<SendResult>(review.id)).toEqual(result);
    expect(await balanceOf(bob, me)).toBe(bobBefore - 125_000_000n - FEE);
    expect(await balanceOf(bob, alice)).toBe(aliceBefore + 125_000_000n);
    const tx = await bob.connection.index.getTransactions({ accountIdentifier: me, maxResults: 1n, certified: false });
    expect(tx.transactions[0]).toMatchObject({ id: result.blockIndex, transaction: { memo: 7n } });
  });

  it('sends from a subaccount to an ICRC-1 account with a memo, and the max helper empties it', async () => {
    const bob = await deskFor(subnet.url, demoIdentity('bob'));
    const accounts = new Accounts(bob.ctx, newStore());
    const sub = accounts.createSubaccount('Spending');
    await mint(subnet.url, sub.accountId, 3n * ICP);
    const alicePrincipal = Principal.fromText('em2mo-wlfwe-nlzcn-o4sqa-jgi3i-fiyxi-c4gtg-nnjyu-sgk7g-vcjiv-sae');
    const to = encodeIcrcAccount({ owner: alicePrincipal, subaccount: SubAccount.fromID(5).toUint8Array() });
    const toId = subId(alicePrincipal, 5);

    const review = await accounts.prepareSend({ from: 1, to, amount: '0.5', memo: '0x01020304' });
    expect(review.calls[0]).toMatchObject({
      method: 'icrc1_transfer',
      args: { to: { owner: alicePrincipal.toText(), subaccount: '0'.repeat(63) + '5' }, memo: '01020304', from_subaccount: sub.subaccountHex },
    });
    expect(review.from).toBe(sub.accountId);
    const sent = await bob.reviews.confirm<SendResult>(review.id);
    expect(await balanceOf(bob, toId)).toBe(50_000_000n);
    const tx = await bob.connection.index.getTransactions({ accountIdentifier: toId, maxResults: 1n, certified: false });
    expect(tx.transactions[0].id).toBe(sent.blockIndex);
    expect(Buffer.from(tx.transactions[0].transaction.icrc1_memo[0]!).toString('hex')).toBe('01020304');

    const { maxE8s } = await accounts.maxAmount(1);
    expect(maxE8s).toBe(3n * ICP - 50_000_000n - 2n * FEE);
    await bob.reviews.confirm((await accounts.prepareSend({ from: sub.accountId, to: bob.connection.principal.toText(), amount: maxE8s })).id);
    expect(await accounts.balance(1)).toBe(0n);
    expect((await failure(accounts.maxAmount(1).then((m) => accounts.prepareSend({ from: 1, to, amount: m.maxE8s })))).message).toMatch(/more than zero/);
  });

  it('finds numbered subaccounts again from their history', async () => {
    const carol = await deskFor(subnet.url, demoIdentity('carol'));
    const p = carol.connection.principal;
    await mint(subnet.url, subId(p, 2), ICP);
    await mint(subnet.url, subId(p, 4), ICP);
    const store = newStore();
    const accounts = new Accounts(carol.ctx, store);
    accounts.createSubaccount('Old'); // number 1: known, so not scanned
    const found = await accounts.discover(3);
    expect(found.map((a) => [a.index, a.name])).toEqual([
      [2, 'Subaccount 2'],
      [4, 'Subaccount 4'],
    ]);
    expect(new Accounts(carol.ctx, newStore()).list()).toHaveLength(1);
    expect(accounts.list().map((a) => a.index)).toEqual([0, 1, 2, 4]);
    expect(await accounts.discover(3)).toEqual([]);
  });
});

describe('address book', () => {
  it('adds, edits and removes checked entries, per network, and keeps them on disk', async () => {
    const demo = await deskFor(subnet.url, demoIdentity());
    const file = 'book.json';
    const book = new AddressBook(demo.ctx, newStore(file));
    const alice = Principal.fromText('em2mo-wlfwe-nlzcn-o4sqa-jgi3i-fiyxi-c4gtg-nnjyu-sgk7g-vcjiv-sae');
    const aliceId = mainId(alice);
    const icrc = encodeIcrcAccount({ owner: alice, subaccount: SubAccount.fromID(9).toUint8Array() });

    const a = book.add({ label: 'Alice', address: aliceId.toUpperCase() });
    expect(a).toMatchObject({ label: 'Alice', address: aliceId, kind: 'account-id', accountId: aliceId });
    const b = book.add({ label: 'Alice (savings)', address: ` ${icrc} ` });
    expect(b).toMatchObject({ address: icrc, kind: 'icrc1', accountId: subId(alice, 9) });
    expect(book.labelFor(subId(alice, 9))).toBe('Alice (savings)');

    const refuse = (f: () => unknown) => failure(Promise.resolve().then(f));
    expect((await refuse(() => book.add({ label: 'X', address: aliceId.slice(0, 63) + (aliceId[63] === '0' ? '1' : '0') }))).message).toMatch(/checksum/);
    expect((await refuse(() => book.add({ label: 'X', address: icrc.replace('.9', '.8') }))).message).toMatch(/checksum/);
    expect((await refuse(() => book.add({ label: ' ', address: aliceId }))).message).toMatch(/label/);
    expect((await refuse(() => book.add({ label: 'alice', address: mainId(demo.connection.principal) }))).message).toMatch(/labelled "Alice"/);
    expect((await refuse(() => book.add({ label: 'Alice again', address: alice.toText() }))).message).toMatch(/already in the address book as "Alice"/);
    expect((await refuse(() => book.edit('nope', { label: 'Y' }))).kind).toBe('not-found');

    expect(book.edit(a.id, { label: 'Alice M.' })).toMatchObject({ id: a.id, label: 'Alice M.', accountId: aliceId });
    expect((await refuse(() => book.edit(b.id, { address: alice.toText() }))).message).toMatch(/already in the address book as "Alice M."/);
    book.remove(a.id);
    expect(() => book.remove(a.id)).toThrow(DeskError);
    expect(book.edit(b.id, { address: alice.toText() })).toMatchObject({ kind: 'icrc1', address: alice.toText(), accountId: aliceId });

    const again = new AddressBook(demo.ctx, newStore(file));
    expect(again.list()).toEqual([{ id: b.id, label: 'Alice (savings)', address: alice.toText(), kind: 'icrc1', accountId: aliceId }]);

    // Another network has its own book (a mainnet connection makes no call here).
    const mainnet = await connect({ kind: 'mainnet' }, { kind: 'key', identity: demoIdentity() }, { fetch: (async () => Promise.reject(new TypeError('offline'))) as typeof fetch });
    expect(new AddressBook(fixedContext(mainnet, new ReviewDesk()), newStore(file)).list()).toEqual([]);
  });
});
