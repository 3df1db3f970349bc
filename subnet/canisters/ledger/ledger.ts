// The ICP ledger (ryjl3-tyaaa-aaaaa-aaaba-cai) as a state machine: the endpoints of ledger.did with
// the behaviour of dfinity/ic rs/ledger_suite/icp/ledger (checks, their order, error variants and
// trap messages), over the state in state.ts. See shared/reference/nns-canisters.md.
import { Principal } from '@icp-sdk/core/principal';
import type {
  _SERVICE,
  Account,
  ApproveArgs,
  ApproveResult,
  GetAllowancesArgs,
  Icrc1TransferResult,
  QueryBlocksResponse,
  TransferArg,
  TransferArgs,
  TransferError,
  TransferFromArgs,
  TransferFromError,
  TransferFromResult,
  TransferResult,
  Value,
} from '../../candid/generated/ledger.did.ts';
import { candid } from '../../candid/index.ts';
import { reject, trap, type CallContext, type Canister, type CanisterInfo, type MethodDef } from '../canister.ts';
import { accountIdentifier, crc32, parseAccountIdentifierHex, toHex } from '../common/accounts.ts';
import { GOVERNANCE_ID, LEDGER_ID, ROOT_ID } from '../ids.ts';
import { toCandidBlock, type LedgerBlock, type LedgerOperation } from './blocks.ts';
import type { BlockList } from './chain.ts';
import { TRANSACTION_WINDOW_NS } from './dedup.ts';
import { accountIdHex } from './account-ids.ts';
import { moduleHashOf } from '../common/module.ts';
import { methodTable, type Handlers } from '../common/methods.ts';
import { LedgerState, U64_MAX, type CoreError, type LedgerSnapshot } from './state.ts';

export type { LedgerBlock, LedgerOperation } from './blocks.ts';

export const TRANSFER_FEE = 10_000n;
export const DECIMALS = 8;
export const TOKEN_SYMBOL = 'ICP';
export const TOKEN_NAME = 'Internet Computer';
const MEMO_SIZE_BYTES = 32;
const MAX_BLOCKS_PER_REQUEST = 2000n;
const MAX_TAKE_ALLOWANCES = 500n;

/**
 * The module hash the ledger reports: sha256 of this string. There is no Wasm; the string names the
 * simulation and the mainnet release whose behaviour it follows, and changes when that does.
 */
export const LEDGER_MODULE_VERSION = 'neuron-desk simulated ICP ledger v1 (dfinity/ic ledger-suite-icp, release-2026-04-02)';
const MODULE_HASH = moduleHashOf(LEDGER_MODULE_VERSION);

/** The minting account: governance's default account. */
export const MINTING_ACCOUNT = toHex(accountIdentifier(GOVERNANCE_ID));

const STANDARDS = [
  { name: 'ICRC-1', url: 'https://github.com/dfinity/ICRC-1/tree/main/standards/ICRC-1' },
  { name: 'ICRC-2', url: 'https://github.com/dfinity/ICRC-1/tree/main/standards/ICRC-2' },
  // Mainnet also lists ICRC-21; icrc21_canister_call_consent_message is not simulated, so it is not claimed here.
  { name: 'ICRC-10', url: 'https://github.com/dfinity/ICRC/blob/main/ICRCs/ICRC-10/ICRC-10.md' },
];

/** What the index (and other read-only consumers) may see of the ledger. */
export interface LedgerView {
  readonly id: Principal;
  /** Every block, oldest first, decoded (for tests and small chains). */
  blocks(): readonly LedgerBlock[];
  /** The blocks by index, decoded when read. Only ever appended to; blocks never change. */
  blockList(): BlockList;
  /** The simulator's encoding of a block, parent hash included (encoding.ts; not mainnet's protobuf). */
  encodedBlock(index: number): Uint8Array;
  /** The balance of an account identifier (hex). */
  balanceOf(accountHex: string): bigint;
}

export interface LedgerOptions {
  /** Mainnet's max_transactions_in_window (3_000_000); lower it to exercise throttling. */
  maxTransactionsInWindow?: number;
}

export interface MintArgs {
  /** Account identifier, hex. */
  to: string;
  e8s: bigint;
  memo?: bigint;
}

type Opt<T> = [] | [T];
type SendError = Exclude<TransferFromError, { GenericError: unknown }>;
type SendResult = { ok: bigint } | { err: SendError };

