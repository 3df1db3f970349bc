// Candid encoding for the canisters' replies, byte for byte what IDL.encode produces, but fast:
// - the type table (magic, table, argument types) depends only on the types, so it is computed once
//   per type list by IDL.encode and reused; for governance's types (a recursive Action variant with
//   dozens of arms) rebuilding it costs about 5 ms per reply;
// - values are written into one growing buffer instead of @icp-sdk/core's concatenation of a small
//   array per value (~16 us per record: a page of 500 full neurons took over a second);
// - each type is compiled once (cached by its IDL.Type object) into an encoding function, instead
//   of finding out the type of every value again: the library's `instanceof` goes through
//   Symbol.hasInstance and a typeName getter, and a page of 500 full neurons (~90k ballot records,
//   ~500k values) spent ~70 ms in those checks alone. Records, tuples, opts and vecs are compiled
//   to JS source (see generate), with small nested records, opts and numbers inlined;
// - the output buffer is kept from one reply to the next (see `spare`);
// - vecs of data registered with immutable() are encoded once and their bytes copied after.
// The walk checks values against their types as it goes (what IDL.encode's covariant check does),
// so a handler's malformed reply is still an error, never wrong bytes. Types the writer does not
// know (func, service, float, reserved...) are encoded by the library itself.
import { IDL } from '@icp-sdk/core/candid';

const prefixes = new WeakMap<IDL.Type[], Uint8Array>();

/**
 * The buffer replies are written into, kept from one call to the next (null while in use: a
 * nested call gets its own). Growing a fresh buffer for every reply allocated a dozen ArrayBuffers
 * for a reply of a megabyte, and V8 answered each with a scavenge for "external memory pressure":
 * 20-70 ms per list_neurons page with a mainnet-sized heap. Buffers above SPARE_MAX are not kept.
 */
let spare: Uint8Array | null = null;
const SPARE_MAX = 16 * 1024 * 1024;

export function encodeCandid(types: IDL.Type[], values: unknown[]): Uint8Array {
  if (values.length < types.length) throw new Error('Wrong number of message arguments');
  const encs = types.map(encoderOf);
  let prefix = prefixes.get(types);
  if (!prefix) {
    const full = new Uint8Array(IDL.encode(types, values));
    const w = new Writer(new Uint8Array(Math.max(64, full.length)));
    for (let i = 0; i < encs.length; i++) encs[i](w, values[i]);
    prefix = full.slice(0, full.length - w.length);
    prefixes.set(types, prefix);
  }
  const w = new Writer(spare ?? new Uint8Array(64 * 1024));
  spare = null;
  try {
    w.bytes(prefix);
    for (let i = 0; i < encs.length; i++) encs[i](w, values[i]);
    return w.result();
  } finally {
    if (w.buf.length <= SPARE_MAX) spare = w.buf;
  }
}

/**
 * Deep-freezes `value` (plain objects and arrays, with only data properties, down to primitives)
 * and registers it as immutable: the encoder then keeps the bytes of every vec it finds registered
 * (per vec type, while the vec lives) and copies them when the same vec comes again, instead of
 * walking it. For data shared by many replies: governance's recent-ballot lists, the same 100
 * ballots for every follower of the same neurons, 1,000 of them in a list_neurons page. Nothing
 * registered can change afterwards, so the kept bytes stay exactly what encoding it would give.
 * Throws for anything else (class instances such as Principal, typed arrays, accessors).
 */
export function immutable<T>(value: T): T {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function' || typeof value === 'symbol') throw new Error('immutable: not plain data');
    return value;
  }
  const o = value as object;
  if (immutables.has(o)) return value;
  const proto = Object.getPrototypeOf(o);
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) throw new Error('immutable: not plain data');
  const descriptors = Object.getOwnPropertyDescriptors(o);
  for (const key of Reflect.ownKeys(descriptors)) if (!('value' in (descriptors as any)[key])) throw new Error('immutable: accessor property');
  Object.freeze(o);
  for (const key of Reflect.ownKeys(descriptors)) immutable((descriptors as any)[key].value);
  immutables.add(o);
  return value;
}

const immutables = new WeakSet<object>();

