// Recovering stakes whose claim never happened (the app closed, or the network failed, between the
// transfer and the claim), the NNS dapp's way: the user's ICP index history is scanned for legacy
// transfers with a non-zero memo to the governance account whose subaccount is the one derived from
// (this principal, that memo). Such an account without a neuron is claimed. A neuron whose account
// holds more than its cached stake (a top-up that was never refreshed) is refreshed.
import { memoToNeuronSubaccount } from '@icp-sdk/canisters/nns';
import { formatIcp } from '../api/amounts.ts';
import { DeskError, type DeskErrorData } from '../api/errors.ts';
import type { Review, ReviewCall } from '../api/review.ts';
import type { Connection } from '../network/agents.ts';
import { signingConnection, type ServiceContext } from './context.ts';
import { toDeskError } from './errors.ts';
import { accountIdOf, governanceCall, manageNeuronCall, neuronAccountId, refreshNeuron } from './neuron-calls.ts';
import { prepareCommand } from './neuron-command-kit.ts';
import { parseSubaccount } from './neuron-input.ts';
import { loadNeurons } from './neurons.ts';

/** Index pages of 2,000 transactions; the scan stops after this many pages (100,000 transactions). */
const PAGE = 2_000n;
const MAX_PAGES = 50;

export interface PendingStake {
  memo: bigint;
  accountId: string;
  /** Sum of the transfers found to this account. */
  transferredE8s: bigint;
  blockIndexes: bigint[];
  balanceE8s: bigint;
  /** The balance reaches the minimum stake: a claim will make a neuron. */
  claimable: boolean;
}

export interface UnrefreshedNeuron {
  neuronId: bigint;
  accountId: string;
  balanceE8s: bigint;
  cachedStakeE8s: bigint;
}

export interface RecoveryScan {
  pendingStakes: PendingStake[];
  unrefreshed: UnrefreshedNeuron[];
  scannedTransactions: number;
}

export interface RecoveryResult {
  claimed: Array<{ memo: bigint; neuronId: bigint; accountId: string }>;
  refreshed: Array<{ neuronId: bigint }>;
  failed: Array<{ memo?: bigint; neuronId?: bigint; error: DeskErrorData }>;
}

export interface RecoveryOptions {
  /** Also scan these subaccounts of the identity (64 hex characters each); the main account always. */
  subaccounts?: string[];
}

export class NeuronRecovery {
  constructor(private readonly ctx: ServiceContext) {}

  /** What can be recovered (reads only). */
  async scan(opts: RecoveryOptions = {}): Promise<RecoveryScan> {
    return scanHistory(this.ctx.connection(), opts);
  }

  /** One review for every claim and refresh the scan found; 'not-found' when there is nothing to do. */
  async prepareRecover(opts: RecoveryOptions = {}): Promise<Review> {
    const conn = signingConnection(this.ctx);
    const found = await scanHistory(conn, opts);
    const claims = found.pendingStakes.filter((p) => p.claimable);
    if (claims.length === 0 && found.unrefreshed.length === 0) throw new DeskError('not-found', 'There is no unclaimed stake to recover.');
    const controller = conn.principal.toText();
    const calls: ReviewCall[] = [
      ...claims.map((p) => governanceCall('manage_neuron', { command: { ClaimOrRefresh: { by: { MemoAndController: { memo: p.memo, controller } } } } })),
      ...found.unrefreshed.map((n) => manageNeuronCall(n.neuronId, { ClaimOrRefresh: { by: { NeuronIdOrSubaccount: {} } } })),
    ];
    const notes = [
      ...claims.map((p) => `Claim a neuron for the ${formatIcp(p.balanceE8s)} ICP in account ${p.accountId} (memo ${p.memo}).`),
      ...found.unrefreshed.map((n) => `Refresh neuron ${n.neuronId}: its account holds ${formatIcp(n.balanceE8s)} ICP, its stake counts ${formatIcp(n.cachedStakeE8s)}.`),
      ...found.pendingStakes
        .filter((p) => !p.claimable)
        .map((p) => `Account ${p.accountId} (memo ${p.memo}) holds ${formatIcp(p.balanceE8s)} ICP: less than the minimum stake, it cannot become a neuron.`),
    ];
    return prepareCommand(
      { ctx: this.ctx, conn },
      { action: 'recover-neurons', title: `Recover ${claims.length + found.unrefreshed.length} unclaimed stake${claims.length + found.unrefreshed.length === 1 ? '' : 's'}`, calls, notes },
      async (): Promise<RecoveryResult> => {
        const result: RecoveryResult = { claimed: [], refreshed: [], failed: [] };
        await Promise.all([
          ...claims.map(async (p) => {
            try {
              const neuronId = await conn.governance.claimOrRefreshNeuronFromAccount({ memo: p.memo, controller: conn.principal });
              if (neuronId === undefined) throw new DeskError('rejected', 'Governance did not claim the neuron.');
              result.claimed.push({ memo: p.memo, neuronId, accountId: p.accountId });
            } catch (e) {
              result.failed.push({ memo: p.memo, error: toDeskError(e, `Claiming the stake with memo ${p.memo}`).toData() });
            }
          }),
          ...found.unrefreshed.map(async (n) => {
            try {
              await refreshNeuron(conn, n.neuronId);
              result.refreshed.push({ neuronId: n.neuronId });
            } catch (e) {
              result.failed.push({ neuronId: n.neuronId, error: toDeskError(e, `Refreshing neuron ${n.neuronId}`).toData() });
            }
          }),
        ]);
        // A network failure on every item is a failure to report as such (confirm again).
        if (result.claimed.length === 0 && result.refreshed.length === 0 && result.failed.every((f) => f.error.kind === 'network')) {
          throw new DeskError('network', 'Recovering the stakes did not get an answer from the network. It is safe to try again.');
        }
        return result;
      },
    );
  }

