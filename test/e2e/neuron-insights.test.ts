// A neuron's insights on its detail page, in Chromium against the real core, as the demo identity:
// the projection of its voting power and maturity (chart, yearly table, assumptions) and its voting
// history with the proposals' titles (after a vote cast through the core), for a locked, a
// dissolving, a dissolved and a new neuron that has not voted.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MethodName, Results } from '../../electron/api/contract.ts';
import type { NeuronView } from '../../electron/services/neuron-view.ts';
import { a11yViolations, signIn, startE2E, type E2E } from './support.ts';

let e: E2E;
let neurons: NeuronView[];
beforeAll(async () => {
  e = await startE2E();
  await signIn(e, 'demo');
  neurons = await core('neurons.list');
}, 120_000);
afterAll(async () => e?.stop());

/** Calls the core directly (to set the scene, or to read what the screen should say). */
async function core<K extends MethodName>(method: K, ...args: unknown[]): Promise<Results[K]> {
  const r = await e.core.dispatch(method, args);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as Results[K];
}

/** A screenshot of the whole screen (light and dark), and its accessibility check. */
async function shot(name: string) {
  await e.screenshot(name);
  expect(await a11yViolations(e), name).toEqual([]);
}

async function openNeuron(id: bigint) {
  await e.page.evaluate((h) => (location.hash = h), `#/neurons/${id}`);
  await e.page.getByRole('heading', { name: `Neuron ${id}`, level: 1 }).waitFor({ timeout: 60_000 });
}

const byStake = (icp: number) => neurons.find((n) => n.stakeE8s === BigInt(icp) * 100_000_000n)!;

