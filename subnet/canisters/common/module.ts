// A simulated canister has no Wasm module: its module hash is the sha256 of a string naming the
// simulation and the mainnet release whose behaviour it follows, and its build metadata says so.
import { createHash } from 'node:crypto';

export function moduleHashOf(version: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(version).digest());
}

/** The text get_build_metadata answers, for the mainnet code at `source`. */
export function buildMetadataOf(source: string): string {
  return (
    'profile: simulation\n' +
    `implementation: Neuron Desk simulated subnet (TypeScript state machine, behaviour of ${source})\n` +
    'git_commit_id: none\n'
  );
}