export class IcpLedger implements Canister, LedgerView {
  readonly id = LEDGER_ID;
  readonly name = 'ledger';
  readonly candid = candid.ledger;
  readonly methods: Record<string, MethodDef>;
  readonly admin = {
    mint: (ctx: CallContext, args: MintArgs) => this.adminMint(ctx, args),
    /**
     * {to, e8s}: one mint block per account, for large fixtures: `to` is the account identifiers
     * concatenated (32 bytes each), `e8s` the amounts as u64 big-endian (8 bytes each).
     */
    mint_many: (ctx: CallContext, args: { to: unknown; e8s: unknown }) => {
      const { to, e8s } = args ?? {};
      if (!(to instanceof Uint8Array) || !(e8s instanceof Uint8Array) || to.length % 32 !== 0 || e8s.length !== (to.length / 32) * 8)
        throw new Error('mint_many: to must be 32-byte account ids and e8s 8-byte amounts, as many of each');
      const amounts = new DataView(e8s.buffer, e8s.byteOffset, e8s.byteLength);
      let first: bigint | undefined;
      for (let i = 0; i < to.length / 32; i++) {
        const hex = toHex(to.subarray(i * 32, i * 32 + 32));
        const { block_index } = this.adminMint(ctx, { to: hex, e8s: amounts.getBigUint64(i * 8, false) });
        first ??= block_index;
      }
      return { first_block_index: first ?? null, count: to.length / 32 };
    },
  };
  private state: LedgerState;

  constructor(private readonly options: LedgerOptions = {}) {
    this.state = new LedgerState(options.maxTransactionsInWindow);
    this.methods = methodTable<_SERVICE>(candid.ledger.idlFactory, this.handlers());
  }

  info(): CanisterInfo {
    return { controllers: [ROOT_ID], moduleHash: MODULE_HASH };
  }

  /** As mainnet: the tip hash, or 32 zero bytes before the first block. */
  certifiedData(): Uint8Array {
    return this.state.chain.tipHash() ?? new Uint8Array(32);
  }

  /** Every block, decoded (tests, small chains); readers of large chains use blockList(). */
  blocks(): readonly LedgerBlock[] {
    return this.state.chain.all();
  }

  /** The blocks by index, decoded when read. */
  blockList(): BlockList {
    return this.state.chain;
  }

  encodedBlock(index: number): Uint8Array {
    return this.state.chain.encoded(index);
  }

  balanceOf(accountHex: string): bigint {
    return this.state.balance(accountHex.toLowerCase());
  }

  snapshot(): LedgerSnapshot {
    return this.state.snapshot();
  }

  restore(snapshot: unknown): void {
    const state = new LedgerState(this.options.maxTransactionsInWindow);
    state.restore(snapshot as LedgerSnapshot);
    this.state = state;
  }

