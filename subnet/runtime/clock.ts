// Subnet time: wall time plus an offset that only grows (time travel moves it forward). The one
// exception is genesis, which may start in the past to build a history and then catch up (rewind).

export const NS_PER_SECOND = 1_000_000_000n;

export class Clock {
  constructor(public offsetNs = 0n) {}

  /**
   * Wall time in nanoseconds plus the offset. Wall time, not a monotonic clock: clients set their
   * ingress expiry from wall time, and a monotonic clock stops while a laptop sleeps. The runtime
   * keeps its own time from going backwards.
   */
  now(): bigint {
    return BigInt(Date.now()) * 1_000_000n + this.offsetNs;
  }

  advance(seconds: bigint): void {
    if (seconds < 0n) throw new Error('time only moves forward');
    this.offsetNs += seconds * NS_PER_SECOND;
  }

  /** Moves the clock back (a negative offset). Only for genesis: see Runtime.rewindForGenesis. */
  rewind(seconds: bigint): void {
    if (seconds < 0n) throw new Error('rewind takes a positive number of seconds');
    this.offsetNs -= seconds * NS_PER_SECOND;
  }
}
