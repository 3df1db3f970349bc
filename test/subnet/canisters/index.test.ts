// The simulated ICP index over the simulated ledger, driven through the runtime with a fixed clock.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { Principal } from '@icp-sdk/core/principal';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  Account,
  GetAccountIdentifierTransactionsResult,
  GetBlocksResponse,
  Operation,
  TransactionWithId,
} from '../../../subnet/candid/generated/index.did.ts';
import type { QueryBlocksResponse } from '../../../subnet/candid/generated/ledger.did.ts';
import { Reject, RejectCode, type CallContext } from '../../../subnet/canisters/canister.ts';
import { accountIdentifier, toHex } from '../../../subnet/canisters/common/accounts.ts';
import { GOVERNANCE_ID, INDEX_ID, LEDGER_ID, ROOT_ID } from '../../../subnet/canisters/ids.ts';
import { IcpIndex, INDEX_MODULE_VERSION } from '../../../subnet/canisters/index/index.ts';
import { IcpLedger } from '../../../subnet/canisters/ledger/ledger.ts';
import { FixedClock } from '../support/fixed-clock.ts';
import { decodeData, encodeData } from '../../../subnet/runtime/codec.ts';
import { Runtime } from '../../../subnet/runtime/runtime.ts';


const T0 = 1_767_225_600_000_000_000n;
const FEE = 10_000n;
const ICP = 100_000_000n;

const alice = Ed25519KeyIdentity.generate().getPrincipal();
const bob = Ed25519KeyIdentity.generate().getPrincipal();
const carol = Ed25519KeyIdentity.generate().getPrincipal();
const SUB1 = new Uint8Array(32).fill(1);
const acct = (owner: Principal, sub?: Uint8Array): Account => ({ owner, subaccount: sub ? [sub] : [] });
const aid = (owner: Principal, sub?: Uint8Array) => toHex(accountIdentifier(owner, sub));
const MINTING = acct(GOVERNANCE_ID);
const sha256 = (bytes: Uint8Array) => new Uint8Array(createHash('sha256').update(bytes).digest());

const runtimes: Runtime[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((rt) => rt.close()));
});

async function world() {
  const ledger = new IcpLedger();
  const index = new IcpIndex(ledger);
  const rt = await Runtime.create({ canisters: [ledger, index], clock: new FixedClock(T0) });
  runtimes.push(rt);
  const idx = <T>(method: string, args: unknown[] = []) => rt.queryDecoded<T>(INDEX_ID, method, args, alice);
  const icrc1 = (from: Principal, to: Account, amount: bigint, extra: { memo?: Uint8Array; createdAt?: bigint } = {}) =>
    rt.callDecoded(
      LEDGER_ID,
      'icrc1_transfer',
      [{ to, amount, fee: [], memo: extra.memo ? [extra.memo] : [], from_subaccount: [], created_at_time: extra.createdAt ? [extra.createdAt] : [] }],
      from,
    );
  return {
    ledger,
    index,
    rt,
    idx,
    icrc1,
    mint: (to: Principal | string, e8s: bigint) => rt.admin(LEDGER_ID, 'mint', { to: typeof to === 'string' ? to : aid(to), e8s }),
    approve: (from: Principal, spender: Account, amount: bigint) =>
      rt.callDecoded(
        LEDGER_ID,
        'icrc2_approve',
        [{ spender, amount, fee: [], memo: [], from_subaccount: [], created_at_time: [], expected_allowance: [], expires_at: [] }],
        from,
      ),
    transferFrom: (spender: Principal, from: Account, to: Account, amount: bigint) =>
      rt.callDecoded(LEDGER_ID, 'icrc2_transfer_from', [{ from, to, amount, fee: [], memo: [], spender_subaccount: [], created_at_time: [] }], spender),
    legacy: (from: Principal, to: Principal, e8s: bigint, memo = 0n) =>
      rt.callDecoded(
        LEDGER_ID,
        'transfer',
        [{ to: accountIdentifier(to), amount: { e8s }, fee: { e8s: FEE }, memo, from_subaccount: [], created_at_time: [] }],
        from,
      ),
    txs: (account: string, maxResults = 100n, start?: bigint) =>
      idx<GetAccountIdentifierTransactionsResult>('get_account_identifier_transactions', [
        { account_identifier: account, start: start === undefined ? [] : [start], max_results: maxResults },
      ]),
    ledgerBalance: (owner: Principal, sub?: Uint8Array) => rt.queryDecoded<bigint>(LEDGER_ID, 'icrc1_balance_of', [acct(owner, sub)], alice),
  };
}

