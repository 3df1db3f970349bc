// Subnet time: wall time plus an offset that only grows (time travel moves it forward).

export const NS_PER_SECOND = 1_000_000_000n;

export class Clock {
  constructor(public offsetNs = 0n) {}

  /** Wall time in nanoseconds (microsecond resolution) plus the offset. */
  now(): bigint {
    const micros = Math.round((performance.timeOrigin + performance.now()) * 1000);
    return BigInt(micros) * 1000n + this.offsetNs;
  }

  advance(seconds: bigint): void {
    if (seconds < 0n) throw new Error('time only moves forward');
    this.offsetNs += seconds * NS_PER_SECOND;
  }
}
