// The user's ICP accounts: the main account and named subaccounts (numbered, so they can always be
// derived again), their certified balances, and sending ICP from any of them, reviewed first.
import { Principal } from '@icp-sdk/core/principal';
import { formatIcp } from '../api/amounts.ts';
import { DeskError, invalidInput } from '../api/errors.ts';
import { parseDestination } from '../api/ids.ts';
import type { Review } from '../api/review.ts';
import { describeNetwork } from '../network/networks.ts';
import { AddressBook } from './address-book.ts';
import { signingConnection, type ServiceContext } from './context.ts';
import { toDeskError } from './errors.ts';
import { MINTING_ACCOUNT_ID, accountIdOf, fromHex, icrc1TextOf, scopeKey, subaccountOf, toHex } from './ledger-accounts.ts';
import type { LedgerStore, SubaccountRecord } from './ledger-store.ts';
import { checkFunds, ledgerFee, parseAmountE8s, parseMemo, runTransfer, transferCall, type TransferPlan } from './ledger-transfer.ts';

export const MAIN_ACCOUNT_NAME = 'Main';
const MAX_NAME = 32;
/** Account numbers stay small: they are typed, shown and scanned. */
const MAX_INDEX = 1_000_000;

export interface UserAccount {
  /** 0 for the main account, n >= 1 for a subaccount. */
  index: number;
  name: string;
  /** Legacy account id, 64 hex. */
  accountId: string;
  /** ICRC-1 account text. */
  icrc1: string;
  /** 32 bytes hex; null for the main account. */
  subaccountHex: string | null;
}

export interface AccountWithBalance extends UserAccount {
  balanceE8s: bigint;
}

/** One of the user's accounts: its number, or its account id (hex). The main account when absent. */
export type AccountRef = number | string | undefined;

export interface SendRequest {
  from?: AccountRef;
  /** An account id (64 hex, checksum checked) or an ICRC-1 account text (checksum checked). */
  to: string;
  /** ICP as typed ("1.25") or e8s. */
  amount: string | bigint;
  /** A whole number; or for an ICRC-1 destination `0x` + up to 32 bytes of hex. */
  memo?: string | bigint;
}

export interface SendResult {
  blockIndex: bigint;
  from: string;
  to: string;
  amountE8s: bigint;
  feeE8s: bigint;
}

export function checkAccountName(name: unknown): string {
  const t = typeof name === 'string' ? name.trim() : '';
  if (t === '') throw invalidInput('Give the account a name.');
  if (t.length > MAX_NAME) throw invalidInput(`An account name is at most ${MAX_NAME} characters.`);
  return t;
}

