// The simulated ICP ledger, driven through the runtime (Candid both ways) with a fixed clock.
import { createHash } from 'node:crypto';
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { Principal } from '@icp-sdk/core/principal';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  Account,
  Allowance,
  Allowances,
  ApproveArgs,
  ApproveResult,
  Block,
  Icrc1TransferResult,
  QueryBlocksResponse,
  TipOfChainRes,
  Tokens,
  TransferArg,
  TransferArgs,
  TransferFromArgs,
  TransferFromResult,
  TransferResult,
} from '../../../subnet/candid/generated/ledger.did.ts';
import { Reject, RejectCode } from '../../../subnet/canisters/canister.ts';
import { accountIdentifier, toHex } from '../../../subnet/canisters/common/accounts.ts';
import { GOVERNANCE_ID, LEDGER_ID, ROOT_ID } from '../../../subnet/canisters/ids.ts';
import { encodeBlock } from '../../../subnet/canisters/ledger/encoding.ts';
import {
  IcpLedger,
  LEDGER_MODULE_VERSION,
  MINTING_ACCOUNT,
  type LedgerOptions,
} from '../../../subnet/canisters/ledger/ledger.ts';
import { FixedClock } from '../support/fixed-clock.ts';
import { decodeData, encodeData } from '../../../subnet/runtime/codec.ts';
import { Runtime } from '../../../subnet/runtime/runtime.ts';

// ---- Harness ------------------------------------------------------------------------------------


const T0 = 1_767_225_600_000_000_000n; // 2026-01-01T00:00:00Z
const SEC = 1_000_000_000n;
const DAY = 86_400n * SEC;
const FEE = 10_000n;
const ICP = 100_000_000n;
const U64_MAX = 2n ** 64n - 1n;

const alice = Ed25519KeyIdentity.generate().getPrincipal();
const bob = Ed25519KeyIdentity.generate().getPrincipal();
const carol = Ed25519KeyIdentity.generate().getPrincipal();
const dave = Ed25519KeyIdentity.generate().getPrincipal();
const anonymous = Principal.anonymous();
const SUB1 = new Uint8Array(32).fill(1);

const acct = (owner: Principal, sub?: Uint8Array): Account => ({ owner, subaccount: sub ? [sub] : [] });
const aid = (owner: Principal, sub?: Uint8Array) => toHex(accountIdentifier(owner, sub));
const aidBytes = (owner: Principal, sub?: Uint8Array) => accountIdentifier(owner, sub);
const MINTING = acct(GOVERNANCE_ID);

const legacy = (a: Pick<TransferArgs, 'to' | 'amount'> & Partial<TransferArgs>): TransferArgs => ({
  fee: { e8s: FEE },
  memo: 0n,
  from_subaccount: [],
  created_at_time: [],
  ...a,
});
const icrc1 = (a: Pick<TransferArg, 'to' | 'amount'> & Partial<TransferArg>): TransferArg => ({
  fee: [],
  memo: [],
  from_subaccount: [],
  created_at_time: [],
  ...a,
});
const approval = (a: Pick<ApproveArgs, 'spender' | 'amount'> & Partial<ApproveArgs>): ApproveArgs => ({
  fee: [],
  memo: [],
  from_subaccount: [],
  created_at_time: [],
  expected_allowance: [],
  expires_at: [],
  ...a,
});
const pull = (a: Pick<TransferFromArgs, 'from' | 'to' | 'amount'> & Partial<TransferFromArgs>): TransferFromArgs => ({
  fee: [],
  memo: [],
  spender_subaccount: [],
  created_at_time: [],
  ...a,
});

const runtimes: Runtime[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((rt) => rt.close()));
});

async function world(options?: LedgerOptions, ledger = new IcpLedger(options), start = T0) {
  const rt = await Runtime.create({ canisters: [ledger], clock: new FixedClock(start) });
  runtimes.push(rt);
  const call = <T>(method: string, args: unknown[], sender: Principal) => rt.callDecoded<T>(LEDGER_ID, method, args, sender);
  const query = <T>(method: string, args: unknown[] = [], sender: Principal = alice) => rt.queryDecoded<T>(LEDGER_ID, method, args, sender);
  const w = {
    ledger,
    rt,
    call,
    query,
    /** The time of the next update round. */
    next: () => rt.time + 1n,
    mint: (to: Principal | string, e8s: bigint) =>
      rt.admin<{ block_index: bigint }>(LEDGER_ID, 'mint', { to: typeof to === 'string' ? to : aid(to), e8s }),
    transfer: (from: Principal, a: Parameters<typeof legacy>[0]) => call<TransferResult>('transfer', [legacy(a)], from),
    icrc1: (from: Principal, a: Parameters<typeof icrc1>[0]) => call<Icrc1TransferResult>('icrc1_transfer', [icrc1(a)], from),
    approve: (from: Principal, a: Parameters<typeof approval>[0]) => call<ApproveResult>('icrc2_approve', [approval(a)], from),
    transferFrom: (spender: Principal, a: Parameters<typeof pull>[0]) =>
      call<TransferFromResult>('icrc2_transfer_from', [pull(a)], spender),
    balance: (owner: Principal, sub?: Uint8Array) => query<bigint>('icrc1_balance_of', [acct(owner, sub)]),
    allowance: (owner: Principal, spender: Principal) =>
      query<Allowance>('icrc2_allowance', [{ account: acct(owner), spender: acct(spender) }]),
    supply: () => query<bigint>('icrc1_total_supply'),
    blocks: (start = 0n, length = 10_000n) => query<QueryBlocksResponse>('query_blocks', [{ start, length }]),
  };
  return w;
}

async function rejection(p: Promise<unknown> | (() => unknown)): Promise<Reject> {
  const e = await (typeof p === 'function' ? Promise.resolve().then(p) : p).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(Reject);
  return e as Reject;
}

async function expectTrap(p: Promise<unknown> | (() => unknown), text: string | RegExp) {
  const e = await rejection(p);
  expect(e.code).toBe(RejectCode.CanisterError);
  expect(e.message).toMatch(text);
}

