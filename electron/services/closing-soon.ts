// "Closing soon": while the vault is unlocked, a watcher looks every few minutes (and right after an
// unlock, an identity or network switch, or time travel on the local subnet) for open proposals
// whose deadline is less than 24 hours away on the network's clock and on which at least one of the
// active identity's neurons can still vote (proposals.ts `actionable`: an unspecified ballot, which
// is voting.ts's "can-vote"). Each such proposal is announced once per identity and network (the
// announced ones are remembered in a local store) through `emit`, which the Desk turns into a
// `proposals.closingSoon` event: the renderer shows a notice, the main process an OS notification.
import type { ClosingSoonProposal } from '../api/events.ts';
import type { LocalStore } from './local-store.ts';
import type { ActionableProposal } from './proposals.ts';

export type { ClosingSoonProposal };

/** Proposals whose deadline is at most this far away are "closing soon". */
export const CLOSING_WINDOW_SECONDS = 24n * 3_600n;
/** How often the watcher looks while it runs. */
export const CHECK_INTERVAL_MS = 10 * 60_000;
/** After a switch (identity, network) the watcher waits this long, so a burst of changes makes one check. */
export const SETTLE_MS = 1_000;
/** A check that has not finished by then (a network that does not answer) no longer holds up the next. */
export const CHECK_TIMEOUT_MS = 2 * 60_000;
/** Announced proposals remembered per identity and network (the oldest are forgotten first). */
const KEEP_ANNOUNCED = 500;

export interface ClosingSoonData {
  /** The user's setting: look for proposals closing soon at all. */
  closingSoon: boolean;
  /** Per identity and network (`<network>|<principal>`): the proposals already announced (`<id>@<created>`). */
  announced: Record<string, string[]>;
}

export const emptyClosingSoonData = (): ClosingSoonData => ({ closingSoon: true, announced: {} });

/** What the watcher looks at: the active identity on the active network. */
export interface WatchTarget {
  /** Which identity on which network (announcements are remembered per scope). */
  scope: string;
  /** The proposals on which one of the identity's neurons can still vote (Proposals.actionable). */
  actionable(): Promise<ActionableProposal[]>;
  /** The network's time in nanoseconds (networkNowNs: the local subnet's clock can travel). */
  nowNs(): Promise<bigint>;
}

export interface ClosingSoonOptions {
  store: LocalStore<ClosingSoonData>;
  /** The target to check now, or undefined when there is none (locked, no identity, watch-only, subnet stopped). */
  target(): Promise<WatchTarget | undefined>;
  /** Publishes newly announced proposals (never an empty list). */
  emit(proposals: ClosingSoonProposal[]): void;
  intervalMs?: number;
  settleMs?: number;
  checkTimeoutMs?: number;
  /** A failed check (network down...) is logged by the caller, never thrown. */
  onError?(e: unknown): void;
}

/** The actionable proposals whose deadline is after `nowSeconds` and within the window, soonest first. */
export function closingSoon(actionable: ActionableProposal[], nowSeconds: bigint, windowSeconds = CLOSING_WINDOW_SECONDS): ClosingSoonProposal[] {
  return actionable
    .filter((p) => p.acceptingVotes && p.votableNeuronIds.length > 0 && p.deadlineSeconds !== undefined)
    .filter((p) => p.deadlineSeconds! > nowSeconds && p.deadlineSeconds! - nowSeconds <= windowSeconds)
    .map((p) => ({
      id: p.id,
      title: p.title,
      deadlineSeconds: p.deadlineSeconds!,
      secondsLeft: Number(p.deadlineSeconds! - nowSeconds),
      neurons: p.votableNeuronIds.length,
    }))
    .sort((a, b) => a.secondsLeft - b.secondsLeft);
}

/** A proposal as remembered: its id and creation time (a reset local subnet reuses ids, never both). */
const announcementKey = (p: Pick<ActionableProposal, 'id' | 'createdAtSeconds'>) => `${p.id}@${p.createdAtSeconds}`;

