// The neuron timers as a min-heap of (time, kind, neuron) with lazy deletion: `scheduled` holds the
// live entry per (kind, neuron); a popped entry that no longer matches it is stale and skipped.
// Built from the neurons on restore, so it is never part of a snapshot.

export type TimerKind = 'spawn' | 'disburse' | 'follow' | 'metrics';

export interface TimerEntry {
  at: bigint; // seconds
  kind: TimerKind;
  id: bigint;
}

const before = (a: TimerEntry, b: TimerEntry) => a.at < b.at || (a.at === b.at && (a.kind < b.kind || (a.kind === b.kind && a.id < b.id)));

export class TimerQueue {
  private heap: TimerEntry[] = [];
  private scheduled = new Map<string, bigint>();

  /** Schedules (kind, id) at `at` unless it is already due at that time or earlier. */
  schedule(kind: TimerKind, id: bigint, at: bigint): void {
    const key = `${kind}:${id}`;
    const current = this.scheduled.get(key);
    if (current !== undefined && current <= at) return;
    this.scheduled.set(key, at);
    this.push({ at, kind, id });
  }

  /** The earliest live entry's time (seconds), dropping stale entries on the way. */
  peek(): bigint | undefined {
    while (this.heap.length > 0) {
      const top = this.heap[0];
      if (this.scheduled.get(`${top.kind}:${top.id}`) === top.at) return top.at;
      this.pop();
    }
    return undefined;
  }

  /** Removes and returns the earliest live entry due at or before `now`. */
  takeDue(now: bigint): TimerEntry | undefined {
    const at = this.peek();
    if (at === undefined || at > now) return undefined;
    const e = this.pop()!;
    this.scheduled.delete(`${e.kind}:${e.id}`);
    return e;
  }

  get size(): number {
    return this.heap.length;
  }

  private push(e: TimerEntry) {
    const h = this.heap;
    h.push(e);
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
      let i = 0;
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
    return top;
  }
}