const sha256 = (bytes: Uint8Array) => new Uint8Array(createHash('sha256').update(bytes).digest());
const op = (b: Block) => b.transaction.operation[0]!;

// ---- Metadata -----------------------------------------------------------------------------------

describe('metadata', () => {
  it('answers the token metadata of mainnet', async () => {
    const w = await world();
    expect(w.query('symbol')).toEqual({ symbol: 'ICP' });
    expect(w.query('name')).toEqual({ name: 'Internet Computer' });
    expect(w.query('decimals')).toEqual({ decimals: 8 });
    expect(w.query('transfer_fee', [{}])).toEqual({ transfer_fee: { e8s: FEE } });
    expect(w.query('icrc1_name')).toBe('Internet Computer');
    expect(w.query('icrc1_symbol')).toBe('ICP');
    expect(w.query('icrc1_decimals')).toBe(8);
    expect(w.query('icrc1_fee')).toBe(FEE);
    expect(w.query('icrc1_metadata')).toEqual([
      ['icrc1:decimals', { Nat: 8n }],
      ['icrc1:name', { Text: 'Internet Computer' }],
      ['icrc1:symbol', { Text: 'ICP' }],
      ['icrc1:fee', { Nat: FEE }],
    ]);
    const standards = w.query<{ name: string }[]>('icrc1_supported_standards').map((s) => s.name);
    expect(standards).toEqual(['ICRC-1', 'ICRC-2', 'ICRC-10']);
    expect(w.query('icrc10_supported_standards')).toEqual(w.query('icrc1_supported_standards'));
    expect(w.query<Account[]>('icrc1_minting_account')[0].owner.toText()).toBe(GOVERNANCE_ID.toText());
    expect(w.query('is_ledger_ready')).toBe(true);
    expect(w.query('archives')).toEqual({ archives: [] });
    expect(w.query('icrc1_total_supply')).toBe(0n);
  });

  it('reports root as controller and a module hash naming the simulated version', () => {
    const info = new IcpLedger().info();
    expect(info.controllers.map((p) => p.toText())).toEqual([ROOT_ID.toText()]);
    expect(info.moduleHash).toEqual(sha256(new TextEncoder().encode(LEDGER_MODULE_VERSION)));
  });

  it('computes account identifiers and refuses subaccounts that are not 32 bytes', async () => {
    const w = await world();
    expect(w.query('account_identifier', [acct(alice)])).toEqual(aidBytes(alice));
    expect(w.query('account_identifier', [acct(alice, SUB1)])).toEqual(aidBytes(alice, SUB1));
    await expectTrap(() => w.query('account_identifier', [acct(alice, new Uint8Array(31))]), /subaccount/);
    expect(MINTING_ACCOUNT).toBe(aid(GOVERNANCE_ID));
  });

  it('rejects the methods it does not simulate, honestly', async () => {
    const w = await world();
    const e = await rejection(() => w.query('query_encoded_blocks', [{ start: 0n, length: 1n }]));
    expect(e.code).toBe(RejectCode.CanisterReject);
    expect(e.message).toBe('query_encoded_blocks is not available on the simulated subnet');
    const consent = { method: 'icrc1_transfer', arg: new Uint8Array(), user_preferences: { metadata: { language: 'en', utc_offset_minutes: [] }, device_spec: [] } };
    const e2 = await rejection(w.call('icrc21_canister_call_consent_message', [consent], alice));
    expect(e2.code).toBe(RejectCode.CanisterReject);
    expect(e2.message).toMatch(/not available on the simulated subnet/);
  });
});

// ---- Admin mint ---------------------------------------------------------------------------------

describe('admin mint', () => {
  it('mints to an account identifier without dedup', async () => {
    const w = await world();
    const [a, b] = await Promise.all([w.mint(alice, ICP), w.mint(alice, ICP)]);
    expect([a.block_index, b.block_index]).toEqual([0n, 1n]);
    expect(w.balance(alice)).toBe(2n * ICP);
    expect(w.supply()).toBe(2n * ICP);
    const block = w.blocks().blocks[0];
    expect(op(block)).toEqual({ Mint: { to: aidBytes(alice), amount: { e8s: ICP } } });
    expect(block.transaction.created_at_time).toEqual(block.timestamp);
  });

  it('refuses bad input', async () => {
    const w = await world();
    await expect(w.mint(alice, -1n)).rejects.toThrow(/non-negative/);
    await expect(w.rt.admin(LEDGER_ID, 'mint', { to: aid(alice), e8s: 5 })).rejects.toThrow(/bigint/);
    await expect(w.mint('abc', 1n)).rejects.toThrow(/invalid account identifier/);
    await expect(w.mint(GOVERNANCE_ID, 1n)).rejects.toThrow(/minting account/);
    await expect(w.mint(alice, U64_MAX + 1n)).rejects.toThrow(/InsufficientFunds/);
  });
});

// ---- Legacy transfer ----------------------------------------------------------------------------

