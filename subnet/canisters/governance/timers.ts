// The neuron timers as a min-heap of (time, kind, neuron) with lazy deletion: `scheduled` holds the
// live entry per (kind, neuron); a popped entry that no longer matches it is stale and skipped.
// Built from the neurons on restore, so it is never part of a snapshot.

export type TimerKind = 'spawn' | 'disburse' | 'follow' | 'follow-scan' | 'metrics';

export interface TimerEntry {
  at: bigint; // seconds
  kind: TimerKind;
  id: bigint;
}

const before = (a: TimerEntry, b: TimerEntry) => a.at < b.at || (a.at === b.at && (a.kind < b.kind || (a.kind === b.kind && a.id < b.id)));

export class TimerQueue {
  private heap: TimerEntry[] = [];
  /** kind -> neuron id -> when its live entry is due. */
  private scheduled = new Map<TimerKind, Map<bigint, bigint>>();
  private loading = false;

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
    this.push({ at, kind, id });
  }

  /** Runs `fill` (which schedules many entries) and orders the heap once at the end. */
  load(fill: () => void): void {
    this.loading = true;
    try {
      fill();
    } finally {
      this.loading = false;
      for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
    }
  }

  /** The earliest live entry's time (seconds), dropping stale entries on the way. */
  peek(): bigint | undefined {
    while (this.heap.length > 0) {
      const top = this.heap[0];
      if (this.scheduled.get(top.kind)?.get(top.id) === top.at) return top.at;
      this.pop();
    }
    return undefined;
  }

  /** Removes and returns the earliest live entry due at or before `now`. */
  takeDue(now: bigint): TimerEntry | undefined {
    const at = this.peek();
    if (at === undefined || at > now) return undefined;
    const e = this.pop()!;
    this.scheduled.get(e.kind)!.delete(e.id);
    return e;
  }

  get size(): number {
    return this.heap.length;
  }

  private push(e: TimerEntry) {
    const h = this.heap;
    h.push(e);
    if (this.loading) return;
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): TimerEntry | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftDown(i: number) {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l], h[m])) m = l;
      if (r < h.length && before(h[r], h[m])) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
}
