// Finishing top-ups and canister creations that were paid but never notified (the app closed, the
// network dropped, the machine crashed between the transfer and the notify). The payments are found
// in the index history of the user's accounts: transfers with memo TPUP / CREA to the CMC account of
// a canister the app knows (its list, its recent top-ups) or of the user (creation). A CMC account
// that still holds ICP has a payment the CMC has not processed (a processed one is burned or
// refunded), so only those are notified again; a notify is idempotent, and the account's balance
// before and after tells whether this notify did the work or an earlier one had.
import { Principal } from '@icp-sdk/core/principal';
import { RefundedError } from '@icp-sdk/canisters/cmc';
import { invalidInput } from '../api/errors.ts';
import type { Connection } from '../network/agents.ts';
import { Accounts } from './accounts.ts';
import { signingConnection, type ServiceContext } from './context.ts';
import { Cycles } from './cycles.ts';
import { toDeskError } from './errors.ts';
import { MEMO_CREATE_CANISTER, MEMO_TOP_UP, cmcAccountIdOf, scopeKey, u64MemoOf } from './ledger-accounts.ts';
import { cmcError, retryWhileProcessing } from './ledger-cmc.ts';
import type { LedgerStore } from './ledger-store.ts';

export type RecoveryOutcome =
  /** This run's notify converted the payment. */
  | 'recovered'
  /** The payment had been converted already (the CMC repeated its answer). */
  | 'already-done'
  /** The CMC refunded the payment (minus fees). */
  | 'refunded'
  /** The notify failed; `message` says why. Running the recovery again is safe. */
  | 'failed'
  /** A top-up payment is waiting in a CMC account of a canister this app does not know. */
  | 'unknown-canister';

export interface RecoveryItem {
  blockIndex: bigint;
  kind: 'top-up' | 'create';
  /** The user's account that paid (account id). */
  from: string;
  /** The CMC account paid into (account id). */
  to: string;
  amountE8s: bigint;
  /** The canister topped up, or created; null when unknown. */
  canisterId: string | null;
  outcome: RecoveryOutcome;
  cycles: bigint | null;
  message: string | null;
}

export interface RecoveryReport {
  /** Transactions looked at. */
  scanned: number;
  /** Payments that were waiting (and what became of them). */
  items: RecoveryItem[];
  recovered: number;
}

export interface RecoveryOptions {
  /** How many recent transactions of each account to look at (default 100, at most 2000). */
  perAccount?: number;
}

interface Payment {
  blockIndex: bigint;
  kind: 'top-up' | 'create';
  from: string;
  to: string;
  amountE8s: bigint;
  /** The canister to top up; undefined for a creation or an unknown canister. */
  canisterId?: string;
}

export class CanisterRecovery {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly store: LedgerStore,
  ) {}

  async recover(opts: RecoveryOptions = {}): Promise<RecoveryReport> {
    const conn = signingConnection(this.ctx);
    const perAccount = opts.perAccount ?? 100;
    if (!Number.isInteger(perAccount) || perAccount < 1 || perAccount > 2000) throw invalidInput('Look at 1 to 2000 transactions per account.');
    const cycles = new Cycles(this.ctx, this.store);
    const { payments, scanned } = await this.findPayments(conn, cycles, perAccount);

    const byAccount = new Map<string, Payment[]>();
    for (const p of payments) byAccount.set(p.to, [...(byAccount.get(p.to) ?? []), p]);
    const items: RecoveryItem[] = [];
    for (const [to, group] of byAccount) {
      let balance = await this.balanceOf(conn, to);
      if (balance === 0n) continue;
      group.sort((a, b) => (a.blockIndex < b.blockIndex ? -1 : 1));
      for (const p of group) {
        if (p.kind === 'top-up' && !p.canisterId) {
          items.push(item(p, 'unknown-canister', 'A top-up is waiting for a canister this app does not know: add the canister to the list and recover again.'));
          continue;
        }
        try {
          const done = await this.notify(conn, p);
          const after = await this.balanceOf(conn, to);
          const outcome = after < balance ? 'recovered' : 'already-done';
          balance = after;
          if (p.kind === 'create') cycles.rememberCanister(scopeKey(conn), done.canisterId, '');
          items.push({ ...item(p, outcome, null), canisterId: done.canisterId, cycles: done.cycles });
        } catch (e) {
          if (e instanceof RefundedError) {
            balance = await this.balanceOf(conn, to);
            items.push(item(p, 'refunded', cmcError(e, 'Recovering the payment').message));
          } else items.push(item(p, 'failed', cmcError(e, 'Recovering the payment').message));
        }
        if (balance === 0n && group.indexOf(p) < group.length - 1) {
          // Everything paid into this account has been processed: the remaining blocks were done before.
          break;
        }
      }
    }
    return { scanned, items, recovered: items.filter((i) => i.outcome === 'recovered').length };
  }

  /** TPUP / CREA transfers from the user's accounts to a CMC account (known or, for top-ups, not). */
  private async findPayments(conn: Connection, cycles: Cycles, perAccount: number): Promise<{ payments: Payment[]; scanned: number }> {
    const createAccount = cmcAccountIdOf(conn.principal);
    const topUpAccounts = new Map(cycles.topUpCandidates().map((id) => [cmcAccountIdOf(Principal.fromText(id)), id]));
    const payments: Payment[] = [];
    let scanned = 0;
    for (const account of new Accounts(this.ctx, this.store).list()) {
      let res;
      try {
        res = await conn.index.getTransactions({ accountIdentifier: account.accountId, maxResults: BigInt(perAccount), certified: false });
      } catch (e) {
        throw toDeskError(e, 'Reading the transaction history');
      }
      scanned += res.transactions.length;
      for (const { id, transaction: tx } of res.transactions) {
        if (!('Transfer' in tx.operation)) continue;
        const t = tx.operation.Transfer;
        if (t.from !== account.accountId) continue;
        const memo = u64MemoOf(tx);
        const base = { blockIndex: id, from: t.from, to: t.to, amountE8s: t.amount.e8s };
        if (memo === MEMO_CREATE_CANISTER && t.to === createAccount) payments.push({ ...base, kind: 'create' });
        else if (memo === MEMO_TOP_UP && t.to !== createAccount) payments.push({ ...base, kind: 'top-up', canisterId: topUpAccounts.get(t.to) });
      }
    }
    return { payments, scanned };
  }

  private async notify(conn: Connection, p: Payment): Promise<{ canisterId: string; cycles: bigint | null }> {
    if (p.kind === 'top-up') {
      const cycles = await retryWhileProcessing(() => conn.cmc.notifyTopUp({ block_index: p.blockIndex, canister_id: Principal.fromText(p.canisterId!) }));
      return { canisterId: p.canisterId!, cycles };
    }
    const id = await retryWhileProcessing(() =>
      conn.cmc.notifyCreateCanister({ block_index: p.blockIndex, controller: conn.principal, settings: [], subnet_selection: [], subnet_type: [] }),
    );
    return { canisterId: id.toText(), cycles: null };
  }

  private async balanceOf(conn: Connection, accountId: string): Promise<bigint> {
    try {
      return await conn.ledger.accountBalance({ accountIdentifier: accountId, certified: true });
    } catch (e) {
      throw toDeskError(e, 'Reading a cycles minting account');
    }
  }
}

function item(p: Payment, outcome: RecoveryOutcome, message: string | null): RecoveryItem {
  return { blockIndex: p.blockIndex, kind: p.kind, from: p.from, to: p.to, amountE8s: p.amountE8s, canisterId: p.canisterId ?? null, outcome, cycles: null, message };
}
