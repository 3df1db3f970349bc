// The network's clock, as the renderer knows it: the offset between the network's time (which the
// core keeps in step with the network, 'app.now') and this computer's clock. The two differ on a
// skewed computer and, by days or months, on the local test subnet after time travel. Anything
// that compares a deadline with "now" (countdowns, "closes in") reads networkNowMs(), never
// Date.now() alone. The offset is read on first use, after the network's clock jumps (the core's
// 'network-time' event, sent after time travel), and whenever the network, the identity or the
// lock changes; a failed read keeps the last offset (locked, or the network not answering).
import { call } from './desk.ts';
import { onDeskEvent } from './events.svelte.ts';

const clock = $state({ offsetMs: 0, synced: false });
let started = false;
let latest = 0;

/** Reads the network's time from the core now; resolves when the offset is updated (or kept). */
export async function syncNetworkClock(): Promise<void> {
  start();
  const ticket = ++latest;
  try {
    const t = await call('app.now');
    if (ticket !== latest) return; // a later read answers for a later moment
    clock.offsetMs = t.networkTimeMs - t.localTimeMs;
    clock.synced = true;
  } catch {
    // Locked, no identity yet, or the network is not answering: keep what is known.
  }
}

function start() {
  if (started) return;
  started = true;
  onDeskEvent((e) => {
    if (e.type === 'network-time' || e.type === 'network-changed' || e.type === 'unlocked' || e.type === 'identities-changed') void syncNetworkClock();
    else if (e.type === 'subnet-status' && e.state === 'running') void syncNetworkClock();
  });
  void syncNetworkClock();
}

/** Network time minus this computer's time, in ms (reactive: reading it in $derived follows a resync). */
export function networkOffsetMs(): number {
  start();
  return clock.offsetMs;
}

/** The network's time now, in ms since the epoch (reactive in the offset, not in the passing time). */
export function networkNowMs(): number {
  return Date.now() + networkOffsetMs();
}

/** Whether the offset was read from the core at least once. */
export function networkClockSynced(): boolean {
  start();
  return clock.synced;
}
