// The calls neuron flows make, in two forms: as the review shows them (ReviewCall, display-ready
// arguments) and as they run (through the canister classes of @icp-sdk/canisters). Also the two
// retry-safe primitives: a ledger transfer whose duplicate counts as done, and the one command the
// governance class has no method for (DisburseToNeuron).
import { AccountIdentifier, SubAccount, TxDuplicateError } from '@icp-sdk/canisters/ledger/icp';
import { GovernanceError, memoToNeuronAccountIdentifier, type NnsGovernanceDid } from '@icp-sdk/canisters/nns';
import { Principal } from '@icp-sdk/core/principal';
import { randomBytes } from 'node:crypto';
import type { ReviewCall } from '../api/review.ts';
import type { Connection } from '../network/agents.ts';
import { CANISTER_IDS, describeNetwork } from '../network/networks.ts';

export const GOVERNANCE_NAME = 'NNS governance';
export const LEDGER_NAME = 'ICP ledger';

export function networkName(conn: Connection): string {
  return describeNetwork(conn.network);
}

export function governanceCall(method: string, args: unknown): ReviewCall {
  return { canisterId: CANISTER_IDS.governance, canisterName: GOVERNANCE_NAME, method, args };
}

/** manage_neuron as the review shows it: the neuron and the command, arguments decoded. */
export function manageNeuronCall(neuronId: bigint | string, command: Record<string, unknown>): ReviewCall {
  return governanceCall('manage_neuron', { neuron_id: neuronId, command });
}

export interface LegacyTransfer {
  to: string;
  amountE8s: bigint;
  feeE8s: bigint;
  memo: bigint;
  createdAtTimeNs: bigint;
  fromSubaccount?: Uint8Array;
}

export function transferCall(t: LegacyTransfer): ReviewCall {
  return {
    canisterId: CANISTER_IDS.ledger,
    canisterName: LEDGER_NAME,
    method: 'transfer',
    args: {
      to: t.to,
      amount: { e8s: t.amountE8s },
      fee: { e8s: t.feeE8s },
      memo: t.memo,
      created_at_time: { timestamp_nanos: t.createdAtTimeNs },
      ...(t.fromSubaccount ? { from_subaccount: Buffer.from(t.fromSubaccount).toString('hex') } : {}),
    },
  };
}

/**
 * The legacy transfer, retry-safe: the same transfer (same created_at_time and memo) sent again is
 * answered with TxDuplicate, which means it was done: its block index is returned.
 */
export async function transferOnce(conn: Connection, t: LegacyTransfer): Promise<bigint> {
  try {
    return await conn.ledger.transfer({
      to: AccountIdentifier.fromHex(t.to),
      amount: t.amountE8s,
      fee: t.feeE8s,
      memo: t.memo,
      createdAt: t.createdAtTimeNs,
      ...(t.fromSubaccount ? { fromSubAccount: [...t.fromSubaccount] } : {}),
    });
  } catch (e) {
    if (e instanceof TxDuplicateError) return e.duplicateOf;
    throw e;
  }
}

/** 8 random bytes read as a big-endian u64: a staking memo, or the nonce of a child neuron. */
export function randomNonce(): bigint {
  return randomBytes(8).readBigUInt64BE(0);
}

/** The ledger account (hex) of the neuron staked by `controller` with `memo` (governance + subaccount). */
export function neuronAccountId(controller: Principal, memo: bigint): string {
  return memoToNeuronAccountIdentifier({ controller, memo, governanceCanisterId: Principal.fromText(CANISTER_IDS.governance) }).toHex();
}

export function accountIdOf(principal: Principal, subaccount?: Uint8Array): string {
  return AccountIdentifier.fromPrincipal({ principal, ...(subaccount ? { subAccount: SubAccount.fromBytes(subaccount) } : {}) }).toHex();
}

/** Governance's error type of a GovernanceError, if that is what `e` is. */
export function govErrorType(e: unknown): number | undefined {
  return e instanceof GovernanceError ? e.detail.error_type : undefined;
}

type ManageNeuron = (req: NnsGovernanceDid.ManageNeuronRequest) => Promise<NnsGovernanceDid.ManageNeuronResponse>;

/**
 * The governance class's own certified actor (built from the .did the library ships), for the two
 * commands it has no working method for: DisburseToNeuron, and a refresh by neuron id (its
 * claimOrRefreshNeuron sends manage_neuron as a query, which changes nothing).
 */
function certifiedManageNeuron(conn: Connection): ManageNeuron {
  const service = (conn.governance as unknown as { certifiedService?: { manage_neuron: ManageNeuron } }).certifiedService;
  if (!service) throw new Error('The governance client offers no way to send this command.');
  return (req) => service.manage_neuron(req);
}

/** ClaimOrRefresh by neuron id: governance reads the neuron's account balance and updates its stake. */
export async function refreshNeuron(conn: Connection, neuronId: bigint): Promise<void> {
  const res = await certifiedManageNeuron(conn)({
    id: [],
    neuron_id_or_subaccount: [{ NeuronId: { id: neuronId } }],
    command: [{ ClaimOrRefresh: { by: [{ NeuronIdOrSubaccount: {} }] } }],
  });
  const cmd = res.command[0];
  if (cmd && 'Error' in cmd) throw new GovernanceError(cmd.Error);
}

export async function disburseToNeuron(
  conn: Connection,
  a: { neuronId: bigint; amountE8s: bigint; dissolveDelaySeconds: bigint; newController: Principal; nonce: bigint },
): Promise<bigint> {
  const res = await certifiedManageNeuron(conn)({
    id: [],
    neuron_id_or_subaccount: [{ NeuronId: { id: a.neuronId } }],
    command: [
      {
        DisburseToNeuron: {
          dissolve_delay_seconds: a.dissolveDelaySeconds,
          kyc_verified: true,
          amount_e8s: a.amountE8s,
          new_controller: [a.newController],
          nonce: a.nonce,
        },
      },
    ],
  });
  const cmd = res.command[0];
  if (cmd && 'Error' in cmd) throw new GovernanceError(cmd.Error);
  const id = cmd && 'DisburseToNeuron' in cmd ? cmd.DisburseToNeuron.created_neuron_id[0]?.id : undefined;
  if (id === undefined) throw new Error('Governance gave no id for the new neuron.');
  return id;
}