  private handlers(): Handlers<_SERVICE> {
    const tokens = (e8s: bigint) => ({ e8s });
    return {
      transfer: (ctx, arg) => this.transfer(ctx, arg),
      send_dfx: (ctx, arg) => {
        const to = parseTextAccount(arg.to);
        const r = this.send(ctx, arg.memo, arg.amount.e8s, arg.fee.e8s, arg.from_subaccount, to, arg.created_at_time);
        if ('Err' in r) trap(describeTransferError(r.Err));
        return r.Ok;
      },
      account_balance: (_ctx, { account }) => {
        // Mainnet answers 0 for a blob that is not 32 bytes long, and traps on a bad checksum.
        if (account.length !== 32) return tokens(0n);
        return tokens(this.state.balance(parseBlobAccount(account)));
      },
      account_balance_dfx: (_ctx, { account }) => tokens(this.state.balance(parseTextAccount(account))),
      account_identifier: (_ctx, account) => accountIdentifier(account.owner, subaccountOf(account.subaccount)),
      transfer_fee: () => ({ transfer_fee: tokens(TRANSFER_FEE) }),
      symbol: () => ({ symbol: TOKEN_SYMBOL }),
      name: () => ({ name: TOKEN_NAME }),
      decimals: () => ({ decimals: DECIMALS }),
      archives: () => ({ archives: [] }),
      tip_of_chain: (ctx) => {
        const length = this.state.chain.length;
        if (length === 0) trap('the ledger has no blocks yet');
        return { certification: optional(ctx.dataCertificate()), tip_index: BigInt(length - 1) };
      },
      query_blocks: (ctx, args) => this.queryBlocks(ctx, args.start, args.length),
      query_encoded_blocks: () => notSimulated('query_encoded_blocks'),
      is_ledger_ready: () => true,

      icrc1_name: () => TOKEN_NAME,
      icrc1_symbol: () => TOKEN_SYMBOL,
      icrc1_decimals: () => DECIMALS,
      icrc1_fee: () => TRANSFER_FEE,
      icrc1_metadata: (): [string, Value][] => [
        ['icrc1:decimals', { Nat: BigInt(DECIMALS) }],
        ['icrc1:name', { Text: TOKEN_NAME }],
        ['icrc1:symbol', { Text: TOKEN_SYMBOL }],
        ['icrc1:fee', { Nat: TRANSFER_FEE }],
      ],
      icrc1_total_supply: () => this.state.totalSupply,
      icrc1_minting_account: () => [{ owner: GOVERNANCE_ID, subaccount: [] }],
      icrc1_balance_of: (_ctx, account) => this.state.balance(accountOf(account)),
      icrc1_supported_standards: () => STANDARDS,
      icrc10_supported_standards: () => STANDARDS,
      icrc1_transfer: (ctx, arg) => this.icrc1Transfer(ctx, arg),

      icrc2_approve: (ctx, arg) => this.approve(ctx, arg, undefined),
      icrc2_allowance: (ctx, { account, spender }) => {
        const a = this.state.allowances.allowance(accountOf(account), accountOf(spender), ctx.time);
        return { allowance: a.amount, expires_at: optional(a.expiresAt) };
      },
      icrc2_transfer_from: (ctx, arg) => this.icrc2TransferFrom(ctx, arg),
      remove_approval: (ctx, arg) => {
        const spender = parseBlobAccount(arg.spender);
        return this.approve(ctx, {
          from_subaccount: arg.from_subaccount,
          // Mainnet passes the anonymous principal here, so the owner-based self check never fires.
          spender: { owner: Principal.anonymous(), subaccount: [] },
          amount: 0n,
          expected_allowance: [],
          expires_at: [],
          fee: arg.fee,
          memo: [],
          created_at_time: [],
        }, spender);
      },
      get_allowances: (ctx, arg) => this.getAllowances(ctx, arg),
      icrc21_canister_call_consent_message: () => notSimulated('icrc21_canister_call_consent_message'),
    };
  }

  // ---- Legacy transfers -----------------------------------------------------------------------

  private transfer(ctx: CallContext, arg: TransferArgs): TransferResult {
    const to = parseBlobAccount(arg.to);
    return this.send(ctx, arg.memo, arg.amount.e8s, arg.fee.e8s, arg.from_subaccount, to, arg.created_at_time);
  }

  /** Mainnet's `send`: the legacy path behind transfer and send_dfx. */
  private send(
    ctx: CallContext,
    memo: bigint,
    amount: bigint,
    fee: bigint,
    fromSubaccount: Opt<Uint8Array>,
    to: string,
    createdAt: Opt<{ timestamp_nanos: bigint }>,
  ): TransferResult {
    if (ctx.caller.isAnonymous()) trap(`Sending from ${ctx.caller.toText()} is not allowed`);
    const from = accountIdHex(ctx.caller, subaccountOf(fromSubaccount));
    let op: LedgerOperation;
    if (from === MINTING_ACCOUNT) {
      if (fee !== 0n) trap('Fee for minting should be zero');
      if (to === MINTING_ACCOUNT) trap('It is illegal to mint to a minting_account');
      op = { kind: 'mint', to, amount };
    } else if (to === MINTING_ACCOUNT) {
      if (fee !== 0n) trap('Fee for burning should be zero');
      const min = minBurn(this.state.balance(from));
      if (amount < min) trap(`Burns lower than ${formatTokens(min)} are not allowed`);
      op = { kind: 'burn', from, amount };
    } else {
      if (fee !== TRANSFER_FEE) return { Err: { BadFee: { expected_fee: { e8s: TRANSFER_FEE } } } };
      op = { kind: 'transfer', from, to, amount, fee };
    }
    // Legacy transfers always carry a created_at_time (now when absent), so dedup always applies.
    const r = this.state.apply(op, { memo, createdAt: createdAt[0]?.timestamp_nanos ?? ctx.time }, ctx.time);
    if ('ok' in r) return { Ok: r.ok };
    const e = r.err;
    switch (e.kind) {
      case 'InsufficientFunds':
        return { Err: { InsufficientFunds: { balance: { e8s: e.balance } } } };
      case 'TooOld':
        return { Err: { TxTooOld: { allowed_window_nanos: TRANSACTION_WINDOW_NS } } };
      case 'CreatedInFuture':
        return { Err: { TxCreatedInFuture: null } };
      case 'Duplicate':
        return { Err: { TxDuplicate: { duplicate_of: e.duplicateOf } } };
      case 'Throttled':
        return trap('Too many transactions in replay prevention window, ledger is throttling, please retry later');
      default:
        return trap(`bug: unexpected ${e.kind} in a legacy transfer`);
    }
  }

