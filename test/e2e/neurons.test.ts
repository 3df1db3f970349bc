// The Neurons screens in Chromium against the real core, as the demo identity (its demo-world
// neurons: 500 ICP locked 1 year, 1,200 ICP locked 2 years with maturity, 150 ICP dissolving, 75 ICP
// dissolved, and 300 ICP of another controller where it is a hotkey): the table and its states;
// staking a neuron with the wizard; a command on the detail page through the review; a merge with
// governance's preview; disbursing the dissolved neuron, seen on the Accounts screen; the banner
// of neurons whose voting power needs a refresh, months later; an identity without neurons.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { parseIcp } from '../../electron/api/amounts.ts';
import { a11yViolations, signIn, startE2E, type E2E } from './support.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
  await signIn(e, 'demo');
}, 120_000);
afterAll(async () => e?.stop());

const FEE = 10_000n;

/** The table's row of the neuron whose stake column shows `stake` ("1,200.00"). */
function row(stake: string): Locator {
  return e.page.locator('table.neurons-table tbody tr').filter({ has: e.page.getByRole('cell', { name: stake, exact: true }) });
}

async function openNeurons() {
  await e.page.getByRole('link', { name: 'Neurons', exact: true }).click();
  await e.page.locator('table.neurons-table').waitFor({ timeout: 60_000 });
}

/** Confirms the open review and waits for it to close. */
async function confirmReview() {
  const dialog = e.page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await dialog.waitFor({ state: 'detached', timeout: 60_000 });
}

/** A screenshot of the whole screen, and its accessibility check. */
async function shot(name: string) {
  await e.screenshot(name);
  expect(await a11yViolations(e), name).toEqual([]);
}

async function total(): Promise<bigint> {
  await e.page.getByRole('link', { name: 'Accounts', exact: true }).click();
  const text = (await e.page.getByTestId('total').textContent({ timeout: 60_000 }))!;
  return parseIcp(text.replace(' ICP', '').replaceAll(',', ''));
}

it('lists the neurons with their states, following and totals', async () => {
  await openNeurons();
  const expected: Array<[string, string, RegExp]> = [
    ['500.00', 'Locked', /^1 year/],
    ['1,200.00', 'Locked', /^2 years/],
    ['150.00', 'Dissolving', /left/],
    ['75.00', 'Dissolved', /^Dissolved/],
    ['300.00', 'Locked', /days/],
  ];
  await expect.poll(() => e.page.locator('table.neurons-table tbody tr').count()).toBe(5);
  for (const [stake, state, delay] of expected) {
    const cells = row(stake).getByRole('cell');
    expect(await cells.nth(2).textContent()).toBe(state);
    expect(await cells.nth(3).textContent()).toMatch(delay);
  }
  expect(await row('1,200.00').getByRole('cell').nth(6).textContent()).toMatch(/Copperleaf Research Guild/);
  expect(await row('300.00').textContent()).toMatch(/hotkey/);
  expect(await e.page.getByTestId('total-stake').textContent()).toBe('2,225.00');
  // Sorting: by stake, largest first by default; a click on the header sorts ascending.
  expect(await e.page.locator('table.neurons-table tbody tr td:nth-child(2)').allTextContents()).toEqual(['1,200.00', '500.00', '300.00', '150.00', '75.00']);
  await e.page.getByRole('button', { name: /^Stake \(ICP\)/ }).click();
  expect(await e.page.locator('table.neurons-table tbody tr td:nth-child(2)').allTextContents()).toEqual(['75.00', '150.00', '300.00', '500.00', '1,200.00']);
  await shot('neurons');
});