describe('transfer (legacy)', () => {
  it('moves funds and burns the fee', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    expect(await w.transfer(alice, { to: aidBytes(bob), amount: { e8s: ICP / 2n }, memo: 42n })).toEqual({ Ok: 1n });
    expect(w.query('account_balance', [{ account: aidBytes(alice) }])).toEqual({ e8s: ICP / 2n - FEE });
    expect(w.query('account_balance', [{ account: aidBytes(bob) }])).toEqual({ e8s: ICP / 2n });
    expect(w.supply()).toBe(ICP - FEE);
    const block = w.blocks().blocks[1];
    expect(block.transaction.memo).toBe(42n);
    expect(op(block)).toEqual({
      Transfer: { from: aidBytes(alice), to: aidBytes(bob), amount: { e8s: ICP / 2n }, fee: { e8s: FEE }, spender: [] },
    });
  });

  it('spends from a subaccount', async () => {
    const w = await world();
    await w.mint(aid(alice, SUB1), ICP);
    expect(await w.transfer(alice, { to: aidBytes(bob), amount: { e8s: 1n }, from_subaccount: [SUB1] })).toEqual({ Ok: 1n });
    expect(w.balance(alice, SUB1)).toBe(ICP - 1n - FEE);
  });

  it('wants exactly the fee', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    for (const fee of [0n, 9_999n, 20_000n]) {
      expect(await w.transfer(alice, { to: aidBytes(bob), amount: { e8s: 1n }, fee: { e8s: fee } })).toEqual({
        Err: { BadFee: { expected_fee: { e8s: FEE } } },
      });
    }
  });

  it('reports insufficient funds with the balance', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    expect(await w.transfer(alice, { to: aidBytes(bob), amount: { e8s: ICP - FEE + 1n } })).toEqual({
      Err: { InsufficientFunds: { balance: { e8s: ICP } } },
    });
    expect(await w.transfer(alice, { to: aidBytes(bob), amount: { e8s: ICP - FEE } })).toEqual({ Ok: 1n });
    expect(w.balance(alice)).toBe(0n);
  });

  it('traps on a bad destination and on the anonymous caller', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    const bad = aidBytes(bob).slice();
    bad[0] ^= 1;
    await expectTrap(w.transfer(alice, { to: bad, amount: { e8s: 1n } }), /Invalid account identifier: Checksum failed/);
    await expectTrap(w.transfer(alice, { to: aidBytes(bob).slice(0, 31), amount: { e8s: 1n } }), /Invalid account identifier/);
    await expectTrap(w.transfer(anonymous, { to: aidBytes(bob), amount: { e8s: 1n } }), 'Sending from 2vxsx-fae is not allowed');
  });

  it('dedups even without created_at_time: it means now', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    const args = { to: aidBytes(bob), amount: { e8s: 5n } };
    // Submitted together, both run in one round, at one time: the same transaction.
    const results = await Promise.all([w.transfer(alice, args), w.transfer(alice, args)]);
    expect(results).toEqual([{ Ok: 1n }, { Err: { TxDuplicate: { duplicate_of: 1n } } }]);
    // A later round is a later time: a new transaction.
    expect(await w.transfer(alice, args)).toEqual({ Ok: 2n });
    const created = w.blocks().blocks[1].transaction.created_at_time;
    expect(created).toEqual(w.blocks().blocks[1].timestamp);
  });

  it('dedups by created_at_time, memo and content within the window', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    const at = { timestamp_nanos: w.next() };
    const args = { to: aidBytes(bob), amount: { e8s: 5n }, created_at_time: [at] as [typeof at] };
    expect(await w.transfer(alice, args)).toEqual({ Ok: 1n });
    expect(await w.transfer(alice, args)).toEqual({ Err: { TxDuplicate: { duplicate_of: 1n } } });
    expect(await w.transfer(alice, { ...args, memo: 1n })).toEqual({ Ok: 2n });
    expect(await w.transfer(alice, { ...args, amount: { e8s: 6n } })).toEqual({ Ok: 3n });
    expect(await w.transfer(alice, { ...args, created_at_time: [{ timestamp_nanos: at.timestamp_nanos + 1n }] })).toEqual({ Ok: 4n });
  });

  it('refuses transactions too old or too far in the future', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    const send = (created: bigint) =>
      w.transfer(alice, { to: aidBytes(bob), amount: { e8s: 1n }, created_at_time: [{ timestamp_nanos: created }] });
    expect(await send(w.next() - DAY - 1n)).toEqual({ Err: { TxTooOld: { allowed_window_nanos: DAY } } });
    expect(await send(w.next() - DAY)).toEqual({ Ok: 1n });
    expect(await send(w.next() + 60n * SEC + 1n)).toEqual({ Err: { TxCreatedInFuture: null } });
    expect(await send(w.next() + 60n * SEC)).toEqual({ Ok: 2n });
  });

  it('forgets transactions once their block leaves the window', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    const created = [{ timestamp_nanos: w.next() }] as [{ timestamp_nanos: bigint }];
    expect(await w.transfer(alice, { to: aidBytes(bob), amount: { e8s: 1n }, created_at_time: created })).toEqual({ Ok: 1n });
    expect(w.ledger.snapshot().dedup.blocks).toEqual([1]);
    await w.rt.advanceTime(DAY / SEC + 61n);
    // The same transaction is now too old, not a duplicate; and the window was pruned.
    expect(await w.transfer(alice, { to: aidBytes(bob), amount: { e8s: 1n }, created_at_time: created })).toEqual({
      Err: { TxTooOld: { allowed_window_nanos: DAY } },
    });
    expect(w.ledger.snapshot().dedup.blocks).toEqual([]);
  });

  it('mints when governance sends, with a zero fee', async () => {
    const w = await world();
    expect(await w.transfer(GOVERNANCE_ID, { to: aidBytes(bob), amount: { e8s: ICP }, fee: { e8s: 0n } })).toEqual({ Ok: 0n });
    expect(op(w.blocks().blocks[0])).toEqual({ Mint: { to: aidBytes(bob), amount: { e8s: ICP } } });
    expect(w.supply()).toBe(ICP);
    await expectTrap(w.transfer(GOVERNANCE_ID, { to: aidBytes(bob), amount: { e8s: 1n } }), 'Fee for minting should be zero');
    await expectTrap(
      w.transfer(GOVERNANCE_ID, { to: aidBytes(GOVERNANCE_ID), amount: { e8s: 1n }, fee: { e8s: 0n } }),
      'It is illegal to mint to a minting_account',
    );
  });

  it('burns when sending to the minting account: no fee, at least the fee or the whole balance', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    await w.mint(carol, 5_000n);
    const burn = (from: Principal, e8s: bigint, fee = 0n) =>
      w.transfer(from, { to: aidBytes(GOVERNANCE_ID), amount: { e8s }, fee: { e8s: fee } });
    await expectTrap(burn(alice, FEE, FEE), 'Fee for burning should be zero');
    await expectTrap(burn(alice, FEE - 1n), 'Burns lower than 0.00010000 are not allowed');
    expect(await burn(alice, FEE)).toEqual({ Ok: 2n });
    expect(op(w.blocks().blocks[2])).toEqual({ Burn: { from: aidBytes(alice), amount: { e8s: FEE }, spender: [] } });
    expect(w.supply()).toBe(ICP + 5_000n - FEE);
    await expectTrap(burn(carol, 4_999n), 'Burns lower than 0.00005000 are not allowed');
    expect(await burn(carol, 5_000n)).toEqual({ Ok: 3n });
    expect(w.balance(carol)).toBe(0n);
  });
});

