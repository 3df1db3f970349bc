// A user's whole journey through the UI, on a fresh install against the local test subnet: set the
// passphrase; create an identity (write down the 24 words, answer three of them); get play ICP from
// the faucet and see it on Accounts; stake a neuron with the wizard (amount, dissolve delay,
// a known followee, visibility; review, progress, outcome); on its page increase the delay and
// follow on another topic; open a test proposal and vote on it with the new neuron; move the clock
// a day (the proposal's countdown follows the network's clock, not this computer's) and on until
// rewards give the neuron maturity; create a canister and top it up with cycles; dissolve the
// neuron, move past its delay and disburse it: the ICP is back on the account.
// The core is only read (e.core.dispatch of read methods) to check what the screens say.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseIcp } from '../../electron/api/amounts.ts';
import type { MethodName, Results } from '../../electron/api/contract.ts';
import { E2E_PASSPHRASE, a11yViolations, startE2E, type E2E } from './support.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
}, 120_000);
afterAll(async () => e?.stop());

const FEE = 10_000n;
const ICP = 100_000_000n;
const TITLE = 'Journey: plant a tree for every new staker';
let neuronId: bigint;
let proposalId: bigint;

/** A screenshot of the whole screen (light and dark), and its accessibility check. */
async function shot(name: string) {
  await e.screenshot(name);
  expect(await a11yViolations(e), name).toEqual([]);
}

/** Reads the core's state for an assertion (never to act). */
async function read<K extends MethodName>(method: K, ...args: unknown[]): Promise<Results[K]> {
  const r = await e.core.dispatch(method, args);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as Results[K];
}

async function goTo(link: string, heading: string | RegExp) {
  await e.page.getByRole('link', { name: link, exact: true }).click();
  await e.page.getByRole('heading', { name: heading, level: 1 }).waitFor({ timeout: 60_000 });
}

async function total(): Promise<bigint> {
  await goTo('Accounts', /Accounts/);
  const text = (await e.page.getByTestId('total').textContent({ timeout: 60_000 }))!;
  return parseIcp(text.replace(' ICP', '').replaceAll(',', ''));
}

/** Moves the local subnet's clock with the panel's button. */
async function advance(label: '1 day' | '7 days' | '6 months') {
  await goTo('Local subnet', 'Local test subnet');
  await e.page.getByRole('button', { name: `Advance ${label}` }).click();
  await expect.poll(() => e.page.getByRole('status').textContent(), { timeout: 120_000 }).toMatch(new RegExp(`moved ${label} forward`));
}

async function openNeuron() {
  await goTo('Neurons', 'Neurons');
  await e.page.getByRole('link', { name: String(neuronId), exact: true }).click();
  await e.page.getByRole('heading', { name: 'Dissolve delay and state' }).waitFor({ timeout: 60_000 });
}

/** Confirms the open review, and waits for it to close. */
async function confirmReview() {
  const dialog = e.page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await dialog.waitFor({ state: 'detached', timeout: 120_000 });
}

const maturity = async () => parseIcp((await e.page.getByTestId('fact-maturity').textContent())!.replace(' ICP', '').replaceAll(',', ''), { allowZero: true });
/** "3 d 23 h left" -> 95 (hours). */
const hoursLeft = (text: string | null) => {
  const m = /^(\d+) d (\d+) h left$/.exec(text ?? '');
  if (!m) throw new Error(`not a countdown in days: ${text}`);
  return Number(m[1]) * 24 + Number(m[2]);
};