function ok(r: GetAccountIdentifierTransactionsResult) {
  if (!('Ok' in r)) throw new Error(`expected Ok, got ${r.Err.message}`);
  return r.Ok;
}

const ids = (txs: TransactionWithId[]) => txs.map((t) => t.id);
const kind = (o: Operation) => Object.keys(o)[0];

async function rejection(fn: () => unknown): Promise<Reject> {
  const e = await Promise.resolve()
    .then(fn)
    .then(
      () => undefined,
      (err: unknown) => err,
    );
  expect(e).toBeInstanceOf(Reject);
  return e as Reject;
}

describe('ICP index', () => {
  it('follows the ledger without being told: status and ledger_id', async () => {
    const w = await world();
    expect(w.idx('status')).toEqual({ num_blocks_synced: 0n });
    expect(w.idx<Principal>('ledger_id').toText()).toBe(LEDGER_ID.toText());
    await w.mint(alice, ICP);
    await w.icrc1(alice, acct(bob), 5n);
    expect(w.idx('status')).toEqual({ num_blocks_synced: 2n });
    expect(w.idx('icrc1_balance_of', [acct(bob)])).toBe(5n);
  });

  it('reports root as controller and its module hash', () => {
    const info = new IcpIndex(new IcpLedger()).info();
    expect(info.controllers.map((p) => p.toText())).toEqual([ROOT_ID.toText()]);
    expect(info.moduleHash).toEqual(sha256(new TextEncoder().encode(INDEX_MODULE_VERSION)));
  });

  it('pages newest first with an exclusive start', async () => {
    const w = await world();
    for (let i = 0; i < 12; i++) {
      await w.mint(i % 3 === 0 ? bob : alice, ICP);
      if (i % 2) await w.icrc1(alice, acct(carol), BigInt(i));
    }
    const all = ok(w.txs(aid(alice), 1000n));
    expect(all.transactions.length).toBeGreaterThan(10);
    const allIds = ids(all.transactions);
    expect([...allIds].sort((a, b) => (a < b ? 1 : -1))).toEqual(allIds);
    expect(all.oldest_tx_id).toEqual([allIds[allIds.length - 1]]);
    expect(all.balance).toBe(w.ledgerBalance(alice));

    const pages: bigint[][] = [];
    let start: bigint | undefined;
    for (;;) {
      const page = ids(ok(w.txs(aid(alice), 4n, start)).transactions);
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(4);
      if (start !== undefined) expect(page.every((id) => id < start!)).toBe(true);
      pages.push(page);
      start = page[page.length - 1];
    }
    expect(pages.flat()).toEqual(allIds);
    // A start that is not one of the account's blocks works too: everything strictly older.
    const mid = allIds[3] + 1n;
    expect(ids(ok(w.txs(aid(alice), 100n, mid)).transactions)).toEqual(allIds.filter((id) => id < mid));
    expect(ok(w.txs(aid(alice), 0n)).transactions).toEqual([]);
  });

  it('returns at most 2000 transactions per call', async () => {
    const w = await world();
    await Promise.all(Array.from({ length: 2050 }, () => w.mint(alice, 1n)));
    const r = ok(w.txs(aid(alice), 5000n));
    expect(r.transactions.length).toBe(2000);
    expect(r.transactions[0].id).toBe(2049n);
    expect(r.transactions[1999].id).toBe(50n);
    expect(r.oldest_tx_id).toEqual([0n]);
    expect(r.balance).toBe(2050n);
  });

  it('answers Err for a bad account identifier and accepts the 56-char form', async () => {
    const w = await world();
    await w.mint(alice, 3n);
    const short = w.txs('1234');
    expect('Err' in short && short.Err.message).toMatch(/invalid account identifier/);
    const badChecksum = w.txs('00'.repeat(32));
    expect('Err' in badChecksum && badChecksum.Err.message).toMatch(/checksum/);
    expect(ok(w.txs(aid(alice).slice(8))).balance).toBe(3n);
    expect(ok(w.txs(aid(alice).toUpperCase())).balance).toBe(3n);
    const unknown = ok(w.txs(aid(carol)));
    expect(unknown).toEqual({ balance: 0n, transactions: [], oldest_tx_id: [] });
  });

  it('wraps the same for ICRC accounts, subaccounts included', async () => {
    const w = await world();
    await w.mint(aid(alice, SUB1), ICP);
    await w.mint(alice, ICP);
    const r = w.idx<GetAccountIdentifierTransactionsResult>('get_account_transactions', [
      { account: acct(alice, SUB1), start: [], max_results: 10n },
    ]);
    expect(r).toEqual(w.txs(aid(alice, SUB1), 10n));
    expect(ids(ok(r).transactions)).toEqual([0n]);
    const e = await rejection(() =>
      w.idx('get_account_transactions', [{ account: acct(alice), start: [], max_results: 2n ** 64n }]),
    );
    expect(e.message).toMatch(/Conversion from candid Nat to u64 failed/);
  });

  it('indexes both sides of transfers, owner and spender of approvals, the receiver of mints, the payer of burns', async () => {
    const w = await world();
    await w.mint(alice, 10n * ICP); // 0
    await w.icrc1(alice, acct(bob), ICP, { memo: new Uint8Array([1, 2, 3]) }); // 1
    await w.approve(alice, acct(bob), 2n * ICP); // 2
    await w.transferFrom(bob, acct(alice), acct(carol), ICP / 2n); // 3
    await w.icrc1(bob, MINTING, FEE); // 4: burn
    await w.icrc1(alice, acct(alice), 1n); // 5: to oneself
    await w.legacy(carol, bob, 1000n, 77n); // 6

    expect(ids(ok(w.txs(aid(alice))).transactions)).toEqual([5n, 3n, 2n, 1n, 0n]);
    expect(ids(ok(w.txs(aid(bob))).transactions)).toEqual([6n, 4n, 2n, 1n]);
    expect(ids(ok(w.txs(aid(carol))).transactions)).toEqual([6n, 3n]);
    // The minting account never appears: mints and burns are not transfers to or from it.
    expect(ok(w.txs(aid(GOVERNANCE_ID))).transactions).toEqual([]);

    for (const p of [alice, bob, carol]) {
      expect(ok(w.txs(aid(p))).balance).toBe(w.ledgerBalance(p));
      expect(w.idx('get_account_identifier_balance', [aid(p)])).toBe(w.ledgerBalance(p));
      expect(w.idx('icrc1_balance_of', [acct(p)])).toBe(w.ledgerBalance(p));
    }

    const byId = new Map(ok(w.txs(aid(alice))).transactions.map((t) => [t.id, t.transaction]));
    const blockTime = (i: number) => w.ledger.blocks()[i].timestamp;
    expect(byId.get(1n)).toEqual({
      memo: 0n,
      icrc1_memo: [new Uint8Array([1, 2, 3])],
      operation: { Transfer: { from: aid(alice), to: aid(bob), amount: { e8s: ICP }, fee: { e8s: FEE }, spender: [] } },
      created_at_time: [],
      timestamp: [{ timestamp_nanos: blockTime(1) }],
    });
    expect(byId.get(2n)!.operation).toEqual({
      Approve: { from: aid(alice), spender: aid(bob), allowance: { e8s: 2n * ICP }, fee: { e8s: FEE }, expected_allowance: [], expires_at: [] },
    });
    expect(byId.get(3n)!.operation).toEqual({
      Transfer: { from: aid(alice), to: aid(carol), amount: { e8s: ICP / 2n }, fee: { e8s: FEE }, spender: [aid(bob)] },
    });
    expect(byId.get(0n)!.operation).toEqual({ Mint: { to: aid(alice), amount: { e8s: 10n * ICP } } });
    const bobs = new Map(ok(w.txs(aid(bob))).transactions.map((t) => [t.id, t.transaction]));
    expect(bobs.get(4n)!.operation).toEqual({ Burn: { from: aid(bob), amount: { e8s: FEE }, spender: [] } });
    // Legacy transfers carry created_at_time (now, when the caller gave none) and their memo.
    expect(bobs.get(6n)).toMatchObject({ memo: 77n, created_at_time: [{ timestamp_nanos: blockTime(6) }] });
    expect(kind(bobs.get(6n)!.operation)).toBe('Transfer');
  });

  it('matches every ledger balance after a busy history', async () => {
    const w = await world();
    const people = [alice, bob, carol];
    for (const p of people) await w.mint(p, 100n * ICP);
    for (let i = 0; i < 60; i++) {
      const from = people[i % 3];
      const to = people[(i * 7 + 1) % 3];
      if (i % 5 === 0) await w.approve(from, acct(to), BigInt(i) * ICP);
      else if (i % 5 === 1) await w.transferFrom(to, acct(from), acct(people[(i + 2) % 3], SUB1), BigInt(i) * 1000n);
      else if (i % 5 === 2) await w.icrc1(from, MINTING, FEE + BigInt(i));
      else await w.icrc1(from, acct(to, i % 2 ? SUB1 : undefined), BigInt(i) * 12345n);
    }
    for (const p of people) {
      for (const sub of [undefined, SUB1]) {
        expect(ok(w.txs(aid(p, sub), 2000n)).balance).toBe(w.ledgerBalance(p, sub));
      }
    }
  });

  it('serves the encoded blocks it indexed, whose hashes chain as query_blocks says', async () => {
    const w = await world();
    await Promise.all(Array.from({ length: 2005 }, (_, i) => w.mint(i % 2 ? alice : bob, BigInt(i + 1))));
    await w.icrc1(alice, acct(bob), 5n);
    const got = w.idx<GetBlocksResponse>('get_blocks', [{ start: 0n, length: 5000n }]);
    expect(got.chain_length).toBe(2006n);
    expect(got.blocks.length).toBe(2000);
    const tail = w.idx<GetBlocksResponse>('get_blocks', [{ start: 2000n, length: 100n }]);
    expect(tail.blocks.length).toBe(6);
    expect(tail.blocks[5]).toEqual(w.ledger.encodedBlock(2005));
    const ledgerBlocks = w.rt.queryDecoded<QueryBlocksResponse>(LEDGER_ID, 'query_blocks', [{ start: 1990n, length: 20n }], alice);
    const encoded = w.idx<GetBlocksResponse>('get_blocks', [{ start: 1989n, length: 20n }]).blocks;
    ledgerBlocks.blocks.forEach((b, i) => expect(b.parent_hash).toEqual([sha256(encoded[i])]));
    expect(w.idx<GetBlocksResponse>('get_blocks', [{ start: 9999n, length: 10n }]).blocks).toEqual([]);
    const e = await rejection(() => w.idx('get_blocks', [{ start: 2n ** 64n, length: 1n }]));
    expect(e.code).toBe(RejectCode.CanisterError);
  });

  it('traps on a bad textual account id and rejects http_request honestly', async () => {
    const w = await world();
    const e = await rejection(() => w.idx('get_account_identifier_balance', ['zz']));
    expect(e.code).toBe(RejectCode.CanisterError);
    const r = await rejection(() => w.idx('http_request', [{ url: '/metrics', method: 'GET', body: new Uint8Array(), headers: [] }]));
    expect(r.code).toBe(RejectCode.CanisterReject);
    expect(r.message).toBe('http_request is not available on the simulated subnet');
  });

  it('rebuilds itself from the ledger after a restore', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    await w.icrc1(alice, acct(bob), 5n);
    const before = w.txs(aid(alice));
    const snapshot = decodeData(encodeData(w.index.snapshot()));
    const fresh = new IcpIndex(w.ledger);
    fresh.restore(snapshot);
    const ctx = { self: INDEX_ID, caller: alice, time: w.rt.time, cycles: 0n } as CallContext;
    const handler = fresh.methods.get_account_identifier_transactions.handler;
    expect(handler(ctx, { account_identifier: aid(alice), start: [], max_results: 100n })).toEqual(before);
    expect(fresh.methods.status.handler(ctx)).toEqual({ num_blocks_synced: 2n });
  });
});