describe('send_dfx and account_balance_dfx', () => {
  it('transfers to a textual account identifier and traps on errors', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    const args = { to: aid(bob), amount: { e8s: 7n }, fee: { e8s: FEE }, memo: 0n, from_subaccount: [], created_at_time: [] };
    expect(await w.call('send_dfx', [args], alice)).toBe(1n);
    expect(w.query('account_balance_dfx', [{ account: aid(bob) }])).toEqual({ e8s: 7n });
    await expectTrap(w.call('send_dfx', [{ ...args, fee: { e8s: 1n } }], alice), 'transfer fee should be 0.00010000');
    await expectTrap(
      w.call('send_dfx', [{ ...args, amount: { e8s: 10n * ICP } }], alice),
      `the debit account doesn't have enough funds to complete the transaction, current balance: 0.99989993`,
    );
    await expectTrap(w.call('send_dfx', [{ ...args, to: 'not-hex' }], alice), /invalid account identifier/);
  });

  it('reads balances by textual and binary account identifiers', async () => {
    const w = await world();
    await w.mint(alice, 3n);
    expect(w.query('account_balance_dfx', [{ account: aid(alice).slice(8) }])).toEqual({ e8s: 3n });
    await expectTrap(() => w.query('account_balance_dfx', [{ account: '00'.repeat(32) }]), /checksum/);
    // Mainnet answers 0 for a blob of the wrong length, and traps on a bad checksum.
    expect(w.query('account_balance', [{ account: aidBytes(alice).slice(0, 28) }])).toEqual({ e8s: 0n });
    await expectTrap(() => w.query('account_balance', [{ account: new Uint8Array(32) }]), /Checksum failed/);
  });
});

// ---- ICRC-1 ---------------------------------------------------------------------------------------

describe('icrc1_transfer', () => {
  it('transfers with or without an explicit fee', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    expect(await w.icrc1(alice, { to: acct(bob), amount: 10n })).toEqual({ Ok: 1n });
    expect(await w.icrc1(alice, { to: acct(bob, SUB1), amount: 10n, fee: [FEE] })).toEqual({ Ok: 2n });
    expect(w.balance(bob)).toBe(10n);
    expect(w.balance(bob, SUB1)).toBe(10n);
    expect(w.balance(alice)).toBe(ICP - 20n - 2n * FEE);
    const block = w.blocks().blocks[1];
    expect(block.transaction.memo).toBe(0n);
    // No created_at_time: the Candid block shows the block time, as mainnet does.
    expect(block.transaction.created_at_time).toEqual(block.timestamp);
  });

  it('answers BadFee and InsufficientFunds', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    expect(await w.icrc1(alice, { to: acct(bob), amount: 1n, fee: [1n] })).toEqual({ Err: { BadFee: { expected_fee: FEE } } });
    expect(await w.icrc1(alice, { to: acct(bob), amount: ICP })).toEqual({ Err: { InsufficientFunds: { balance: ICP } } });
    expect(await w.icrc1(alice, { to: acct(bob), amount: U64_MAX + 1n })).toEqual({ Err: { InsufficientFunds: { balance: ICP } } });
  });

  it('takes memos up to 32 bytes and traps beyond', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    const memo = new Uint8Array(32).fill(7);
    expect(await w.icrc1(alice, { to: acct(bob), amount: 1n, memo: [memo] })).toEqual({ Ok: 1n });
    expect(w.blocks().blocks[1].transaction.icrc1_memo).toEqual([memo]);
    await expectTrap(w.icrc1(alice, { to: acct(bob), amount: 1n, memo: [new Uint8Array(33)] }), 'the memo field is too large');
  });

  it('does not dedup without created_at_time', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    const results = await Promise.all([w.icrc1(alice, { to: acct(bob), amount: 1n }), w.icrc1(alice, { to: acct(bob), amount: 1n })]);
    expect(results).toEqual([{ Ok: 1n }, { Ok: 2n }]);
  });

  it('answers Duplicate, TooOld and CreatedInFuture', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    const at = w.next();
    expect(await w.icrc1(alice, { to: acct(bob), amount: 1n, created_at_time: [at] })).toEqual({ Ok: 1n });
    expect(await w.icrc1(alice, { to: acct(bob), amount: 1n, created_at_time: [at] })).toEqual({ Err: { Duplicate: { duplicate_of: 1n } } });
    const memo = [new Uint8Array([1])] as [Uint8Array];
    expect(await w.icrc1(alice, { to: acct(bob), amount: 1n, created_at_time: [at], memo })).toEqual({ Ok: 2n });
    expect(await w.icrc1(alice, { to: acct(bob), amount: 1n, created_at_time: [w.next() - DAY - 1n] })).toEqual({ Err: { TooOld: null } });
    const now = w.next();
    expect(await w.icrc1(alice, { to: acct(bob), amount: 1n, created_at_time: [now + 61n * SEC] })).toEqual({
      Err: { CreatedInFuture: { ledger_time: now } },
    });
  });

  it('traps for the anonymous caller and bad subaccounts', async () => {
    const w = await world();
    await expectTrap(w.icrc1(anonymous, { to: acct(bob), amount: 0n }), 'Caller cannot hold tokens on the ledger.');
    await expectTrap(w.icrc1(alice, { to: acct(bob, new Uint8Array(8)), amount: 0n }), /subaccount/);
  });

  it('burns to the minting account: BadFee unless 0, BadBurn below the fee or the balance', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    await w.mint(carol, 5_000n);
    expect(await w.icrc1(alice, { to: MINTING, amount: FEE, fee: [FEE] })).toEqual({ Err: { BadFee: { expected_fee: 0n } } });
    expect(await w.icrc1(alice, { to: MINTING, amount: FEE - 1n })).toEqual({ Err: { BadBurn: { min_burn_amount: FEE } } });
    expect(await w.icrc1(alice, { to: MINTING, amount: FEE, fee: [0n] })).toEqual({ Ok: 2n });
    expect(op(w.blocks().blocks[2])).toEqual({ Burn: { from: aidBytes(alice), amount: { e8s: FEE }, spender: [] } });
    expect(await w.icrc1(carol, { to: MINTING, amount: 4_999n })).toEqual({ Err: { BadBurn: { min_burn_amount: 5_000n } } });
    expect(await w.icrc1(carol, { to: MINTING, amount: 5_000n })).toEqual({ Ok: 3n });
    expect(await w.icrc1(carol, { to: MINTING, amount: 0n })).toEqual({ Err: { BadBurn: { min_burn_amount: FEE } } });
    expect(w.supply()).toBe(ICP - FEE);
  });

  it('mints from the minting account without a fee, up to u64::MAX in total', async () => {
    const w = await world();
    expect(await w.icrc1(GOVERNANCE_ID, { to: acct(bob), amount: ICP, fee: [FEE] })).toEqual({ Err: { BadFee: { expected_fee: 0n } } });
    expect(await w.icrc1(GOVERNANCE_ID, { to: acct(bob), amount: ICP })).toEqual({ Ok: 0n });
    expect(op(w.blocks().blocks[0])).toEqual({ Mint: { to: aidBytes(bob), amount: { e8s: ICP } } });
    expect(await w.icrc1(GOVERNANCE_ID, { to: acct(bob), amount: U64_MAX })).toEqual({
      Err: { InsufficientFunds: { balance: U64_MAX - ICP } },
    });
  });

  it('throttles like mainnet when the window is full: TemporarilyUnavailable', async () => {
    // Mainnet admits 3M transactions a day; with a window of 4 the second half is rate-limited to 1/s.
    const w = await world({ maxTransactionsInWindow: 4 });
    await w.mint(alice, ICP);
    expect(await w.icrc1(alice, { to: acct(bob), amount: 1n, created_at_time: [w.next()] })).toEqual({ Ok: 1n });
    expect(await w.icrc1(alice, { to: acct(bob), amount: 2n, created_at_time: [w.next()] })).toEqual({ Ok: 2n });
    expect(await w.icrc1(alice, { to: acct(bob), amount: 3n, created_at_time: [w.next()] })).toEqual({ Err: { TemporarilyUnavailable: null } });
    expect(await w.approve(alice, { spender: acct(bob), amount: 3n, created_at_time: [w.next()] })).toEqual({ Err: { TemporarilyUnavailable: null } });
    await expectTrap(w.transfer(alice, { to: aidBytes(bob), amount: { e8s: 3n } }), /ledger is throttling/);
    await w.rt.advanceTime(2);
    expect(await w.icrc1(alice, { to: acct(bob), amount: 3n, created_at_time: [w.next()] })).toEqual({ Ok: 3n });
  });
});

