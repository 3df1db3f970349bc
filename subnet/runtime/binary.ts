// A small binary writer and reader for snapshots of large collections (hundreds of thousands of
// records), where JSON with a reviver costs seconds and gigabytes. Little-endian, no schema: the
// writer and the reader of one collection must agree on the order of fields.

const U64_LIMIT = 1n << 64n;
const textDecoder = new TextDecoder();
const textEncoder = new TextEncoder();

export class BinWriter {
  private buf: Uint8Array;
  private view: DataView;
  private off = 0;

  constructor(initialBytes = 1 << 16) {
    this.buf = new Uint8Array(initialBytes);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number) {
    if (this.off + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.off + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.off));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.off++] = v;
  }

  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.off, v, true);
    this.off += 4;
  }

  /** A bigint in [0, 2^64). */
  u64(v: bigint): void {
    if (v < 0n || v >= U64_LIMIT) throw new RangeError(`snapshot: ${v} does not fit in 64 bits`);
    this.ensure(8);
    this.view.setBigUint64(this.off, v, true);
    this.off += 8;
  }

  /** Any non-negative bigint (tallies, sums): u64 when it fits, else a marker and its decimal text. */
  nat(v: bigint): void {
    if (v >= 0n && v < U64_LIMIT - 1n) return this.u64(v);
    if (v < 0n) throw new RangeError(`snapshot: ${v} is negative`);
    this.u64(U64_LIMIT - 1n);
    this.str(v.toString());
  }

  /** Exactly these bytes, no length. */
  raw(b: Uint8Array): void {
    this.ensure(b.byteLength);
    this.buf.set(b, this.off);
    this.off += b.byteLength;
  }

  /** A length (u32) and the bytes. */
  bytes(b: Uint8Array): void {
    this.u32(b.byteLength);
    this.raw(b);
  }

  /** A UTF-8 string with its byte length (u32). */
  str(s: string): void {
    const max = s.length * 3;
    this.ensure(4 + max);
    const { written } = textEncoder.encodeInto(s, this.buf.subarray(this.off + 4, this.off + 4 + max));
    this.view.setUint32(this.off, written, true);
    this.off += 4 + written;
  }

  /** The bytes written (a copy of exactly that length). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.off);
  }
}

export class BinReader {
  private readonly view: DataView;
  off = 0;

  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get done(): boolean {
    return this.off >= this.buf.byteLength;
  }

  private need(n: number) {
    if (this.off + n > this.buf.byteLength) throw new Error('snapshot: truncated binary data');
  }

  u8(): number {
    this.need(1);
    return this.buf[this.off++];
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.off, true);
    this.off += 4;
    return v;
  }

  u64(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.off, true);
    this.off += 8;
    return v;
  }

  /**
   * A u64 as a number when it is below 2^53 (and moves on), else -1 without moving: read it then
   * with u64() or nat(). Saves a bigint per field where a column keeps numbers.
   */
  u64Number(): number {
    this.need(8);
    const hi = this.view.getUint32(this.off + 4, true);
    if (hi >= 0x200000) return -1;
    const v = hi * 0x100000000 + this.view.getUint32(this.off, true);
    this.off += 8;
    return v;
  }

  nat(): bigint {
    const v = this.u64();
    return v === U64_LIMIT - 1n ? BigInt(this.str()) : v;
  }

  /** `n` bytes as a view into the source (copy what you keep if the source is large). */
  span(n: number): Uint8Array {
    this.need(n);
    const v = this.buf.subarray(this.off, this.off + n);
    this.off += n;
    return v;
  }

  /** `n` bytes, copied. */
  raw(n: number): Uint8Array {
    return this.span(n).slice();
  }

  /** A length-prefixed byte string, copied. */
  bytes(): Uint8Array {
    return this.raw(this.u32());
  }

  str(): string {
    const n = this.u32();
    return textDecoder.decode(this.span(n));
  }
}
