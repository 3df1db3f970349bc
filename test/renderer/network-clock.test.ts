// The network's clock in the renderer (lib/clock.svelte.ts): countdowns compare deadlines with the
// network's time ('app.now'), not this computer's, and follow a jump of the network's clock
// (the local subnet's time travel) as soon as it is read again.
import { expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { setTransport } from '../../renderer/src/lib/desk.ts';
import { networkNowMs, syncNetworkClock } from '../../renderer/src/lib/clock.svelte.ts';
import Countdown from '../../renderer/src/routes/proposals/Countdown.svelte';

const DAY_MS = 86_400_000;
let aheadMs = DAY_MS;
const calls: string[] = [];

setTransport(async (method) => {
  calls.push(method);
  if (method === 'app.now') {
    const localTimeMs = Date.now();
    return { ok: true, value: { networkTimeMs: localTimeMs + aheadMs, localTimeMs } };
  }
  if (method === 'events.next') return new Promise(() => undefined); // no events in this test
  return { ok: false, error: { kind: 'internal', message: `unexpected ${method}` } };
});

it('counts down on the network clock, and follows it when it jumps', async () => {
  await syncNetworkClock();
  expect(calls).toContain('app.now');
  expect(Math.abs(networkNowMs() - (Date.now() + DAY_MS))).toBeLessThan(1_000);

  // A deadline 2 days and 30 minutes after the network's now: 3 days on this computer's clock.
  const deadlineSeconds = BigInt(Math.floor((Date.now() + DAY_MS + 2 * DAY_MS + 30 * 60_000) / 1000));
  render(Countdown, { deadlineSeconds });
  expect(screen.getByTestId('countdown').textContent).toBe('2 d 0 h left');

  // The network's clock moves a day on (time travel): the countdown shows a day less.
  aheadMs = 2 * DAY_MS;
  await syncNetworkClock();
  flushSync();
  expect(screen.getByTestId('countdown').textContent).toBe('1 d 0 h left');

  // Past the deadline on the network's clock, though not on this computer's.
  aheadMs = 3 * DAY_MS + 3_600_000;
  await syncNetworkClock();
  flushSync();
  expect(screen.getByTestId('countdown').textContent).toBe('Voting closed');
});

it('keeps the last offset when the core cannot say (locked)', async () => {
  setTransport(async (method) =>
    method === 'events.next' ? new Promise(() => undefined) : { ok: false, error: { kind: 'locked', message: 'Neuron Desk is locked.' } },
  );
  const before = networkNowMs() - Date.now();
  await syncNetworkClock();
  expect(Math.abs(networkNowMs() - Date.now() - before)).toBeLessThan(50);
});