  confirm(reviewId: string): Promise<RecoveryResult> {
    return this.ctx.reviews.confirm<RecoveryResult>(reviewId);
  }
}

async function scanHistory(conn: Connection, opts: RecoveryOptions): Promise<RecoveryScan> {
  const principal = conn.principal;
  const accounts = [accountIdOf(principal), ...(opts.subaccounts ?? []).map((s) => accountIdOf(principal, parseSubaccount(s)))];
  try {
    const [loaded, histories] = await Promise.all([loadNeurons(conn), Promise.all(accounts.map((a) => history(conn, a)))]);
    const ownNeuronAccounts = new Map<string, { id: bigint; cached: bigint }>();
    for (const n of loaded.raw) {
      const full = n.fullNeuron;
      if (full && full.controller === principal.toText()) ownNeuronAccounts.set(full.accountIdentifier, { id: n.neuronId, cached: full.cachedNeuronStake });
    }
    const pending = new Map<string, PendingStake>();
    const toneurons = new Set<string>();
    let scanned = 0;
    for (const { account, txs } of histories) {
      scanned += txs.length;
      for (const { id, transaction } of txs) {
        const op = transaction.operation;
        if (!('Transfer' in op) || op.Transfer.from !== account) continue;
        const to = op.Transfer.to;
        if (ownNeuronAccounts.has(to)) toneurons.add(to);
        const memo = transaction.memo;
        if (memo === 0n || neuronAccountId(principal, memo) !== to || ownNeuronAccounts.has(to)) continue;
        const p = pending.get(to) ?? { memo, accountId: to, transferredE8s: 0n, blockIndexes: [], balanceE8s: 0n, claimable: false };
        p.transferredE8s += op.Transfer.amount.e8s;
        p.blockIndexes.push(id);
        pending.set(to, p);
      }
    }
    // A neuron may exist for an account without being listed (an empty neuron): ask by subaccount,
    // one at a time (a NeuronInfo does not say which subaccount it answers for).
    await Promise.all(
      [...pending.values()].map(async (p) => {
        const subaccount = memoToNeuronSubaccount({ controller: principal, memo: p.memo }).toUint8Array();
        const found = await conn.governance.listNeurons({ certified: false, neuronIds: [], includeEmptyNeurons: true, neuronSubaccounts: [{ subaccount }] });
        if (found.length > 0) pending.delete(p.accountId);
      }),
    );
    const min = loaded.limits.minimumStakeE8s;
    const balance = (a: string) => conn.ledger.accountBalance({ accountIdentifier: a, certified: false });
    const pendingStakes = await Promise.all(
      [...pending.values()].map(async (p) => {
        const b = await balance(p.accountId);
        return { ...p, balanceE8s: b, claimable: b >= min };
      }),
    );
    const unrefreshed: UnrefreshedNeuron[] = [];
    await Promise.all(
      [...toneurons].map(async (a) => {
        const n = ownNeuronAccounts.get(a)!;
        const b = await balance(a);
        if (b > n.cached && b >= min) unrefreshed.push({ neuronId: n.id, accountId: a, balanceE8s: b, cachedStakeE8s: n.cached });
      }),
    );
    return { pendingStakes, unrefreshed, scannedTransactions: scanned };
  } catch (e) {
    throw toDeskError(e, 'Looking for unclaimed stakes');
  }
}

async function history(conn: Connection, account: string) {
  const txs = [];
  let start: bigint | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await conn.index.getTransactions({ accountIdentifier: account, maxResults: PAGE, certified: false, ...(start === undefined ? {} : { start }) });
    txs.push(...r.transactions);
    const last = r.transactions[r.transactions.length - 1];
    if (!last || BigInt(r.transactions.length) < PAGE || last.id === r.oldest_tx_id[0]) break;
    start = last.id;
  }
  return { account, txs };
}
