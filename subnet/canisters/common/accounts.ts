// Account identifiers and subaccounts of the ICP ledger (see shared/reference/nns-canisters.md).
import { createHash } from 'node:crypto';
import { Principal } from '@icp-sdk/core/principal';

export const ZERO_SUBACCOUNT = new Uint8Array(32);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The 32-byte account identifier (CRC32 big-endian || SHA-224 hash). */
export function accountIdentifier(owner: Principal, subaccount?: Uint8Array | null): Uint8Array {
  const sub = subaccount ?? ZERO_SUBACCOUNT;
  if (sub.length !== 32) throw new Error('a subaccount is 32 bytes');
  const hash = createHash('sha224')
    .update(new Uint8Array([0x0a]))
    .update('account-id')
    .update(owner.toUint8Array())
    .update(sub)
    .digest();
  const out = new Uint8Array(32);
  new DataView(out.buffer).setUint32(0, crc32(hash), false);
  out.set(hash, 4);
  return out;
}

/** True when the first 4 bytes are the CRC32 of the remaining 28. */
export function hasValidChecksum(id: Uint8Array): boolean {
  if (id.length !== 32) return false;
  const expected = crc32(id.subarray(4));
  return new DataView(id.buffer, id.byteOffset, 4).getUint32(0, false) === expected;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function fromHex(hex: string): Uint8Array {
  if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new Error('not a hex string');
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/**
 * Parses a textual account identifier: 64 hex chars with a valid checksum, or 56 hex chars
 * (the hash alone, checksum added). Throws a clear error otherwise.
 */
export function parseAccountIdentifierHex(text: string): Uint8Array {
  const hex = text.trim();
  if (hex.length === 56 && /^[0-9a-fA-F]+$/.test(hex)) {
    const hash = fromHex(hex);
    const out = new Uint8Array(32);
    new DataView(out.buffer).setUint32(0, crc32(hash), false);
    out.set(hash, 4);
    return out;
  }
  if (hex.length !== 64 || !/^[0-9a-fA-F]+$/.test(hex)) {
    throw new Error(`invalid account identifier: expected 64 hex characters, got ${JSON.stringify(text)}`);
  }
  const id = fromHex(hex);
  if (!hasValidChecksum(id)) throw new Error(`invalid account identifier: checksum mismatch in ${hex}`);
  return id;
}

/** The subaccount a principal maps to (the CMC's convention): [len, bytes..., 0...]. */
export function principalToSubaccount(principal: Principal): Uint8Array {
  const bytes = principal.toUint8Array();
  const sub = new Uint8Array(32);
  sub[0] = bytes.length;
  sub.set(bytes, 1);
  return sub;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