// ---- ICRC-2 ---------------------------------------------------------------------------------------

describe('icrc2_approve and icrc2_allowance', () => {
  it('burns the fee from the approver and replaces the allowance', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    const expires = w.next() + 3600n * SEC;
    expect(await w.approve(alice, { spender: acct(bob), amount: 500n, expires_at: [expires] })).toEqual({ Ok: 1n });
    expect(w.allowance(alice, bob)).toEqual({ allowance: 500n, expires_at: [expires] });
    expect(w.balance(alice)).toBe(ICP - FEE);
    expect(op(w.blocks().blocks[1])).toEqual({
      Approve: {
        from: aidBytes(alice),
        spender: aidBytes(bob),
        allowance_e8s: 500n,
        allowance: { e8s: 500n },
        fee: { e8s: FEE },
        expected_allowance: [],
        expires_at: [{ timestamp_nanos: expires }],
      },
    });
    expect(await w.approve(alice, { spender: acct(bob), amount: 200n })).toEqual({ Ok: 2n });
    expect(w.allowance(alice, bob)).toEqual({ allowance: 200n, expires_at: [] });
    expect(w.balance(alice)).toBe(ICP - 2n * FEE);
    expect(w.supply()).toBe(ICP - 2n * FEE);
  });

  it('checks expected_allowance', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    expect(await w.approve(alice, { spender: acct(bob), amount: 100n, expected_allowance: [1n] })).toEqual({
      Err: { AllowanceChanged: { current_allowance: 0n } },
    });
    expect(await w.approve(alice, { spender: acct(bob), amount: 100n, expected_allowance: [0n] })).toEqual({ Ok: 1n });
    expect(await w.approve(alice, { spender: acct(bob), amount: 50n, expected_allowance: [99n] })).toEqual({
      Err: { AllowanceChanged: { current_allowance: 100n } },
    });
    expect(await w.approve(alice, { spender: acct(bob), amount: 50n, expected_allowance: [U64_MAX + 1n] })).toEqual({
      Err: { AllowanceChanged: { current_allowance: 100n } },
    });
    expect(await w.approve(alice, { spender: acct(bob), amount: 50n, expected_allowance: [100n] })).toEqual({ Ok: 2n });
    expect(w.balance(alice)).toBe(ICP - 2n * FEE);
  });

  it('refuses an expiry in the past without charging the fee', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    const now = w.next();
    expect(await w.approve(alice, { spender: acct(bob), amount: 1n, expires_at: [now - 1n] })).toEqual({
      Err: { Expired: { ledger_time: now } },
    });
    const now2 = w.next();
    expect(await w.approve(alice, { spender: acct(bob), amount: 1n, expires_at: [now2] })).toEqual({
      Err: { Expired: { ledger_time: now2 } },
    });
    expect(w.balance(alice)).toBe(ICP);
  });

  it('reads an expired allowance as zero', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    await w.approve(alice, { spender: acct(bob), amount: 1_000_000n, expires_at: [w.next() + 10n * SEC] });
    expect(w.allowance(alice, bob).allowance).toBe(1_000_000n);
    await w.rt.advanceTime(11);
    expect(w.allowance(alice, bob)).toEqual({ allowance: 0n, expires_at: [] });
    expect(await w.transferFrom(bob, { from: acct(alice), to: acct(carol), amount: 1n })).toEqual({
      Err: { InsufficientAllowance: { allowance: 0n } },
    });
    // expected_allowance compares with the expired (zero) allowance.
    expect(await w.approve(alice, { spender: acct(bob), amount: 5n, expected_allowance: [0n] })).toMatchObject({ Ok: expect.any(BigInt) });
  });

  it('expires an allowance at expires_at exactly', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    // advanceTime(10) puts the subnet at exactly this time.
    const expires = T0 + w.rt.clock.offsetNs + 10n * SEC;
    await w.approve(alice, { spender: acct(bob), amount: 7n, expires_at: [expires] });
    expect(w.allowance(alice, bob).allowance).toBe(7n);
    await w.rt.advanceTime(10);
    expect(w.rt.time).toBe(expires);
    expect(w.allowance(alice, bob)).toEqual({ allowance: 0n, expires_at: [] });
    expect(w.query('get_allowances', [{ from_account_id: aid(alice), prev_spender_id: [], take: [] }])).toEqual([]);
  });

  it('answers BadFee, InsufficientFunds, Duplicate, TooOld, CreatedInFuture', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    await w.mint(carol, FEE - 1n);
    expect(await w.approve(alice, { spender: acct(bob), amount: 1n, fee: [0n] })).toEqual({ Err: { BadFee: { expected_fee: FEE } } });
    expect(await w.approve(carol, { spender: acct(bob), amount: 1n })).toEqual({ Err: { InsufficientFunds: { balance: FEE - 1n } } });
    const at = w.next();
    expect(await w.approve(alice, { spender: acct(bob), amount: 1n, created_at_time: [at] })).toEqual({ Ok: 2n });
    expect(await w.approve(alice, { spender: acct(bob), amount: 1n, created_at_time: [at] })).toEqual({ Err: { Duplicate: { duplicate_of: 2n } } });
    expect(await w.approve(alice, { spender: acct(bob), amount: 1n, created_at_time: [w.next() - DAY - 1n] })).toEqual({ Err: { TooOld: null } });
    const now = w.next();
    expect(await w.approve(alice, { spender: acct(bob), amount: 1n, created_at_time: [now + 120n * SEC] })).toEqual({
      Err: { CreatedInFuture: { ledger_time: now } },
    });
  });

  it('traps on self approval, the minting account, the anonymous caller and long memos', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    await expectTrap(w.approve(alice, { spender: acct(alice, SUB1), amount: 1n }), 'self approval is not allowed');
    await expectTrap(w.approve(GOVERNANCE_ID, { spender: acct(bob), amount: 1n }), 'the minting account cannot delegate mints');
    await expectTrap(w.approve(anonymous, { spender: acct(bob), amount: 1n }), 'Caller cannot approve token transfers on the ledger.');
    await expectTrap(w.approve(alice, { spender: acct(bob), amount: 1n, memo: [new Uint8Array(33)] }), 'the memo field is too large');
  });

  it('caps an allowance at u64::MAX and removes it when approving zero', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    await w.approve(alice, { spender: acct(bob), amount: 2n ** 70n });
    expect(w.allowance(alice, bob).allowance).toBe(U64_MAX);
    await w.approve(alice, { spender: acct(bob), amount: 0n });
    expect(w.allowance(alice, bob).allowance).toBe(0n);
    expect(w.query('get_allowances', [{ from_account_id: aid(alice), prev_spender_id: [], take: [] }])).toEqual([]);
  });
});