describe('ledger and index across a subnet restart', () => {
  it('come back from the runtime checkpoint with the same answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nd-ledger-'));
    try {
      const boot = async () => {
        const ledger = new IcpLedger();
        const rt = await Runtime.create({ canisters: [ledger, new IcpIndex(ledger)], clock: new FixedClock(T0), stateDir: dir });
        return { ledger, rt };
      };
      const first = await boot();
      await first.rt.admin(LEDGER_ID, 'mint', { to: aid(alice), e8s: ICP });
      const created = first.rt.time + 1n;
      const args = [{ to: acct(bob), amount: 5n, fee: [], memo: [], from_subaccount: [], created_at_time: [created] }];
      expect(await first.rt.callDecoded(LEDGER_ID, 'icrc1_transfer', args, alice)).toEqual({ Ok: 1n });
      const txs = () => first.rt.queryDecoded(INDEX_ID, 'get_account_identifier_transactions', [{ account_identifier: aid(alice), start: [], max_results: 10n }], alice);
      const before = txs();
      await first.rt.close();

      const second = await boot();
      expect(second.ledger.blocks()).toEqual(first.ledger.blocks());
      expect(second.rt.queryDecoded(INDEX_ID, 'get_account_identifier_transactions', [{ account_identifier: aid(alice), start: [], max_results: 10n }], alice)).toEqual(before);
      expect(await second.rt.callDecoded(LEDGER_ID, 'icrc1_transfer', args, alice)).toEqual({ Err: { Duplicate: { duplicate_of: 1n } } });
      await second.rt.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ICP index at scale', () => {
  it('indexes 100k ledger blocks incrementally and pages without scanning', () => {
    // Direct handler calls: the runtime's per-round overhead is not what is measured here.
    const ledger = new IcpLedger();
    const index = new IcpIndex(ledger);
    const users = Array.from({ length: 200 }, (_, i) => Principal.fromUint8Array(new Uint8Array([7, i])));
    let time = T0;
    const ctx = (caller: Principal) => ({ self: LEDGER_ID, caller, time: (time += 1000n), cycles: 0n }) as CallContext;
    for (const u of users) ledger.admin.mint(ctx(u), { to: aid(u), e8s: 10n ** 12n });
    const transfer = ledger.methods.icrc1_transfer.handler;
    const query = index.methods.get_account_identifier_transactions.handler;
    for (let i = 0; i < 100_000; i++) {
      transfer(ctx(users[i % 200]), { to: acct(users[(i * 7 + 3) % 200]), amount: 1n, fee: [], memo: [], from_subaccount: [], created_at_time: [time] });
      if (i % 25_000 === 0) query(ctx(users[0]), { account_identifier: aid(users[0]), start: [], max_results: 1n });
    }
    expect(ledger.blocks().length).toBe(100_200);
    const started = performance.now();
    let start: [] | [bigint] = [];
    let seen = 0;
    for (;;) {
      const r = query(ctx(users[5]), { account_identifier: aid(users[5]), start, max_results: 2000n }) as GetAccountIdentifierTransactionsResult;
      const page = ok(r).transactions;
      if (page.length === 0) break;
      seen += page.length;
      start = [page[page.length - 1].id];
    }
    expect(seen).toBe(1001); // its mint, 500 sends, 500 receipts
    expect(performance.now() - started).toBeLessThan(2000);
    const balance = index.methods.get_account_identifier_balance.handler(ctx(users[5]), aid(users[5]));
    expect(balance).toBe(ledger.balanceOf(aid(users[5])));
  });
});