export class Accounts {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly store: LedgerStore,
  ) {}

  /** The main account and the named subaccounts, in account-number order. */
  list(): UserAccount[] {
    const owner = this.ctx.connection().principal;
    return [{ index: 0, name: MAIN_ACCOUNT_NAME }, ...this.records()].map((r) => describe(owner, r.index, r.name));
  }

  account(ref: AccountRef = 0): UserAccount {
    const all = this.list();
    const found =
      typeof ref === 'number' ? all.find((a) => a.index === ref) : all.find((a) => a.accountId === String(ref).trim().toLowerCase() || a.icrc1 === String(ref).trim());
    if (!found) throw new DeskError('not-found', 'That account is not one of this identity\'s accounts.');
    return found;
  }

  createSubaccount(name: string): UserAccount {
    const n = checkAccountName(name);
    this.checkNameFree(n);
    const index = Math.max(0, ...this.records().map((r) => r.index)) + 1;
    this.write((list) => list.push({ index, name: n }));
    return describe(this.ctx.connection().principal, index, n);
  }

  renameSubaccount(index: number, name: string): UserAccount {
    if (index === 0) throw invalidInput(`The main account is always called "${MAIN_ACCOUNT_NAME}".`);
    const n = checkAccountName(name);
    if (!this.records().some((r) => r.index === index)) throw new DeskError('not-found', 'That subaccount does not exist.');
    this.checkNameFree(n, index);
    this.write((list) => {
      list.find((r) => r.index === index)!.name = n;
    });
    return describe(this.ctx.connection().principal, index, n);
  }

  /**
   * Finds numbered subaccounts that have a history but no name here (after a reinstall, or made by
   * another wallet with the same numbering), scanning until `gap` numbers in a row are unused, and
   * names them "Subaccount N".
   */
  async discover(gap = 5): Promise<UserAccount[]> {
    const conn = this.ctx.connection();
    const known = new Set(this.records().map((r) => r.index));
    const found: SubaccountRecord[] = [];
    let misses = 0;
    try {
      for (let i = 1; misses < gap && i <= MAX_INDEX; i++) {
        if (known.has(i)) {
          misses = 0;
          continue;
        }
        const accountIdentifier = accountIdOf(conn.principal, subaccountOf(i));
        const r = await conn.index.getTransactions({ accountIdentifier, maxResults: 1n, certified: false });
        if (r.transactions.length > 0 || r.balance > 0n) {
          found.push({ index: i, name: this.freeName(`Subaccount ${i}`) });
          misses = 0;
        } else misses++;
      }
    } catch (e) {
      throw toDeskError(e, 'Looking for subaccounts');
    }
    if (found.length > 0) this.write((list) => list.push(...found));
    return found.map((r) => describe(conn.principal, r.index, r.name));
  }

  async balance(ref: AccountRef = 0): Promise<bigint> {
    const a = this.account(ref);
    try {
      return await this.ctx.connection().ledger.accountBalance({ accountIdentifier: a.accountId, certified: true });
    } catch (e) {
      throw toDeskError(e, 'Reading the balance');
    }
  }

  /** Certified balances of every account, and their total. */
  async balances(): Promise<{ accounts: AccountWithBalance[]; totalE8s: bigint }> {
    const conn = this.ctx.connection();
    const accounts = this.list();
    try {
      const values = await Promise.all(accounts.map((a) => conn.ledger.accountBalance({ accountIdentifier: a.accountId, certified: true })));
      const withBalances = accounts.map((a, i) => ({ ...a, balanceE8s: values[i] }));
      return { accounts: withBalances, totalE8s: values.reduce((s, v) => s + v, 0n) };
    } catch (e) {
      throw toDeskError(e, 'Reading the balances');
    }
  }

  async fee(): Promise<bigint> {
    try {
      return await ledgerFee(this.ctx.connection());
    } catch (e) {
      throw toDeskError(e, 'Reading the ledger fee');
    }
  }

  /** The most that can be sent from an account: balance minus the fee (never below zero). */
  async maxAmount(from: AccountRef = 0): Promise<{ maxE8s: bigint; balanceE8s: bigint; feeE8s: bigint }> {
    const [balanceE8s, feeE8s] = await Promise.all([this.balance(from), this.fee()]);
    return { maxE8s: balanceE8s > feeE8s ? balanceE8s - feeE8s : 0n, balanceE8s, feeE8s };
  }

  /**
   * Checks a send and prepares its review; nothing moves until the review is confirmed (the
   * confirm resolves to a SendResult). created_at_time is fixed here: confirming again after a
   * lost answer cannot pay twice.
   */
  async prepareSend(req: SendRequest): Promise<Review> {
    const conn = signingConnection(this.ctx);
    const from = this.account(req?.from ?? 0);
    const amountE8s = parseAmountE8s(req?.amount);
    if (typeof req?.to !== 'string') throw invalidInput('Enter an account id or an ICRC-1 account.');
    const dest = parseDestination(req.to);
    let to: string;
    let toAccountId: string;
    let target: { method: 'transfer'; to: string; memo: bigint } | { method: 'icrc1_transfer'; to: { owner: string; subaccountHex?: string }; icrc1Memo?: Uint8Array };
    const fromSubaccount = from.subaccountHex ? fromHex(from.subaccountHex) : undefined;
    const createdAtNs = this.ctx.nowNs();
    if (dest.kind === 'account-id') {
      to = toAccountId = dest.hex;
      target = { method: 'transfer', to, memo: parseMemo(req.memo, 'transfer').memo };
    } else {
      const owner = Principal.fromText(dest.account.owner);
      const sub = dest.account.subaccountHex ? fromHex(dest.account.subaccountHex) : undefined;
      to = icrc1TextOf(owner, sub);
      toAccountId = accountIdOf(owner, sub);
      const { icrc1Memo } = parseMemo(req.memo, 'icrc1_transfer');
      target = { method: 'icrc1_transfer', to: dest.account, icrc1Memo };
    }
    if (toAccountId === from.accountId) throw invalidInput(`That is the account the ICP would come from ("${from.name}"): choose another destination.`);
    if (toAccountId === MINTING_ACCOUNT_ID) throw invalidInput("That is the ledger's minting account: ICP sent there would be burned.");

    const { balanceE8s, feeE8s } = await this.maxAmount(from.index);
    checkFunds(amountE8s, feeE8s, balanceE8s);
    const full: TransferPlan = { ...target, amountE8s, feeE8s, fromSubaccount, createdAtNs };

    const notes = ['An ICP transfer cannot be undone.'];
    const own = this.list().find((a) => a.accountId === toAccountId);
    const label = own ? `your account "${own.name}"` : new AddressBook(this.ctx, this.store).labelFor(toAccountId);
    if (label) notes.unshift(`To ${own ? label : `"${label}" (address book)`}.`);
    notes.push(`The account keeps ${formatIcp(balanceE8s - amountE8s - feeE8s)} ICP after this transfer.`);

    const result: SendResult = { blockIndex: 0n, from: from.accountId, to, amountE8s, feeE8s };
    return this.ctx.reviews.prepare(
      {
        action: 'send-icp',
        title: `Send ${formatIcp(amountE8s)} ICP`,
        network: describeNetwork(conn.network),
        signer: conn.principal.toText(),
        calls: [transferCall(full)],
        amountE8s,
        feeE8s,
        from: from.accountId,
        destination: to,
        notes,
      },
      async (): Promise<SendResult> => ({ ...result, blockIndex: await runTransfer(conn, full) }),
    );
  }

  private records(): SubaccountRecord[] {
    const list = this.store.read().subaccounts?.[scopeKey(this.ctx.connection())] ?? [];
    return [...list].sort((a, b) => a.index - b.index);
  }

  private checkNameFree(name: string, exceptIndex?: number) {
    const taken = this.list().find((a) => a.index !== exceptIndex && a.name.toLowerCase() === name.toLowerCase());
    if (taken) throw invalidInput(`An account is already called "${taken.name}".`);
  }

  private freeName(base: string): string {
    const names = new Set(this.list().map((a) => a.name.toLowerCase()));
    let name = base;
    for (let k = 2; names.has(name.toLowerCase()); k++) name = `${base} (${k})`;
    return name;
  }

  private write(change: (list: SubaccountRecord[]) => void) {
    const key = scopeKey(this.ctx.connection());
    this.store.update((d) => {
      d.subaccounts ??= {};
      change((d.subaccounts[key] ??= []));
    });
  }
}

function describe(owner: Principal, index: number, name: string): UserAccount {
  const sub = subaccountOf(index);
  return { index, name, accountId: accountIdOf(owner, sub), icrc1: icrc1TextOf(owner, sub), subaccountHex: sub ? toHex(sub) : null };
}
