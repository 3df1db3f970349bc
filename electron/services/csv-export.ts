// CSV exports for a spreadsheet or an accountant: the active identity's neurons (from the neurons
// service's views) and the transactions of all its accounts (from the history service, every page).
// RFC 4180 text (CRLF line ends, fields with a comma, quote or line break in double quotes, quotes
// doubled). Amounts are exact decimal text with 8 decimals (no float anywhere). Text cells that a
// spreadsheet would run as a formula (starting with = + - @ tab or CR) get a leading apostrophe;
// numeric columns are written as numbers (a negative amount keeps its minus sign).
import { formatIcp } from '../api/amounts.ts';
import type { Accounts } from './accounts.ts';
import type { ServiceContext } from './context.ts';
import type { History, HistoryEntry } from './history.ts';
import type { NeuronView } from './neuron-view.ts';
import type { Neurons } from './neurons.ts';

export interface CsvFile {
  fileName: string;
  csv: string;
}

/** A cell: text (guarded against formulas) or a number written as is (amounts, ids, counts). */
export type Cell = { text: string } | { number: string };

const text = (v: string | null | undefined): Cell => ({ text: v ?? '' });
const number = (v: string | bigint | number): Cell => ({ number: String(v) });
const empty: Cell = { text: '' };

/** A text cell a spreadsheet would evaluate ("=HYPERLINK(...)", "+1", "@SUM", tab, CR) gets a leading apostrophe. */
export function guardFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One field as RFC 4180 wants it: quoted when it holds a comma, a double quote, CR or LF. */
export function quoteField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function cellText(c: Cell): string {
  return 'number' in c ? c.number : guardFormula(c.text);
}

/** The CSV text of a header row and records: CRLF after every record, the last one included. */
export function toCsv(header: string[], rows: Cell[][]): string {
  const lines = [header.map((h) => quoteField(guardFormula(h))), ...rows.map((r) => r.map((c) => quoteField(cellText(c))))];
  return lines.map((l) => l.join(',') + '\r\n').join('');
}

/** ICP (or voting power, also in e8s) with exactly 8 decimals: 150000000n -> "1.50000000". */
export function exactIcp(e8s: bigint): string {
  return formatIcp(e8s, { minDecimals: 8 });
}

const DAY = 86_400n;