  // ---- ICRC-1 / ICRC-2 ------------------------------------------------------------------------

  private icrc1Transfer(ctx: CallContext, arg: TransferArg): Icrc1TransferResult {
    if (ctx.caller.isAnonymous()) trap('Caller cannot hold tokens on the ledger.');
    const from = accountIdHex(ctx.caller, subaccountOf(arg.from_subaccount));
    const r = this.icrc1Send(ctx, arg.memo, arg.amount, arg.fee, from, accountOf(arg.to), undefined, arg.created_at_time);
    if ('ok' in r) return { Ok: r.ok };
    if ('InsufficientAllowance' in r.err) trap('bug: InsufficientAllowance without a spender');
    return { Err: r.err };
  }

  private icrc2TransferFrom(ctx: CallContext, arg: TransferFromArgs): TransferFromResult {
    if (ctx.caller.isAnonymous()) trap('Caller cannot hold tokens on the ledger.');
    const spender = accountIdHex(ctx.caller, subaccountOf(arg.spender_subaccount));
    const r = this.icrc1Send(ctx, arg.memo, arg.amount, arg.fee, accountOf(arg.from), accountOf(arg.to), spender, arg.created_at_time);
    return 'ok' in r ? { Ok: r.ok } : { Err: r.err };
  }

  /** Mainnet's icrc1_send: the ICRC path behind icrc1_transfer and icrc2_transfer_from. */
  private icrc1Send(
    ctx: CallContext,
    memo: Opt<Uint8Array>,
    amount: bigint,
    fee: Opt<bigint>,
    from: string,
    to: string,
    spender: string | undefined,
    createdAt: Opt<bigint>,
  ): SendResult {
    if (memo[0] && memo[0].length > MEMO_SIZE_BYTES) trap('the memo field is too large');
    // No one can hold more than u64::MAX e8s.
    if (amount > U64_MAX) return { err: { InsufficientFunds: { balance: this.state.balance(from) } } };
    const feeGiven = fee[0];
    let op: LedgerOperation;
    if (to === MINTING_ACCOUNT) {
      if (feeGiven !== undefined && feeGiven !== 0n) return { err: { BadFee: { expected_fee: 0n } } };
      const min = minBurn(this.state.balance(from));
      if (amount < min) return { err: { BadBurn: { min_burn_amount: min } } };
      if (amount === 0n) return { err: { BadBurn: { min_burn_amount: TRANSFER_FEE } } };
      op = { kind: 'burn', from, amount, spender };
    } else if (from === MINTING_ACCOUNT) {
      if (spender !== undefined) trap('the minter account cannot delegate mints');
      if (feeGiven !== undefined && feeGiven !== 0n) return { err: { BadFee: { expected_fee: 0n } } };
      op = { kind: 'mint', to, amount };
    } else {
      if (feeGiven !== undefined && feeGiven !== TRANSFER_FEE) return { err: { BadFee: { expected_fee: TRANSFER_FEE } } };
      op = { kind: 'transfer', from, to, amount, fee: TRANSFER_FEE, spender };
    }
    const r = this.state.apply(op, { memo: 0n, icrc1Memo: memo[0], createdAt: createdAt[0] }, ctx.time);
    if ('ok' in r) return r;
    const e = r.err;
    switch (e.kind) {
      case 'InsufficientFunds':
        return { err: { InsufficientFunds: { balance: e.balance } } };
      case 'InsufficientAllowance':
        return { err: { InsufficientAllowance: { allowance: e.allowance } } };
      case 'TooOld':
      case 'CreatedInFuture':
      case 'Duplicate':
      case 'Throttled':
        return { err: windowError(e) };
      default:
        return trap(`bug: unexpected ${e.kind} in a transfer`);
    }
  }

