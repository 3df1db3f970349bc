// The Canisters screen in Chromium against the real core, as the demo identity: its two canisters
// with cycles; a top-up with a live cycles preview, reviewed, that adds cycles; creating a
// canister; adding one by id (a user's principal is refused; a canister it does not control is
// listed without status).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_IDENTITIES } from '../../subnet/genesis/demo.ts';
import { FIRST_USER_CANISTER_INDEX, canisterIdFromIndex } from '../../subnet/canisters/management/ids.ts';
import { a11yViolations, signIn, startE2E, type E2E } from './support.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
  await signIn(e, 'demo');
  await e.page.getByRole('link', { name: 'Canisters' }).click();
  await e.page.getByRole('heading', { name: 'Canisters', level: 1 }).waitFor();
}, 120_000);
afterAll(async () => e?.stop());

const LEDGER = 'ryjl3-tyaaa-aaaaa-aaaba-cai';
// The demo world's first two user canisters (genesis creates them for the demo identity). A fresh
// machine does not know them: nothing on the network lists a principal's canisters.
const DEMO_IDS = [0n, 1n].map((i) => canisterIdFromIndex(FIRST_USER_CANISTER_INDEX + i).toText());
const rows = () => e.page.getByTestId('canisters').locator('tbody tr');
const tera = (text: string | null) => Number(text!.replace(' T', ''));

it("starts empty; adds the demo identity's two canisters by id and lists them with their cycles", async () => {
  const { page } = e;
  await page.getByText('No canisters yet').waitFor({ timeout: 30_000 });
  await e.screenshot('canisters-empty');
  expect(await a11yViolations(e), 'canisters-empty').toEqual([]);
  for (const [i, id] of DEMO_IDS.entries()) {
    await page.getByLabel('Canister id').fill(id);
    await page.getByLabel('Name (optional)').fill(`Demo ${i + 1}`);
    await page.getByRole('button', { name: 'Add the canister' }).click();
    await expect.poll(() => rows().count(), { timeout: 30_000 }).toBe(i + 1);
  }
  await expect.poll(() => rows().count(), { timeout: 30_000 }).toBe(2);
  // Genesis gave them 4.2 T and 0.35 T; they have burnt some since.
  const demo1 = tera(await page.getByTestId(`canister-${DEMO_IDS[0]}`).getByTestId('cycles').textContent());
  const demo2 = tera(await page.getByTestId(`canister-${DEMO_IDS[1]}`).getByTestId('cycles').textContent());
  expect(demo1).toBeGreaterThan(4);
  expect(demo1).toBeLessThanOrEqual(4.2);
  expect(demo2).toBeGreaterThan(0.2);
  expect(demo2).toBeLessThanOrEqual(0.35);
  await e.screenshot('canisters');
  expect(await a11yViolations(e), 'canisters').toEqual([]);
});

it('tops one up with 1 ICP: preview, review, more cycles', async () => {
  const { page } = e;
  const id = DEMO_IDS[1];
  const row = page.getByTestId(`canister-${id}`);
  await row.getByRole('button', { name: /^Top up/ }).click();
  await page.getByLabel('Amount (ICP)').fill('1.123456789');
  await page.getByText('ICP has at most 8 decimals.').waitFor();
  await page.getByLabel('Amount (ICP)').fill('1');
  await expect.poll(() => page.getByTestId('cycles-preview').textContent()).toMatch(/≈ 3\.500 T cycles/);
  await e.screenshot('canisters-top-up');
  expect(await a11yViolations(e), 'canisters-top-up').toEqual([]);
  await page.getByRole('button', { name: 'Review the top-up' }).click();
  const dialog = page.getByRole('dialog');
  expect(await dialog.getByTestId('review-amount').textContent()).toBe('1.00 ICP');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await page.getByTestId('canisters-notice').waitFor({ timeout: 30_000 });
  await expect.poll(async () => tera(await page.getByTestId(`canister-${id}`).getByTestId('cycles').textContent())).toBeGreaterThan(3.8);
});

it('creates a canister', async () => {
  const { page } = e;
  await page.getByRole('button', { name: 'Create a canister' }).click();
  await page.getByLabel('Name (optional)').fill('My new canister');
  await page.getByLabel('Amount (ICP)').fill('1');
  await page.getByTestId('cycles-preview').waitFor();
  await page.getByRole('button', { name: 'Review the creation' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  await expect.poll(() => page.getByTestId('canisters-notice').textContent(), { timeout: 30_000 }).toMatch(/^Canister .+ is created\.$/);
  await expect.poll(() => rows().count()).toBe(3);
  const created = rows().filter({ hasText: 'My new canister' });
  expect(tera(await created.getByTestId('cycles').textContent())).toBeGreaterThan(2.5);
  await e.screenshot('canisters-created');
  expect(await a11yViolations(e), 'canisters-created').toEqual([]);
});

it('adds one by id; a principal that is not a canister is refused', async () => {
  const { page } = e;
  await page.getByLabel('Canister id').fill(DEMO_IDENTITIES[1].principal);
  await page.getByRole('button', { name: 'Add the canister' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/not a canister id/);
  await page.getByLabel('Canister id').fill(LEDGER);
  await page.getByLabel('Name (optional)').fill('ICP ledger');
  await page.getByRole('button', { name: 'Add the canister' }).click();
  await expect.poll(() => rows().count()).toBe(4);
  expect(await page.getByTestId(`canister-${LEDGER}`).textContent()).toContain('ICP ledger');
  await e.screenshot('canisters-added');
  expect(await a11yViolations(e), 'canisters-added').toEqual([]);
});

it('renames and removes a canister', async () => {
  const { page } = e;
  const row = page.getByTestId(`canister-${LEDGER}`);
  await row.getByRole('button', { name: /^Rename/ }).click();
  await row.getByLabel('New name').fill('The ledger');
  await row.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => row.textContent()).toContain('The ledger');
  await row.getByRole('button', { name: /^Remove/ }).click();
  await expect.poll(() => rows().count()).toBe(3);
});

it('caused no browser error (no CSP violation, no uncaught exception)', () => {
  expect(e.errors).toEqual([]);
});
