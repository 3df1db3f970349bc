// The CSV exports against the live demo world: the demo identity's neurons as the neurons service
// sees them, and the transactions of all its accounts (every page), which add up to the balances.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Accounts } from '../../../electron/services/accounts.ts';
import { CsvExport, NEURON_HEADER, TRANSACTION_HEADER, exactIcp } from '../../../electron/services/csv-export.ts';
import { History } from '../../../electron/services/history.ts';
import { LocalStore } from '../../../electron/services/local-store.ts';
import { emptyLedgerData, type LedgerLocalData } from '../../../electron/services/ledger-store.ts';
import { Neurons } from '../../../electron/services/neurons.ts';
import { parseIcp } from '../../../electron/api/amounts.ts';
import type { Subnet } from '../../../subnet/subnet.ts';
import { deskFor, demoIdentity, startDeskSubnet, type TestDesk } from '../support/desk.ts';

let subnet: Subnet;
let dir: string;
let demo: TestDesk;
let store: LocalStore<LedgerLocalData>;
const NOW = Date.UTC(2026, 11, 2, 23, 59, 0);

/** The CSV text as rows of fields (RFC 4180: quoted fields, doubled quotes, CRLF after every record). */
function rows(csv: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i];
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && csv[i + 1] === '\n') row.push(field), out.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  expect([field, row]).toEqual(['', []]);
  return out;
}

function exporter(opts: { pageSize?: number } = {}) {
  return new CsvExport(demo.ctx, { neurons: new Neurons(demo.ctx), history: new History(demo.ctx, store), accounts: new Accounts(demo.ctx, store) }, { nowMs: () => NOW, ...opts });
}

beforeAll(async () => {
  subnet = await startDeskSubnet('demo');
  dir = mkdtempSync(join(tmpdir(), 'desk-csv-'));
  store = new LocalStore<LedgerLocalData>(join(dir, 'local.json'), emptyLedgerData);
  demo = await deskFor(subnet.url, demoIdentity());
  // A subaccount with a history of its own (a transfer from Main to it appears once for each side).
  const accounts = new Accounts(demo.ctx, store);
  const savings = accounts.createSubaccount('=Savings');
  await demo.reviews.confirm((await accounts.prepareSend({ to: savings.accountId, amount: '12.34567891', memo: 7n })).id);
});

afterAll(async () => {
  await subnet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('CSV export', () => {
  it('exports the demo identity\'s neurons as the neurons service sees them', async () => {
    const file = await exporter().neurons();
    expect(file.fileName).toBe('neuron-desk-neurons-local-2026-12-02.csv');
    const views = await new Neurons(demo.ctx).list();
    expect(views.length).toBeGreaterThan(1);
    const [header, ...body] = rows(file.csv);
    expect(header).toEqual(NEURON_HEADER);
    expect(body).toHaveLength(views.length);
    const col = (r: string[], name: string) => r[NEURON_HEADER.indexOf(name)];
    for (const v of views) {
      const r = body.find((x) => col(x, 'Neuron id') === String(v.id));
      expect(r, `neuron ${v.id}`).toBeDefined();
      expect(col(r!, 'State')).toBe(v.state);
      expect(col(r!, 'Stake (ICP)')).toBe(exactIcp(v.stakeE8s));
      expect(parseIcp(col(r!, 'Stake (ICP)'), { allowZero: true })).toBe(v.stakeE8s);
      expect(col(r!, 'Maturity (ICP)')).toBe(exactIcp(v.maturityE8s));
      // Between the two reads voting power moves with the clock (up with age, down while
      // dissolving): the same to within a millionth.
      expect(col(r!, 'Voting power')).toMatch(/^\d+\.\d{8}$/);
      const power = parseIcp(col(r!, 'Voting power'), { allowZero: true });
      const diff = power > v.decidingVotingPower ? power - v.decidingVotingPower : v.decidingVotingPower - power;
      expect(diff * 1_000_000n <= v.decidingVotingPower, `voting power of ${v.id}: ${power} vs ${v.decidingVotingPower}`).toBe(true);
      // A dissolving neuron's remaining delay shrinks between the reads (a few seconds at most).
      const delay = BigInt(col(r!, 'Dissolve delay (seconds)'));
      if (v.state === 'dissolving') expect(delay - v.dissolveDelaySeconds >= 0n && delay - v.dissolveDelaySeconds <= 5n, `delay of ${v.id}`).toBe(true);
      else expect(delay).toBe(v.dissolveDelaySeconds);
      expect(col(r!, 'Account id')).toBe(v.accountId ?? '');
      expect(col(r!, 'Followees (count)')).toBe(String(v.following.reduce((s, t) => s + t.followees.length, 0)));
      if (v.state === 'dissolving') expect(col(r!, 'Dissolve date (UTC)')).toBe(new Date(Number(v.dissolveAtSeconds) * 1000).toISOString());
      if (v.state === 'locked') expect(col(r!, 'Dissolve date (UTC)')).toBe('');
    }
    expect(new Set(views.map((v) => v.state))).toContain('dissolving');
  });

  it('exports every account\'s transactions, all pages, adding up to each balance', async () => {
    const file = await exporter().transactions();
    expect(file.fileName).toBe('neuron-desk-transactions-local-2026-12-02.csv');
    const [header, ...body] = rows(file.csv);
    expect(header).toEqual(TRANSACTION_HEADER);
    const col = (r: string[], name: string) => r[TRANSACTION_HEADER.indexOf(name)];
    const accounts = await new Accounts(demo.ctx, store).balances();
    expect(accounts.accounts.map((a) => a.name)).toEqual(['Main', '=Savings']);
    for (const a of accounts.accounts) {
      const mine = body.filter((r) => col(r, 'Account id') === a.accountId);
      expect(mine.length, a.name).toBeGreaterThan(0);
      expect(col(mine[0], 'Account')).toBe(a.index === 0 ? 'Main' : "'=Savings");
      // Signed amounts less fees give the balance (the demo identity has no approvals).
      const sum = mine.reduce((s, r) => s + parseSigned(col(r, 'Amount (ICP)')) - parseIcp(col(r, 'Fee (ICP)'), { allowZero: true }), 0n);
      expect(sum, a.name).toBe(a.balanceE8s);
    }
    // The transfer to the subaccount: once out of Main, once into Savings, same block.
    const transfer = body.filter((r) => col(r, 'Memo') === '7');
    expect(transfer.map((r) => [col(r, 'Account'), col(r, 'Direction'), col(r, 'Amount (ICP)')])).toEqual([
      ['Main', 'out', '-12.34567891'],
      ["'=Savings", 'in', '12.34567891'],
    ]);
    expect(col(transfer[0], 'Block index')).toBe(col(transfer[1], 'Block index'));
    expect(col(transfer[0], 'To')).toBe(accounts.accounts[1].accountId);
    expect(col(transfer[0], 'Fee (ICP)')).toBe('0.00010000');
    // Newest first, with ISO 8601 UTC times.
    const ids = body.map((r) => BigInt(col(r, 'Block index')));
    expect(ids).toEqual([...ids].sort((x, y) => (x > y ? -1 : x < y ? 1 : 0)));
    for (const r of body) expect(col(r, 'Time (UTC)')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    // Page by page (2 at a time) the same file.
    expect((await exporter({ pageSize: 2 }).transactions()).csv).toBe(file.csv);
  });
});

function parseSigned(text: string): bigint {
  return text.startsWith('-') ? -parseIcp(text.slice(1), { allowZero: true }) : parseIcp(text, { allowZero: true });
}
