// Notifying the cycles minting canister of a payment, as the NNS dapp does: retried while the CMC
// answers Processing (another notification of the same block is under way), and a clear sentence
// for each way it can end. Notifying is idempotent: the same block gives the same answer again.
import { Principal } from '@icp-sdk/core/principal';
import { CmcError, InvalidaTransactionError, ProcessingError, RefundedError, TransactionTooOldError } from '@icp-sdk/canisters/cmc';
import { DeskError } from '../api/errors.ts';
import type { Connection } from '../network/agents.ts';
import { toDeskError } from './errors.ts';

export const NOTIFY_TRIES = 10;
export const NOTIFY_RETRY_MS = 500;

/** notify_top_up: the cycles added to the canister. */
export async function notifyTopUp(conn: Connection, blockIndex: bigint, canisterId: string): Promise<bigint> {
  try {
    return await retryWhileProcessing(() => conn.cmc.notifyTopUp({ block_index: blockIndex, canister_id: Principal.fromText(canisterId) }));
  } catch (e) {
    throw cmcError(e, 'Topping up the canister');
  }
}

/** notify_create_canister with the caller as controller: the new canister's id. */
export async function notifyCreateCanister(conn: Connection, blockIndex: bigint): Promise<string> {
  try {
    const id = await retryWhileProcessing(() =>
      conn.cmc.notifyCreateCanister({ block_index: blockIndex, controller: conn.principal, settings: [], subnet_selection: [], subnet_type: [] }),
    );
    return id.toText();
  } catch (e) {
    throw cmcError(e, 'Creating the canister');
  }
}

/** Calls again while the CMC answers Processing, NOTIFY_TRIES times in all; other errors as thrown. */
export async function retryWhileProcessing<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (!(e instanceof ProcessingError) || attempt >= NOTIFY_TRIES) throw e;
      await new Promise((r) => setTimeout(r, NOTIFY_RETRY_MS));
    }
  }
}

/** The CMC's answers in a user's words. */
export function cmcError(e: unknown, what: string): DeskError {
  if (e instanceof RefundedError)
    return new DeskError('rejected', `${what} failed: the cycles minting canister refunded the payment (minus fees) to the account it came from.`, e.message);
  if (e instanceof InvalidaTransactionError)
    return new DeskError('rejected', `${what} failed: the cycles minting canister did not accept the payment's transaction.`, e.message);
  if (e instanceof TransactionTooOldError)
    return new DeskError('rejected', `${what} failed: the payment is too old for the cycles minting canister to convert it.`);
  if (e instanceof ProcessingError)
    return new DeskError('network', `${what}: the cycles minting canister is still processing the payment. Try again in a moment; it will not pay twice.`);
  if (e instanceof CmcError) return new DeskError('rejected', `${what} failed: the cycles minting canister refused.`, e.message);
  return toDeskError(e, what);
}
