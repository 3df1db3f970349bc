// The CMC's side of an ICP payment: reading the block from the ledger, checking it, refunding and
// burning. Behaviour and messages follow dfinity/ic rs/nns/cmc (fetch_transaction, refund_icp,
// burn_and_log); the ledger is reached only through its Candid interface.
import type { Principal } from '@icp-sdk/core/principal';
import type { CmcTypes, LedgerTypes } from '../../candid/index.ts';
import { Reject, RejectCode, type CallContext } from '../canister.ts';
import { accountIdentifier, bytesEqual, principalToSubaccount, toHex } from '../common/accounts.ts';
import { GOVERNANCE_ID, LEDGER_ID } from '../ids.ts';

export type NotifyError = CmcTypes.NotifyError;

export const MEMO_CREATE_CANISTER = 0x41455243n; // 'CREA'
export const MEMO_TOP_UP_CANISTER = 0x50555054n; // 'TPUP'
export const MEMO_MINT_CYCLES = 0x544e494dn; // 'MINT'
const MEANINGFUL_MEMOS = [MEMO_CREATE_CANISTER, MEMO_TOP_UP_CANISTER, MEMO_MINT_CYCLES];

export const TRANSFER_FEE = 10_000n;
/** Burned on top of the transfer fee when an operation fails after payment. */
export const CREATE_CANISTER_REFUND_FEE = 4n * TRANSFER_FEE;
export const TOP_UP_CANISTER_REFUND_FEE = 2n * TRANSFER_FEE;
export const MINT_CYCLES_REFUND_FEE = 2n * TRANSFER_FEE;

/** NotifyError Other codes (cycles_minting_canister::NotifyErrorCode). */
export const ErrorCode = {
  Internal: 1n,
  FailedToFetchBlock: 2n,
  RefundFailed: 3n,
  BadSubnetSelection: 4n,
  Unauthorized: 5n,
  DepositMemoTooLong: 6n,
} as const;

/** A NotifyError raised inside a notification; the flow turns it into the Err reply. */
export class NotifyFailure extends Error {
  constructor(readonly error: NotifyError) {
    super(JSON.stringify(error, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
  }
}

export const other = (code: bigint, message: string) =>
  new NotifyFailure({ Other: { error_code: code, error_message: message } });
export const invalid = (message: string) => new NotifyFailure({ InvalidTransaction: message });

/** A transfer to one of the CMC's subaccounts, as found in the ledger. */
export interface Payment {
  from: Uint8Array;
  to: Uint8Array;
  amount: bigint;
  memo: bigint;
}

/** The memo field if non-zero, else an 8-byte little-endian icrc1_memo, else 0 (get_u64_memo). */
export function u64Memo(tx: LedgerTypes.Transaction): bigint {
  if (tx.memo !== 0n) return tx.memo;
  const [icrc1] = tx.icrc1_memo;
  if (!icrc1 || icrc1.length !== 8) return 0n;
  return new DataView(icrc1.buffer, icrc1.byteOffset, 8).getBigUint64(0, true);
}

function memoIntent(memo: bigint): string {
  if (memo === MEMO_CREATE_CANISTER) return 'CreateCanister';
  if (memo === MEMO_TOP_UP_CANISTER) return 'TopUp';
  if (memo === MEMO_MINT_CYCLES) return 'MintCycles';
  return `unrecognized: Memo(${memo})`;
}

export function isMeaningfulMemo(memo: bigint): boolean {
  return MEANINGFUL_MEMOS.includes(memo);
}

export function memoMismatch(observed: bigint, expected: bigint): NotifyFailure {
  const show = (m: bigint) => `${memoIntent(m)} (${m})`;
  return invalid(`The memo (${show(observed)}) in the transaction does not match the expected memo (${show(expected)}) for the operation.`);
}

/** Rust's `{:#08X}`: 0x prefix, upper-case digits, zero-padded to 8 characters in all. */
export function refundReason(memo: bigint): string {
  const hex = memo.toString(16).toUpperCase().padStart(6, '0');
  return `Memo (0x${hex}) in the incoming ICP transfer does not correspond to any of the operations that the Cycles Minting canister offers.`;
}

/** The CMC account that `target` pays into: CMC + subaccount of the target principal. */
export function paymentAccount(cmc: Principal, target: Principal): { subaccount: Uint8Array; account: Uint8Array } {
  const subaccount = principalToSubaccount(target);
  return { subaccount, account: accountIdentifier(cmc, subaccount) };
}

function describeError(e: unknown): { code: number; message: string } {
  if (e instanceof Reject) return { code: e.code, message: e.message };
  return { code: RejectCode.SysUnknown, message: e instanceof Error ? e.message : String(e) };
}

export function rejectText(e: unknown): string {
  const { code, message } = describeError(e);
  return `code ${code}: ${JSON.stringify(message)}`;
}

/** Reads block `index` from the ledger (or its archive) and checks it is a transfer to `expectedTo`. */
export async function fetchPayment(
  ctx: CallContext,
  index: bigint,
  expectedTo: Uint8Array,
  expectedSubaccount: Uint8Array,
): Promise<Payment> {
  const tx = await fetchTransaction(ctx, index);
  const [op] = tx.operation;
  if (!op || !('Transfer' in op)) throw invalid('Notification transaction must be of type Transfer');
  const { from, to, amount } = op.Transfer;
  if (!bytesEqual(to, expectedTo)) {
    throw invalid(`Destination account in the block (${toHex(to)}) different than in the notification (${toHex(expectedSubaccount)})`);
  }
  return { from, to, amount: amount.e8s, memo: u64Memo(tx) };
}

async function fetchTransaction(ctx: CallContext, index: bigint): Promise<LedgerTypes.Transaction> {
  const failed = (e: unknown, where = '') => other(ErrorCode.FailedToFetchBlock, `Failed to fetch block${where}: ${describeError(e).message}`);
  let res: LedgerTypes.QueryBlocksResponse;
  try {
    res = await ctx.call<LedgerTypes.QueryBlocksResponse>(LEDGER_ID, 'query_blocks', [{ start: index, length: 1n }]);
  } catch (e) {
    throw failed(e);
  }
  const offset = index - res.first_block_index;
  if (offset >= 0n && offset < BigInt(res.blocks.length)) return res.blocks[Number(offset)].transaction;

  const range = res.archived_blocks.find((r) => r.start <= index && index < r.start + r.length);
  if (!range) throw invalid(`Block ${index} not found`);
  const [archive, method] = range.callback;
  let archived: LedgerTypes.QueryArchiveResult;
  try {
    archived = await ctx.call<LedgerTypes.QueryArchiveResult>(archive, method, [{ start: index, length: 1n }]);
  } catch (e) {
    throw failed(e, ` from ${archive.toText()}`);
  }
  if ('Err' in archived || archived.Ok.blocks.length === 0) {
    throw other(ErrorCode.FailedToFetchBlock, `Block ${index} not found in archive ${archive.toText()}`);
  }
  return archived.Ok.blocks[0].transaction;
}

type TransferResult = LedgerTypes.TransferResult;

function transferArgs(fromSubaccount: Uint8Array, to: Uint8Array, amount: bigint, fee: bigint): LedgerTypes.TransferArgs {
  return {
    to,
    fee: { e8s: fee },
    memo: 0n,
    from_subaccount: [fromSubaccount],
    created_at_time: [],
    amount: { e8s: amount },
  };
}

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? toHex(x) : x));

