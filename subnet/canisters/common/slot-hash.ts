// A hash index from keys to neuron slots, in typed arrays: open addressing with linear probing.
// The caller hashes keys to 32 bits and says whether a slot holds a key; the table stores slots
// only. 400k entries cost 4 MB and a rebuild is a tight loop, where a Map of 400k string or bigint
// keys costs tens of MB and hundreds of milliseconds to rebuild after a restart.

const EMPTY = 0;
const DELETED = -1;

/** murmur3's finalizer: spreads keys with regular bits (sequential ids) over the table. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class SlotHash {
  /** slot + 1, or EMPTY, or DELETED. */
  private table = new Int32Array(1024);
  private used = 0;
  private deleted = 0;

  constructor(
    /** The hash of the key held by `slot` (for growing the table). */
    private readonly hashOf: (slot: number) => number,
  ) {}

  get size(): number {
    return this.used;
  }

  /** The slot whose key matches, or -1. */
  find(hash: number, matches: (slot: number) => boolean): number {
    const t = this.table;
    const mask = t.length - 1;
    for (let i = mix(hash) & mask; ; i = (i + 1) & mask) {
      const e = t[i];
      if (e === EMPTY) return -1;
      if (e !== DELETED && matches(e - 1)) return e - 1;
    }
  }

  /** Adds `slot` under `hash` (the caller checks that its key is not there yet). */
  insert(hash: number, slot: number): void {
    if ((this.used + this.deleted + 1) * 2 > this.table.length) this.rebuild(this.used + 1);
    const t = this.table;
    const mask = t.length - 1;
    let i = mix(hash) & mask;
    while (t[i] !== EMPTY && t[i] !== DELETED) i = (i + 1) & mask;
    if (t[i] === DELETED) this.deleted--;
    t[i] = slot + 1;
    this.used++;
  }

  /** Removes `slot` (stored under `hash`). */
  remove(hash: number, slot: number): void {
    const t = this.table;
    const mask = t.length - 1;
    for (let i = mix(hash) & mask; t[i] !== EMPTY; i = (i + 1) & mask) {
      if (t[i] === slot + 1) {
        t[i] = DELETED;
        this.used--;
        this.deleted++;
        return;
      }
    }
  }

  /** Empties the table. */
  clear(): void {
    this.table = new Int32Array(1024);
    this.used = 0;
    this.deleted = 0;
  }

  /** The table and its counts (a snapshot keeps them, so a restore need not rehash every key). */
  dump(): Uint8Array {
    const out = new Uint8Array(8 + this.table.byteLength);
    const v = new DataView(out.buffer);
    v.setUint32(0, this.used, true);
    v.setUint32(4, this.deleted, true);
    out.set(new Uint8Array(this.table.buffer, 0, this.table.byteLength), 8);
    return out;
  }

  /**
   * Replaces the table with a dump() of a table over the same slots. False (and nothing changed)
   * when the dump is malformed or does not hold `expected` entries (when given): rebuild it then.
   */
  load(dump: Uint8Array, expected?: number): boolean {
    const size = (dump.byteLength - 8) / 4;
    if (dump.byteLength < 8 || !Number.isInteger(size) || size < 1024 || (size & (size - 1)) !== 0) return false;
    const v = new DataView(dump.buffer, dump.byteOffset, dump.byteLength);
    const used = v.getUint32(0, true);
    const deleted = v.getUint32(4, true);
    if ((expected !== undefined && used !== expected) || (used + deleted) * 2 > size) return false;
    const table = new Int32Array(size);
    new Uint8Array(table.buffer).set(dump.subarray(8));
    this.table = table;
    this.used = used;
    this.deleted = deleted;
    return true;
  }

  /** Makes room for `count` entries at once (a restore knows how many it adds). */
  reserve(count: number): void {
    if ((count + this.deleted) * 2 > this.table.length) this.rebuild(count);
  }

  private rebuild(count: number) {
    let size = 1024;
    while (size < count * 4) size *= 2;
    const old = this.table;
    this.table = new Int32Array(size);
    this.deleted = 0;
    const mask = size - 1;
    for (const e of old) {
      if (e === EMPTY || e === DELETED) continue;
      let i = mix(this.hashOf(e - 1)) & mask;
      while (this.table[i] !== EMPTY) i = (i + 1) & mask;
      this.table[i] = e;
    }
  }
}

/** FNV-1a over bytes. */
export function hashBytes(b: Uint8Array, from = 0, to = b.length): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h >>> 0;
}
