// The CSV builder on its own: RFC 4180 quoting, spreadsheet formula injection, exact amounts, and
// the rows of neurons and transactions (the live export is in services/csv-export.test.ts).
import { describe, expect, it } from 'vitest';
import { NEURON_HEADER, TRANSACTION_HEADER, days, exactIcp, guardFormula, neuronsCsv, quoteField, toCsv, transactionsCsv } from '../../electron/services/csv-export.ts';
import type { HistoryEntry } from '../../electron/services/history.ts';
import type { NeuronView } from '../../electron/services/neuron-view.ts';

/** A small RFC 4180 reader (quoted fields, doubled quotes, CRLF records), to read back what was written. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  expect(field, 'the text ends with CRLF').toBe('');
  expect(row).toEqual([]);
  return rows;
}

describe('CSV text', () => {
  it('quotes fields with a comma, a quote or a line break, and doubles quotes', () => {
    expect(quoteField('plain')).toBe('plain');
    expect(quoteField('a,b')).toBe('"a,b"');
    expect(quoteField('say "hi"')).toBe('"say ""hi"""');
    expect(quoteField('two\nlines')).toBe('"two\nlines"');
    expect(quoteField('cr\rhere')).toBe('"cr\rhere"');
    expect(quoteField('')).toBe('');
    const csv = toCsv(['A', 'B'], [[{ text: 'x, "y"' }, { number: '1' }], [{ text: 'line\r\nbreak' }, { number: '-2.50000000' }]]);
    expect(csv).toBe('A,B\r\n"x, ""y""",1\r\n"line\r\nbreak",-2.50000000\r\n');
    expect(parseCsv(csv)).toEqual([['A', 'B'], ['x, "y"', '1'], ['line\r\nbreak', '-2.50000000']]);
  });

  it('puts an apostrophe before text a spreadsheet would run as a formula, never before a number', () => {
    for (const bad of ['=1+1', '+41', '-2', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://evil","x")'])
      expect(guardFormula(bad), JSON.stringify(bad)).toBe(`'${bad}`);
    for (const fine of ['Savings', '1=1', 'a-b', '', ' =not first', "'quoted"]) expect(guardFormula(fine)).toBe(fine);
    const csv = toCsv(['Label', 'Amount'], [[{ text: '=cmd|"/c calc"!A1' }, { number: '-1.00000000' }]]);
    expect(parseCsv(csv)[1]).toEqual(['\'=cmd|"/c calc"!A1', '-1.00000000']);
  });

  it('writes amounts exactly, with 8 decimals, and days without floats', () => {
    expect(exactIcp(0n)).toBe('0.00000000');
    expect(exactIcp(1n)).toBe('0.00000001');
    expect(exactIcp(150_000_000n)).toBe('1.50000000');
    expect(exactIcp(2n ** 64n - 1n)).toBe('184467440737.09551615');
    expect(exactIcp(123_456_789_012_345_678n)).toBe('1234567890.12345678');
    expect(days(0n)).toBe('0.00');
    expect(days(86_400n)).toBe('1.00');
    expect(days(15_778_800n)).toBe('182.62');
    expect(days(252_460_800n)).toBe('2922.00');
  });
});

// Only the fields the export reads (the view has more, which other screens use).
const neuron = (over: Partial<NeuronView>): NeuronView => ({
  id: 1n,
  isController: true,
  accountId: 'ab'.repeat(32),
  stakeE8s: 0n,
  cachedStakeE8s: 0n,
  feesE8s: 0n,
  maturityE8s: 0n,
  stakedMaturityE8s: 0n,
  votingStakeE8s: 0n,
  state: 'locked',
  dissolveDelaySeconds: 0n,
  dissolveAtSeconds: 1_800_000_000n,
  ageSeconds: 0n,
  createdAtSeconds: 1_700_000_000n,
  potentialVotingPower: 0n,
  decidingVotingPower: 0n,
  canVote: false,
  refreshNeeded: false,
  following: [],
  hotkeys: [],
  visibility: 'private',
  autoStakeMaturity: false,
  neuronsFund: false,
  maturityDisbursements: [],
  retrievedAtSeconds: 1_750_000_000n,
  ...over,
}) as NeuronView;

describe('neurons', () => {
  it('writes one row per neuron, by id, with exact amounts and the following per topic', () => {
    const csv = neuronsCsv([
      neuron({
        id: 20n,
        state: 'dissolving',
        stakeE8s: 123_456_789_012n,
        maturityE8s: 7n,
        stakedMaturityE8s: 100_000_000n,
        decidingVotingPower: 250_000_000_001n,
        potentialVotingPower: 250_000_000_002n,
        dissolveDelaySeconds: 15_778_800n,
        dissolveAtSeconds: 1_767_225_600n,
        ageSeconds: 86_400n,
        autoStakeMaturity: true,
        knownNeuronName: '=EVIL()',
        following: [
          { topic: 0, topicName: 'Unspecified', followees: [{ id: 27n, name: 'DFINITY, "Foundation"' }, { id: 28n }] },
          { topic: 4, topicName: 'Governance', followees: [{ id: 29n }] },
        ],
      }),
      neuron({ id: 3n, isController: false, state: 'locked', accountId: undefined }),
    ]);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual(NEURON_HEADER);
    expect(rows.map((r) => r.length)).toEqual([NEURON_HEADER.length, NEURON_HEADER.length, NEURON_HEADER.length]);
    const col = (row: string[], name: string) => row[NEURON_HEADER.indexOf(name)];
    const [, locked, dissolving] = rows;
    expect(col(locked, 'Neuron id')).toBe('3');
    expect(col(locked, 'Role')).toBe('hotkey');
    expect(col(locked, 'Dissolve date (UTC)')).toBe(''); // a locked neuron has no dissolve date yet
    expect(col(locked, 'Following')).toBe('');
    expect(col(locked, 'Followees (count)')).toBe('0');
    expect(col(locked, 'Account id')).toBe('');
    expect(col(dissolving, 'Neuron id')).toBe('20');
    expect(col(dissolving, 'Known neuron name')).toBe("'=EVIL()");
    expect(col(dissolving, 'State')).toBe('dissolving');
    expect(col(dissolving, 'Stake (ICP)')).toBe('1234.56789012');
    expect(col(dissolving, 'Dissolve delay (seconds)')).toBe('15778800');
    expect(col(dissolving, 'Dissolve delay (days)')).toBe('182.62');
    expect(col(dissolving, 'Dissolve date (UTC)')).toBe('2026-01-01T00:00:00.000Z');
    expect(col(dissolving, 'Age (days)')).toBe('1.00');
    expect(col(dissolving, 'Voting power')).toBe('2500.00000001');
    expect(col(dissolving, 'Potential voting power')).toBe('2500.00000002');
    expect(col(dissolving, 'Maturity (ICP)')).toBe('0.00000007');
    expect(col(dissolving, 'Staked maturity (ICP)')).toBe('1.00000000');
    expect(col(dissolving, 'Auto-stake maturity')).toBe('yes');
    expect(col(dissolving, 'Followees (count)')).toBe('3');
    expect(col(dissolving, 'Following')).toBe('Unspecified: 27 (DFINITY, "Foundation") 28; Governance: 29');
    expect(col(dissolving, 'Created (UTC)')).toBe('2023-11-14T22:13:20.000Z');
    expect(col(dissolving, 'Account id')).toBe('ab'.repeat(32));
  });

  it('writes the header alone when there is no neuron', () => {
    expect(neuronsCsv([])).toBe(NEURON_HEADER.join(',') + '\r\n');
  });
});

const entry = (over: Partial<HistoryEntry>): HistoryEntry => ({
  id: 1n,
  kind: 'sent',
  label: 'Sent',
  direction: 'out',
  amountE8s: 0n,
  feeE8s: 0n,
  counterparty: null,
  counterpartyLabel: null,
  spender: null,
  memo: 0n,
  icrc1Memo: null,
  timestampNs: 1_767_225_600_123_456_789n,
  createdAtNs: null,
  ...over,
});

describe('transactions', () => {
  it('writes every account\'s transactions newest first, signed, with from and to', () => {
    const main = { name: 'Main', accountId: 'aa'.repeat(32), entries: [
      entry({ id: 9n, kind: 'sent', direction: 'out', amountE8s: 150_000_000n, feeE8s: 10_000n, counterparty: 'cc'.repeat(32), counterpartyLabel: '+Alice, "the friend"', memo: 42n }),
      entry({ id: 2n, kind: 'minted', label: 'Minted', direction: 'in', amountE8s: 250_000_000_000n }),
    ] };
    const savings = { name: '@Savings', accountId: 'bb'.repeat(32), entries: [
      entry({ id: 9n, kind: 'received', label: 'Received', direction: 'in', amountE8s: 150_000_000n, counterparty: 'aa'.repeat(32), counterpartyLabel: 'Main', icrc1Memo: '0badf00d' }),
      entry({ id: 5n, kind: 'approve', label: 'Approved a spender', direction: 'none', amountE8s: 500_000_000n, feeE8s: 10_000n, counterparty: 'dd'.repeat(32), timestampNs: null, createdAtNs: 1_000_000n }),
      entry({ id: 4n, kind: 'approve', label: 'Allowance received', direction: 'none', amountE8s: 1n, counterparty: 'ee'.repeat(32) }),
    ] };
    const rows = parseCsv(transactionsCsv([main, savings]));
    expect(rows[0]).toEqual(TRANSACTION_HEADER);
    const pick = (r: string[]) => Object.fromEntries(TRANSACTION_HEADER.map((h, i) => [h, r[i]]));
    expect(rows.slice(1).map((r) => [r[0], r[2]])).toEqual([['9', 'Main'], ['9', "'@Savings"], ['5', "'@Savings"], ['4', "'@Savings"], ['2', 'Main']]);
    expect(pick(rows[1])).toEqual({
      'Block index': '9',
      'Time (UTC)': '2026-01-01T00:00:00.123Z',
      Account: 'Main',
      'Account id': 'aa'.repeat(32),
      Type: 'Sent',
      Direction: 'out',
      From: 'aa'.repeat(32),
      To: 'cc'.repeat(32),
      'Counterparty name': '\'+Alice, "the friend"',
      Spender: '',
      'Amount (ICP)': '-1.50000000',
      'Fee (ICP)': '0.00010000',
      Memo: '42',
      'ICRC-1 memo': '',
    });
    expect(pick(rows[2])).toMatchObject({ Direction: 'in', From: 'aa'.repeat(32), To: 'bb'.repeat(32), 'Amount (ICP)': '1.50000000', 'Fee (ICP)': '0.00000000', 'ICRC-1 memo': '0x0badf00d' });
    expect(pick(rows[3])).toMatchObject({ Type: 'Approved a spender', Direction: 'none', From: 'bb'.repeat(32), To: 'dd'.repeat(32), 'Amount (ICP)': '5.00000000', 'Fee (ICP)': '0.00010000', 'Time (UTC)': '1970-01-01T00:00:00.001Z' });
    expect(pick(rows[4])).toMatchObject({ Type: 'Allowance received', From: 'ee'.repeat(32), To: 'bb'.repeat(32), 'Amount (ICP)': '0.00000001' });
    expect(pick(rows[5])).toMatchObject({ Type: 'Minted', From: '', To: 'aa'.repeat(32), 'Amount (ICP)': '2500.00000000' });
  });
});
