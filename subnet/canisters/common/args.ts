// Checks of admin operations' arguments (plain JSON-like data, not Candid).

/** A natural number given as a bigint, a safe integer, or a decimal string; else throws. */
export function natArg(v: unknown, name: string): bigint {
  if (typeof v === 'bigint' && v >= 0n) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^[0-9]{1,30}$/.test(v)) return BigInt(v);
  throw new Error(`${name} must be a natural number`);
}
