// The Proposals screens in Chromium against the real core, as the demo identity (the demo world has
// about 260 proposals, a few open; the demo identity's neurons have ballots on new ones): filters
// change the list; a proposal opened for the test shows its sanitized summary, tally and countdown;
// voting Yes with the eligible neurons goes through the review, shows each neuron's result, and the
// proposal leaves the actionable list.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { a11yViolations, signIn, startE2E, type E2E } from './support.ts';

let e: E2E;
let proposalId: bigint;
const TITLE = 'Plant a tree for every new staker';

beforeAll(async () => {
  e = await startE2E();
  await signIn(e, 'demo');
}, 120_000);
afterAll(async () => e?.stop());

it('lists proposals; the status and topic filters change the list', async () => {
  const { page } = e;
  await page.getByRole('link', { name: 'Proposals', exact: true }).click();
  await page.getByRole('heading', { name: 'Proposals', exact: true }).waitFor();
  const rows = page.getByTestId('proposal-row');
  await rows.first().waitFor({ timeout: 30_000 });
  // A page of 100, more on "Load more" / scrolling; only the visible rows are in the DOM.
  await expect.poll(() => page.getByTestId('proposal-count').textContent()).toBe('100 proposals loaded');
  expect(await rows.count()).toBeLessThan(40);
  await page.getByRole('button', { name: 'Load more' }).click();
  await expect.poll(() => page.getByTestId('proposal-count').textContent()).toMatch(/^200 proposals/);
  await e.screenshot('proposals-list');
  expect(await a11yViolations(e), 'proposals-list').toEqual([]);

  await page.getByText('Status: all', { exact: true }).click();
  await page.getByRole('checkbox', { name: 'Open', exact: true }).check();
  await expect.poll(async () => new Set(await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-status'))))).toEqual(new Set(['open']));
  await expect.poll(() => page.getByTestId('countdown').first().textContent()).toMatch(/left$/);
  await page.getByText('Status: Open').click(); // close the disclosure

  await page.getByText('Topics: all').click();
  await page.getByRole('checkbox', { name: 'Exchange rate' }).check();
  await page.getByTestId('proposals-empty').waitFor();
  await e.screenshot('proposals-empty');
  expect(await a11yViolations(e), 'proposals-empty').toEqual([]);
  await page.getByRole('checkbox', { name: 'Exchange rate' }).uncheck();
  await rows.first().waitFor();
});

it('shows a new proposal: sanitized summary, tally with the thresholds, countdown', async () => {
  const { page } = e;
  ({ proposalId } = await e.core.desk.openTestProposal({
    title: TITLE,
    summary: '# Trees\n\nA **motion** with [the forum post](https://forum.example.org/t/trees/1).\n\n- one\n- two\n\n<script>window.__pwned = 1</script>',
    url: 'https://forum.example.org/t/trees/1',
  }));
  await page.goto(`${new URL(page.url()).origin}/#/proposals/actionable`);
  await page.getByRole('heading', { name: /^Actionable proposals/ }).waitFor();
  await page.getByRole('link', { name: new RegExp(`^${proposalId}\\s`) }).waitFor({ timeout: 30_000 });
  const before = Number(await page.getByTestId('actionable-count').textContent());
  expect(before).toBeGreaterThan(0);

  await page.getByRole('link', { name: new RegExp(`^${proposalId}\\s`) }).click();
  await page.getByRole('heading', { name: TITLE }).waitFor();
  const summary = page.getByTestId('summary');
  expect(await summary.locator('strong').textContent()).toBe('motion');
  expect(await summary.locator('li').allTextContents()).toEqual(['one', 'two']);
  const link = summary.getByRole('link', { name: 'the forum post' });
  expect(await link.getAttribute('href')).toBe('https://forum.example.org/t/trees/1');
  expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
  expect(await link.getAttribute('target')).toBe('_blank');
  expect(await summary.locator('script').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.getByTestId('proposal-status').textContent()).toBe('Open');
  expect(await page.getByTestId('tally').getAttribute('aria-label')).toMatch(/^Yes \d+\.\d\d%, No \d+\.\d\d%$/);
  expect(await page.getByTestId('countdown').textContent()).toMatch(/\d d \d+ h left/);
  await page.getByTestId('payload').getByText('motionText:').waitFor();
  await e.screenshot('proposal-detail');
  expect(await a11yViolations(e), 'proposal-detail').toEqual([]);
});

it('votes Yes with the eligible neurons through the review; the proposal leaves the actionable list', async () => {
  const { page } = e;
  const boxes = page.getByRole('group', { name: 'Neurons that can vote' }).getByRole('checkbox');
  await boxes.first().waitFor({ timeout: 30_000 });
  const n = await boxes.count();
  expect(n).toBeGreaterThan(0);
  for (let i = 0; i < n; i++) expect(await boxes.nth(i).isChecked()).toBe(true);
  // Ineligible neurons say why (the dissolved one, at least).
  expect((await page.getByTestId('neuron-eligibility').allTextContents()).join('\n')).toMatch(/cannot vote, /);

  await page.getByRole('button', { name: 'Vote Yes' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.or(page.getByRole('alert')).waitFor({ timeout: 30_000 });
  expect(await page.getByRole('alert').allTextContents()).toEqual([]);
  await dialog.getByRole('heading', { name: `Vote Yes on proposal ${proposalId} with ${n} neuron${n === 1 ? '' : 's'}` }).waitFor({ timeout: 30_000 });
  await e.screenshot('proposal-vote-review');
  expect(await a11yViolations(e), 'proposal-vote-review').toEqual([]);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await page.getByTestId('vote-results').waitFor({ timeout: 60_000 });
  const results = await page.getByTestId('vote-result').allTextContents();
  expect(results).toHaveLength(n);
  for (const r of results) expect(r).toMatch(/^Neuron \d+ voted$/);
  expect(await page.getByTestId('tally').getAttribute('aria-label')).not.toBe('Yes 0.00%, No 0.00%');
  await e.screenshot('proposal-voted');
  expect(await a11yViolations(e), 'proposal-voted').toEqual([]);

  await page.getByRole('link', { name: '← All proposals' }).click();
  await page.getByRole('link', { name: /^Actionable/ }).click();
  await page.getByRole('heading', { name: /^Actionable proposals/ }).waitFor();
  await page.getByTestId('actionable-count').waitFor({ timeout: 30_000 });
  expect(await page.getByRole('link', { name: new RegExp(`^${proposalId}\\s`) }).count()).toBe(0);
  await e.screenshot('proposals-actionable');
  expect(await a11yViolations(e), 'proposals-actionable').toEqual([]);
});

it('makes a Motion proposal through the review', async () => {
  const { page } = e;
  await page.getByRole('link', { name: 'Make a Motion proposal' }).click();
  await page.getByLabel('Title').fill('Publish a staking handbook');
  await page.getByLabel('Summary (markdown)').fill('A **handbook** for new stakers.');
  await page.getByLabel('URL (a forum post, https)').fill('https://forum.example.org/t/handbook/7');
  await page.getByLabel('Motion text').fill('The community should publish a staking handbook.');
  await e.screenshot('proposal-motion-form');
  expect(await a11yViolations(e), 'proposal-motion-form').toEqual([]);
  await page.getByRole('button', { name: 'Review the proposal' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.or(page.getByRole('alert')).waitFor({ timeout: 30_000 });
  expect(await page.getByRole('alert').allTextContents()).toEqual([]);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect.poll(() => page.getByTestId('motion-made').textContent(), { timeout: 30_000 }).toMatch(/^Proposal \d+ is submitted\.$/);
  await page.getByTestId('motion-made').getByRole('link').click();
  await page.getByRole('heading', { name: 'Publish a staking handbook' }).waitFor();
  expect(await page.getByTestId('summary').locator('strong').textContent()).toBe('handbook');
});

it('caused no browser error (no CSP violation, no uncaught exception)', () => {
  expect(e.errors).toEqual([]);
});
