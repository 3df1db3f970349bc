// One long poll of the core's events for the whole page; components subscribe to what they need.
import type { DeskEvent } from '../../../electron/api/events.ts';
import { call } from './desk.ts';

type Listener = (e: DeskEvent) => void;
const listeners = new Set<Listener>();
let running = false;

export function onDeskEvent(listener: Listener): () => void {
  listeners.add(listener);
  if (!running) void poll();
  return () => listeners.delete(listener);
}

async function poll() {
  running = true;
  let seq = 0;
  while (listeners.size > 0) {
    try {
      for (const e of await call('events.next', seq, 20_000)) {
        seq = e.seq;
        for (const l of [...listeners]) l(e);
      }
    } catch {
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }
  running = false;
}
