// Desktop touches: keyboard shortcuts ("g" then a letter, "?" for help, Ctrl+Shift+L to lock; never
// while typing in a field or with a dialog open) and the notice of proposals closing within 24 hours
// on which the user's neurons have not voted (after time travel on the local subnet).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { a11yViolations, signIn, startE2E, type E2E } from './support.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
  await signIn(e, 'demo');
}, 120_000);
afterAll(async () => e?.stop());

const hash = () => e.page.evaluate(() => location.hash);

async function dispatch<T>(method: string, args: unknown[]): Promise<T> {
  const r = (await e.core.dispatch(method as never, args as never)) as { ok: boolean; value?: T; error?: unknown };
  if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

it('goes to each screen with g then a letter, and opens the shortcuts with ?', async () => {
  const { page } = e;
  const heading = (name: string) => page.getByRole('heading', { name, level: 1 }).waitFor({ timeout: 60_000 });
  for (const [letter, route, title] of [
    ['n', 'neurons', 'Neurons'],
    ['p', 'proposals', 'Proposals'],
    ['c', 'canisters', 'Canisters'],
    ['l', 'local', 'Local test subnet'],
    ['s', 'settings', 'Settings'],
    ['a', 'accounts', 'Accounts'],
  ] as const) {
    await page.keyboard.press('g');
    await page.keyboard.press(letter);
    await expect.poll(hash).toBe(`#/${route}`);
    await heading(title);
  }
  // A letter alone does nothing.
  await page.keyboard.press('n');
  expect(await hash()).toBe('#/accounts');

  // ? opens the help dialog with the focus inside; the other shortcuts are off while it is open.
  await page.keyboard.press('Shift+?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await dialog.waitFor();
  expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
  expect(await dialog.getByRole('row').count()).toBe(1 + 6 + 3);
  expect(await dialog.textContent()).toMatch(/Go to Local subnet/);
  await page.keyboard.press('g');
  await page.keyboard.press('n');
  expect(await hash()).toBe('#/accounts');
  await e.screenshot('shortcuts-help');
  expect(await a11yViolations(e)).toEqual([]);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });

  // The nav's button opens it too, and the focus comes back to the button when it closes.
  const button = page.getByRole('button', { name: 'Shortcuts (?)' });
  await button.click();
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'hidden' });
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Shortcuts (?)');
}, 120_000);

it('fires no shortcut while typing in a field', async () => {
  const { page } = e;
  await page.getByRole('link', { name: 'Local subnet', exact: true }).click();
  await page.getByRole('heading', { name: 'Local test subnet', level: 1 }).waitFor({ timeout: 60_000 });
  const field = page.getByLabel('Play ICP');
  await field.fill('');
  await field.focus();
  await page.keyboard.type('gn?');
  await page.keyboard.press('Control+Shift+L');
  expect(await field.inputValue()).toBe('gn?');
  expect(await hash()).toBe('#/local');
  expect(await page.getByRole('dialog').count()).toBe(0);
  expect(await page.getByRole('heading', { name: 'Local test subnet', level: 1 }).count()).toBe(1);
  await field.fill('100');
}, 120_000);