/** Vec types whose arrays are worth remembering (elements that are not plain numbers, text...). */
const memoizable = (t: IDL.VecClass<unknown>) => {
  const e = (t as any)._type as IDL.Type;
  return e instanceof IDL.RecordClass || e instanceof IDL.VariantClass || e instanceof IDL.OptClass || e instanceof IDL.VecClass || e instanceof IDL.RecClass;
};

const encoder = new TextEncoder();

/** The output buffer; the encoders (and the generated code) write `buf`, `view` and `length`. */
class Writer {
  buf: Uint8Array;
  view: DataView;
  length = 0;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  reserve(n: number) {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(b: number) {
    if (this.length >= this.buf.length) this.reserve(1);
    this.buf[this.length++] = b;
  }

  bytes(b: Uint8Array) {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  leb(x: number | bigint): void {
    if (typeof x === 'number' && Number.isSafeInteger(x) && x >= 0) {
      if (this.length + 8 > this.buf.length) this.reserve(8);
      const buf = this.buf;
      while (x >= 128) {
        buf[this.length++] = (x % 128) | 0x80;
        x = Math.floor(x / 128);
      }
      buf[this.length++] = x;
      return;
    }
    let v = BigInt(x);
    if (v < 0n) throw new Error('Cannot leb encode negative values.');
    if (v <= BigInt(Number.MAX_SAFE_INTEGER)) return this.leb(Number(v));
    this.reserve(20);
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) byte |= 0x80;
      this.buf[this.length++] = byte;
    } while (v > 0n);
  }
}

/** Writes one value of its type, or throws through invalid(). */
type Enc = (w: Writer, x: any) => void;

const compiled = new WeakMap<IDL.Type, Enc>();

/** The encoder of a type, compiled on first use (the library's types do not change once built). */
function encoderOf(t: IDL.Type): Enc {
  let e = compiled.get(t);
  if (e) return e;
  if (t instanceof IDL.RecClass) {
    // Resolved at its first value: the recursion may not be filled yet, and may reach itself.
    let inner: Enc | undefined;
    e = (w, x) => (inner ??= encoderOf((t as any)._type))(w, x);
  } else if (t instanceof IDL.RecordClass || t instanceof IDL.OptClass || t instanceof IDL.VecClass) {
    e = generate(t) ?? compileClosure(t);
  } else {
    e = compileClosure(t);
  }
  compiled.set(t, e);
  return e;
}

/**
 * Records and tuples of at most this many values (opts and records counted, no vec) are inlined
 * into the code of the type that contains them; larger ones and vecs get their own function, and
 * are called. Small functions are optimized sooner (TurboFan took ~170 ms, on a busy machine, for
 * a whole list_neurons reply inlined into one function), and a deoptimization (a branch taken for
 * the first time, say the first known neuron) sends less code back to the interpreter.
 */
const INLINE_MAX = 6;

function inlineSize(t: IDL.Type): number {
  if (t instanceof IDL.VecClass) return Infinity;
  if (t instanceof IDL.OptClass) return 1 + inlineSize((t as any)._type);
  if (t instanceof IDL.RecordClass) return t._fields.reduce((sum, [, type]) => sum + inlineSize(type), 1);
  return 1;
}

/**
 * Records (and tuples), opts and vecs compiled to one JS function each (`new Function`), with
 * their small records, opts and fixed-size numbers inlined (a vec's elements in its loop):
 * straight-line code with literal property names (monomorphic property loads) instead of a
 * closure call and a keyed load per value. Vecs, larger records, variants, text, principals and
 * recursive types are called through their own encoders.
 * The code makes the checks of compileClosure's encoders, in the same order, so both give the same
 * bytes and the same errors. Undefined when code generation is not allowed
 * (--disallow-code-generation-from-strings): the closures are used then.
 */
