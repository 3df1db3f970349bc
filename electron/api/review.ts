// What the user sees before anything is signed. Amounts are bigint e8s; arguments are shown decoded
// (principals and account ids as text, blobs as hex, numbers as bigint).

export interface ReviewCall {
  canisterId: string;
  /** "ICP ledger", "NNS governance", "Cycles minting canister", "Management canister". */
  canisterName: string;
  method: string;
  /** The call's arguments as they will be encoded, in a display-ready form. */
  args: unknown;
}

export interface ReviewDraft {
  /** A stable name of the operation, e.g. "send-icp", "stake-neuron", "top-up-canister". */
  action: string;
  /** One line, e.g. "Send 1.25 ICP". */
  title: string;
  network: string;
  /** The signer's principal. */
  signer: string;
  /** The calls, in the order they will be made. */
  calls: ReviewCall[];
  /** What leaves the account (not counting fees), when money moves. */
  amountE8s?: bigint;
  /** Every fee the operation pays (ledger fees of all its transfers). */
  feeE8s?: bigint;
  /** Source account (account id text) when money moves. */
  from?: string;
  /** Destination in the user's terms: an account id, an ICRC-1 account, a neuron, a canister. */
  destination?: string;
  /** Anything the user should know before confirming (irreversibility, lock-ups...). */
  notes?: string[];
}

export interface Review extends ReviewDraft {
  id: string;
  expiresAtMs: number;
}
