// The Notifications section of the settings in isolation (a fake core answers): it shows the
// core's setting, changes it, and says so when the core refuses.
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { fakeCore } from './support/fake-core.ts';
import NotificationSettings from '../../renderer/src/routes/settings/NotificationSettings.svelte';


describe('NotificationSettings', () => {
  it('shows the setting and switches it off and on', async () => {
    let on = true;
    const calls = fakeCore((method, args) => {
      if (method === 'notifications.set') on = (args[0] as { closingSoon: boolean }).closingSoon;
      return { closingSoon: on, closingSoonNow: [] };
    });
    render(NotificationSettings);
    const box = screen.getByRole('checkbox', { name: 'Proposals closing soon' }) as HTMLInputElement;
    await expect.poll(() => box.checked).toBe(true);
    await fireEvent.click(box);
    await screen.findByText('Proposals closing soon will not be announced.');
    expect(box.checked).toBe(false);
    await fireEvent.click(box);
    await screen.findByText('You will be told when a proposal closes soon.');
    expect(calls).toEqual([
      ['notifications.get', []],
      ['notifications.set', [{ closingSoon: false }]],
      ['notifications.set', [{ closingSoon: true }]],
    ]);
  });

  it("shows the core's sentence when it cannot be read", async () => {
    fakeCore(() => {
      throw { kind: 'internal', message: 'The settings file is damaged.' };
    });
    render(NotificationSettings);
    expect((await screen.findByRole('alert')).textContent).toBe('The settings file is damaged.');
    expect((screen.getByRole('checkbox') as HTMLInputElement).disabled).toBe(true);
  });
});