function generate(top: IDL.Type): Enc | undefined {
  const consts: unknown[] = [];
  const ref = (c: unknown) => {
    let i = consts.indexOf(c);
    if (i < 0) i = consts.push(c) - 1;
    return `K[${i}]`;
  };
  let vars = 0;
  const fresh = (prefix: string) => `${prefix}${vars++}`;
  // The function works on locals `buf`, `view` and `len` (the writer's buffer, its DataView and
  // length): fewer property loads per value, which is most of the time before V8 optimizes the
  // code (the first requests). `w.length` is brought up to date before anything that uses the
  // writer (another encoder, w.leb, w.reserve...) and the locals are read again after it.
  const sync = (code: string) => `w.length = len; ${code} buf = w.buf; view = w.view; len = w.length;\n`;
  const ensure = (n: number | string) => `if (len + ${n} > buf.length) { ${sync(`w.reserve(${n});`)}}`;
  const u8 = (b: string) => `${ensure(1)} buf[len++] = ${b};\n`;
  const call = (enc: Enc, v: string) => sync(`${ref(enc)}(w, ${v});`);
  const mayMiss = (t: IDL.Type) => t instanceof IDL.OptClass || t instanceof IDL.NullClass || t instanceof IDL.ReservedClass;
  // Code that writes the value in the local `v`. The top type is always inlined (its encoder is
  // the function being built); below it, vecs and all but small records are called.
  const emit = (t: IDL.Type, v: string, depth: number): string => {
    if (depth > 0 && (t instanceof IDL.VecClass || (t instanceof IDL.RecordClass && inlineSize(t) > INLINE_MAX))) return call(encoderOf(t), v);
    if (t instanceof IDL.TupleClass) {
      const components = (t as any)._components as IDL.Type[];
      let code = `if (!Array.isArray(${v}) || ${v}.length < ${components.length}) invalid(${ref(t)}, ${v});\n`;
      components.forEach((c, i) => {
        const e = fresh('v');
        code += `{ const ${e} = ${v}[${i}];\n${emit(c, e, depth + 1)}}\n`;
      });
      return code;
    }
    if (t instanceof IDL.RecordClass) {
      let code = `if (${v} === null || typeof ${v} !== 'object') invalid(${ref(t)}, ${v});\n`;
      for (const [key, type] of t._fields) {
        const e = fresh('v');
        const k = JSON.stringify(key);
        code += `{ const ${e} = ${v}[${k}];\n`;
        // A missing field is an error unless its type takes undefined (opt, null, reserved).
        if (!mayMiss(type)) code += `if (${e} === undefined && !(${k} in ${v})) invalid(${ref(t)}, ${v});\n`;
        code += `${emit(type, e, depth + 1)}}\n`;
      }
      return code;
    }
    if (t instanceof IDL.OptClass) {
      const e = fresh('v');
      return (
        `if (${v} === undefined) { ${u8('0')}}\n` +
        `else if (!Array.isArray(${v}) || ${v}.length > 1) invalid(${ref(t)}, ${v});\n` +
        `else if (${v}.length === 0) { ${u8('0')}}\n` +
        `else { ${u8('1')}const ${e} = ${v}[0];\n${emit((t as any)._type, e, depth + 1)}}\n`
      );
    }
    if (t instanceof IDL.VecClass) {
      const [i, n, e] = [fresh('i'), fresh('n'), fresh('v')];
      // Typed arrays (and anything not an array, an error) take the closure's path.
      const loop =
        `const ${n} = ${v}.length;\n` +
        `if (${n} < 128) { ${u8(n)}} else { ${sync(`w.leb(${n});`)}}\n` +
        `for (let ${i} = 0; ${i} < ${n}; ${i}++) { const ${e} = ${v}[${i}];\n${emit((t as any)._type, e, depth + 1)}}\n`;
      if (!memoizable(t)) return `if (!Array.isArray(${v})) { ${call(vecEncoder(t), v)}} else { ${loop}}\n`;
      // An immutable array: its bytes from the first time (see immutable()).
      const [memo, kept, start] = [ref(new WeakMap<object, Uint8Array>()), fresh('m'), fresh('s')];
      return (
        `if (!Array.isArray(${v})) { ${call(vecEncoder(t), v)}}\n` +
        `else { const ${kept} = IMMUTABLE.has(${v}) ? ${memo}.get(${v}) : undefined;\n` +
        `if (${kept} !== undefined) { ${ensure(`${kept}.length`)} buf.set(${kept}, len); len += ${kept}.length; }\n` +
        `else { const ${start} = len;\n${loop}if (IMMUTABLE.has(${v})) ${memo}.set(${v}, buf.slice(${start}, len)); } }\n`
      );
    }
    if (t instanceof IDL.FixedNatClass && t._bits === 64) {
      return (
        `if (typeof ${v} === 'bigint' && BigInt.asUintN(64, ${v}) === ${v}) { ${ensure(8)} view.setBigUint64(len, ${v}, true); len += 8; }\n` +
        `else { ${sync(`fixed(w, ${ref(t)}, ${v}, false);`)}}\n`
      );
    }
    if (t instanceof IDL.FixedIntClass && t._bits === 32) {
      return (
        `if (typeof ${v} === 'number' && Number.isInteger(${v}) && ${v} >= -0x80000000 && ${v} <= 0x7fffffff) { ${ensure(4)} view.setInt32(len, ${v}, true); len += 4; }\n` +
        `else { ${sync(`fixed(w, ${ref(t)}, ${v}, true);`)}}\n`
      );
    }
    if (t instanceof IDL.BoolClass) return `if (typeof ${v} !== 'boolean') invalid(${ref(t)}, ${v});\n${u8(`${v} ? 1 : 0`)}`;
    if (t instanceof IDL.NatClass) return `if ((typeof ${v} !== 'bigint' && !Number.isInteger(${v})) || ${v} < 0) invalid(${ref(t)}, ${v});\n${sync(`w.leb(${v});`)}`;
    if (t instanceof IDL.NullClass) return `if (${v} !== null && ${v} !== undefined) invalid(${ref(t)}, ${v});\n`;
    return call(encoderOf(t), v);
  };
  const body = emit(top, 'x', 0);
  let make: Function;
  try {
    make = new Function(
      'K',
      'invalid',
      'fixed',
      'IMMUTABLE',
      `'use strict';\nreturn function encode(w, x) {\nlet buf = w.buf, view = w.view, len = w.length;\n${body}w.length = len;\n};`,
    );
  } catch (e) {
    if (e instanceof EvalError) return undefined;
    throw e;
  }
  return make(consts, invalid, fixed, immutables) as Enc;
}