it('sets the passphrase and creates an identity, answering three of its 24 words', async () => {
  const { page } = e;
  await page.getByLabel('Passphrase', { exact: true }).fill(E2E_PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(E2E_PASSPHRASE);
  await shot('journey-01-passphrase');
  await page.getByRole('button', { name: 'Set the passphrase' }).click();
  await page.getByRole('heading', { name: 'Add your first identity' }).waitFor();
  await page.getByRole('button', { name: 'Create a new identity' }).click();
  await page.getByLabel('Name (optional)').fill('Journey');
  await page.getByRole('button', { name: 'Create', exact: true }).click();

  const list = page.getByRole('list', { name: 'Seed phrase' });
  await list.waitFor({ timeout: 30_000 });
  const written = (await list.getByRole('listitem').allTextContents()).map((t) => t.replace(/^\d+\.\s*/, '').trim());
  expect(written).toHaveLength(24);
  for (const w of written) expect(w).toMatch(/^[a-z]+$/);
  const asked = page.locator('label.field').filter({ hasText: /^Word \d+$/ });
  expect(await asked.count()).toBe(3);
  // A wrong word is named, and nothing goes on.
  const first = Number((await asked.first().textContent())!.replace('Word ', ''));
  await asked.first().locator('input').fill(written[first - 1] === 'zoo' ? 'abandon' : 'zoo');
  for (let i = 1; i < 3; i++) {
    const n = Number((await asked.nth(i).textContent())!.replace('Word ', ''));
    await asked.nth(i).locator('input').fill(written[n - 1]);
  }
  await page.getByRole('button', { name: 'I wrote them down' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toBe(`Word ${first} does not match. Check what you wrote down.`);
  await asked.first().locator('input').fill(written[first - 1]);
  await shot('journey-02-seed-phrase');
  await page.getByRole('button', { name: 'I wrote them down' }).click();
  await expect.poll(() => page.getByTestId('total').textContent(), { timeout: 60_000 }).toBe('0.00 ICP');
  // The identity in use is the one just created from those words.
  const vault = await read('vault.status');
  expect(vault.identities.map((i) => i.label)).toEqual(['Journey']);
  await shot('journey-03-accounts-empty');
}, 180_000);

it('gets play ICP from the faucet and sees it on Accounts', async () => {
  const { page } = e;
  await goTo('Local subnet', 'Local test subnet');
  await page.getByLabel('Play ICP').fill('100');
  await page.getByRole('button', { name: 'Get play ICP' }).click();
  await expect.poll(() => page.getByRole('status').textContent(), { timeout: 60_000 }).toMatch(/Minted 100 play ICP/);
  await shot('journey-04-faucet');
  expect(await total()).toBe(100n * ICP);
  expect(await page.getByTestId('balance-0').textContent()).toBe('100.00 ICP');
  await shot('journey-05-balance');
}, 180_000);

it('stakes a neuron with the wizard: amount, the shortest delay, a known followee, public; review, progress, outcome', async () => {
  const { page } = e;
  const limits = await read('neurons.limits');
  const minDays = Number(limits.minimumDissolveDelayToVoteSeconds / 86_400n);
  // The local network's minimum delay to vote is short (Mission 70: 14 days): the neuron can be
  // dissolved within the test.
  expect(minDays).toBeLessThan(180);
  await goTo('Neurons', 'Neurons');
  await page.getByText('No neurons yet: stake one').waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Stake a neuron' }).click();
  const wizard = page.getByRole('region', { name: 'Stake a neuron' });
  await wizard.getByLabel('Amount (ICP)').fill('10');
  await shot('journey-06-stake-amount');
  await wizard.getByRole('button', { name: 'Next' }).click();

  await wizard.getByLabel('Dissolve delay (days)').fill(String(minDays));
  await expect.poll(() => page.getByTestId('delay-summary').textContent()).toMatch(new RegExp(`${minDays} days`));
  await shot('journey-07-stake-delay');
  await wizard.getByRole('button', { name: 'Next' }).click();

  await wizard.getByRole('group', { name: 'Governance', exact: true }).getByLabel('Saffron Delta').check();
  await shot('journey-08-stake-followees');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('radio', { name: /^Public:/ }).check();
  await shot('journey-09-stake-visibility');
  await wizard.getByRole('button', { name: 'Review the stake' }).click();

  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ timeout: 60_000 });
  expect(await dialog.getByTestId('review-amount').textContent()).toBe('10.00 ICP');
  expect(await dialog.textContent()).toMatch(/Follows on Governance: Saffron Delta/);
  await shot('journey-10-stake-review');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  // Progress: the steps of the stake, one by one, while it signs.
  await dialog.getByText(/^Step \d+ of \d+: /).waitFor({ timeout: 60_000 });
  await dialog.waitFor({ state: 'detached', timeout: 120_000 });

  await expect.poll(() => page.getByRole('status').textContent(), { timeout: 60_000 }).toMatch(/^Neuron \d+ is staked\.$/);
  neuronId = BigInt(/^Neuron (\d+)/.exec((await page.getByRole('status').textContent())!)![1]);
  const rows = page.locator('table.neurons-table tbody tr');
  await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(1);
  expect(await rows.first().getByRole('cell').nth(2).textContent()).toBe('Locked');
  expect(await rows.first().getByRole('cell').nth(3).textContent()).toBe(`${minDays} days`);
  await shot('journey-11-staked');
  expect(await total()).toBe(100n * ICP - 10n * ICP - FEE);
}, 240_000);

it("on the neuron's page, increases the dissolve delay and follows on another topic", async () => {
  const { page } = e;
  await openNeuron();
  expect(await page.getByTestId('neuron-state').textContent()).toBe('Locked');
  expect(await maturity()).toBe(0n);
  await page.getByLabel('Dissolve delay (days)').fill('30');
  await page.getByRole('button', { name: 'Increase the delay' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ timeout: 60_000 });
  await shot('journey-12-increase-delay-review');
  await confirmReview();
  await expect.poll(() => page.getByTestId('fact-delay').textContent(), { timeout: 60_000 }).toBe('30 days');

  const following = page.getByRole('region', { name: 'Following', exact: true });
  await following.getByRole('combobox', { name: /^Topic/ }).selectOption({ label: 'Exchange Rate' });
  await following.getByRole('group', { name: 'Followees on Exchange Rate' }).getByLabel('Lantern Hill Collective').check();
  await following.getByRole('button', { name: 'Set the following' }).click();
  await dialog.waitFor({ timeout: 60_000 });
  await shot('journey-13-following-review');
  await confirmReview();
  await expect.poll(() => following.getByRole('row', { name: /^Exchange Rate/ }).textContent(), { timeout: 60_000 }).toMatch(/Lantern Hill Collective/);
  expect(await following.getByRole('row', { name: /^Governance/ }).textContent()).toMatch(/Saffron Delta/);
  await shot('journey-14-neuron-following');
}, 240_000);

it('opens a test proposal from the Local subnet screen and votes Yes on it with the new neuron', async () => {
  const { page } = e;
  await goTo('Local subnet', 'Local test subnet');
  await page.getByLabel('Test proposal title').fill(TITLE);
  await page.getByRole('button', { name: 'Open a test proposal' }).click();
  await expect.poll(() => page.getByRole('status').textContent(), { timeout: 60_000 }).toMatch(/^Proposal \d+ is open/);
  proposalId = BigInt(/^Proposal (\d+)/.exec((await page.getByRole('status').textContent())!)![1]);
  await shot('journey-15-test-proposal');
  await page.getByRole('link', { name: `Go to proposal ${proposalId}` }).click();
  await page.getByRole('heading', { name: TITLE }).waitFor({ timeout: 60_000 });

  const boxes = page.getByRole('group', { name: 'Neurons that can vote' }).getByRole('checkbox');
  await boxes.first().waitFor({ timeout: 60_000 });
  expect(await boxes.count()).toBe(1);
  expect(await boxes.first().isChecked()).toBe(true);
  await page.getByRole('button', { name: 'Vote Yes' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('heading', { name: `Vote Yes on proposal ${proposalId} with 1 neuron` }).waitFor({ timeout: 60_000 });
  await shot('journey-16-vote-review');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await page.getByTestId('vote-results').waitFor({ timeout: 60_000 });
  expect(await page.getByTestId('vote-result').allTextContents()).toEqual([`Neuron ${neuronId} voted`]);
  await shot('journey-17-voted');
}, 240_000);

it("after a day on the subnet's clock, the proposal's countdown shows a day less (the network's clock, not the computer's)", async () => {
  const { page } = e;
  const before = await read('proposals.get', proposalId);
  const shownBefore = hoursLeft(await page.getByTestId('countdown').textContent());
  await advance('1 day');
  await goTo('Proposals', 'Proposals');
  await page.getByRole('link', { name: new RegExp(`^${proposalId}\\s`) }).click();
  await page.getByRole('heading', { name: TITLE }).waitFor({ timeout: 60_000 });
  const after = await read('proposals.get', proposalId);
  // Votes during that day may have moved the deadline (wait for quiet): count it in. Both readings
  // are whole hours (rounded down), so the difference is within an hour of a day.
  const moved = Number(after.deadlineSeconds! - before.deadlineSeconds!) / 3_600;
  await expect.poll(async () => shownBefore + moved - hoursLeft(await page.getByTestId('countdown').textContent())).toBeGreaterThan(23);
  const shownAfter = hoursLeft(await page.getByTestId('countdown').textContent());
  expect(shownBefore + moved - shownAfter).toBeLessThan(25.1);
  // What the network's clock says is left, and what the computer's clock would say (a day more).
  const now = await read('app.now');
  const networkLeft = Math.floor((Number(after.deadlineSeconds!) - Math.floor(now.networkTimeMs / 1000)) / 3_600);
  const wallLeft = Math.floor((Number(after.deadlineSeconds!) - Math.floor(Date.now() / 1000)) / 3_600);
  expect([networkLeft, networkLeft + 1]).toContain(shownAfter);
  expect(wallLeft - shownAfter).toBeGreaterThanOrEqual(23);
  await shot('journey-18-countdown-after-a-day');
}, 240_000);

it('as time passes, voting rewards give the neuron maturity', async () => {
  // The proposal closes (4 days), then the next daily reward event pays the neurons that voted.
  await advance('7 days');
  await openNeuron();
  for (let i = 0; i < 3 && (await maturity()) === 0n; i++) {
    await advance('1 day');
    await openNeuron();
  }
  expect(await maturity()).toBeGreaterThan(0n);
  await shot('journey-19-maturity');
}, 240_000);

it('creates a canister and tops it up with cycles', async () => {
  const { page } = e;
  await goTo('Canisters', 'Canisters');
  await page.getByText('No canisters yet').waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Create a canister' }).click();
  await page.getByLabel('Name (optional)').fill('Journey canister');
  await page.getByLabel('Amount (ICP)').fill('1');
  await page.getByTestId('cycles-preview').waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Review the creation' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ timeout: 60_000 });
  expect(await dialog.getByTestId('review-amount').textContent()).toBe('1.00 ICP');
  await shot('journey-20-create-canister-review');
  await confirmReview();
  await expect.poll(() => page.getByTestId('canisters-notice').textContent(), { timeout: 60_000 }).toMatch(/^Canister .+ is created\.$/);
  const row = page.getByTestId('canisters').locator('tbody tr').filter({ hasText: 'Journey canister' });
  await row.getByTestId('cycles').waitFor({ timeout: 60_000 });
  const tera = async () => Number((await row.getByTestId('cycles').textContent())!.replace(' T', ''));
  const created = await tera();
  expect(created).toBeGreaterThan(2.5);
  await shot('journey-21-canister-created');

  await row.getByRole('button', { name: /^Top up/ }).click();
  await page.getByLabel('Amount (ICP)').fill('0.5');
  await expect.poll(() => page.getByTestId('cycles-preview').textContent(), { timeout: 60_000 }).toMatch(/≈ \d+\.\d+ T cycles/);
  await page.getByRole('button', { name: 'Review the top-up' }).click();
  await dialog.waitFor({ timeout: 60_000 });
  expect(await dialog.getByTestId('review-amount').textContent()).toBe('0.50 ICP');
  await shot('journey-22-top-up-review');
  await confirmReview();
  await page.getByTestId('canisters-notice').waitFor({ timeout: 60_000 });
  await expect.poll(tera, { timeout: 60_000 }).toBeGreaterThan(created + 1.5);
  await shot('journey-23-topped-up');
}, 240_000);

it('dissolves the neuron, moves past its delay and disburses it: the ICP is back on the account', async () => {
  const { page } = e;
  await openNeuron();
  await page.getByRole('button', { name: 'Start dissolving' }).click();
  await page.getByRole('dialog').waitFor({ timeout: 60_000 });
  await shot('journey-24-dissolve-review');
  await confirmReview();
  await expect.poll(() => page.getByTestId('neuron-state').textContent(), { timeout: 60_000 }).toBe('Dissolving');
  await shot('journey-25-dissolving');

  await advance('6 months');
  const before = await total();
  await openNeuron();
  await expect.poll(() => page.getByTestId('neuron-state').textContent(), { timeout: 60_000 }).toBe('Dissolved');
  const stake = parseIcp((await page.getByTestId('fact-stake').textContent())!.replace(' ICP', ''));
  expect(stake).toBe(10n * ICP);
  await page.getByRole('button', { name: 'Disburse', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ timeout: 60_000 });
  expect(await dialog.getByTestId('review-amount').textContent()).toBe('9.9999 ICP');
  await shot('journey-26-disburse-review');
  await confirmReview();
  await expect.poll(() => page.getByRole('status').textContent(), { timeout: 60_000 }).toMatch(/^Done: Disburse 10\.00 ICP/);
  await shot('journey-27-disbursed');
  expect(await total()).toBe(before + 10n * ICP - FEE);
  await shot('journey-28-accounts-at-the-end');
  expect(await a11yViolations(e)).toEqual([]);
  expect(e.errors).toEqual([]);
}, 300_000);
