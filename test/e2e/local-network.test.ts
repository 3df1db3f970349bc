// The local subnet panel: time travel, the faucet, a test proposal, and a reset to the demo world.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { a11yViolations, signIn, startE2E, type E2E } from './support.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
  await signIn(e, 'carol');
}, 120_000);
afterAll(async () => e?.stop());

it('advances the clock, mints play ICP, opens a proposal, resets', async () => {
  const { page } = e;
  await page.getByRole('link', { name: 'Local subnet' }).click();
  await page.getByRole('heading', { name: 'Local test subnet' }).waitFor();

  await page.getByRole('button', { name: 'Advance 1 day' }).click();
  await expect.poll(() => page.getByRole('status').textContent()).toMatch(/moved 1 day forward/);
  const t1 = Date.parse((await page.getByTestId('subnet-time').textContent())!.replace(' UTC', 'Z').replace(' ', 'T'));
  await page.getByRole('button', { name: 'Advance 7 days' }).click();
  await expect.poll(() => page.getByRole('status').textContent()).toMatch(/moved 7 days forward/);
  const t2 = Date.parse((await page.getByTestId('subnet-time').textContent())!.replace(' UTC', 'Z').replace(' ', 'T'));
  expect(t2 - t1).toBeGreaterThanOrEqual(7 * 86_400_000);

  await page.getByLabel('Play ICP').fill('0.000000001');
  await page.getByRole('button', { name: 'Get play ICP' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toBe('ICP has at most 8 decimals.');
  await page.getByLabel('Play ICP').fill('100');
  await page.getByRole('button', { name: 'Get play ICP' }).click();
  await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Minted 100 play ICP/);

  await page.getByRole('button', { name: 'Open a test proposal' }).click();
  await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Proposal \d+ is open/);
  await e.screenshot('local-network');
  expect(await a11yViolations(e)).toEqual([]);

  await page.getByRole('link', { name: 'Accounts' }).click();
  await expect.poll(() => page.getByTestId('total').textContent(), { timeout: 30_000 }).toBe('142.00 ICP');

  await page.getByRole('link', { name: 'Local subnet' }).click();
  await page.getByRole('button', { name: 'Reset the subnet' }).click();
  await page.getByRole('button', { name: 'Reset now' }).click();
  await expect.poll(() => page.getByRole('status').textContent(), { timeout: 60_000 }).toMatch(/starts over/);
  await page.getByRole('link', { name: 'Accounts' }).click();
  await expect.poll(() => page.getByTestId('total').textContent(), { timeout: 60_000 }).toBe('42.00 ICP');
  expect(e.errors).toEqual([]);
}, 180_000);
