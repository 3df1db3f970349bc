// The one place that turns whatever a flow threw into a DeskError: one clear sentence for the user,
// plus the canister's (or network's) own message as detail. Flows add context with `context`.
import { AgentError, ErrorKindEnum } from '@icp-sdk/core/agent';
import { InsufficientFundsError, TransferError, TxCreatedInFutureError, TxTooOldError, BadFeeError } from '@icp-sdk/canisters/ledger/icp';
import { GovernanceError, InsufficientAmountError, CouldNotClaimNeuronError } from '@icp-sdk/canisters/nns';
import { DeskError } from '../api/errors.ts';
import { formatIcp } from '../api/amounts.ts';

/** Governance's ErrorType values (governance.did) that have a kind of their own. */
export const GovErrorType = { NotAuthorized: 3, NotFound: 4, InsufficientFunds: 14, NeuronAlreadyVoted: 19 } as const;

/**
 * Maps an error to a DeskError. `what` is the action in the user's words ("Sending ICP"); it starts
 * the sentence when the error has no better one.
 */
export function toDeskError(e: unknown, what = 'The operation'): DeskError {
  if (e instanceof DeskError) return e;
  if (e instanceof RangeError || e instanceof SyntaxError) return new DeskError('invalid-input', e.message);
  if (e instanceof InsufficientFundsError)
    return new DeskError('insufficient-funds', `${what} failed: the balance (${formatIcp(e.balance)} ICP) is not enough for the amount plus the fee.`);
  if (e instanceof TxTooOldError || e instanceof TxCreatedInFutureError)
    return new DeskError('expired', `${what} failed: the transaction's time is outside the ledger's window. Check this computer's clock and try again.`);
  if (e instanceof BadFeeError) return new DeskError('rejected', `${what} failed: the ledger now asks a fee of ${formatIcp(e.expectedFee)} ICP. Review it again.`);
  if (e instanceof TransferError) return new DeskError('rejected', `${what} failed: the ledger refused the transfer.`, errorText(e));
  if (e instanceof InsufficientAmountError)
    return new DeskError('invalid-input', `A neuron needs at least ${formatIcp(e.minimumAmount)} ICP.`);
  if (e instanceof CouldNotClaimNeuronError) return new DeskError('rejected', `${what} failed: governance could not claim the neuron; it can be claimed again later.`, errorText(e));
  if (e instanceof GovernanceError) {
    const { error_type, error_message } = e.detail;
    if (error_type === GovErrorType.InsufficientFunds) return new DeskError('insufficient-funds', `${what} failed: not enough funds.`, error_message);
    if (error_type === GovErrorType.NotAuthorized) return new DeskError('rejected', `${what} failed: this identity is not allowed to do that.`, error_message);
    if (error_type === GovErrorType.NotFound) return new DeskError('not-found', `${what} failed: governance did not find it.`, error_message);
    return new DeskError('rejected', `${what} failed: governance refused.`, error_message);
  }
  if (e instanceof AgentError) {
    if (e.kind === ErrorKindEnum.Reject) return new DeskError('rejected', `${what} failed: the canister refused the call.`, rejectMessage(e));
    if (e.kind === ErrorKindEnum.Transport || e.kind === ErrorKindEnum.External)
      return new DeskError('network', `${what} did not get an answer from the network. It is safe to try again.`, errorText(e));
    if (e.kind === ErrorKindEnum.Trust) return new DeskError('network', `${what} failed: the network's answer could not be verified.`, errorText(e));
    return new DeskError('network', `${what} failed on the way to the network.`, errorText(e));
  }
  if (e instanceof TypeError && /fetch|network|socket|ECONN/i.test(e.message + String((e as { cause?: unknown }).cause ?? '')))
    return new DeskError('network', `${what} did not get an answer from the network. It is safe to try again.`, e.message);
  return new DeskError('internal', `${what} failed unexpectedly.`, errorText(e));
}

function rejectMessage(e: AgentError): string {
  const code = e.cause?.code as { rejectMessage?: string } | undefined;
  return code?.rejectMessage ?? errorText(e);
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message.split('\n')[0].slice(0, 500);
  return String(e).slice(0, 500);
}
