// The Accounts screen in Chromium against the real core, as the demo identity: send ICP through
// the review (invalid inputs are refused inline and send nothing; Max is balance minus fee), see
// the balance and the history, receive (addresses, QR code), the address book, a subaccount.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatIcp, parseIcp } from '../../electron/api/amounts.ts';
import { DEMO_IDENTITIES } from '../../subnet/genesis/demo.ts';
import { a11yViolations, signIn, startE2E, type E2E } from './support.ts';

let e: E2E;
beforeAll(async () => {
  // The QR code component skips drawing when NODE_ENV is 'test' (vitest's): build as the app ships.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    e = await startE2E();
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  await signIn(e, 'demo');
}, 120_000);
afterAll(async () => e?.stop());

const alice = DEMO_IDENTITIES.find((d) => d.name === 'alice')!.principal;
const FEE = 10_000n;

async function mainBalance(): Promise<bigint> {
  const text = (await e.page.getByTestId('balance-0').textContent())!;
  return parseIcp(text.replace(' ICP', ''));
}

async function review() {
  await e.page.getByRole('button', { name: 'Review the transfer' }).click();
}

it('refuses invalid inputs inline and sends nothing', async () => {
  const { page } = e;
  const before = await mainBalance();
  await page.getByLabel('To (account id or ICRC-1 account)').fill(alice);
  await page.getByLabel('Amount (ICP)').fill('1.123456789');
  await review();
  await expect.poll(() => page.locator('#send-amount-error').textContent()).toBe('ICP has at most 8 decimals.');

  const ownId = (await page.getByTestId('accounts').locator('code').first().textContent())!;
  const badId = ownId.slice(0, -1) + (ownId.endsWith('0') ? '1' : '0');
  await page.getByLabel('To (account id or ICRC-1 account)').fill(badId);
  await page.getByLabel('Amount (ICP)').fill('1');
  await review();
  await expect.poll(() => page.locator('#send-to-error').textContent()).toMatch(/checksum/);

  await page.getByLabel('To (account id or ICRC-1 account)').fill(alice);
  await page.getByLabel('Amount (ICP)').fill('1000000');
  await review();
  await expect.poll(() => page.locator('#send-amount-error').textContent()).toMatch(/exceed the balance/);
  await e.screenshot('accounts-send-invalid');
  expect(await a11yViolations(e), 'accounts-send-invalid').toEqual([]);
  expect(await page.getByRole('dialog').count()).toBe(0);
  expect(await mainBalance()).toBe(before);
});

it('Max fills the balance minus the fee', async () => {
  const { page } = e;
  const balance = await mainBalance();
  await page.getByRole('button', { name: 'Max' }).click();
  await expect.poll(() => page.getByLabel('Amount (ICP)').inputValue()).toBe(formatIcp(balance - FEE, { minDecimals: 0 }));
});

it('sends 1.5 ICP to alice through the review; the balance drops by amount and fee', async () => {
  const { page } = e;
  const before = await mainBalance();
  await page.getByLabel('To (account id or ICRC-1 account)').fill(alice);
  await page.getByLabel('Amount (ICP)').fill('1.5');
  await review();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  expect(await dialog.getByTestId('review-amount').textContent()).toBe('1.50 ICP');
  expect(await dialog.getByTestId('review-fee').textContent()).toBe('0.0001 ICP');
  await e.screenshot('accounts-send-review');
  expect(await a11yViolations(e), 'accounts-send-review').toEqual([]);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect.poll(() => page.getByTestId('send-result').textContent(), { timeout: 30_000 }).toMatch(/^Sent 1\.50 ICP in block \d+\.$/);
  await expect.poll(mainBalance).toBe(before - parseIcp('1.5') - FEE);
  await e.screenshot('accounts-sent');
  expect(await a11yViolations(e), 'accounts-sent').toEqual([]);
});

it('shows the send in the history with its label', async () => {
  const { page } = e;
  await page.getByRole('button', { name: 'History', exact: true }).click();
  const row = page.getByTestId('history').locator('tbody tr').first();
  await expect.poll(() => row.textContent(), { timeout: 30_000 }).toMatch(/Sent.*−1\.50 ICP.*0\.0001 ICP/);
  await e.screenshot('accounts-history');
  expect(await a11yViolations(e), 'accounts-history').toEqual([]);
});

it('shows the addresses to receive and a QR code', async () => {
  const { page } = e;
  await page.getByRole('button', { name: 'Receive', exact: true }).click();
  expect(await page.getByTestId('receive-icrc1').inputValue()).toBe(DEMO_IDENTITIES[0].principal);
  expect(await page.getByTestId('receive-account-id').inputValue()).toMatch(/^[0-9a-f]{64}$/);
  const qr = page.locator('canvas[aria-label^="QR code"]');
  await qr.waitFor();
  // Drawn: some dark modules on the white background.
  const dark = () => qr.evaluate((c: HTMLCanvasElement) => c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.filter((v, i) => i % 4 === 0 && v < 50).length);
  await expect.poll(dark).toBeGreaterThan(1000);
  await page.getByRole('button', { name: 'Copy the account id' }).click();
  await page.getByRole('status').waitFor();
  await e.screenshot('accounts-receive');
  expect(await a11yViolations(e), 'accounts-receive').toEqual([]);
});

it('adds an address-book entry and sends to it', async () => {
  const { page } = e;
  await page.getByRole('button', { name: 'Address book', exact: true }).click();
  await page.getByText('No saved addresses yet.').waitFor();
  await page.getByRole('button', { name: 'Add an address' }).click();
  await page.getByLabel('Label').fill('Alice');
  await page.getByLabel('Address (account id or ICRC-1 account)').fill('not an address');
  await page.getByRole('button', { name: 'Save the address' }).click();
  await page.getByRole('alert').waitFor();
  await page.getByLabel('Address (account id or ICRC-1 account)').fill(alice);
  await page.getByRole('button', { name: 'Save the address' }).click();
  await expect.poll(() => page.getByTestId('address-book').textContent()).toContain('Alice');
  await e.screenshot('accounts-address-book');
  expect(await a11yViolations(e), 'accounts-address-book').toEqual([]);

  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await page.getByLabel('Or pick from the address book').selectOption({ label: 'Alice' });
  expect(await page.getByLabel('To (account id or ICRC-1 account)').inputValue()).toBe(alice);
  await page.getByLabel('Amount (ICP)').fill('0.25');
  await review();
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  await expect.poll(() => page.getByTestId('send-result').textContent(), { timeout: 30_000 }).toMatch(/^Sent 0\.25 ICP/);
  await page.getByRole('button', { name: 'History', exact: true }).click();
  await expect.poll(() => page.getByTestId('history').locator('tbody tr').first().textContent(), { timeout: 30_000 }).toMatch(/Sent.*Alice.*0\.25 ICP/);
});

it('creates a subaccount', async () => {
  const { page } = e;
  await page.getByRole('button', { name: 'Subaccounts', exact: true }).click();
  await page.getByLabel('Subaccount name').fill('Savings');
  await page.getByRole('button', { name: 'Create a subaccount' }).click();
  await expect.poll(() => page.getByTestId('accounts').textContent()).toContain('Savings');
  await e.screenshot('accounts-subaccounts');
  expect(await a11yViolations(e), 'accounts-subaccounts').toEqual([]);
});

it('caused no browser error (no CSP violation, no uncaught exception)', () => {
  expect(e.errors).toEqual([]);
});
