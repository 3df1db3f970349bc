// Account identifiers, subaccounts and the few ledger constants the ICP and cycles flows share.
// Everything here is pure: bytes in, text out.
import { Principal } from '@icp-sdk/core/principal';
import { AccountIdentifier, SubAccount } from '@icp-sdk/canisters/ledger/icp';
import { formatIcrcAccountText } from '../api/ids.ts';
import type { Connection } from '../network/agents.ts';
import { CANISTER_IDS, type NetworkConfig } from '../network/networks.ts';

/** The CMC's memos for a legacy transfer (rs/nns/cmc): "TPUP" and "CREA" read as little-endian u32. */
export const MEMO_TOP_UP = 0x50555054n;
export const MEMO_CREATE_CANISTER = 0x41455243n;

/** 1 XDR buys 10^12 cycles; the rate is in ten-thousandths of an XDR per ICP. */
export const CYCLES_PER_XDR = 1_000_000_000_000n;
const E8S_PER_ICP = 100_000_000n;
const PERMYRIAD = 10_000n;

export const toHex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
export const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));

/** Where local data of a network is kept apart from another network's. */
export function networkKey(n: NetworkConfig): string {
  if (n.kind === 'mainnet') return 'mainnet';
  if (n.kind === 'local') return 'local';
  return `custom:${new URL(n.url).origin}`;
}

/** Local data that belongs to one identity on one network. */
export function scopeKey(c: Connection): string {
  return `${networkKey(c.network)}|${c.principal.toText()}`;
}

/**
 * The subaccount of a numbered account: 0 is the main account (no subaccount), n > 0 is n as a
 * big-endian number in the last 8 bytes (SubAccount.fromID), so the same number always finds the
 * same account again, on any machine.
 */
export function subaccountOf(index: number): Uint8Array | undefined {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`${index} is not an account number.`);
  return index === 0 ? undefined : SubAccount.fromID(index).toUint8Array();
}

export function accountIdOf(owner: Principal, subaccount?: Uint8Array): string {
  return AccountIdentifier.fromPrincipal({ principal: owner, subAccount: subaccount ? SubAccount.fromBytes(subaccount) : undefined }).toHex();
}

export function icrc1TextOf(owner: Principal, subaccount?: Uint8Array): string {
  return formatIcrcAccountText({ owner: owner.toText(), subaccountHex: subaccount ? toHex(subaccount) : undefined });
}

/** The CMC account that pays for `target`: a canister to top up, or the controller of a canister to create. */
export function cmcAccountIdOf(target: Principal): string {
  return AccountIdentifier.fromPrincipal({ principal: Principal.fromText(CANISTER_IDS.cmc), subAccount: SubAccount.fromPrincipal(target) }).toHex();
}

/** The ledger's minting account (governance's main account): transfers to it are burns. */
export const MINTING_ACCOUNT_ID = AccountIdentifier.fromPrincipal({ principal: Principal.fromText(CANISTER_IDS.governance) }).toHex();

/** Canister ids are opaque principals: their last byte is 0x01 (user principals end in 0x02). */
export function isCanisterId(p: Principal): boolean {
  const b = p.toUint8Array();
  return b.length > 0 && b[b.length - 1] === 0x01;
}

/** A transaction's memo as the CMC reads it: the u64 memo, else an 8-byte little-endian ICRC-1 memo. */
export function u64MemoOf(tx: { memo: bigint; icrc1_memo: [] | [Uint8Array] }): bigint {
  if (tx.memo !== 0n) return tx.memo;
  const m = tx.icrc1_memo[0];
  if (!m || m.length !== 8) return 0n;
  return new DataView(m.buffer, m.byteOffset, 8).getBigUint64(0, true);
}

/** Cycles the CMC mints for `e8s` at `xdrPermyriadPerIcp` (floor, as the CMC computes it). */
export function cyclesForE8s(e8s: bigint, xdrPermyriadPerIcp: bigint): bigint {
  return (e8s * xdrPermyriadPerIcp * CYCLES_PER_XDR) / (E8S_PER_ICP * PERMYRIAD);
}

/** The smallest amount of e8s that buys at least `cycles` at that rate (the ceiling of the inverse). */
export function e8sForCycles(cycles: bigint, xdrPermyriadPerIcp: bigint): bigint {
  const num = cycles * E8S_PER_ICP * PERMYRIAD;
  const den = xdrPermyriadPerIcp * CYCLES_PER_XDR;
  return (num + den - 1n) / den;
}
