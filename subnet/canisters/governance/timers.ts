// The neuron timers as a min-heap of (time, kind, neuron) with lazy deletion: `scheduled` holds the
// live entry per (kind, neuron); a popped entry that no longer matches it is stale and skipped.
// Built from the neurons on restore, so it is never part of a snapshot.
import { MinHeap } from '../common/min-heap.ts';

export type TimerKind = 'spawn' | 'disburse' | 'follow' | 'follow-scan' | 'metrics';

export interface TimerEntry {
  at: bigint; // seconds
  kind: TimerKind;
  id: bigint;
}

const before = (a: TimerEntry, b: TimerEntry) => a.at < b.at || (a.at === b.at && (a.kind < b.kind || (a.kind === b.kind && a.id < b.id)));

export class TimerQueue {
  private readonly heap = new MinHeap<TimerEntry>(before);
  /** kind -> neuron id -> when its live entry is due. */
  private scheduled = new Map<TimerKind, Map<bigint, bigint>>();
  /** While load() runs: entries wait here and enter the heap at once. */
  private loading: TimerEntry[] | undefined;

  private live(kind: TimerKind): Map<bigint, bigint> {
    let m = this.scheduled.get(kind);
    if (!m) this.scheduled.set(kind, (m = new Map()));
    return m;
  }

  /** Schedules (kind, id) at `at` unless it is already due at that time or earlier. */
  schedule(kind: TimerKind, id: bigint, at: bigint): void {
    const live = this.live(kind);
    const current = live.get(id);
    if (current !== undefined && current <= at) return;
    live.set(id, at);
    if (this.loading) this.loading.push({ at, kind, id });
    else this.heap.push({ at, kind, id });
  }

  /** Runs `fill` (which schedules many entries) and orders the heap once at the end. */
  load(fill: () => void): void {
    this.loading = [];
    try {
      fill();
    } finally {
      const entries = this.loading;
      this.loading = undefined;
      this.heap.pushAll(entries);
    }
  }

  /** The earliest live entry's time (seconds), dropping stale entries on the way. */
  peek(): bigint | undefined {
    for (let top = this.heap.peek(); top; top = this.heap.peek()) {
      if (this.scheduled.get(top.kind)?.get(top.id) === top.at) return top.at;
      this.heap.pop();
    }
    return undefined;
  }

  /** Removes and returns the earliest live entry due at or before `now`. */
  takeDue(now: bigint): TimerEntry | undefined {
    const at = this.peek();
    if (at === undefined || at > now) return undefined;
    const e = this.heap.pop()!;
    this.scheduled.get(e.kind)!.delete(e.id);
    return e;
  }

  get size(): number {
    return this.heap.size;
  }
}