  /** Mainnet's icrc2_approve_not_async; remove_approval passes the spender account id directly. */
  private approve(ctx: CallContext, arg: ApproveArgs, spenderOverride: string | undefined): ApproveResult {
    if (ctx.caller.isAnonymous()) trap('Caller cannot approve token transfers on the ledger.');
    const now = ctx.time;
    const from = accountIdHex(ctx.caller, subaccountOf(arg.from_subaccount));
    if (ctx.caller.compareTo(arg.spender.owner) === 'eq') trap('self approval is not allowed');
    const spender = spenderOverride ?? accountOf(arg.spender);
    if (from === MINTING_ACCOUNT) trap('the minting account cannot delegate mints');
    const memo = arg.memo[0];
    if (memo && memo.length > MEMO_SIZE_BYTES) trap('the memo field is too large');
    const allowance = arg.amount > U64_MAX ? U64_MAX : arg.amount;
    const expected = arg.expected_allowance[0];
    if (expected !== undefined && expected > U64_MAX) {
      const current = this.state.allowances.allowance(from, spender, now).amount;
      return { Err: { AllowanceChanged: { current_allowance: current } } };
    }
    const fee = arg.fee[0];
    if (fee !== undefined && fee !== TRANSFER_FEE) return { Err: { BadFee: { expected_fee: TRANSFER_FEE } } };

    const r = this.state.apply(
      { kind: 'approve', from, spender, allowance, fee: TRANSFER_FEE, expectedAllowance: expected, expiresAt: arg.expires_at[0] },
      { memo: 0n, icrc1Memo: memo, createdAt: arg.created_at_time[0] },
      now,
    );
    if ('ok' in r) return { Ok: r.ok };
    const e = r.err;
    switch (e.kind) {
      case 'InsufficientFunds':
        return { Err: { InsufficientFunds: { balance: e.balance } } };
      case 'AllowanceChanged':
        return { Err: { AllowanceChanged: { current_allowance: e.current } } };
      case 'Expired':
        return { Err: { Expired: { ledger_time: e.ledgerTime } } };
      case 'SelfApproval':
        return trap('self approval is not allowed');
      case 'TooOld':
      case 'CreatedInFuture':
      case 'Duplicate':
      case 'Throttled':
        return { Err: windowError(e) };
      default:
        return trap(`bug: unexpected ${e.kind} in an approval`);
    }
  }

  private getAllowances(ctx: CallContext, arg: GetAllowancesArgs) {
    const from = parseTextAccount(arg.from_account_id);
    const after = arg.prev_spender_id[0] === undefined ? undefined : parseTextAccount(arg.prev_spender_id[0]);
    const take = arg.take[0] === undefined || arg.take[0] > MAX_TAKE_ALLOWANCES ? MAX_TAKE_ALLOWANCES : arg.take[0];
    return this.state.allowances.list(from, after, Number(take), ctx.time).map(([spender, a]) => ({
      from_account_id: from,
      to_spender_id: spender,
      allowance: { e8s: a.amount },
      expires_at: optional(a.expiresAt),
    }));
  }

  // ---- Blocks ---------------------------------------------------------------------------------

  private queryBlocks(ctx: CallContext, start: bigint, length: bigint): QueryBlocksResponse {
    const chain = this.state.chain;
    const chainLength = BigInt(chain.length);
    const from = start < chainLength ? start : chainLength;
    const wanted = length < MAX_BLOCKS_PER_REQUEST ? length : MAX_BLOCKS_PER_REQUEST;
    const end = from + wanted < chainLength ? from + wanted : chainLength;
    const blocks = [];
    for (let i = Number(from); i < Number(end); i++) blocks.push(this.candidBlock(i));
    return {
      chain_length: chainLength,
      certificate: optional(ctx.dataCertificate()),
      blocks,
      first_block_index: from,
      archived_blocks: [],
    };
  }

  private candidBlock(index: number) {
    return toCandidBlock(this.state.chain.get(index), this.state.chain.parentHash(index));
  }

