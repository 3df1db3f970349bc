// Settings: network choice (a replica that is not on this machine needs its root key), identities
// (a watch-only one reads but cannot sign; switching), auto-lock, light and dark themes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { a11yViolations, signIn, startE2E, type E2E } from './support.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
  await signIn(e, 'carol');
}, 120_000);
afterAll(async () => e?.stop());

it('refuses a remote replica without its root key, keeps the network', async () => {
  const { page } = e;
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Settings' }).waitFor();
  await page.getByLabel('Another replica').check();
  await page.getByLabel('Replica URL').fill('https://replica.example.org');
  await page.getByRole('button', { name: 'Use this network' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/needs its root key/);
  await expect.poll(() => e.core.desk.status().network.kind).toBe('local');
});

it('adds a watch-only identity, switches to it and back', async () => {
  const { page } = e;
  await page.getByLabel('Watch a principal (read-only)').fill('em2mo-wlfwe-nlzcn-o4sqa-jgi3i-fiyxi-c4gtg-nnjyu-sgk7g-vcjiv-sae');
  await page.getByLabel('Name', { exact: true }).fill('Alice (watch)');
  await page.getByRole('button', { name: 'Add watch-only' }).click();
  await expect.poll(() => page.getByRole('status').textContent()).toMatch(/watch-only identity was added/);
  await page.getByRole('row', { name: /Alice \(watch\)/ }).getByRole('button', { name: 'Use' }).click();
  await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Alice \(watch\) is now active/);
  await page.getByRole('link', { name: 'Accounts' }).click();
  await expect.poll(() => page.getByTestId('total').textContent(), { timeout: 60_000 }).toBe('10000.00 ICP');
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('row', { name: /carol/ }).getByRole('button', { name: 'Use' }).click();
  await expect.poll(() => page.getByRole('status').textContent()).toMatch(/carol is now active/);
});

it('sets auto-lock and switches themes', async () => {
  const { page } = e;
  await page.getByLabel('Lock after this long without activity').selectOption({ label: '30 minutes' });
  await expect.poll(() => e.core.vault.status().autoLockMs).toBe(30 * 60_000);
  await page.getByLabel('Light').check();
  expect(await page.evaluate(() => document.documentElement.getAttribute('theme'))).toBe('light');
  await e.screenshot('settings');
  expect(await page.evaluate(() => document.documentElement.getAttribute('theme'))).toBe('light');
  await page.getByLabel('Dark').check();
  expect(await page.evaluate(() => document.documentElement.getAttribute('theme'))).toBe(null);
  expect(await a11yViolations(e)).toEqual([]);
  expect(e.errors).toEqual([]);
});