/**
 * Sends the payment back minus the transfer fee and `extraFee` (which is burned). Returns the
 * refund's block index ([] when nothing was left to refund). Throws RefundFailed.
 */
export async function refundIcp(
  ctx: CallContext,
  fromSubaccount: Uint8Array,
  to: Uint8Array,
  amount: bigint,
  extraFee: bigint,
): Promise<[] | [bigint]> {
  let burned = amount;
  let refunded = 0n;
  const toRefund = amount - TRANSFER_FEE - extraFee;
  if (toRefund > 0n) {
    burned = extraFee;
    refunded = toRefund;
  }
  let block: [] | [bigint] = [];
  if (refunded > 0n) {
    const failed = (detail: string) => other(ErrorCode.RefundFailed, `Refund to ${toHex(to)} failed with ${detail}`);
    let res: TransferResult;
    try {
      res = await ctx.call<TransferResult>(LEDGER_ID, 'transfer', [transferArgs(fromSubaccount, to, refunded, TRANSFER_FEE)]);
    } catch (e) {
      throw failed(rejectText(e));
    }
    if ('Err' in res) throw failed(`code ${RejectCode.CanisterError}: ${json(res.Err)}`);
    block = [res.Ok];
  }
  if (burned > 0n) await burn(ctx, fromSubaccount, burned);
  return block;
}

/** The minting account: governance's default account. A transfer to it is a burn (fee 0). */
export const MINTING_ACCOUNT = accountIdentifier(GOVERNANCE_ID);

/**
 * Burns ICP held in a CMC subaccount. Never fails the notification: as in the real CMC, a failed
 * burn is only logged (there is no log here), so the notification cannot be retried to mint twice.
 */
export async function burn(ctx: CallContext, fromSubaccount: Uint8Array, amount: bigint): Promise<void> {
  if (amount < TRANSFER_FEE) return;
  try {
    await ctx.call<TransferResult>(LEDGER_ID, 'transfer', [transferArgs(fromSubaccount, MINTING_ACCOUNT, amount, 0n)]);
  } catch {
    // Left in the subaccount, as on mainnet when burning fails.
  }
}
