// The ledger's replay-prevention window (mainnet's transactions_by_hash + transactions_by_height):
// transactions that carried a created_at_time, remembered until their block is older than the
// window plus the permitted drift. Block times never decrease, so the queue is sorted and pruning
// only looks at its front. Throttling follows ic_ledger_canister_core::ledger::throttle.

export const TRANSACTION_WINDOW_NS = 24n * 3600n * 1_000_000_000n;
export const PERMITTED_DRIFT_NS = 60n * 1_000_000_000n;
/** Mainnet ICP ledger's DEFAULT_MAX_TRANSACTIONS_IN_WINDOW. */
export const MAX_TRANSACTIONS_IN_WINDOW = 3_000_000;

interface Entry {
  key: string;
  block: number;
  timestamp: bigint;
}

export class DedupWindow {
  private byKey = new Map<string, number>();
  private queue: Entry[] = [];
  private head = 0;

  constructor(private readonly maxInWindow = MAX_TRANSACTIONS_IN_WINDOW) {}

  get size(): number {
    return this.queue.length - this.head;
  }

  lookup(key: string): number | undefined {
    return this.byKey.get(key);
  }

  /** Forgets transactions whose block left the window; returns how many. */
  purge(now: bigint): number {
    let purged = 0;
    while (this.head < this.queue.length) {
      const e = this.queue[this.head];
      if (e.timestamp + TRANSACTION_WINDOW_NS + PERMITTED_DRIFT_NS >= now) break;
      if (this.byKey.get(e.key) === e.block) this.byKey.delete(e.key);
      this.head++;
      purged++;
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return purged;
  }

  /** True when the ledger would answer TxThrottled (at most maxInWindow per window). */
  throttled(now: bigint): boolean {
    const n = this.size;
    if (n < Math.floor(this.maxInWindow / 2)) return false;
    const maxRate = Math.ceil((0.5 * this.maxInWindow) / Number(TRANSACTION_WINDOW_NS / 1_000_000_000n));
    const i = n - maxRate;
    const ts = i >= 0 ? this.queue[this.head + i].timestamp : 0n;
    return ts + 1_000_000_000n > now;
  }

  remember(key: string, block: number, timestamp: bigint): void {
    this.byKey.set(key, block);
    this.queue.push({ key, block, timestamp });
  }

  /** Block indices still in the window, oldest first (the snapshot form). */
  blocks(): number[] {
    return this.queue.slice(this.head).map((e) => e.block);
  }

  reset(entries: Entry[]): void {
    this.byKey.clear();
    this.queue = [];
    this.head = 0;
    for (const e of entries) this.remember(e.key, e.block, e.timestamp);
  }
}
