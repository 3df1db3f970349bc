// Governance's side of the ICP ledger, through its Candid interface only. Governance's default
// account is the minting account: transfers from it are mints (fee 0), to it burns (fee 0).
import type { Principal } from '@icp-sdk/core/principal';
import type { LedgerTypes } from '../../candid/index.ts';
import { Reject, type CallContext } from '../canister.ts';
import { accountIdentifier } from '../common/accounts.ts';
import { GOVERNANCE_ID, LEDGER_ID } from '../ids.ts';
import { ErrorType, GovernanceError, TRANSACTION_FEE_E8S } from './model.ts';

const MINTING_ACCOUNT = accountIdentifier(GOVERNANCE_ID);

const show = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? Buffer.from(x).toString('hex') : x));

function external(what: string, e: unknown): GovernanceError {
  const message = e instanceof Reject ? `code ${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
  return new GovernanceError(ErrorType.External, `${what} failed: ${message}`);
}

async function call<T>(ctx: CallContext, method: string, arg: unknown): Promise<T> {
  try {
    return await ctx.call<T>(LEDGER_ID, method, [arg]);
  } catch (e) {
    throw external(`ledger ${method}`, e);
  }
}

function transferResult(r: LedgerTypes.TransferResult, what: string): bigint {
  if ('Ok' in r) return r.Ok;
  if ('InsufficientFunds' in r.Err) {
    throw new GovernanceError(ErrorType.InsufficientFunds, `${what}: insufficient funds (balance ${r.Err.InsufficientFunds.balance.e8s} e8s)`);
  }
  throw new GovernanceError(ErrorType.External, `${what}: the ledger refused the transfer: ${show(r.Err)}`);
}

/** The balance of governance's subaccount (a neuron's account). */
export async function neuronBalance(ctx: CallContext, subaccount: Uint8Array): Promise<bigint> {
  const r = await call<LedgerTypes.Tokens>(ctx, 'account_balance', { account: accountIdentifier(GOVERNANCE_ID, subaccount) });
  return r.e8s;
}

/** A transfer out of a neuron's subaccount (the ledger takes `amount` + the 10_000 fee). */
export async function transferFromNeuron(ctx: CallContext, subaccount: Uint8Array, to: Uint8Array, amount: bigint, memo = 0n): Promise<bigint> {
  const r = await call<LedgerTypes.TransferResult>(ctx, 'transfer', {
    to,
    fee: { e8s: TRANSACTION_FEE_E8S },
    memo,
    from_subaccount: [subaccount],
    created_at_time: [{ timestamp_nanos: ctx.time }],
    amount: { e8s: amount },
  });
  return transferResult(r, 'transfer');
}

/** Burns from a neuron's subaccount (a transfer to the minting account, fee 0). */
export async function burnFromNeuron(ctx: CallContext, subaccount: Uint8Array, amount: bigint): Promise<bigint> {
  const r = await call<LedgerTypes.TransferResult>(ctx, 'transfer', {
    to: MINTING_ACCOUNT,
    fee: { e8s: 0n },
    memo: 0n,
    from_subaccount: [subaccount],
    created_at_time: [{ timestamp_nanos: ctx.time }],
    amount: { e8s: amount },
  });
  return transferResult(r, 'burn');
}

/** Mints to an account identifier (a transfer from governance's default account, fee 0). */
export async function mintToAccountIdentifier(ctx: CallContext, to: Uint8Array, amount: bigint, memo: bigint): Promise<bigint> {
  const r = await call<LedgerTypes.TransferResult>(ctx, 'transfer', {
    to,
    fee: { e8s: 0n },
    memo,
    from_subaccount: [],
    created_at_time: [{ timestamp_nanos: ctx.time }],
    amount: { e8s: amount },
  });
  return transferResult(r, 'mint');
}

/** Mints to an ICRC-1 account. */
export async function mintToAccount(ctx: CallContext, to: { owner: Principal; subaccount?: Uint8Array }, amount: bigint, memo: bigint): Promise<bigint> {
  const m = new Uint8Array(8);
  new DataView(m.buffer).setBigUint64(0, memo, false);
  const r = await call<LedgerTypes.Icrc1TransferResult>(ctx, 'icrc1_transfer', {
    to: { owner: to.owner, subaccount: to.subaccount ? [to.subaccount] : [] },
    fee: [],
    memo: [m],
    from_subaccount: [],
    created_at_time: [ctx.time],
    amount,
  });
  if ('Ok' in r) return r.Ok;
  throw new GovernanceError(ErrorType.External, `mint: the ledger refused the transfer: ${show(r.Err)}`);
}

/** create_neuron: pulls amount from the caller's account into the neuron's (ICRC-2 allowance of amount + fee). */
export async function pullWithAllowance(
  ctx: CallContext,
  from: { owner: Principal; subaccount?: Uint8Array },
  toSubaccount: Uint8Array,
  amount: bigint,
): Promise<bigint> {
  const r = await call<LedgerTypes.TransferFromResult>(ctx, 'icrc2_transfer_from', {
    from: { owner: from.owner, subaccount: from.subaccount ? [from.subaccount] : [] },
    to: { owner: GOVERNANCE_ID, subaccount: [toSubaccount] },
    amount,
    fee: [],
    memo: [],
    spender_subaccount: [],
    created_at_time: [ctx.time],
  });
  if ('Ok' in r) return r.Ok;
  const e = r.Err;
  if ('InsufficientFunds' in e) throw new GovernanceError(ErrorType.InsufficientFunds, `insufficient funds: balance ${e.InsufficientFunds.balance} e8s`);
  if ('InsufficientAllowance' in e) {
    throw new GovernanceError(ErrorType.InsufficientFunds, `insufficient allowance: ${e.InsufficientAllowance.allowance} e8s (amount + fee needed)`);
  }
  throw new GovernanceError(ErrorType.External, `icrc2_transfer_from failed: ${show(e)}`);
}
