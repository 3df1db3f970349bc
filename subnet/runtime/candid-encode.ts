// Candid encoding for the canisters' replies, byte for byte what IDL.encode produces, but fast:
// - the type table (magic, table, argument types) depends only on the types, so it is computed once
//   per type list by IDL.encode and reused; for governance's types (a recursive Action variant with
//   dozens of arms) rebuilding it costs about 5 ms per reply;
// - values are written into one growing buffer instead of @icp-sdk/core's concatenation of a small
//   array per value (~16 us per record: a page of 500 full neurons took over a second).
// The walk checks values against their types as it goes (what IDL.encode's covariant check does),
// so a handler's malformed reply is still an error, never wrong bytes. Types the writer does not
// know (func, service, float, reserved...) are encoded by the library itself.
import { IDL } from '@icp-sdk/core/candid';

const prefixes = new WeakMap<IDL.Type[], Uint8Array>();

export function encodeCandid(types: IDL.Type[], values: unknown[]): Uint8Array {
  if (values.length < types.length) throw new Error('Wrong number of message arguments');
  let prefix = prefixes.get(types);
  if (!prefix) {
    const full = new Uint8Array(IDL.encode(types, values));
    const w = new Writer(full.length);
    types.forEach((t, i) => w.value(t, values[i]));
    prefix = full.slice(0, full.length - w.length);
    prefixes.set(types, prefix);
  }
  const w = new Writer(256);
  w.bytes(prefix);
  types.forEach((t, i) => w.value(t, values[i]));
  return w.result();
}

const encoder = new TextEncoder();

class Writer {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(64, capacity));
    this.view = new DataView(this.buf.buffer);
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  private reserve(n: number) {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(b: number) {
    this.reserve(1);
    this.buf[this.length++] = b;
  }

  bytes(b: Uint8Array) {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  leb(x: number | bigint): void {
    if (typeof x === 'number' && Number.isSafeInteger(x) && x >= 0) {
      this.reserve(8);
      do {
        let byte = x % 128;
        x = Math.floor(x / 128);
        if (x > 0) byte |= 0x80;
        this.buf[this.length++] = byte;
      } while (x > 0);
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

  value(t: IDL.Type, x: any): void {
    if (t instanceof IDL.RecClass) return this.value((t as any)._type, x);
    if (t instanceof IDL.TupleClass) {
      const components = (t as any)._components as IDL.Type[];
      if (!Array.isArray(x) || x.length < components.length) invalid(t, x);
      for (let i = 0; i < components.length; i++) this.value(components[i], x[i]);
      return;
    }
    if (t instanceof IDL.RecordClass) {
      if (x === null || typeof x !== 'object') invalid(t, x);
      for (const [key, type] of t._fields) {
        if (!(key in x) && !(type instanceof IDL.OptClass) && !(type instanceof IDL.NullClass) && !(type instanceof IDL.ReservedClass)) invalid(t, x);
        this.value(type, x[key]);
      }
      return;
    }
    if (t instanceof IDL.VariantClass) {
      if (x === null || typeof x !== 'object') invalid(t, x);
      const fields = t._fields;
      for (let i = 0; i < fields.length; i++) {
        if (Object.prototype.hasOwnProperty.call(x, fields[i][0])) {
          this.leb(i);
          this.value(fields[i][1], x[fields[i][0]]);
          return;
        }
      }
      invalid(t, x);
    }
    if (t instanceof IDL.OptClass) {
      if (!Array.isArray(x) || x.length > 1) {
        // IDL.encode also accepts undefined / null for an empty opt only through records' missing keys.
        if (x === undefined) return this.u8(0);
        invalid(t, x);
      }
      if (x.length === 0) return this.u8(0);
      this.u8(1);
      return this.value((t as any)._type, x[0]);
    }
    if (t instanceof IDL.VecClass) return this.vec(t, x);
    if (t instanceof IDL.TextClass) {
      if (typeof x !== 'string') invalid(t, x);
      const b = encoder.encode(x);
      this.leb(b.length);
      return this.bytes(b);
    }
    if (t instanceof IDL.NatClass) {
      if ((typeof x !== 'bigint' && !Number.isInteger(x)) || x < 0) invalid(t, x);
      return this.leb(x);
    }
    if (t instanceof IDL.FixedNatClass) return this.fixed(t, x, false);
    if (t instanceof IDL.FixedIntClass) return this.fixed(t, x, true);
    if (t instanceof IDL.BoolClass) {
      if (typeof x !== 'boolean') invalid(t, x);
      return this.u8(x ? 1 : 0);
    }
    if (t instanceof IDL.NullClass) {
      if (x !== null && x !== undefined) invalid(t, x);
      return;
    }
    if (t instanceof IDL.PrincipalClass) {
      if (!x || typeof x.toUint8Array !== 'function') invalid(t, x);
      const b: Uint8Array = x.toUint8Array();
      this.u8(1);
      this.leb(b.length);
      return this.bytes(b);
    }
    // Everything else (int, float, func, service, reserved, empty): the library's own encoder.
    if (!t.covariant(x)) invalid(t, x);
    this.bytes(new Uint8Array(t.encodeValue(x)));
  }

  private fixed(t: IDL.FixedNatClass | IDL.FixedIntClass, x: any, signed: boolean) {
    const bits = t._bits;
    if (typeof x !== 'bigint' && !Number.isInteger(x)) invalid(t, x);
    const v = BigInt(x);
    const min = signed ? -(1n << BigInt(bits - 1)) : 0n;
    const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
    if (v < min || v > max) invalid(t, x);
    this.reserve(bits / 8);
    const at = this.length;
    if (bits === 64) signed ? this.view.setBigInt64(at, v, true) : this.view.setBigUint64(at, v, true);
    else if (bits === 32) signed ? this.view.setInt32(at, Number(v), true) : this.view.setUint32(at, Number(v), true);
    else if (bits === 16) signed ? this.view.setInt16(at, Number(v), true) : this.view.setUint16(at, Number(v), true);
    else signed ? this.view.setInt8(at, Number(v)) : this.view.setUint8(at, Number(v));
    this.length += bits / 8;
  }

  private vec(t: IDL.VecClass<unknown>, x: any) {
    const inner = (t as any)._type as IDL.Type;
    const bits = inner instanceof IDL.FixedNatClass || inner instanceof IDL.FixedIntClass ? inner._bits : 0;
    if (ArrayBuffer.isView(x)) {
      const view = x as unknown as ArrayLike<number | bigint> & { BYTES_PER_ELEMENT: number };
      if (bits === 0 || bits !== view.BYTES_PER_ELEMENT * 8) invalid(t, x);
      this.leb(view.length);
      if (bits === 8) return this.bytes(new Uint8Array((x as Uint8Array).buffer, (x as Uint8Array).byteOffset, view.length));
      for (let i = 0; i < view.length; i++) this.fixed(inner as IDL.FixedNatClass, view[i], inner instanceof IDL.FixedIntClass);
      return;
    }
    if (!Array.isArray(x)) invalid(t, x);
    this.leb(x.length);
    for (const e of x) this.value(inner, e);
  }
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
