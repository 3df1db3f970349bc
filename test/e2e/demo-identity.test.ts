// On the local test subnet, one click gives the demo world's identity (play money).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { a11yViolations, E2E_PASSPHRASE, startE2E, type E2E } from './support.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
}, 120_000);
afterAll(async () => e?.stop());

it('uses the demo identity in one click, with its canisters listed, and only on the local subnet', async () => {
  const { page } = e;
  await page.getByLabel('Passphrase', { exact: true }).fill(E2E_PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(E2E_PASSPHRASE);
  await page.getByRole('button', { name: 'Set the passphrase' }).click();
  await page.getByRole('button', { name: 'Use the demo identity' }).click();
  await expect.poll(() => page.getByTestId('total').textContent(), { timeout: 60_000 }).toBe('2500.00 ICP');
  expect(e.core.vault.list().map((i) => i.label)).toEqual(['Demo (play money)']);
  await e.screenshot('demo-identity');
  expect(await a11yViolations(e)).toEqual([]);
  // Its two canisters are listed without being added by id, with their cycles.
  await page.getByRole('link', { name: 'Canisters' }).click();
  await expect.poll(() => page.getByRole('row', { name: /Demo canister/ }).count(), { timeout: 30_000 }).toBe(2);
  await expect.poll(() => page.getByRole('row', { name: /Demo canister 1/ }).textContent()).toMatch(/4\.\d+ T/);
  await e.screenshot('demo-identity-canisters');
  // On another network the core refuses it.
  await e.core.desk.selectNetwork({ kind: 'mainnet' });
  const r = await e.core.dispatch('vault.useDemoIdentity', []);
  expect(r).toMatchObject({ ok: false, error: { message: 'The demo identity exists only on the local test subnet.' } });
  await e.core.desk.selectNetwork({ kind: 'local' });
  expect(e.errors).toEqual([]);
});
