// An account's history from the ICP index, newest first, page by page, each transaction with a
// kind and a sentence a user understands (sent, received, staked a neuron, canister top-up...)
// and the other side's name when this machine knows it (own accounts, address book, neurons,
// canisters).
import { Principal } from '@icp-sdk/core/principal';
import type { IcpIndexDid } from '@icp-sdk/canisters/ledger/icp';
import { memoToNeuronAccountIdentifier } from '@icp-sdk/canisters/nns';
import { invalidInput } from '../api/errors.ts';
import { CANISTER_IDS } from '../network/networks.ts';
import { Accounts, type AccountRef } from './accounts.ts';
import { AddressBook } from './address-book.ts';
import type { ServiceContext } from './context.ts';
import { Cycles } from './cycles.ts';
import { toDeskError } from './errors.ts';
import { MEMO_CREATE_CANISTER, MEMO_TOP_UP, MINTING_ACCOUNT_ID, cmcAccountIdOf, scopeKey, toHex, u64MemoOf } from './ledger-accounts.ts';
import type { LedgerStore } from './ledger-store.ts';

export type HistoryKind =
  | 'sent'
  | 'received'
  | 'to-self'
  | 'stake'
  | 'neuron-top-up'
  | 'neuron-disbursement'
  | 'top-up'
  | 'canister-creation'
  | 'cmc-refund'
  | 'minted'
  | 'burned'
  | 'approve';

export interface HistoryEntry {
  /** The ledger block index. */
  id: bigint;
  kind: HistoryKind;
  /** The kind in a user's words ("Sent", "Staked a neuron", "Canister top-up"...). */
  label: string;
  /** Which way the amount went for this account ('none' for an approval). */
  direction: 'in' | 'out' | 'none';
  /** The amount moved (an approval's allowance), without the fee. */
  amountE8s: bigint;
  /** The fee this account paid (0 for what it received). */
  feeE8s: bigint;
  /** The other side's account id, when there is one. */
  counterparty: string | null;
  /** The other side's name as this machine knows it. */
  counterpartyLabel: string | null;
  /** Who moved the funds for the owner (an ICRC-2 spender), when not the owner. */
  spender: string | null;
  memo: bigint;
  /** ICRC-1 memo, hex. */
  icrc1Memo: string | null;
  timestampNs: bigint | null;
  createdAtNs: bigint | null;
}

export interface HistoryPage {
  accountId: string;
  balanceE8s: bigint;
  entries: HistoryEntry[];
  /** Pass as `start` for the next (older) page; null at the oldest transaction. */
  nextStart: bigint | null;
}

export interface HistoryQuery {
  account?: AccountRef;
  /** Exclusive: the page starts after (older than) this transaction id. */
  start?: bigint;
  pageSize?: number;
}

const DEFAULT_PAGE = 50;
const MAX_PAGE = 500;
/** Neuron accounts are read again on a first page, at most this often. */
const NEURON_CACHE_MS = 30_000;

const LABELS: Record<HistoryKind, string> = {
  sent: 'Sent',
  received: 'Received',
  'to-self': 'Sent to the same account',
  stake: 'Staked a neuron',
  'neuron-top-up': 'Neuron top-up',
  'neuron-disbursement': 'Neuron disbursement',
  'top-up': 'Canister top-up',
  'canister-creation': 'Canister creation',
  'cmc-refund': 'Refund from the cycles minting canister',
  minted: 'Minted',
  burned: 'Burned',
  approve: 'Approval',
};

/** What is known about the accounts a transaction may touch. */
interface Names {
  own: Map<string, string>;
  book: AddressBook;
  /** account id -> neuron id */
  neurons: Map<string, string>;
  /** CMC account id -> what pays into it ("Canister top-up account of X"). */
  cmc: Map<string, string>;
  owner: Principal;
}

export class History {
  private neuronCache?: { scope: string; atMs: number; accounts: Map<string, string> };

  constructor(
    private readonly ctx: ServiceContext,
    private readonly store: LedgerStore,
  ) {}