describe('icrc2_transfer_from', () => {
  async function approved(amount: bigint) {
    const w = await world();
    await w.mint(alice, ICP);
    await w.approve(alice, { spender: acct(bob), amount });
    return w;
  }

  it('spends the allowance: amount + fee', async () => {
    const w = await approved(1_000_000n);
    expect(await w.transferFrom(bob, { from: acct(alice), to: acct(carol), amount: 100_000n })).toEqual({ Ok: 2n });
    expect(w.allowance(alice, bob).allowance).toBe(1_000_000n - 100_000n - FEE);
    expect(w.balance(alice)).toBe(ICP - FEE - 100_000n - FEE);
    expect(w.balance(carol)).toBe(100_000n);
    expect(w.balance(bob)).toBe(0n);
    expect(op(w.blocks().blocks[2])).toEqual({
      Transfer: { from: aidBytes(alice), to: aidBytes(carol), amount: { e8s: 100_000n }, fee: { e8s: FEE }, spender: [aidBytes(bob)] },
    });
  });

  it('answers InsufficientAllowance, and uses an allowance up exactly', async () => {
    const w = await approved(100n + FEE);
    expect(await w.transferFrom(bob, { from: acct(alice), to: acct(carol), amount: 101n })).toEqual({
      Err: { InsufficientAllowance: { allowance: 100n + FEE } },
    });
    expect(await w.transferFrom(carol, { from: acct(alice), to: acct(carol), amount: 1n })).toEqual({
      Err: { InsufficientAllowance: { allowance: 0n } },
    });
    expect(await w.transferFrom(bob, { from: acct(alice), to: acct(carol), amount: 100n })).toEqual({ Ok: 2n });
    expect(w.allowance(alice, bob).allowance).toBe(0n);
  });

  it('answers InsufficientFunds when the allowance is larger than the balance', async () => {
    const w = await approved(10n * ICP);
    expect(await w.transferFrom(bob, { from: acct(alice), to: acct(carol), amount: ICP })).toEqual({
      Err: { InsufficientFunds: { balance: ICP - FEE } },
    });
  });

  it('answers BadFee and Duplicate; traps for the anonymous caller and the minting account', async () => {
    const w = await approved(ICP / 2n);
    expect(await w.transferFrom(bob, { from: acct(alice), to: acct(carol), amount: 1n, fee: [0n] })).toEqual({
      Err: { BadFee: { expected_fee: FEE } },
    });
    const at = w.next();
    expect(await w.transferFrom(bob, { from: acct(alice), to: acct(carol), amount: 1n, created_at_time: [at] })).toEqual({ Ok: 2n });
    expect(await w.transferFrom(bob, { from: acct(alice), to: acct(carol), amount: 1n, created_at_time: [at] })).toEqual({
      Err: { Duplicate: { duplicate_of: 2n } },
    });
    await expectTrap(w.transferFrom(anonymous, { from: acct(alice), to: acct(carol), amount: 1n }), 'Caller cannot hold tokens on the ledger.');
    await expectTrap(w.transferFrom(bob, { from: MINTING, to: acct(carol), amount: 1n }), 'the minter account cannot delegate mints');
  });

  it('burns through an allowance: the allowance pays the amount only', async () => {
    const w = await approved(50_000n);
    expect(await w.transferFrom(bob, { from: acct(alice), to: MINTING, amount: FEE - 1n })).toEqual({
      Err: { BadBurn: { min_burn_amount: FEE } },
    });
    expect(await w.transferFrom(bob, { from: acct(alice), to: MINTING, amount: 20_000n })).toEqual({ Ok: 2n });
    expect(w.allowance(alice, bob).allowance).toBe(30_000n);
    expect(op(w.blocks().blocks[2])).toEqual({ Burn: { from: aidBytes(alice), amount: { e8s: 20_000n }, spender: [aidBytes(bob)] } });
  });

  it('needs no allowance when the spender is the owner account', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    expect(await w.transferFrom(alice, { from: acct(alice), to: acct(carol), amount: 5n })).toEqual({ Ok: 1n });
    expect(w.balance(carol)).toBe(5n);
  });
});

