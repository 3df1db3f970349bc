// Account identifiers (hex) of ICRC accounts, memoized: the SHA-224 behind each one is the largest
// CPU cost of a transfer. A pure function's cache, bounded, so sharing it is harmless.
import type { Principal } from '@icp-sdk/core/principal';
import { accountIdentifier, toHex } from '../common/accounts.ts';

const MAX_ENTRIES = 100_000;
const cache = new Map<string, string>();

export function accountIdHex(owner: Principal, subaccount?: Uint8Array): string {
  const bytes = owner.toUint8Array();
  let key = String.fromCharCode(bytes.length) + latin1(bytes);
  if (subaccount) key += latin1(subaccount);
  let hex = cache.get(key);
  if (hex === undefined) {
    hex = toHex(accountIdentifier(owner, subaccount));
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(key, hex);
  }
  return hex;
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
}
