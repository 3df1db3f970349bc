// ICP amounts: bigint e8s everywhere; text only at the edges. Parsing is exact (no floats).

export const E8S_PER_ICP = 100_000_000n;
const AMOUNT = /^(\d+)(?:\.(\d*))?$|^\.(\d+)$/;

export interface ParseAmountOptions {
  /** Accept 0 (default false: an amount of nothing is meaningless for a transfer or a stake). */
  allowZero?: boolean;
}

/**
 * Parses a user's ICP amount ("1", "1.5", "0.00000001", ".5"; spaces around and `_`/`,` thousands
 * separators are refused to avoid ambiguity) into e8s. Throws a RangeError with a sentence a user
 * understands for anything else: more than 8 decimals, a sign, an exponent, empty text.
 */
export function parseIcp(text: string, opts: ParseAmountOptions = {}): bigint {
  const t = text.trim();
  if (t === '') throw new RangeError('Enter an amount.');
  if (t.startsWith('-')) throw new RangeError('The amount cannot be negative.');
  const m = AMOUNT.exec(t);
  if (!m) throw new RangeError(`"${text}" is not an amount of ICP (use digits and a decimal point, e.g. 1.25).`);
  const whole = m[1] ?? '0';
  const frac = m[2] ?? m[3] ?? '';
  if (frac.length > 8) throw new RangeError('ICP has at most 8 decimals.');
  const e8s = BigInt(whole) * E8S_PER_ICP + BigInt(frac.padEnd(8, '0') || '0');
  if (e8s === 0n && !opts.allowZero) throw new RangeError('The amount must be more than zero.');
  if (e8s >= 2n ** 64n) throw new RangeError('The amount is too large.');
  return e8s;
}

/** e8s as ICP text with all significant decimals (at least 2 when fractional digits are trimmed): 1.5 -> "1.50". */
export function formatIcp(e8s: bigint, opts: { minDecimals?: number } = {}): string {
  const neg = e8s < 0n;
  const abs = neg ? -e8s : e8s;
  const whole = abs / E8S_PER_ICP;
  let frac = (abs % E8S_PER_ICP).toString().padStart(8, '0').replace(/0+$/, '');
  const min = opts.minDecimals ?? 2;
  if (frac.length < min) frac = frac.padEnd(min, '0');
  return `${neg ? '-' : ''}${whole}${frac ? '.' + frac : ''}`;
}