/** The encoders as closures: every type but records, opts and vecs, and those when generate cannot. */
function compileClosure(t: IDL.Type): Enc {
  if (t instanceof IDL.TupleClass) {
    const components = ((t as any)._components as IDL.Type[]).map(encoderOf);
    const n = components.length;
    return (w, x) => {
      if (!Array.isArray(x) || x.length < n) invalid(t, x);
      for (let i = 0; i < n; i++) components[i](w, x[i]);
    };
  }
  if (t instanceof IDL.RecordClass) {
    const keys = t._fields.map(([k]) => k);
    const encs = t._fields.map(([, type]) => encoderOf(type));
    // Fields that may be missing (encoded from undefined); any other must be present.
    const mayMiss = t._fields.map(([, type]) => type instanceof IDL.OptClass || type instanceof IDL.NullClass || type instanceof IDL.ReservedClass);
    const n = keys.length;
    return (w, x) => {
      if (x === null || typeof x !== 'object') invalid(t, x);
      for (let i = 0; i < n; i++) {
        const key = keys[i];
        const v = x[key];
        if (v === undefined && !mayMiss[i] && !(key in x)) invalid(t, x);
        encs[i](w, v);
      }
    };
  }
  if (t instanceof IDL.VariantClass) {
    const keys = t._fields.map(([k]) => k);
    const encs = t._fields.map(([, type]) => encoderOf(type));
    const n = keys.length;
    const has = Object.prototype.hasOwnProperty;
    return (w, x) => {
      if (x === null || typeof x !== 'object') invalid(t, x);
      for (let i = 0; i < n; i++) {
        if (has.call(x, keys[i])) {
          w.leb(i);
          encs[i](w, x[keys[i]]);
          return;
        }
      }
      invalid(t, x);
    };
  }
  if (t instanceof IDL.OptClass) {
    const inner = encoderOf((t as any)._type);
    return (w, x) => {
      if (!Array.isArray(x) || x.length > 1) {
        // IDL.encode also accepts undefined / null for an empty opt only through records' missing keys.
        if (x === undefined) return w.u8(0);
        invalid(t, x);
      }
      if (x.length === 0) return w.u8(0);
      w.u8(1);
      inner(w, x[0]);
    };
  }
  if (t instanceof IDL.VecClass) return vecEncoder(t);
  if (t instanceof IDL.TextClass) {
    return (w, x) => {
      if (typeof x !== 'string') invalid(t, x);
      const b = encoder.encode(x);
      w.leb(b.length);
      w.bytes(b);
    };
  }
  if (t instanceof IDL.NatClass) {
    return (w, x) => {
      if ((typeof x !== 'bigint' && !Number.isInteger(x)) || x < 0) invalid(t, x);
      w.leb(x);
    };
  }
  if (t instanceof IDL.FixedNatClass) return (w, x) => fixed(w, t, x, false);
  if (t instanceof IDL.FixedIntClass) return (w, x) => fixed(w, t, x, true);
  if (t instanceof IDL.BoolClass) {
    return (w, x) => {
      if (typeof x !== 'boolean') invalid(t, x);
      w.u8(x ? 1 : 0);
    };
  }
  if (t instanceof IDL.NullClass) {
    return (_w, x) => {
      if (x !== null && x !== undefined) invalid(t, x);
    };
  }
  if (t instanceof IDL.PrincipalClass) {
    return (w, x) => {
      if (!x || typeof x.toUint8Array !== 'function') invalid(t, x);
      const b: Uint8Array = x.toUint8Array();
      w.u8(1);
      w.leb(b.length);
      w.bytes(b);
    };
  }
  // Everything else (int, float, func, service, reserved, empty): the library's own encoder.
  return (w, x) => {
    if (!t.covariant(x)) invalid(t, x);
    w.bytes(new Uint8Array(t.encodeValue(x)));
  };
}