describe('get_allowances and remove_approval', () => {
  it('lists live allowances by spender, after prev_spender_id, up to take', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    const expiring = w.next() + 5n * SEC;
    await w.approve(alice, { spender: acct(bob), amount: 1n });
    await w.approve(alice, { spender: acct(carol), amount: 2n, expires_at: [expiring] });
    await w.approve(alice, { spender: acct(dave), amount: 3n });
    // Mainnet orders by the 28-byte hash (the id without its checksum).
    const spenders = [bob, carol, dave].map((p) => aid(p)).sort((a, b) => a.slice(8).localeCompare(b.slice(8)));
    const list = (prev?: string, take?: bigint) =>
      w.query<Allowances>('get_allowances', [{ from_account_id: aid(alice), prev_spender_id: prev ? [prev] : [], take: take ? [take] : [] }]);
    const all = list();
    expect(all.map((a) => a.to_spender_id)).toEqual(spenders);
    expect(all.every((a) => a.from_account_id === aid(alice))).toBe(true);
    expect(all.find((a) => a.to_spender_id === aid(carol))).toEqual({
      from_account_id: aid(alice),
      to_spender_id: aid(carol),
      allowance: { e8s: 2n },
      expires_at: [expiring],
    });
    expect(list(spenders[0]).map((a) => a.to_spender_id)).toEqual(spenders.slice(1));
    expect(list(undefined, 1n).map((a) => a.to_spender_id)).toEqual(spenders.slice(0, 1));
    await w.rt.advanceTime(6);
    expect(list().map((a) => a.to_spender_id)).toEqual(spenders.filter((s) => s !== aid(carol)));
    await expectTrap(() => list('xyz'), /invalid account identifier/);
  });

  it('remove_approval approves zero for an account identifier spender, paying the fee', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    await w.approve(alice, { spender: acct(bob), amount: 1_000n });
    const remove = (spender: Uint8Array, fee: [] | [bigint] = [], from = alice) =>
      w.call<ApproveResult>('remove_approval', [{ from_subaccount: [], spender, fee }], from);
    expect(await remove(aidBytes(bob), [1n])).toEqual({ Err: { BadFee: { expected_fee: FEE } } });
    expect(await remove(aidBytes(bob))).toEqual({ Ok: 2n });
    expect(w.allowance(alice, bob).allowance).toBe(0n);
    expect(w.balance(alice)).toBe(ICP - 2n * FEE);
    expect(op(w.blocks().blocks[2])).toMatchObject({ Approve: { spender: aidBytes(bob), allowance: { e8s: 0n } } });
    await expectTrap(remove(new Uint8Array(32)), /Invalid account identifier/);
    await expectTrap(remove(aidBytes(alice)), 'self approval is not allowed');
    await expectTrap(remove(aidBytes(bob), [], anonymous), 'Caller cannot approve token transfers on the ledger.');
  });
});

// ---- Blocks -------------------------------------------------------------------------------------

describe('query_blocks and tip_of_chain', () => {
  it('traps for the tip of an empty chain', async () => {
    const w = await world();
    await expectTrap(() => w.query('tip_of_chain'), /no blocks/);
    expect(w.blocks()).toEqual({ chain_length: 0n, certificate: [], blocks: [], first_block_index: 0n, archived_blocks: [] });
    expect(w.ledger.certifiedData()).toEqual(new Uint8Array(32));
  });

  it('serves a hash chain: parent_hash is sha256 of the previous block (simulator encoding)', async () => {
    const w = await world();
    await w.mint(alice, ICP);
    await w.icrc1(alice, { to: acct(bob), amount: 5n, memo: [new Uint8Array([1, 2])] });
    await w.approve(alice, { spender: acct(bob), amount: 9n, expires_at: [w.next() + DAY] });
    await w.transferFrom(bob, { from: acct(alice), to: MINTING, amount: 0n }).catch(() => undefined);
    await w.transfer(alice, { to: aidBytes(carol), amount: { e8s: 3n } });
    const { blocks, chain_length, first_block_index } = w.blocks();
    expect(chain_length).toBe(4n);
    expect(first_block_index).toBe(0n);
    expect(blocks[0].parent_hash).toEqual([]);
    let parent: Uint8Array | undefined;
    const stored = w.ledger.blocks();
    for (let i = 0; i < stored.length; i++) {
      if (parent) expect(blocks[i].parent_hash).toEqual([parent]);
      parent = sha256(encodeBlock(stored[i], parent));
    }
    expect(w.ledger.certifiedData()).toEqual(parent);
    expect(w.query<TipOfChainRes>('tip_of_chain')).toEqual({ certification: [], tip_index: 3n });
  });

  it('returns at most 2000 blocks per call, from first_block_index', async () => {
    const w = await world();
    await Promise.all(Array.from({ length: 2100 }, (_, i) => w.mint(alice, BigInt(i + 1))));
    const first = w.blocks(0n, 5000n);
    expect(first.chain_length).toBe(2100n);
    expect(first.blocks.length).toBe(2000);
    const rest = w.blocks(2000n, 5000n);
    expect(rest.first_block_index).toBe(2000n);
    expect(rest.blocks.map((b) => (op(b) as { Mint: { amount: Tokens } }).Mint.amount.e8s)).toEqual(
      Array.from({ length: 100 }, (_, i) => BigInt(2001 + i)),
    );
    expect(w.blocks(1999n, 2n).blocks.length).toBe(2);
    const beyond = w.blocks(5000n, 10n);
    expect(beyond.blocks).toEqual([]);
    expect(beyond.chain_length).toBe(2100n);
  });
});

