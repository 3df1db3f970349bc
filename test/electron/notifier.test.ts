// The OS notifications' glue (electron/shell/notifier.ts) under plain Node, with a stand-in for
// Electron's Notification: what is shown for proposals closing soon, nothing while locked, and a
// click that brings the window forward on the proposal.
import { describe, expect, it } from 'vitest';
import type { ClosingSoonProposal, DeskEvent } from '../../electron/api/events.ts';
import { EventHub } from '../../electron/api/events.ts';
import { closingSoonTexts, createNotifier, formatTimeLeft, type NotificationClass } from '../../electron/shell/notifier.ts';

class FakeNotification {
  static shown: FakeNotification[] = [];
  static supported = true;
  static isSupported() {
    return FakeNotification.supported;
  }
  private listeners = new Map<string, () => void>();
  constructor(readonly options: { title: string; body: string }) {}
  on(event: string, listener: () => void) {
    this.listeners.set(event, listener);
    return this;
  }
  show() {
    FakeNotification.shown.push(this);
  }
  click() {
    this.listeners.get('click')?.();
  }
}

const proposal = (id: bigint, neurons: number, secondsLeft: number): ClosingSoonProposal => ({ id, title: `Proposal title ${id}`, deadlineSeconds: 1_000n + BigInt(secondsLeft), secondsLeft, neurons });
const event = (proposals: ClosingSoonProposal[]): DeskEvent => ({ seq: 1, type: 'proposals.closingSoon', proposals });

function setup() {
  FakeNotification.shown = [];
  FakeNotification.supported = true;
  const state = { locked: false, opened: [] as (string | undefined)[] };
  const notify = createNotifier({ Notification: FakeNotification as unknown as NotificationClass, isLocked: () => state.locked, open: (r) => state.opened.push(r) });
  return { state, notify };
}

describe('notifier', () => {
  it('shows one notification per proposal closing soon; a click opens the proposal', () => {
    const { state, notify } = setup();
    notify(event([proposal(42n, 3, 5 * 3_600 + 100), proposal(43n, 1, 50 * 60)]));
    expect(FakeNotification.shown.map((n) => n.options)).toEqual([
      { title: 'Proposal 42 closes soon: Proposal title 42', body: '3 neurons have not voted; closes in 5 h.' },
      { title: 'Proposal 43 closes soon: Proposal title 43', body: '1 neuron has not voted; closes in 50 min.' },
    ]);
    FakeNotification.shown[1].click();
    expect(state.opened).toEqual(['proposals/43']);
  });

  it('shows nothing while locked, nor for other events, nor where notifications are unsupported; a click after a lock only shows the window', () => {
    const { state, notify } = setup();
    state.locked = true;
    notify(event([proposal(42n, 3, 3_600)]));
    expect(FakeNotification.shown).toEqual([]);
    state.locked = false;
    notify({ seq: 2, type: 'locked' });
    notify({ seq: 3, type: 'unlocked' });
    expect(FakeNotification.shown).toEqual([]);
    FakeNotification.supported = false;
    notify(event([proposal(42n, 3, 3_600)]));
    expect(FakeNotification.shown).toEqual([]);
    FakeNotification.supported = true;
    notify(event([proposal(42n, 3, 3_600)]));
    expect(FakeNotification.shown).toHaveLength(1);
    state.locked = true;
    FakeNotification.shown[0].click();
    expect(state.opened).toEqual([undefined]);
  });

  it('sums up many proposals in one notification that opens the list', () => {
    const { state, notify } = setup();
    notify(event([proposal(1n, 1, 20 * 3_600), proposal(2n, 2, 2 * 3_600), proposal(3n, 1, 9 * 3_600), proposal(4n, 1, 23 * 3_600)]));
    expect(FakeNotification.shown.map((n) => n.options)).toEqual([{ title: '4 proposals close within 24 hours', body: 'Your neurons have not voted on them; the first closes in 2 h.' }]);
    FakeNotification.shown[0].click();
    expect(state.opened).toEqual(['proposals']);
  });

  it('hears the event hub as a subscriber', () => {
    const { notify } = setup();
    const hub = new EventHub();
    const stop = hub.subscribe(notify);
    hub.emit({ type: 'proposals.closingSoon', proposals: [proposal(7n, 2, 7_200)] });
    expect(FakeNotification.shown).toHaveLength(1);
    stop();
    hub.emit({ type: 'proposals.closingSoon', proposals: [proposal(8n, 2, 7_200)] });
    expect(FakeNotification.shown).toHaveLength(1);
  });

  it('words the time left', () => {
    expect(formatTimeLeft(30)).toBe('1 min');
    expect(formatTimeLeft(45 * 60)).toBe('45 min');
    expect(formatTimeLeft(5 * 3_600 + 600)).toBe('5 h');
    expect(formatTimeLeft(26 * 3_600)).toBe('1 day 2 h');
    expect(closingSoonTexts([])).toEqual([]);
  });
});
