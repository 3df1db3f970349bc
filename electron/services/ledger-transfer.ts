// One ICP transfer, planned at review time and run (or run again) at confirm time. The plan holds
// everything the ledger deduplicates on (amount, fee, memo, destination, created_at_time), so
// running it twice pays once: the second run gets TxDuplicate and takes the first run's block.
import { Principal } from '@icp-sdk/core/principal';
import { AccountIdentifier, TxDuplicateError } from '@icp-sdk/canisters/ledger/icp';
import { formatIcp, parseIcp } from '../api/amounts.ts';
import { DeskError, invalidInput } from '../api/errors.ts';
import type { ReviewCall } from '../api/review.ts';
import type { Connection } from '../network/agents.ts';
import { CANISTER_IDS } from '../network/networks.ts';
import { fromHex, toHex } from './ledger-accounts.ts';

const U64_LIMIT = 2n ** 64n;

interface PlanCommon {
  fromSubaccount?: Uint8Array;
  amountE8s: bigint;
  feeE8s: bigint;
  createdAtNs: bigint;
}

export type TransferPlan = PlanCommon &
  (
    | { method: 'transfer'; /** account id hex */ to: string; memo: bigint }
    | { method: 'icrc1_transfer'; to: { owner: string; subaccountHex?: string }; icrc1Memo?: Uint8Array }
  );

/** Runs the transfer; a duplicate of an earlier run of the same plan counts as that run's success. */
export async function runTransfer(conn: Connection, plan: TransferPlan): Promise<bigint> {
  try {
    if (plan.method === 'transfer') {
      return await conn.ledger.transfer({
        to: AccountIdentifier.fromHex(plan.to),
        amount: plan.amountE8s,
        fee: plan.feeE8s,
        memo: plan.memo,
        fromSubAccount: plan.fromSubaccount ? Array.from(plan.fromSubaccount) : undefined,
        createdAt: plan.createdAtNs,
      });
    }
    return await conn.ledger.icrc1Transfer({
      to: { owner: Principal.fromText(plan.to.owner), subaccount: plan.to.subaccountHex ? [fromHex(plan.to.subaccountHex)] : [] },
      amount: plan.amountE8s,
      fee: plan.feeE8s,
      icrc1Memo: plan.icrc1Memo,
      fromSubAccount: plan.fromSubaccount,
      createdAt: plan.createdAtNs,
    });
  } catch (e) {
    if (e instanceof TxDuplicateError) return e.duplicateOf;
    throw e;
  }
}

/** The transfer as the review shows it: the call's arguments, decoded. */
export function transferCall(plan: TransferPlan): ReviewCall {
  const common = {
    amount: { e8s: plan.amountE8s },
    fee: { e8s: plan.feeE8s },
    from_subaccount: plan.fromSubaccount ? toHex(plan.fromSubaccount) : null,
    created_at_time: { timestamp_nanos: plan.createdAtNs },
  };
  const args =
    plan.method === 'transfer'
      ? { to: plan.to, ...common, memo: plan.memo }
      : { to: { owner: plan.to.owner, subaccount: plan.to.subaccountHex ?? null }, ...common, memo: plan.icrc1Memo ? toHex(plan.icrc1Memo) : null };
  return { canisterId: CANISTER_IDS.ledger, canisterName: 'ICP ledger', method: plan.method, args };
}

/** The ledger's transfer fee (asked each time: a fee that changed is refused by the ledger anyway). */
export function ledgerFee(conn: Connection): Promise<bigint> {
  return conn.ledger.transactionFee({ certified: false });
}

/** An amount the user typed ("1.25") or gave in e8s: exact, at most 8 decimals, more than zero. */
export function parseAmountE8s(amount: string | bigint): bigint {
  if (typeof amount === 'bigint') {
    if (amount <= 0n) throw invalidInput('The amount must be more than zero.');
    if (amount >= U64_LIMIT) throw invalidInput('The amount is too large.');
    return amount;
  }
  if (typeof amount !== 'string') throw invalidInput('Enter an amount.');
  try {
    return parseIcp(amount);
  } catch (e) {
    throw invalidInput((e as Error).message);
  }
}

/** Refuses before anything is sent when the account cannot pay amount + fee. */
export function checkFunds(amountE8s: bigint, feeE8s: bigint, balanceE8s: bigint): void {
  if (amountE8s + feeE8s > balanceE8s) {
    const max = balanceE8s > feeE8s ? balanceE8s - feeE8s : 0n;
    throw new DeskError(
      'insufficient-funds',
      `The balance (${formatIcp(balanceE8s)} ICP) is not enough for ${formatIcp(amountE8s)} ICP plus the ${formatIcp(feeE8s)} ICP fee: at most ${formatIcp(max)} ICP can be sent.`,
    );
  }
}

/**
 * A memo the user gave: a whole number (u64) for either kind of transfer, or, for an ICRC-1
 * transfer only, `0x` and up to 32 bytes of hex. A number goes into an ICRC-1 transfer as 8 bytes
 * little-endian, the form the ledger's tools (and the CMC) read back as a u64.
 */
export function parseMemo(memo: string | bigint | undefined, method: TransferPlan['method']): { memo: bigint; icrc1Memo?: Uint8Array } {
  const text = typeof memo === 'bigint' ? memo.toString() : (memo ?? '').trim();
  if (text === '') return { memo: 0n };
  if (/^0x[0-9a-fA-F]*$/.test(text)) {
    if (method === 'transfer') throw invalidInput('A transfer to an account id takes a memo that is a whole number.');
    const hex = text.slice(2);
    if (hex.length === 0 || hex.length % 2 !== 0 || hex.length > 64) throw invalidInput('A memo in hex is 1 to 32 bytes (an even number of hex digits after 0x).');
    return { memo: 0n, icrc1Memo: fromHex(hex) };
  }
  if (!/^\d+$/.test(text)) throw invalidInput('A memo is a whole number (or, for an ICRC-1 account, 0x and hex bytes).');
  const n = BigInt(text);
  if (n >= U64_LIMIT) throw invalidInput('A memo number is at most 18446744073709551615.');
  if (method === 'transfer') return { memo: n };
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, n, true);
  return { memo: 0n, icrc1Memo: bytes };
}