  async page(q: HistoryQuery = {}): Promise<HistoryPage> {
    const accounts = new Accounts(this.ctx, this.store);
    const account = accounts.account(q.account ?? 0);
    const pageSize = q.pageSize ?? DEFAULT_PAGE;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE) throw invalidInput(`A page holds 1 to ${MAX_PAGE} transactions.`);
    if (q.start !== undefined && (typeof q.start !== 'bigint' || q.start < 0n)) throw invalidInput('The page start is a transaction id.');
    const conn = this.ctx.connection();
    let res: IcpIndexDid.GetAccountIdentifierTransactionsResponse;
    try {
      res = await conn.index.getTransactions({ accountIdentifier: account.accountId, start: q.start, maxResults: BigInt(pageSize), certified: false });
    } catch (e) {
      throw toDeskError(e, 'Reading the transaction history');
    }
    const names: Names = {
      own: new Map(accounts.list().map((a) => [a.accountId, a.name])),
      book: new AddressBook(this.ctx, this.store),
      neurons: await this.neuronAccounts(q.start === undefined),
      cmc: this.cmcAccounts(),
      owner: conn.principal,
    };
    const entries = res.transactions.map((t) => describe(t, account.accountId, names));
    const last = res.transactions.at(-1)?.id;
    const oldest = res.oldest_tx_id[0];
    const more = res.transactions.length === pageSize && last !== undefined && oldest !== undefined && last !== oldest;
    return { accountId: account.accountId, balanceE8s: res.balance, entries, nextStart: more ? last : null };
  }

  /** The user's neurons' accounts (for stake, top-up and disbursement labels); none if governance does not answer. */
  private async neuronAccounts(refresh: boolean): Promise<Map<string, string>> {
    const conn = this.ctx.connection();
    const scope = scopeKey(conn);
    const c = this.neuronCache;
    if (c && c.scope === scope && !(refresh && Date.now() - c.atMs > NEURON_CACHE_MS)) return c.accounts;
    const accounts = new Map<string, string>();
    try {
      const neurons = await conn.governance.listNeurons({ certified: false, includeEmptyNeurons: true });
      for (const n of neurons) if (n.fullNeuron?.accountIdentifier) accounts.set(n.fullNeuron.accountIdentifier, n.neuronId.toString());
    } catch {
      // Labels only: the history stays readable without them.
      return c?.scope === scope ? c.accounts : accounts;
    }
    this.neuronCache = { scope, atMs: Date.now(), accounts };
    return accounts;
  }

  private cmcAccounts(): Map<string, string> {
    const conn = this.ctx.connection();
    const cycles = new Cycles(this.ctx, this.store);
    const names = new Map(cycles.listCanisters().map((c) => [c.canisterId, c.name]));
    const m = new Map<string, string>([[cmcAccountIdOf(conn.principal), 'Cycles minting canister (canister creation)']]);
    for (const id of cycles.topUpCandidates()) m.set(cmcAccountIdOf(Principal.fromText(id)), `Cycles minting canister (top-up of ${names.get(id) || id})`);
    return m;
  }
}

function describe({ id, transaction: tx }: IcpIndexDid.TransactionWithId, me: string, names: Names): HistoryEntry {
  const base = {
    id,
    memo: tx.memo,
    icrc1Memo: tx.icrc1_memo[0] ? toHex(tx.icrc1_memo[0]) : null,
    timestampNs: tx.timestamp[0]?.timestamp_nanos ?? null,
    createdAtNs: tx.created_at_time[0]?.timestamp_nanos ?? null,
    spender: null as string | null,
  };
  const entry = (kind: HistoryKind, direction: HistoryEntry['direction'], amountE8s: bigint, feeE8s: bigint, counterparty: string | null, labelOverride?: string): HistoryEntry => ({
    ...base,
    kind,
    label: labelOverride ?? LABELS[kind],
    direction,
    amountE8s,
    feeE8s,
    counterparty,
    counterpartyLabel: counterparty ? (labelOf(counterparty, names) ?? (kind === 'top-up' || kind === 'canister-creation' ? 'Cycles minting canister' : null)) : null,
  });
  const op = tx.operation;
  if ('Mint' in op) return entry('minted', 'in', op.Mint.amount.e8s, 0n, null);
  if ('Burn' in op) return { ...entry('burned', 'out', op.Burn.amount.e8s, 0n, null), spender: op.Burn.spender[0] ?? null };
  if ('Approve' in op) {
    const a = op.Approve;
    if (a.from === me) return entry('approve', 'none', a.allowance.e8s, a.fee.e8s, a.spender, 'Approved a spender');
    return entry('approve', 'none', a.allowance.e8s, 0n, a.from, 'Allowance received');
  }
  const t = op.Transfer;
  const spender = t.spender[0] && t.spender[0] !== t.from ? t.spender[0] : null;
  const memo = u64MemoOf(tx);
  if (t.from === me && t.to === me) return { ...entry('to-self', 'out', t.amount.e8s, t.fee.e8s, t.to), spender };
  if (t.from === me) {
    let kind: HistoryKind = 'sent';
    if (memo === MEMO_TOP_UP && !names.neurons.has(t.to)) kind = 'top-up';
    else if (memo === MEMO_CREATE_CANISTER && !names.neurons.has(t.to)) kind = 'canister-creation';
    else if (names.neurons.has(t.to)) kind = memo !== 0n ? 'stake' : 'neuron-top-up';
    else if (memo !== 0n && isStakingAccount(t.to, names.owner, memo)) kind = 'stake';
    return { ...entry(kind, 'out', t.amount.e8s, t.fee.e8s, t.to), spender };
  }
  let kind: HistoryKind = 'received';
  if (names.neurons.has(t.from)) kind = 'neuron-disbursement';
  else if (names.cmc.has(t.from)) kind = 'cmc-refund';
  return { ...entry(kind, 'in', t.amount.e8s, 0n, t.from), spender };
}

/** A neuron's staking account of this controller for that memo (a stake whose neuron may not exist yet). */
function isStakingAccount(to: string, controller: Principal, memo: bigint): boolean {
  return memoToNeuronAccountIdentifier({ controller, memo, governanceCanisterId: Principal.fromText(CANISTER_IDS.governance) }).toHex() === to;
}

function labelOf(accountId: string, n: Names): string | null {
  const own = n.own.get(accountId);
  if (own !== undefined) return own;
  const book = n.book.labelFor(accountId);
  if (book !== undefined) return book;
  const neuron = n.neurons.get(accountId);
  if (neuron !== undefined) return `Neuron ${neuron}`;
  const cmc = n.cmc.get(accountId);
  if (cmc !== undefined) return cmc;
  if (accountId === MINTING_ACCOUNT_ID) return 'Minting account';
  return null;
}
