// A full garbage collection on demand, for the one moment the runtime drops a whole state at once
// (after a genesis, see Runtime.finishGenesis): without it the hundreds of megabytes a large
// genesis built are marked incrementally while the first calls run, slowing each by tens of ms.
// Node exposes `gc` only under --expose-gc; the flag can be set at run time and the function
// picked up from a new context (the approach Node's own documentation of v8.setFlagsFromString
// alludes to). Where that is not possible it does nothing: collection then happens on its own.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined | null = null;

export function collectGarbage(): void {
  if (gc === null) {
    gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) {
      try {
        setFlagsFromString('--expose-gc');
        gc = runInNewContext('gc') as () => void;
        setFlagsFromString('--no-expose-gc');
      } catch {
        gc = undefined;
      }
    }
  }
  gc?.();
}
