// Cycles in the units users read: trillions ("4.200 T cycles"), exact bigint arithmetic.
const T = 1_000_000_000_000n;

export function formatCycles(cycles: bigint): string {
  const thousandths = (cycles * 1_000n) / T;
  return `${thousandths / 1_000n}.${(thousandths % 1_000n).toString().padStart(3, '0')} T`;
}

/** Small quantities (a daily burn) in the largest unit that keeps them readable: "85.200 M". */
export function formatCyclesShort(cycles: bigint): string {
  for (const [unit, size] of [['T', T], ['B', 1_000_000_000n], ['M', 1_000_000n]] as const) {
    if (cycles >= size) {
      const thousandths = (cycles * 1_000n) / size;
      return `${thousandths / 1_000n}.${(thousandths % 1_000n).toString().padStart(3, '0')} ${unit}`;
    }
  }
  return cycles.toString();
}