it('shows a locked neuron\'s projection: the chart, its summary, the yearly values and the assumptions', async () => {
  const { page } = e;
  const n = byStake(500);
  expect(n.state).toBe('locked');
  await page.getByRole('link', { name: 'Neurons', exact: true }).click();
  await openNeuron(n.id);
  const section = page.getByRole('region', { name: 'Projection' });
  const chart = section.getByRole('img');
  await chart.waitFor({ timeout: 60_000 });
  const label = (await chart.getAttribute('aria-label'))!;
  expect(label).toMatch(new RegExp(`^Projected voting power and maturity of neuron ${n.id} over the next 8 years\\.`));
  expect(label).toMatch(/Voting power: [\d,.]+ ICP now, [\d,.]+ ICP in 8 years/);
  expect(await section.locator('path.series-power').getAttribute('d')).toMatch(/^M[\d.]+ [\d.]+( L[\d.]+ [\d.]+){90,}$/);
  expect(await section.locator('path.series-maturity').getAttribute('d')).toMatch(/^M/);
  expect(await section.getByRole('listitem').allTextContents()).toEqual(expect.arrayContaining(['Voting power (ICP)', 'Maturity, staked and not (ICP)']));

  // The yearly values: 0 to 8, the power growing with age (it is locked), the maturity with rewards.
  await section.getByText('Yearly values').click();
  const rows = section.getByTestId('projection-table').locator('tbody tr');
  expect(await rows.count()).toBe(9);
  const number = async (row: number, cell: number) => Number((await rows.nth(row).locator('td').nth(cell).textContent())!.replaceAll(',', ''));
  const power0 = await number(0, 2);
  // 500 ICP locked for 1 year: 1.5x for the delay, times the age bonus (1 to 1.25x).
  expect(power0).toBeGreaterThanOrEqual(750);
  expect(power0).toBeLessThanOrEqual(937.5);
  expect(await number(8, 2)).toBeGreaterThan(power0);
  expect(await number(8, 3)).toBeGreaterThan(await number(0, 3));
  await section.getByText('Assumptions').click();
  expect(await section.textContent()).toMatch(/The reward rate stays at today's value/);
  expect(await section.textContent()).toMatch(/It stays locked/);
  await shot('neuron-insights-projection');
});

it('shows the voting history with the proposals\' titles; a new vote comes first and links to its proposal', async () => {
  const { page } = e;
  const n = byStake(500);
  const title = 'Light up the governance handbook';
  const { proposalId } = await core('subnet.openProposal', { title, summary: 'A handbook for new voters.', url: '' });
  const review = await core('voting.prepareVote', { proposalId, vote: 'no', neuronIds: [n.id] });
  await core('reviews.confirm', review.id);

  // Read again: the page loads the history when it opens.
  await page.getByRole('link', { name: '← All neurons' }).click();
  await page.locator('table.neurons-table').waitFor({ timeout: 60_000 });
  await openNeuron(n.id);
  const section = page.getByRole('region', { name: 'Voting history' });
  const table = section.getByTestId('voting-history');
  await table.waitFor({ timeout: 60_000 });
  const first = table.locator('tbody tr').first();
  const cells = first.getByRole('cell');
  expect(await cells.nth(0).textContent()).toBe(String(proposalId));
  expect(await cells.nth(1).textContent()).toBe(title);
  expect(await cells.nth(2).textContent()).toBe('Governance');
  expect(await cells.nth(3).textContent()).toBe('No');
  expect(await cells.nth(4).textContent()).toMatch(/^Open/);
  // The demo neuron follows the known neurons: many ballots; the first ten, then all.
  const history = await core('neurons.votingHistory', n.id);
  expect(history.length).toBeGreaterThan(10);
  expect(await table.locator('tbody tr').count()).toBe(10);
  await shot('neuron-insights-history');
  await section.getByRole('button', { name: `Show all ${history.length} ballots` }).click();
  expect(await table.locator('tbody tr').count()).toBe(history.length);
  const older = history[history.length - 1];
  expect(await table.locator('tbody tr').last().getByRole('cell').nth(1).textContent()).toBe(older.title);

  await first.getByRole('link', { name: `Proposal ${proposalId}` }).click();
  await page.waitForFunction((id) => location.hash === `#/proposals/${id}`, String(proposalId));
  await page.getByRole('heading', { name: title }).first().waitFor({ timeout: 60_000 });
});

it('a dissolving neuron\'s power ends before it is dissolved; a dissolved one has nothing to project', async () => {
  const { page } = e;
  const dissolving = neurons.find((n) => n.state === 'dissolving')!;
  await openNeuron(dissolving.id);
  const section = page.getByRole('region', { name: 'Projection' });
  const chart = section.getByRole('img');
  await chart.waitFor({ timeout: 60_000 });
  expect(await chart.getAttribute('aria-label')).toMatch(/It stops voting after [\d.]+ years?, when its dissolve delay falls below the minimum\./);
  expect(await section.locator('g.marker text').textContent()).toBe('dissolved');
  await section.getByText('Yearly values').click();
  const last = section.getByTestId('projection-table').locator('tbody tr').last();
  expect(await last.locator('td').nth(2).textContent()).toBe('0.00');
  await page.getByRole('region', { name: 'Voting history' }).getByTestId('voting-history').waitFor({ timeout: 60_000 });
  await shot('neuron-insights-dissolving');

  const dissolved = neurons.find((n) => n.state === 'dissolved')!;
  await openNeuron(dissolved.id);
  expect(await page.getByTestId('projection-none').textContent()).toMatch(/This neuron is dissolved: it no longer votes or earns rewards/);
  const history = page.getByRole('region', { name: 'Voting history' }).getByTestId('voting-history');
  await history.waitFor({ timeout: 60_000 });
  expect(await history.locator('tbody tr').count()).toBe(Math.min(10, (await core('neurons.votingHistory', dissolved.id)).length));
});

it('a new neuron has not voted yet', async () => {
  const { page } = e;
  const review = await core('neurons.prepareStake', { amount: '3', dissolveDelaySeconds: 31_557_600n });
  const { neuronId } = (await core('reviews.confirm', review.id)) as { neuronId: bigint };
  await openNeuron(neuronId);
  await page.getByTestId('voting-history-empty').waitFor({ timeout: 60_000 });
  expect(await page.getByTestId('voting-history-empty').textContent()).toBe('This neuron has not voted yet.');
  await page.getByRole('region', { name: 'Projection' }).getByRole('img').waitFor({ timeout: 60_000 });
  await shot('neuron-insights-new');
  expect(e.errors).toEqual([]);
});
