// Locks the vault after an idle time. The timers are injectable so tests move time by hand.

export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout(run, ms) {
    const t = setTimeout(run, ms);
    t.unref?.(); // a pending auto-lock must not keep the process alive
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class AutoLock {
  private handle: unknown = null;

  constructor(
    private readonly timers: Timers,
    private idleMs: number | null,
    private readonly onIdle: () => void,
  ) {}

  get ms(): number | null {
    return this.idleMs;
  }

  /** Changes the idle time (takes effect at the next restart). */
  set(ms: number | null) {
    this.idleMs = ms;
  }

  /** Starts (or restarts) the countdown: on unlock and on every sign of activity. */
  restart() {
    this.stop();
    if (this.idleMs === null) return;
    this.handle = this.timers.setTimeout(() => {
      this.handle = null;
      this.onIdle();
    }, this.idleMs);
  }

  stop() {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
  }
}
