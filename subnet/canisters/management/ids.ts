// Canister ids of the user canisters hosted by the simulated subnet.
import { Principal } from '@icp-sdk/core/principal';

/**
 * Index of the first user canister. The NNS canisters use indices below 0x10 (their subnet's range
 * starts at 0); starting user canisters at 0x2000000 keeps the two ranges visibly apart.
 */
export const FIRST_USER_CANISTER_INDEX = 0x2000000n;
/** One canister range as the IC allocates them (2^20 ids); the runtime certifies it. */
export const USER_CANISTER_RANGE_SIZE = 0x100000n;

const MAX_U64 = (1n << 64n) - 1n;

/** The IC's canister id for an index: [index as u64 big-endian, 0x01, 0x01] (opaque id class). */
export function canisterIdFromIndex(index: bigint): Principal {
  if (index < 0n || index > MAX_U64) throw new Error(`canister index out of range: ${index}`);
  const bytes = new Uint8Array(10);
  new DataView(bytes.buffer).setBigUint64(0, index, false);
  bytes[8] = 0x01;
  bytes[9] = 0x01;
  return Principal.fromUint8Array(bytes);
}

/** The index of a canister id, or undefined when the principal is not a canister id. */
export function canisterIndexOf(id: Principal): bigint | undefined {
  const bytes = id.toUint8Array();
  if (bytes.length !== 10 || bytes[8] !== 0x01 || bytes[9] !== 0x01) return undefined;
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, false);
}

/**
 * Whether a principal is a canister (opaque id class 0x01) rather than a user (self-authenticating
 * 0x02, anonymous 0x04). The management canister uses it to tell inter-canister calls from ingress.
 */
export function isCanisterPrincipal(p: Principal): boolean {
  const bytes = p.toUint8Array();
  return bytes.length > 0 && bytes[bytes.length - 1] === 0x01;
}
