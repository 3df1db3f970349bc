// Events from the main process to the renderer, delivered through one invoke-only method
// (`events.next`): the renderer asks for events after the last sequence number it saw and the call
// answers when there are some (or after a wait). No callbacks cross the boundary.

export type DeskEvent =
  | { seq: number; type: 'locked' }
  | { seq: number; type: 'unlocked' }
  | { seq: number; type: 'identities-changed' }
  | { seq: number; type: 'network-changed'; network: string }
  /** The network's clock jumped (the local subnet's time travel): times left must be recomputed. */
  | { seq: number; type: 'network-time' }
  | { seq: number; type: 'subnet-status'; state: string; url?: string; message?: string }
  | { seq: number; type: 'progress'; reviewId: string; step: string; done: number; total: number }
  | { seq: number; type: 'proposals.closingSoon'; proposals: ClosingSoonProposal[] };

/** A proposal closing within 24 hours on which some of the user's neurons have not voted (services/closing-soon.ts). */
export interface ClosingSoonProposal {
  id: bigint;
  title: string;
  deadlineSeconds: bigint;
  /** Seconds left before the deadline on the network's clock, when it was found. */
  secondsLeft: number;
  /** How many of the user's neurons can still vote on it. */
  neurons: number;
}

type Without<T> = T extends unknown ? Omit<T, 'seq'> : never;
export type DeskEventInput = Without<DeskEvent>;

const KEEP = 200;
export const MAX_WAIT_MS = 25_000;

export class EventHub {
  private seq = 0;
  private buffer: DeskEvent[] = [];
  private waiters = new Set<() => void>();
  private listeners = new Set<(e: DeskEvent) => void>();

  emit(e: DeskEventInput): void {
    const event = { ...e, seq: ++this.seq } as DeskEvent;
    this.buffer.push(event);
    if (this.buffer.length > KEEP) this.buffer.splice(0, this.buffer.length - KEEP);
    for (const w of [...this.waiters]) w();
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (err) {
        console.error('neuron-desk: an event listener failed', err);
      }
    }
  }

  /** In-process subscribers (the main process's own glue, e.g. OS notifications); returns the unsubscribe. */
  subscribe(listener: (e: DeskEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Events after `after`; waits up to `waitMs` for the first one. A gap (events dropped) starts at the oldest kept. */
  async next(after: number, waitMs: number): Promise<DeskEvent[]> {
    const ready = () => this.buffer.filter((e) => e.seq > after);
    let events = ready();
    if (events.length > 0 || waitMs <= 0) return events;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.min(waitMs, MAX_WAIT_MS));
      this.waiters.add(done);
    });
    events = ready();
    return events;
  }

  /** Wakes every waiting call (shutdown). */
  close(): void {
    for (const w of [...this.waiters]) w();
  }
}
