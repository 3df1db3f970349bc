// The errors that cross the API boundary: a kind the renderer can branch on, one clear sentence for
// the user, and the canister's (or the network's) own words when there are any. Never a stack trace.

export const ERROR_KINDS = [
  'invalid-input', // the caller's input failed validation (nothing was sent)
  'locked', // the vault is locked: unlock first
  'watch-only', // the active identity has no key and cannot sign
  'not-found', // a neuron, proposal, review, identity... that does not exist
  'insufficient-funds', // balance or stake too low for the amount plus fees
  'rejected', // the canister refused (its message is in `detail`)
  'network', // the network could not be reached or the response was lost: safe to retry
  'expired', // a review that is too old to confirm (prepare it again)
  'conflict', // the state changed under the operation (e.g. the identity or network was switched)
  'internal', // a bug: reported with a generic sentence
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** The plain form of an error as it crosses the boundary (IPC or the loopback bridge). */
export interface DeskErrorData {
  kind: ErrorKind;
  message: string;
  detail?: string;
}

export class DeskError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'DeskError';
  }

  toData(): DeskErrorData {
    return this.detail === undefined ? { kind: this.kind, message: this.message } : { kind: this.kind, message: this.message, detail: this.detail };
  }

  static fromData(d: DeskErrorData): DeskError {
    return new DeskError(d.kind, d.message, d.detail);
  }
}

export const invalidInput = (message: string): DeskError => new DeskError('invalid-input', message);
