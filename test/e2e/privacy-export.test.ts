// "Hide balances" and the CSV exports in Chromium against the real core, as the demo identity: the
// Accounts screen's button masks the balances (and the Neurons screen's), then shows them again;
// the exports come from the core and download as files through a blob: URL under the renderer's
// strict CSP, from the Settings screen's buttons.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { CsvFile } from '../../electron/services/csv-export.ts';
import { NEURON_HEADER, TRANSACTION_HEADER } from '../../electron/services/csv-export.ts';
import { a11yViolations, signIn, startE2E, type E2E } from './support.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
  await signIn(e, 'demo');
}, 120_000);
afterAll(async () => e?.stop());

const today = new Date().toISOString().slice(0, 10);
/** renderer/src/lib/privacy.svelte.ts's mask (a runes module: not importable under Node). */
const MASK = '•••••';

async function exported(method: 'export.neuronsCsv' | 'export.transactionsCsv'): Promise<CsvFile> {
  const r = await e.core.dispatch(method, []);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as CsvFile;
}

/** Waits for the download `start` causes; its suggested file name and its text. */
async function download(page: Page, start: () => Promise<unknown>): Promise<{ fileName: string; text: string }> {
  const [d] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), start()]);
  const path = await d.path();
  return { fileName: d.suggestedFilename(), text: await readFile(path, 'utf8') };
}

it('hides the balances on the Accounts and Neurons screens, and shows them again', async () => {
  const { page } = e;
  const total = (await page.getByTestId('total').textContent())!;
  const main = (await page.getByTestId('balance-0').textContent())!;
  expect(total).toMatch(/^[\d.]+ ICP$/);

  await page.getByRole('button', { name: 'Hide balances' }).click();
  await expect.poll(() => page.getByTestId('total').textContent()).toBe(MASK);
  expect(await page.getByTestId('balance-0').textContent()).toBe(MASK);
  expect(await page.evaluate(() => localStorage.getItem('neuron-desk-hide-balances'))).toBe('hidden');
  // The history's amounts too.
  await page.getByRole('button', { name: 'History', exact: true }).click();
  await page.getByTestId('history').waitFor({ timeout: 60_000 });
  const amounts = await page.getByTestId('history').locator('tbody td.amount').allTextContents();
  expect(amounts.length).toBeGreaterThan(0);
  expect(amounts.every((t) => t === MASK || t === '—')).toBe(true);
  await e.screenshot('privacy-accounts-hidden');
  expect(await a11yViolations(e), 'privacy-accounts-hidden').toEqual([]);

  await page.getByRole('link', { name: 'Neurons', exact: true }).click();
  await page.getByTestId('total-stake').waitFor({ timeout: 60_000 });
  expect(await page.getByTestId('total-stake').textContent()).toBe(MASK);
  expect((await page.getByTestId('total-maturity').textContent())!.trim()).toMatch(new RegExp(`^${MASK}`));
  await e.screenshot('privacy-neurons-hidden');
  expect(await a11yViolations(e), 'privacy-neurons-hidden').toEqual([]);

  await page.getByRole('link', { name: 'Accounts', exact: true }).click();
  await page.getByRole('button', { name: 'Show balances' }).click();
  await expect.poll(() => page.getByTestId('total').textContent()).toBe(total);
  expect(await page.getByTestId('balance-0').textContent()).toBe(main);
  expect(await page.evaluate(() => localStorage.getItem('neuron-desk-hide-balances'))).toBeNull();
  await page.getByRole('link', { name: 'Neurons', exact: true }).click();
  await page.getByTestId('total-stake').waitFor({ timeout: 60_000 });
  expect(await page.getByTestId('total-stake').textContent()).toMatch(/^[\d,]+\.\d\d$/);
}, 120_000);

it('exports the neurons and the transactions as CSV files that download', async () => {
  const { page } = e;
  const neurons = await exported('export.neuronsCsv');
  const transactions = await exported('export.transactionsCsv');
  expect(neurons.fileName).toBe(`neuron-desk-neurons-local-${today}.csv`);
  expect(transactions.fileName).toBe(`neuron-desk-transactions-local-${today}.csv`);
  expect(neurons.csv.startsWith(NEURON_HEADER.join(',') + '\r\n')).toBe(true);
  expect(transactions.csv.startsWith(TRANSACTION_HEADER.join(',') + '\r\n')).toBe(true);
  expect(neurons.csv.split('\r\n').length).toBeGreaterThan(3);
  expect(transactions.csv.split('\r\n').length).toBeGreaterThan(2);

  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
  await page.getByText('Reading the settings…').waitFor({ state: 'detached', timeout: 60_000 });
  // The Settings screen's Export buttons download the files (a Blob, an object URL, <a download>).
  const n = await download(page, () => page.getByRole('button', { name: 'Export neurons (CSV)' }).click());
  expect(n).toEqual({ fileName: neurons.fileName, text: expect.stringMatching(/^Neuron id,/) });
  expect(n.text.split('\r\n').length).toBe(neurons.csv.split('\r\n').length);
  await expect.poll(() => page.getByRole('status').filter({ hasText: neurons.fileName }).count()).toBe(1);
  const t = await download(page, () => page.getByRole('button', { name: 'Export transactions (CSV)' }).click());
  expect(t.fileName).toBe(transactions.fileName);
  expect(t.text).toBe(transactions.csv); // no new transaction meanwhile
  await e.screenshot('privacy-export-settings');
  expect(await a11yViolations(e)).toEqual([]);
  expect(e.errors).toEqual([]);
}, 120_000);