  // ---- Admin ----------------------------------------------------------------------------------

  /** Mints to an account identifier (genesis, faucets). No created_at_time, hence no dedup. */
  private adminMint(ctx: CallContext, args: MintArgs): { block_index: bigint } {
    if (typeof args?.e8s !== 'bigint' || args.e8s < 0n) throw new Error('mint: e8s must be a non-negative bigint');
    const memo = args.memo ?? 0n;
    if (typeof memo !== 'bigint' || memo < 0n || memo > U64_MAX) throw new Error('mint: memo must be a u64 bigint');
    const to = toHex(parseAccountIdentifierHex(String(args.to)));
    if (to === MINTING_ACCOUNT) throw new Error('mint: cannot mint to the minting account');
    const r = this.state.apply({ kind: 'mint', to, amount: args.e8s }, { memo }, ctx.time);
    if ('err' in r) throw new Error(`mint failed: ${r.err.kind}`);
    return { block_index: r.ok };
  }
}

// ---- Helpers ------------------------------------------------------------------------------------

function optional<T>(value: T | undefined): Opt<T> {
  return value === undefined ? [] : [value];
}

function notSimulated(method: string): never {
  return reject(`${method} is not available on the simulated subnet`);
}

/** Mainnet: a burn must be at least the fee, or the whole balance when that is smaller. */
function minBurn(balance: bigint): bigint {
  return balance < TRANSFER_FEE ? balance : TRANSFER_FEE;
}

function windowError(e: Extract<CoreError, { kind: 'TooOld' | 'CreatedInFuture' | 'Duplicate' | 'Throttled' }>) {
  switch (e.kind) {
    case 'TooOld':
      return { TooOld: null };
    case 'CreatedInFuture':
      return { CreatedInFuture: { ledger_time: e.ledgerTime } };
    case 'Duplicate':
      return { Duplicate: { duplicate_of: e.duplicateOf } };
    case 'Throttled':
      return { TemporarilyUnavailable: null };
  }
}

/** ICRC subaccounts are exactly 32 bytes (mainnet fails to decode anything else). */
function subaccountOf(sub: Opt<Uint8Array>): Uint8Array | undefined {
  const s = sub[0];
  if (s !== undefined && s.length !== 32) trap(`invalid subaccount: expected 32 bytes, got ${s.length}`);
  return s;
}

function accountOf(account: Account): string {
  return accountIdHex(account.owner, subaccountOf(account.subaccount));
}

/** A 32-byte account identifier blob with a valid checksum, else the mainnet trap. */
function parseBlobAccount(blob: Uint8Array): string {
  if (blob.length !== 32) trap(`Invalid account identifier: expected 32 bytes, got ${blob.length}`);
  const hex = toHex(blob);
  const expected = crc32(blob.subarray(4)).toString(16).padStart(8, '0');
  if (hex.slice(0, 8) !== expected) {
    trap(`Invalid account identifier: Checksum failed for ${hex}, expected check bytes ${expected} but found ${hex.slice(0, 8)}`);
  }
  return hex;
}

/** A textual account identifier; mainnet fails to decode a bad one, which is a trap. */
function parseTextAccount(text: string): string {
  try {
    return toHex(parseAccountIdentifierHex(text));
  } catch (e) {
    return trap(`failed to decode call arguments: ${(e as Error).message}`);
  }
}

function formatTokens(e8s: bigint): string {
  return `${e8s / 100_000_000n}.${(e8s % 100_000_000n).toString().padStart(8, '0')}`;
}

/** icp_ledger::TransferError's Display (what send_dfx traps with). */
function describeTransferError(e: TransferError): string {
  if ('BadFee' in e) return `transfer fee should be ${formatTokens(e.BadFee.expected_fee.e8s)}`;
  if ('InsufficientFunds' in e) {
    return `the debit account doesn't have enough funds to complete the transaction, current balance: ${formatTokens(e.InsufficientFunds.balance.e8s)}`;
  }
  if ('TxTooOld' in e) return `transaction is older than ${e.TxTooOld.allowed_window_nanos / 1_000_000_000n} seconds`;
  if ('TxCreatedInFuture' in e) return "transaction's created_at_time is in future";
  return `transaction is a duplicate of another transaction in block ${e.TxDuplicate.duplicate_of}`;
}
