// OS notifications for the core's events (main.ts subscribes it to the Desk's event hub): a proposal
// closing within 24 hours on which the user's neurons have not voted. Clicking one brings the window
// forward on the proposal. Nothing is shown while the vault is locked. Plain module (Electron's
// Notification is passed in), tested under Node with a stand-in.
import type { ClosingSoonProposal, DeskEvent } from '../api/events.ts';

export interface NotificationLike {
  on(event: 'click' | 'close', listener: () => void): unknown;
  show(): void;
}

export interface NotificationClass {
  new (options: { title: string; body: string }): NotificationLike;
  isSupported?(): boolean;
}

export interface NotifierOptions {
  Notification: NotificationClass;
  /** True while the vault is locked: nothing about the user's neurons is shown then. */
  isLocked(): boolean;
  /** Brings the window forward, on a route of the app ("proposals/42") when one is given. */
  open(route?: string): void;
}

/** More proposals than this at once make one summary notification. */
export const MAX_SEPARATE = 3;

export interface NotificationText {
  title: string;
  body: string;
  route: string;
}

/** "5 h", "45 min", "1 day 2 h". */
export function formatTimeLeft(seconds: number): string {
  if (seconds < 3_600) return `${Math.max(1, Math.round(seconds / 60))} min`;
  const hours = Math.round(seconds / 3_600);
  if (hours < 24) return `${hours} h`;
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return `${days} day${days === 1 ? '' : 's'}${rest > 0 ? ` ${rest} h` : ''}`;
}

export function neuronsNotVoted(n: number): string {
  return `${n} neuron${n === 1 ? ' has' : 's have'} not voted`;
}

/** What to show for newly announced proposals: one notification each, or one summary for many. */
export function closingSoonTexts(proposals: ClosingSoonProposal[]): NotificationText[] {
  if (proposals.length === 0) return [];
  if (proposals.length > MAX_SEPARATE) {
    const soonest = Math.min(...proposals.map((p) => p.secondsLeft));
    return [
      {
        title: `${proposals.length} proposals close within 24 hours`,
        body: `Your neurons have not voted on them; the first closes in ${formatTimeLeft(soonest)}.`,
        route: 'proposals',
      },
    ];
  }
  return proposals.map((p) => ({
    title: `Proposal ${p.id} closes soon: ${p.title}`.slice(0, 120),
    body: `${neuronsNotVoted(p.neurons)}; closes in ${formatTimeLeft(p.secondsLeft)}.`,
    route: `proposals/${p.id}`,
  }));
}

/** The listener to subscribe to the event hub. */
export function createNotifier(o: NotifierOptions): (e: DeskEvent) => void {
  // Shown notifications are kept referenced until clicked or closed (or their click is lost).
  const shown = new Set<NotificationLike>();
  return (e) => {
    if (e.type !== 'proposals.closingSoon') return;
    if (o.isLocked()) return;
    if (o.Notification.isSupported && !o.Notification.isSupported()) return;
    for (const text of closingSoonTexts(e.proposals)) {
      const n = new o.Notification({ title: text.title, body: text.body });
      shown.add(n);
      n.on('click', () => {
        shown.delete(n);
        // Locked since it was shown: the window shows the unlock screen, not the proposal.
        o.open(o.isLocked() ? undefined : text.route);
      });
      n.on('close', () => shown.delete(n));
      n.show();
    }
  };
}
