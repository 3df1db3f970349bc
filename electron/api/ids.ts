// Text forms of principals and accounts, checked exactly as the ledger and the NNS dapp check them,
// without pulling the canister libraries into the renderer (it validates forms with these too).
import { Principal } from '@icp-sdk/core/principal';
import { invalidInput } from './errors.ts';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
}
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** A principal's text form, checked (checksum and format); returns it canonical. */
export function checkPrincipalText(text: string, what = 'principal'): string {
  const t = text.trim();
  try {
    return Principal.fromText(t).toText();
  } catch {
    throw invalidInput(`"${shorten(t)}" is not a valid ${what} (check for a typo: the dashes and the checksum must match).`);
  }
}

/** A legacy account identifier: 64 hex characters whose first 4 bytes are the CRC32 of the rest. */
export function checkAccountIdHex(text: string): string {
  const t = text.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(t)) throw invalidInput('An account id is 64 hexadecimal characters.');
  const bytes = hexBytes(t);
  const expected = crc32(bytes.subarray(4));
  const got = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  if (expected !== got) throw invalidInput('That account id has a wrong checksum: check it for a typo.');
  return t;
}

export interface IcrcAccountText {
  owner: string;
  /** 32 bytes as hex, absent for the default subaccount. */
  subaccountHex?: string;
}

/**
 * An ICRC-1 account's text form: `principal` for the default subaccount, else
 * `principal-checksum.subaccount` (subaccount hex without leading zeros; checksum = base32 of the
 * CRC32 of principal bytes + subaccount), as the ICRC-1 standard defines it.
 */
export function parseIcrcAccountText(text: string): IcrcAccountText {
  const t = text.trim();
  const dot = t.indexOf('.');
  if (dot < 0) return { owner: checkPrincipalText(t, 'account') };
  const head = t.slice(0, dot);
  const sub = t.slice(dot + 1);
  const dash = head.lastIndexOf('-');
  if (dash < 0) throw invalidInput('That account text is missing its checksum.');
  const owner = checkPrincipalText(head.slice(0, dash), 'account owner');
  const checksum = head.slice(dash + 1);
  if (!/^[0-9a-f]{1,64}$/.test(sub) || sub.startsWith('0')) throw invalidInput("That account's subaccount part is not valid hexadecimal (no leading zeros, at most 64 digits).");
  const subBytes = hexBytes(sub.padStart(64, '0'));
  if (subBytes.every((b) => b === 0)) throw invalidInput('The default subaccount is written without a subaccount part.');
  const ownerBytes = Principal.fromText(owner).toUint8Array();
  const joined = new Uint8Array(ownerBytes.length + 32);
  joined.set(ownerBytes);
  joined.set(subBytes, ownerBytes.length);
  const c = crc32(joined);
  const expected = base32(Uint8Array.of(c >>> 24, (c >>> 16) & 0xff, (c >>> 8) & 0xff, c & 0xff));
  if (checksum !== expected) throw invalidInput('That account text has a wrong checksum: check it for a typo.');
  return { owner, subaccountHex: toHex(subBytes) };
}

/** Text of an ICRC-1 account (inverse of parseIcrcAccountText). */
export function formatIcrcAccountText(a: IcrcAccountText): string {
  if (!a.subaccountHex || /^0*$/.test(a.subaccountHex)) return a.owner;
  const subBytes = hexBytes(a.subaccountHex.padStart(64, '0'));
  const ownerBytes = Principal.fromText(a.owner).toUint8Array();
  const joined = new Uint8Array(ownerBytes.length + 32);
  joined.set(ownerBytes);
  joined.set(subBytes, ownerBytes.length);
  const c = crc32(joined);
  const checksum = base32(Uint8Array.of(c >>> 24, (c >>> 16) & 0xff, (c >>> 8) & 0xff, c & 0xff));
  return `${a.owner}-${checksum}.${a.subaccountHex.replace(/^0+/, '')}`;
}

/** Either kind of destination a user can paste. */
export type Destination = { kind: 'account-id'; hex: string } | { kind: 'icrc1'; account: IcrcAccountText };

export function parseDestination(text: string): Destination {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return { kind: 'account-id', hex: checkAccountIdHex(t) };
  if (t === '') throw invalidInput('Enter an account id or an ICRC-1 account.');
  return { kind: 'icrc1', account: parseIcrcAccountText(t) };
}

function base32(bytes: Uint8Array): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

function shorten(t: string): string {
  return t.length > 40 ? `${t.slice(0, 37)}...` : t;
}
