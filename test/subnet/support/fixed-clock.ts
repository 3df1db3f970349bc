import { Clock } from '../../../subnet/runtime/clock.ts';

/** Wall time frozen at `startNs`: rounds then advance by 1 ns, and advanceTime by whole seconds. */
export class FixedClock extends Clock {
  constructor(private readonly startNs: bigint) {
    super();
  }
  override now(): bigint {
    return this.startNs + this.offsetNs;
  }
}
