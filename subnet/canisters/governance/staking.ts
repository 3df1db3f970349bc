// Neuron staking accounts and neuron ids. The staking subaccount is mainnet's
// (compute_neuron_staking_subaccount); ids are derived from it, deterministically.
import { createHash } from 'node:crypto';
import type { Principal } from '@icp-sdk/core/principal';
import { accountIdentifier } from '../common/accounts.ts';
import { GOVERNANCE_ID } from '../ids.ts';
import type { GovernanceState } from './model.ts';

/** SHA-256([0x0C] || "neuron-stake" || controller bytes || nonce u64 big-endian). */
export function neuronStakeSubaccount(controller: Principal, nonce: bigint): Uint8Array {
  const n = new Uint8Array(8);
  new DataView(n.buffer).setBigUint64(0, BigInt.asUintN(64, nonce), false);
  return new Uint8Array(
    createHash('sha256').update(new Uint8Array([0x0c])).update('neuron-stake').update(controller.toUint8Array()).update(n).digest(),
  );
}

/** The ledger account (identifier) of a neuron: governance + its subaccount. */
export function neuronAccount(subaccount: Uint8Array): Uint8Array {
  return accountIdentifier(GOVERNANCE_ID, subaccount);
}

/**
 * A new neuron's id. Mainnet draws a random u64; the simulation must be deterministic, so the id is
 * the first 8 bytes (big-endian) of SHA-256("neuron-id" || subaccount), probing upwards past 0 and
 * ids in use. Ids look like mainnet's (large, unordered) and do not depend on history.
 */
export function neuronIdFor(state: GovernanceState, subaccount: Uint8Array): bigint {
  const h = createHash('sha256').update('neuron-id').update(subaccount).digest();
  let id = new DataView(h.buffer, h.byteOffset, 8).getBigUint64(0, false);
  while (id === 0n || state.neurons.has(id)) id = BigInt.asUintN(64, id + 1n);
  return id;
}

export function hexOf(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}
