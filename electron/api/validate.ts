// Validators for the API boundary: every argument of every method is checked here before any
// service sees it. A validator returns the value (normalized) or throws DeskError('invalid-input')
// naming the argument. Kept dependency-free apart from ids.ts so the renderer can share them.
import { invalidInput } from './errors.ts';
import { checkAccountIdHex, checkPrincipalText, parseDestination, type Destination } from './ids.ts';

export type Validator<T> = (value: unknown, name: string) => T;
export type Infer<V> = V extends Validator<infer T> ? T : never;

const U64_MAX = 2n ** 64n - 1n;

export const str =
  (opts: { min?: number; max?: number; pattern?: RegExp; hint?: string } = {}): Validator<string> =>
  (v, name) => {
    if (typeof v !== 'string') throw invalidInput(`${name} must be text.`);
    const max = opts.max ?? 10_000;
    if (v.length > max) throw invalidInput(`${name} is too long (at most ${max} characters).`);
    if (v.length < (opts.min ?? 0)) throw invalidInput(opts.min === 1 ? `${name} cannot be empty.` : `${name} is too short (at least ${opts.min} characters).`);
    if (opts.pattern && !opts.pattern.test(v)) throw invalidInput(opts.hint ?? `${name} is not in the expected form.`);
    return v;
  };

export const bool: Validator<boolean> = (v, name) => {
  if (typeof v !== 'boolean') throw invalidInput(`${name} must be true or false.`);
  return v;
};

/** A bigint in [min, max] (default: u64). */
export const nat =
  (opts: { min?: bigint; max?: bigint } = {}): Validator<bigint> =>
  (v, name) => {
    if (typeof v !== 'bigint') throw invalidInput(`${name} must be a whole number.`);
    const min = opts.min ?? 0n;
    const max = opts.max ?? U64_MAX;
    if (v < min) throw invalidInput(`${name} must be at least ${min}.`);
    if (v > max) throw invalidInput(`${name} must be at most ${max}.`);
    return v;
  };

/** A safe integer number in [min, max]. */
export const int =
  (min: number, max: number): Validator<number> =>
  (v, name) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw invalidInput(`${name} must be a whole number.`);
    if (v < min || v > max) throw invalidInput(`${name} must be between ${min} and ${max}.`);
    return v;
  };

export const oneOf =
  <const T extends readonly string[]>(values: T): Validator<T[number]> =>
  (v, name) => {
    if (typeof v !== 'string' || !values.includes(v)) throw invalidInput(`${name} must be one of ${values.join(', ')}.`);
    return v as T[number];
  };

export const optional =
  <T>(inner: Validator<T>): Validator<T | undefined> =>
  (v, name) =>
    v === undefined || v === null ? undefined : inner(v, name);

export const arrayOf =
  <T>(inner: Validator<T>, opts: { max?: number; min?: number } = {}): Validator<T[]> =>
  (v, name) => {
    if (!Array.isArray(v)) throw invalidInput(`${name} must be a list.`);
    if (v.length > (opts.max ?? 1_000)) throw invalidInput(`${name} has too many entries (at most ${opts.max ?? 1_000}).`);
    if (v.length < (opts.min ?? 0)) throw invalidInput(`${name} needs at least ${opts.min} entr${opts.min === 1 ? 'y' : 'ies'}.`);
    return v.map((x, i) => inner(x, `${name}[${i}]`));
  };

type Shape = Record<string, Validator<unknown>>;
export type ObjectOf<S extends Shape> = { [K in keyof S as undefined extends Infer<S[K]> ? never : K]: Infer<S[K]> } & {
  [K in keyof S as undefined extends Infer<S[K]> ? K : never]?: Infer<S[K]>;
};

/** A plain object with exactly these keys (unknown keys are refused: they are typos or probes). */
export const object =
  <S extends Shape>(shape: S): Validator<ObjectOf<S>> =>
  (v, name) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.getPrototypeOf(v) !== Object.prototype)
      throw invalidInput(`${name} must be an object.`);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) if (!(key in shape)) throw invalidInput(`${name} has an unexpected field "${key.slice(0, 40)}".`);
    for (const [key, inner] of Object.entries(shape)) {
      const value = inner((v as Record<string, unknown>)[key], `${name}.${key}`);
      if (value !== undefined) out[key] = value;
    }
    return out as ObjectOf<S>;
  };

export const principal: Validator<string> = (v, name) => checkPrincipalText(str({ max: 100 })(v, name), name);
export const accountId: Validator<string> = (v, name) => checkAccountIdHex(str({ max: 100 })(v, name));
export const destination: Validator<Destination> = (v, name) => parseDestination(str({ max: 200 })(v, name));
/** An ICP amount as the user typed it: text, parsed exactly by the service (amounts.ts). */
export const amountText: Validator<string> = str({ min: 1, max: 40, pattern: /^[0-9.\s]+$/, hint: 'An amount is digits with an optional decimal point.' });
export const label: Validator<string> = (v, name) => {
  const s = str({ min: 1, max: 64 })(v, name).trim();
  if (s === '') throw invalidInput(`${name} cannot be empty.`);
  if (/[\u0000-\u001f\u007f]/.test(s)) throw invalidInput(`${name} cannot contain control characters.`);
  return s;
};
export const neuronId: Validator<bigint> = nat({ min: 1n });
export const proposalId: Validator<bigint> = nat({ min: 1n });
export const opaqueId: Validator<string> = str({ min: 1, max: 64, pattern: /^[A-Za-z0-9_-]+$/, hint: 'Not a valid id.' });