function fixed(w: Writer, t: IDL.FixedNatClass | IDL.FixedIntClass, x: any, signed: boolean) {
  const bits = t._bits;
  if (typeof x !== 'bigint' && !Number.isInteger(x)) invalid(t, x);
  const v = BigInt(x);
  const min = signed ? -(1n << BigInt(bits - 1)) : 0n;
  const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  if (v < min || v > max) invalid(t, x);
  w.reserve(bits / 8);
  const at = w.length;
  const view = w.view;
  if (bits === 64) signed ? view.setBigInt64(at, v, true) : view.setBigUint64(at, v, true);
  else if (bits === 32) signed ? view.setInt32(at, Number(v), true) : view.setUint32(at, Number(v), true);
  else if (bits === 16) signed ? view.setInt16(at, Number(v), true) : view.setUint16(at, Number(v), true);
  else signed ? view.setInt8(at, Number(v)) : view.setUint8(at, Number(v));
  w.length += bits / 8;
}

const vecEncoders = new WeakMap<IDL.Type, Enc>();

/** A vec as a closure: arrays element by element, typed arrays of the element's width at once. */
function vecEncoder(t: IDL.VecClass<unknown>): Enc {
  let e = vecEncoders.get(t);
  if (e) return e;
  const innerType = (t as any)._type as IDL.Type;
  const signed = innerType instanceof IDL.FixedIntClass;
  const bits = signed || innerType instanceof IDL.FixedNatClass ? (innerType as IDL.FixedNatClass)._bits : 0;
  let inner: Enc | undefined; // the element encoder, on first use
  const memo = memoizable(t) ? new WeakMap<object, Uint8Array>() : undefined;
  e = (w, x) => {
    if (ArrayBuffer.isView(x)) {
      const view = x as unknown as ArrayLike<number | bigint> & { BYTES_PER_ELEMENT: number };
      if (bits === 0 || bits !== view.BYTES_PER_ELEMENT * 8) invalid(t, x);
      w.leb(view.length);
      if (bits === 8) return w.bytes(new Uint8Array((x as Uint8Array).buffer, (x as Uint8Array).byteOffset, view.length));
      for (let i = 0; i < view.length; i++) fixed(w, innerType as IDL.FixedNatClass, view[i], signed);
      return;
    }
    if (!Array.isArray(x)) invalid(t, x);
    const kept = memo && immutables.has(x) ? memo.get(x) : undefined;
    if (kept !== undefined) return w.bytes(kept);
    const start = w.length;
    inner ??= encoderOf(innerType);
    const n = x.length;
    w.leb(n);
    for (let i = 0; i < n; i++) inner(w, x[i]);
    if (memo && immutables.has(x)) memo.set(x, w.buf.slice(start, w.length));
  };
  vecEncoders.set(t, e);
  return e;
}

function invalid(t: IDL.Type, x: unknown): never {
  let shown: string;
  try {
    shown = JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `BigInt(${v})` : v))?.slice(0, 200) ?? String(x);
  } catch {
    shown = String(x);
  }
  throw new Error(`Invalid ${t.display().slice(0, 200)} argument: ${shown}`);
}
