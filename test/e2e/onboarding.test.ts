// The first screens in Chromium against the real core: set a passphrase, import an identity, see
// its balance; lock and unlock (a wrong passphrase says so); a lock in the core reaches the page.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_IDENTITIES } from '../../subnet/genesis/demo.ts';
import { a11yViolations, startE2E, type E2E } from './support.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
}, 120_000);
afterAll(async () => e?.stop());

const PASSPHRASE = 'a long end-to-end passphrase';
const carol = DEMO_IDENTITIES.find((d) => d.name === 'carol')!;

it('sets the passphrase, refusing two that differ', async () => {
  const { page } = e;
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(PASSPHRASE + 'x');
  await page.getByRole('button', { name: 'Set the passphrase' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toBe('The two passphrases differ.');
  await e.screenshot('setup');
  expect(await a11yViolations(e)).toEqual([]);
  await page.getByLabel('Passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Set the passphrase' }).click();
  await page.getByRole('heading', { name: 'Add your first identity' }).waitFor();
});

it('imports a seed phrase (a wrong word is named) and shows the balance', async () => {
  const { page } = e;
  await page.getByRole('button', { name: 'Import a seed phrase' }).click();
  await page.getByLabel('Seed phrase (12 or 24 words)').fill(carol.seedPhrase.replace('stove', 'stovey'));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/stovey/);
  await page.getByLabel('Seed phrase (12 or 24 words)').fill(carol.seedPhrase);
  await page.getByLabel('Name (optional)').fill('Carol');
  await e.screenshot('import-seed');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.poll(() => page.getByTestId('total').textContent(), { timeout: 60_000 }).toBe('42.00 ICP');
  await e.screenshot('accounts');
  expect(await a11yViolations(e)).toEqual([]);
});

it('locks and unlocks; a wrong passphrase says so', async () => {
  const { page } = e;
  await page.getByRole('button', { name: 'Lock' }).click();
  await page.getByRole('heading', { name: 'Neuron Desk is locked' }).waitFor();
  await page.getByLabel('Passphrase').fill('not the passphrase');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect.poll(() => page.getByRole('alert').isVisible()).toBe(true);
  await e.screenshot('unlock-error');
  expect(await a11yViolations(e)).toEqual([]);
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect.poll(() => page.getByTestId('total').textContent(), { timeout: 60_000 }).toBe('42.00 ICP');
});

it('locks when the core locks (events reach the page)', async () => {
  const { page } = e;
  e.core.vault.lock();
  await page.getByRole('heading', { name: 'Neuron Desk is locked' }).waitFor({ timeout: 30_000 });
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByTestId('total').waitFor({ timeout: 60_000 });
});

it('caused no browser error (no CSP violation, no uncaught exception)', () => {
  expect(e.errors).toEqual([]);
});
