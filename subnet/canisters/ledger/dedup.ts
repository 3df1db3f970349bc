// The ledger's replay-prevention window (mainnet's transactions_by_hash + transactions_by_height):
// transactions that carried a created_at_time, remembered until their block is older than the
// window plus the permitted drift. Block times never decrease, so the queue is sorted and pruning
// only looks at its front. Throttling follows ic_ledger_canister_core::ledger::throttle.

export const TRANSACTION_WINDOW_NS = 24n * 3600n * 1_000_000_000n;
export const PERMITTED_DRIFT_NS = 60n * 1_000_000_000n;
/** Mainnet ICP ledger's DEFAULT_MAX_TRANSACTIONS_IN_WINDOW. */
export const MAX_TRANSACTIONS_IN_WINDOW = 3_000_000;

export class DedupWindow {
  private byKey = new Map<string, number>();
  // The queue, as parallel arrays (no object per entry), with a moving head.
  private keys: string[] = [];
  private blockIds: number[] = [];
  private times: bigint[] = [];
  private head = 0;

  constructor(private readonly maxInWindow = MAX_TRANSACTIONS_IN_WINDOW) {}

  get size(): number {
    return this.keys.length - this.head;
  }

  lookup(key: string): number | undefined {
    return this.byKey.get(key);
  }

  /** Forgets transactions whose block left the window; returns how many. */
  purge(now: bigint): number {
    let purged = 0;
    while (this.head < this.keys.length) {
      if (this.times[this.head] + TRANSACTION_WINDOW_NS + PERMITTED_DRIFT_NS >= now) break;
      const key = this.keys[this.head];
      if (this.byKey.get(key) === this.blockIds[this.head]) this.byKey.delete(key);
      this.head++;
      purged++;
    }
    if (this.head > 1024 && this.head * 2 > this.keys.length) {
      this.keys = this.keys.slice(this.head);
      this.blockIds = this.blockIds.slice(this.head);
      this.times = this.times.slice(this.head);
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
    const ts = i >= 0 ? this.times[this.head + i] : 0n;
    return ts + 1_000_000_000n > now;
  }

  remember(key: string, block: number, timestamp: bigint): void {
    this.byKey.set(key, block);
    this.keys.push(key);
    this.blockIds.push(block);
    this.times.push(timestamp);
  }

  /** The window's transactions, oldest first (the snapshot form). */
  entries(): { blocks: number[]; keys: string[] } {
    return { blocks: this.blockIds.slice(this.head), keys: this.keys.slice(this.head) };
  }

  reset(blocks: number[], keys: string[], timestampOf: (block: number) => bigint): void {
    if (blocks.length !== keys.length) throw new Error('ledger snapshot: malformed dedup window');
    this.byKey.clear();
    this.keys = [];
    this.blockIds = [];
    this.times = [];
    this.head = 0;
    blocks.forEach((block, i) => this.remember(keys[i], block, timestampOf(block)));
  }
}