it('stakes a neuron with the wizard: amount, delay, a known followee, then the review', async () => {
  const { page } = e;
  await page.getByRole('button', { name: 'Stake a neuron' }).click();
  const wizard = page.getByRole('region', { name: 'Stake a neuron' });
  await wizard.getByLabel('Amount (ICP)').waitFor();
  await expect.poll(() => wizard.textContent()).toMatch(/minimum stake 1\.00 ICP/);
  // Below the minimum: refused before anything is asked of the core.
  await wizard.getByLabel('Amount (ICP)').fill('0.5');
  await expect.poll(() => wizard.getByRole('alert').textContent()).toMatch(/at least 1\.00 ICP/);
  expect(await wizard.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
  await wizard.getByLabel('Amount (ICP)').fill('10');
  await wizard.getByRole('button', { name: 'Next' }).click();

  await wizard.getByLabel('Dissolve delay (days)').fill('180');
  await expect.poll(() => page.getByTestId('delay-summary').textContent()).toMatch(/180 days.*×1\.1/);
  await shot('neurons-stake-delay');
  await wizard.getByRole('button', { name: 'Next' }).click();

  await wizard.getByRole('group', { name: 'Governance', exact: true }).getByLabel('Saffron Delta').check();
  await shot('neurons-stake-followees');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('button', { name: 'Review the stake' }).click();

  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ timeout: 60_000 });
  expect(await dialog.getByTestId('review-amount').textContent()).toBe('10.00 ICP');
  expect(await dialog.textContent()).toMatch(/Follows on Governance: Saffron Delta/);
  await shot('neurons-stake-review');
  await confirmReview();

  await expect.poll(() => page.getByRole('status').textContent(), { timeout: 60_000 }).toMatch(/Neuron \d+ is staked/);
  await expect.poll(() => page.locator('table.neurons-table tbody tr').count(), { timeout: 60_000 }).toBe(6);
  const cells = row('10.00').getByRole('cell');
  expect(await cells.nth(2).textContent()).toBe('Locked');
  expect(await cells.nth(3).textContent()).toBe('180 days');
  expect(await cells.nth(6).textContent()).toMatch(/Saffron Delta/);
  expect(await row('10.00').getAttribute('class')).toMatch(/highlight/);
  await shot('neurons-staked');
});

it('starts dissolving a neuron from its detail page, through the review', async () => {
  const { page } = e;
  await row('500.00').getByRole('link').click();
  await page.getByRole('heading', { name: 'Dissolve delay and state' }).waitFor({ timeout: 60_000 });
  expect(await page.getByTestId('neuron-state').textContent()).toBe('Locked');
  expect(await page.getByTestId('fact-delay').textContent()).toBe('1 year');
  await shot('neuron-detail');
  await page.getByRole('button', { name: 'Start dissolving' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ timeout: 60_000 });
  expect(await dialog.getByRole('heading').textContent()).toMatch(/^Start dissolving neuron \d+$/);
  await shot('neuron-detail-review');
  await confirmReview();
  await expect.poll(() => page.getByTestId('neuron-state').textContent(), { timeout: 60_000 }).toBe('Dissolving');
  await expect.poll(() => page.getByRole('status').textContent()).toMatch(/^Done: Start dissolving neuron/);
  await page.getByRole('button', { name: 'Stop dissolving' }).waitFor();
});

it('merges the new neuron into the 1,200 ICP neuron after showing governance\'s preview', async () => {
  const { page } = e;
  await page.getByRole('link', { name: '← All neurons' }).click();
  await row('1,200.00').getByRole('link').waitFor({ timeout: 60_000 });
  await row('1,200.00').getByRole('link').click();
  const select = page.getByLabel('Neuron to merge in');
  await select.waitFor({ timeout: 60_000 });
  const option = select.locator('option', { hasText: '(10.00 ICP' });
  await select.selectOption((await option.getAttribute('value'))!);
  await page.getByRole('button', { name: 'Preview the merge' }).click();
  const preview = page.getByRole('region', { name: 'Merge preview' });
  await preview.waitFor({ timeout: 60_000 });
  // The stake after the merge: 1,200 + 10 - the fee, as governance's simulation says.
  expect(await preview.getByRole('row', { name: /^Stake/ }).getByRole('cell').nth(2).textContent()).toBe('1209.9999 ICP');
  await shot('neuron-merge-preview');
  await preview.getByRole('button', { name: 'Review the merge' }).click();
  await page.getByRole('dialog').waitFor();
  await confirmReview();
  await expect.poll(() => page.getByTestId('fact-stake').textContent(), { timeout: 60_000 }).toBe('1209.9999 ICP');
});