it('tells of proposals closing within 24 hours that the neurons have not voted on, once each, with links to them', async () => {
  const { page } = e;
  await page.getByRole('link', { name: 'Accounts', exact: true }).click();
  await page.getByTestId('total').waitFor({ timeout: 60_000 });
  const notice = page.getByRole('region', { name: 'Closing within 24 hours' });
  const items = notice.getByRole('listitem');
  const wording = /^Proposal \d+: .+\d+ neurons? ha(s|ve) not voted; closes in about \d+ (h|min)\.$/;

  // The demo world has proposals closing soon from the start: announced after the sign-in.
  await notice.waitFor({ timeout: 60_000 });
  const shown = await items.count();
  expect(shown).toBeGreaterThan(0);
  expect(shown).toBeLessThanOrEqual(5);
  for (const text of await items.allTextContents()) expect(text.replace(/\s+/g, ' ').trim()).toMatch(wording);
  await e.screenshot('closing-soon-notice');
  expect(await a11yViolations(e)).toEqual([]);
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await notice.waitFor({ state: 'detached' });

  // Past them all, then a test proposal of its own, up to 20 hours before its deadline on the
  // subnet's clock (a close vote may push the deadline: follow it).
  await dispatch('subnet.advanceTime', [6 * 86_400]);
  const { proposalId } = await dispatch<{ proposalId: bigint }>('subnet.openProposal', [{ title: 'Light up the data centre', summary: 'A test motion for the closing-soon notice.' }]);
  let { timeNs } = await dispatch<{ timeNs: bigint }>('subnet.advanceTime', [1]);
  for (let i = 0; i < 5; i++) {
    const p = await dispatch<{ deadlineSeconds: bigint }>('proposals.get', [proposalId]);
    const left = p.deadlineSeconds - timeNs / 1_000_000_000n;
    if (left <= 20n * 3_600n + 60n) break;
    ({ timeNs } = await dispatch<{ timeNs: bigint }>('subnet.advanceTime', [Number(left) - 20 * 3_600]));
  }
  const eligibility = await dispatch<{ neurons: { status: string }[] }>('voting.eligibility', [proposalId]);
  const canVote = eligibility.neurons.filter((n) => n.status === 'can-vote').length;
  expect(canVote).toBeGreaterThan(0);

  await notice.waitFor({ timeout: 60_000 });
  const link = notice.getByRole('link', { name: `Proposal ${proposalId}`, exact: true });
  await link.waitFor();
  expect(await items.count()).toBe(1);
  expect((await items.first().textContent())!.replace(/\s+/g, ' ').trim()).toMatch(
    new RegExp(`^Proposal ${proposalId}: Light up the data centre ${canVote} neurons? ha(s|ve) not voted; closes in about (19|20) h\\.$`),
  );
  await e.screenshot('closing-soon-own-proposal');
  expect(await a11yViolations(e)).toEqual([]);

  // Once: another check announces nothing new (the core remembers it).
  await dispatch('subnet.advanceTime', [60]);
  const announced = await dispatch<{ closingSoon: boolean; closingSoonNow: { id: bigint }[] }>('notifications.get', []);
  expect(announced.closingSoon).toBe(true);
  expect(announced.closingSoonNow.filter((p) => p.id === proposalId)).toHaveLength(1);
  expect(await items.count()).toBe(1);

  await link.click();
  await expect.poll(hash).toBe(`#/proposals/${proposalId}`);
  await page.getByRole('heading', { name: 'Light up the data centre', level: 1 }).waitFor({ timeout: 60_000 });
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await notice.waitFor({ state: 'detached' });

  // The setting (Settings, Notifications): off, nothing is announced or listed; it is kept.
  expect(await dispatch('notifications.set', [{ closingSoon: false }])).toEqual({ closingSoon: false, closingSoonNow: [] });
  expect(await dispatch('notifications.get', [])).toEqual({ closingSoon: false, closingSoonNow: [] });
  expect((await dispatch<{ closingSoon: boolean }>('notifications.set', [{ closingSoon: true }])).closingSoon).toBe(true);

  // The same from the Settings screen's checkbox.
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  const box = page.getByRole('checkbox', { name: 'Proposals closing soon' });
  await expect.poll(() => box.isChecked(), { timeout: 30_000 }).toBe(true);
  await box.uncheck();
  await page.getByText('Proposals closing soon will not be announced.').waitFor();
  expect((await dispatch<{ closingSoon: boolean }>('notifications.get', [])).closingSoon).toBe(false);
  await box.check();
  await page.getByText('You will be told when a proposal closes soon.').waitFor();
  expect((await dispatch<{ closingSoon: boolean }>('notifications.get', [])).closingSoon).toBe(true);
}, 180_000);

it('locks with Ctrl+Shift+L', async () => {
  const { page } = e;
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+Shift+L');
  await page.getByRole('heading', { name: 'Neuron Desk is locked' }).waitFor({ timeout: 30_000 });
  expect(e.errors).toEqual([]);
}, 60_000);