export class ClosingSoonWatcher {
  private timer?: ReturnType<typeof setInterval>;
  private settleTimer?: ReturnType<typeof setTimeout>;
  /** Bumped by every switch and stop: a check begun before it publishes nothing. */
  private epoch = 0;
  private chain: Promise<unknown> = Promise.resolve();
  /** Announced since the last switch (for a screen that opens after the event went by). */
  private recentList: ClosingSoonProposal[] = [];

  constructor(private readonly opts: ClosingSoonOptions) {}

  get enabled(): boolean {
    return this.opts.store.read().closingSoon;
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** The proposals announced since the last switch whose deadline had not passed at the last check. */
  recent(): ClosingSoonProposal[] {
    return this.enabled ? [...this.recentList] : [];
  }

  setEnabled(on: boolean): void {
    this.opts.store.update((d) => {
      d.closingSoon = on;
    });
    if (!on) this.recentList = [];
    if (on && this.running) this.checkSoon(0);
  }

  /** Starts looking (after an unlock): now, then every interval. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.check(), this.opts.intervalMs ?? CHECK_INTERVAL_MS);
    this.timer.unref?.();
    this.checkSoon(0);
  }

  /** Stops looking (a lock, shutdown); a check under way publishes nothing. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.timer = undefined;
    this.settleTimer = undefined;
    this.epoch++;
    this.recentList = [];
  }

  /** The identity or the network changed: forget what was under way and look again shortly. */
  changed(): void {
    this.epoch++;
    this.recentList = [];
    if (this.running) this.checkSoon();
  }

  /** Looks again after `delayMs` (default: the settle time), once however often it is asked. */
  checkSoon(delayMs = this.opts.settleMs ?? SETTLE_MS): void {
    if (!this.running) return;
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined;
      void this.check();
    }, delayMs);
    this.settleTimer.unref?.();
  }

  /** One check (checks never overlap); resolves to what it announced. Never throws. */
  check(): Promise<ClosingSoonProposal[]> {
    // Announcing stays at most once even if a timed-out check ends later: the store is read and
    // written with no wait in between.
    const run = this.chain.then(() => withTimeout(this.once(), this.opts.checkTimeoutMs ?? CHECK_TIMEOUT_MS));
    this.chain = run.catch(() => undefined);
    return run.catch((e: unknown) => {
      this.opts.onError?.(e);
      return [];
    });
  }

  private async once(): Promise<ClosingSoonProposal[]> {
    if (!this.running || !this.enabled) return [];
    const epoch = this.epoch;
    const target = await this.opts.target();
    if (!target || epoch !== this.epoch) return [];
    // The clock first: on the local subnet it re-syncs the agent, whose requests would otherwise
    // expire "in the past" right after time travel.
    const nowNs = await target.nowNs();
    const actionable = await target.actionable();
    if (epoch !== this.epoch || !this.running || !this.enabled) return [];
    const nowSeconds = nowNs / 1_000_000_000n;
    const byId = new Map(actionable.map((p) => [p.id, p]));
    const soon = closingSoon(actionable, nowSeconds);
    this.recentList = this.recentList.filter((p) => p.deadlineSeconds > nowSeconds);
    const announced = new Set(this.opts.store.read().announced[target.scope] ?? []);
    const fresh = soon.filter((p) => !announced.has(announcementKey(byId.get(p.id)!)));
    if (fresh.length === 0) return [];
    // Remembered before it is published: an announcement is made at most once.
    this.opts.store.update((d) => {
      const list = [...(d.announced[target.scope] ?? []), ...fresh.map((p) => announcementKey(byId.get(p.id)!))];
      d.announced[target.scope] = list.slice(-KEEP_ANNOUNCED);
    });
    const ids = new Set(fresh.map((p) => p.id));
    this.recentList = [...fresh, ...this.recentList.filter((p) => !ids.has(p.id))];
    this.opts.emit(fresh);
    return fresh;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('The check for proposals closing soon took too long.')), ms);
    timer.unref?.();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