it('disburses the dissolved neuron; the balance rises on the Accounts screen', async () => {
  const { page } = e;
  const before = await total();
  await openNeurons();
  await row('75.00').getByRole('link').click();
  await page.getByRole('button', { name: 'Disburse', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ timeout: 60_000 });
  expect(await dialog.getByTestId('review-amount').textContent()).toBe('74.9999 ICP');
  await shot('neuron-disburse-review');
  await confirmReview();
  await expect.poll(() => page.getByRole('status').textContent(), { timeout: 60_000 }).toMatch(/^Done: Disburse 75\.00 ICP/);
  await shot('neuron-disbursed');
  expect(await total()).toBe(before + 75n * 100_000_000n - FEE);
  await shot('neurons-accounts-after-disburse');
});

it('on a neuron where it is a hotkey, warns before this identity removes itself', async () => {
  const { page } = e;
  await openNeurons();
  await row('300.00').getByRole('link').click();
  await page.getByRole('heading', { name: 'Hotkeys' }).waitFor({ timeout: 60_000 });
  // Controller-only commands are not offered to a hotkey.
  expect(await page.getByRole('button', { name: 'Start dissolving' }).count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Split' }).count()).toBe(0);
  await page.getByRole('button', { name: 'Remove', exact: true }).click();
  const warning = page.getByRole('alert').filter({ hasText: 'This hotkey is the identity you are using' });
  await warning.waitFor();
  expect(await warning.textContent()).toMatch(/can no longer see, vote or follow/);
  expect(await page.getByRole('dialog').count()).toBe(0);
  await shot('neuron-hotkey-self-removal');
  await warning.getByRole('button', { name: 'Remove it anyway' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ timeout: 60_000 });
  expect(await dialog.textContent()).toMatch(/loses access/);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  expect(await page.getByRole('heading', { name: 'Hotkeys' }).count()).toBe(1);
});

it('asks for a voting-power refresh when one is due, and confirms the following through the review', async () => {
  const { page } = e;
  // About 4 months on: every neuron's last refresh is more than 5 months old (the banner shows 30
  // days before rewards start to drop, 6 months after a refresh).
  const advanced = await e.core.dispatch('subnet.advanceTime', [120 * 86_400]);
  expect(advanced.ok).toBe(true);
  await openNeurons();
  const banner = page.getByRole('region', { name: 'Voting power refresh' });
  await banner.waitFor({ timeout: 60_000 });
  const due = await banner.getByRole('listitem').count();
  expect(due).toBeGreaterThan(1);
  expect(await banner.textContent()).toMatch(new RegExp(`${due} neurons need their voting power refreshed`));
  await shot('neurons-refresh-banner');
  await banner.getByRole('button', { name: 'Confirm following' }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ timeout: 60_000 });
  expect(await dialog.getByRole('heading').textContent()).toMatch(/refresh its voting power/);
  await confirmReview();
  await expect.poll(() => banner.getByRole('listitem').count(), { timeout: 60_000 }).toBe(due - 1);
});

it('says so when the identity has no neurons yet, and offers the wizard', async () => {
  const { page } = e;
  const created = await e.core.dispatch('vault.create', ['no neurons']);
  expect(created.ok).toBe(true);
  const id = (created as { value: { identity: { id: string } } }).value.identity.id;
  expect((await e.core.dispatch('vault.setActive', [id])).ok).toBe(true);
  await page.reload();
  await page.getByRole('link', { name: 'Neurons', exact: true }).click();
  await expect.poll(() => page.getByText('No neurons yet: stake one').count(), { timeout: 60_000 }).toBe(1);
  expect(await page.getByRole('button', { name: 'Stake a neuron' }).count()).toBe(1);
  await shot('neurons-empty');
  await page.getByRole('button', { name: 'Stake a neuron' }).click();
  // A new identity holds no ICP: any amount is more than its balance.
  await page.getByLabel('Amount (ICP)').fill('1');
  await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/The account holds 0\.00 ICP/);
});

it('caused no browser error (no CSP violation, no uncaught exception)', () => {
  expect(e.errors).toEqual([]);
});