/** Seconds as days with 2 decimals, rounded down (exact, no float): 15_778_800n -> "182.62". */
export function days(seconds: bigint): string {
  const hundredths = (seconds * 100n) / DAY;
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`;
}

const isoFromSeconds = (s: bigint | undefined): string => (s === undefined ? '' : new Date(Number(s) * 1_000).toISOString());
const isoFromNs = (ns: bigint | null): string => (ns === null ? '' : new Date(Number(ns / 1_000_000n)).toISOString());

export const NEURON_HEADER = [
  'Neuron id',
  'Known neuron name',
  'Role',
  'State',
  'Stake (ICP)',
  'Dissolve delay (seconds)',
  'Dissolve delay (days)',
  'Dissolve date (UTC)',
  'Age (seconds)',
  'Age (days)',
  'Voting power',
  'Potential voting power',
  'Maturity (ICP)',
  'Staked maturity (ICP)',
  'Auto-stake maturity',
  'Followees (count)',
  'Following',
  'Created (UTC)',
  'Account id',
];

/** One neuron per row, by id. The dissolve date is given for a dissolving or dissolved neuron only. */
export function neuronsCsv(neurons: NeuronView[]): string {
  const rows = [...neurons]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((n): Cell[] => [
      number(n.id),
      text(n.knownNeuronName),
      text(n.isController ? 'controller' : 'hotkey'),
      text(n.state),
      number(exactIcp(n.stakeE8s)),
      number(n.dissolveDelaySeconds),
      number(days(n.dissolveDelaySeconds)),
      text(n.state === 'dissolving' || n.state === 'dissolved' ? isoFromSeconds(n.dissolveAtSeconds) : ''),
      number(n.ageSeconds),
      number(days(n.ageSeconds)),
      number(exactIcp(n.decidingVotingPower)),
      number(exactIcp(n.potentialVotingPower)),
      number(exactIcp(n.maturityE8s)),
      number(exactIcp(n.stakedMaturityE8s)),
      text(n.autoStakeMaturity ? 'yes' : 'no'),
      number(n.following.reduce((s, t) => s + t.followees.length, 0)),
      text(n.following.map((t) => `${t.topicName}: ${t.followees.map((f) => (f.name ? `${f.id} (${f.name})` : String(f.id))).join(' ')}`).join('; ')),
      text(isoFromSeconds(n.createdAtSeconds)),
      text(n.accountId),
    ]);
  return toCsv(NEURON_HEADER, rows);
}

/** An account's history entries, with the account they belong to. */
export interface AccountHistory {
  name: string;
  accountId: string;
  entries: HistoryEntry[];
}

export const TRANSACTION_HEADER = [
  'Block index',
  'Time (UTC)',
  'Account',
  'Account id',
  'Type',
  'Direction',
  'From',
  'To',
  'Counterparty name',
  'Spender',
  'Amount (ICP)',
  'Fee (ICP)',
  'Memo',
  'ICRC-1 memo',
];

/**
 * One row per transaction and account, newest first (a transfer between two of the user's
 * accounts appears once for each). The amount is signed as it moved for that account: positive in,
 * negative out, unsigned for an approval (its allowance: nothing moved but the fee).
 */
export function transactionsCsv(accounts: AccountHistory[]): string {
  const rows = accounts
    .flatMap((a, order) => a.entries.map((e) => ({ a, e, order })))
    .sort((x, y) => (x.e.id > y.e.id ? -1 : x.e.id < y.e.id ? 1 : x.order - y.order))
    .map(({ a, e }): Cell[] => {
      const other = e.counterparty ?? '';
      const [from, to] = e.direction === 'in' ? [other, a.accountId] : e.kind === 'approve' && e.label === 'Allowance received' ? [other, a.accountId] : [a.accountId, other];
      const amount = exactIcp(e.amountE8s);
      return [
        number(e.id),
        text(isoFromNs(e.timestampNs ?? e.createdAtNs)),
        text(a.name),
        text(a.accountId),
        text(e.label),
        text(e.direction),
        text(from),
        text(to),
        text(e.counterpartyLabel),
        text(e.spender),
        number(e.direction === 'out' ? `-${amount}` : amount),
        number(exactIcp(e.feeE8s)),
        number(e.memo),
        text(e.icrc1Memo ? `0x${e.icrc1Memo}` : ''),
      ];
    });
  return toCsv(TRANSACTION_HEADER, rows);
}

/** "2026-12-02" of a time in milliseconds (UTC). */
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export interface CsvExportOptions {
  /** The clock of the file name's date (default: this machine's). */
  nowMs?: () => number;
  /** Transactions read per history page (default: the most the history service serves). */
  pageSize?: number;
}

export class CsvExport {
  private readonly nowMs: () => number;
  private readonly pageSize: number;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly services: { neurons: Neurons; history: History; accounts: Accounts },
    opts: CsvExportOptions = {},
  ) {
    this.nowMs = opts.nowMs ?? Date.now;
    this.pageSize = opts.pageSize ?? 500;
  }

  async neurons(): Promise<CsvFile> {
    const views = await this.services.neurons.list();
    return { fileName: this.fileName('neurons'), csv: neuronsCsv(views) };
  }

  async transactions(): Promise<CsvFile> {
    const all: AccountHistory[] = [];
    for (const account of this.services.accounts.list()) {
      const entries: HistoryEntry[] = [];
      let start: bigint | undefined;
      for (;;) {
        const page = await this.services.history.page({ account: account.index, start, pageSize: this.pageSize });
        entries.push(...page.entries);
        if (page.nextStart === null) break;
        start = page.nextStart;
      }
      all.push({ name: account.name, accountId: account.accountId, entries });
    }
    return { fileName: this.fileName('transactions'), csv: transactionsCsv(all) };
  }

  private fileName(what: 'neurons' | 'transactions'): string {
    return `neuron-desk-${what}-${this.ctx.connection().network.kind}-${dateOf(this.nowMs())}.csv`;
  }
}