// ---- Snapshots ----------------------------------------------------------------------------------

describe('snapshot and restore', () => {
  it('round-trips the whole state through the runtime codec', async () => {
    const w = await world();
    await w.mint(alice, 10n * ICP);
    await w.icrc1(alice, { to: acct(bob, SUB1), amount: ICP, memo: [new Uint8Array([9, 9])], created_at_time: [w.next()] });
    const dedupAt = w.next();
    await w.transfer(alice, { to: aidBytes(carol), amount: { e8s: 7n }, created_at_time: [{ timestamp_nanos: dedupAt }] });
    await w.approve(alice, { spender: acct(bob), amount: 5n * ICP, expires_at: [w.next() + DAY], expected_allowance: [0n] });
    await w.transferFrom(bob, { from: acct(alice), to: MINTING, amount: ICP });
    await w.approve(alice, { spender: acct(dave), amount: 3n });

    const text = encodeData(w.ledger.snapshot());
    const restored = new IcpLedger();
    restored.restore(decodeData(text));
    expect(encodeData(restored.snapshot())).toBe(text);
    expect(restored.blocks()).toEqual(w.ledger.blocks());
    expect(restored.certifiedData()).toEqual(w.ledger.certifiedData());

    // The restored ledger answers as the original did, dedup window included.
    const r = await world(undefined, restored, w.rt.time);
    expect(r.balance(alice)).toBe(w.balance(alice));
    expect(r.balance(bob, SUB1)).toBe(ICP);
    expect(r.supply()).toBe(w.supply());
    expect(r.allowance(alice, bob)).toEqual(w.allowance(alice, bob));
    expect(r.blocks()).toEqual(w.blocks());
    expect(await r.transfer(alice, { to: aidBytes(carol), amount: { e8s: 7n }, created_at_time: [{ timestamp_nanos: dedupAt }] })).toEqual({
      Err: { TxDuplicate: { duplicate_of: 2n } },
    });
  });

  it('refuses a snapshot it did not make', () => {
    expect(() => new IcpLedger().restore({ version: 9 })).toThrow(/unsupported snapshot/);
  });
});

// ---- Invariants ---------------------------------------------------------------------------------

describe('supply invariant', () => {
  it('keeps sum(balances) = total supply = minted - burned - fees over a mixed history', async () => {
    const w = await world();
    const people = [alice, bob, carol, dave];
    const accounts = people.flatMap((p) => [acct(p), acct(p, SUB1)]);
    for (const p of people) await w.mint(p, 50n * ICP);
    let seed = 12345;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const pick = <T>(xs: T[]) => xs[rand(xs.length)];
    for (let i = 0; i < 300; i++) {
      const who = pick(people);
      const amount = BigInt(rand(3 * 100_000_000));
      switch (rand(6)) {
        case 0:
          await w.icrc1(who, { to: pick(accounts), amount, from_subaccount: rand(2) ? [SUB1] : [] });
          break;
        case 1:
          await w.transfer(who, { to: aidBytes(pick(people), rand(2) ? SUB1 : undefined), amount: { e8s: amount } });
          break;
        case 2: {
          const spender = pick(people.filter((p) => p !== who));
          await w.approve(who, { spender: acct(spender), amount: amount * 2n, expires_at: rand(3) ? [] : [w.next() + 30n * SEC] });
          break;
        }
        case 3:
          await w.transferFrom(who, { from: acct(pick(people)), to: pick([...accounts, MINTING]), amount });
          break;
        case 4:
          await w.icrc1(who, { to: MINTING, amount: amount / 10n });
          break;
        case 5:
          await w.icrc1(GOVERNANCE_ID, { to: pick(accounts), amount: amount / 100n });
          break;
      }
      if (rand(20) === 0) await w.rt.advanceTime(rand(60));
    }

    let minted = 0n;
    let burned = 0n;
    let fees = 0n;
    const replay = new Map<string, bigint>();
    const add = (id: Uint8Array, d: bigint) => replay.set(toHex(id), (replay.get(toHex(id)) ?? 0n) + d);
    const { blocks, chain_length } = w.blocks();
    expect(BigInt(blocks.length)).toBe(chain_length);
    for (const b of blocks) {
      const o = op(b);
      if ('Mint' in o) (minted += o.Mint.amount.e8s), add(o.Mint.to, o.Mint.amount.e8s);
      else if ('Burn' in o) (burned += o.Burn.amount.e8s), add(o.Burn.from, -o.Burn.amount.e8s);
      else if ('Transfer' in o) {
        fees += o.Transfer.fee.e8s;
        add(o.Transfer.from, -o.Transfer.amount.e8s - o.Transfer.fee.e8s);
        add(o.Transfer.to, o.Transfer.amount.e8s);
      } else {
        fees += o.Approve.fee.e8s;
        add(o.Approve.from, -o.Approve.fee.e8s);
      }
    }
    const balances = accounts.map((a) => w.query<bigint>('icrc1_balance_of', [a]));
    const sum = balances.reduce((s, b) => s + b, 0n);
    expect(sum).toBe(w.supply());
    expect(sum).toBe(minted - burned - fees);
    expect(burned).toBeGreaterThan(0n);
    for (const a of accounts) {
      expect(w.query<bigint>('icrc1_balance_of', [a])).toBe(replay.get(aid(a.owner, a.subaccount[0])) ?? 0n);
    }
  });
});
