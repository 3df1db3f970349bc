// Balances by account id in typed arrays: 32-byte ids and u64 balances by slot, found through a
// hash table of slots. At mainnet scale (hundreds of thousands of accounts) a restart copies two
// arrays and rebuilds the table, instead of creating an object and a key string per account.
import { SlotHash, hashBytes } from '../common/slot-hash.ts';

const ID_BYTES = 32;
const ENTRY_BYTES = 40; // the snapshot form: id, then the balance (u64 LE)

export class AccountBook {
  private ids = new Uint8Array(ID_BYTES * 1024);
  private balances = new BigUint64Array(1024);
  private size = 0;
  private readonly index = new SlotHash((slot) => hashBytes(this.ids, slot * ID_BYTES, (slot + 1) * ID_BYTES));

  private slotOf(id: Uint8Array): number {
    const ids = this.ids;
    return this.index.find(hashBytes(id), (slot) => {
      const at = slot * ID_BYTES;
      for (let i = 0; i < ID_BYTES; i++) if (ids[at + i] !== id[i]) return false;
      return true;
    });
  }

  private slotFor(id: Uint8Array): number {
    const found = this.slotOf(id);
    if (found >= 0) return found;
    const slot = this.size++;
    if (this.size > this.balances.length) this.grow(this.size * 2);
    this.ids.set(id, slot * ID_BYTES);
    this.index.insert(hashBytes(id), slot);
    return slot;
  }

  private grow(capacity: number) {
    const ids = new Uint8Array(capacity * ID_BYTES);
    ids.set(this.ids.subarray(0, this.size * ID_BYTES));
    this.ids = ids;
    const balances = new BigUint64Array(capacity);
    balances.set(this.balances.subarray(0, this.size));
    this.balances = balances;
  }

  balance(hex: string): bigint {
    const slot = this.slotOf(bytesOf(hex));
    return slot < 0 ? 0n : this.balances[slot];
  }

  /** Adds `delta` (may be negative) to the balance; a balance never goes below zero. */
  add(hex: string, delta: bigint): void {
    const slot = this.slotFor(bytesOf(hex));
    const v = this.balances[slot] + delta;
    if (v < 0n) throw new Error(`ledger: the balance of ${hex} would go below zero`);
    this.balances[slot] = v;
  }

  /** Every account in slot order, 40 bytes each (the snapshot form), and the hash table's dump. */
  encode(): { balances: Uint8Array; index: Uint8Array } {
    const out = Buffer.alloc(this.size * ENTRY_BYTES);
    for (let s = 0; s < this.size; s++) {
      out.set(this.ids.subarray(s * ID_BYTES, (s + 1) * ID_BYTES), s * ENTRY_BYTES);
      out.writeBigUInt64LE(this.balances[s], s * ENTRY_BYTES + ID_BYTES);
    }
    return { balances: out, index: this.index.dump() };
  }

  /**
   * Replaces the book with encoded balances (and the hash table's dump when it fits: checked on a
   * sample, else rebuilt); returns their sum.
   */
  decode(bytes: Uint8Array, index?: Uint8Array): bigint {
    if (bytes.byteLength % ENTRY_BYTES !== 0) throw new Error('ledger snapshot: malformed balances');
    const count = bytes.byteLength / ENTRY_BYTES;
    this.size = 0;
    this.grow(Math.max(1024, count * 2));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let sum = 0n;
    for (let s = 0; s < count; s++) {
      const at = s * ENTRY_BYTES;
      this.ids.set(bytes.subarray(at, at + ID_BYTES), s * ID_BYTES);
      const balance = view.getBigUint64(at + ID_BYTES, true);
      this.balances[s] = balance;
      sum += balance;
    }
    this.size = count;
    if (!(index && this.index.load(index, count) && this.sampleFits())) {
      this.index.clear();
      this.index.reserve(count);
      for (let s = 0; s < count; s++) this.index.insert(hashBytes(this.ids, s * ID_BYTES, (s + 1) * ID_BYTES), s);
    }
    return sum;
  }

  /** True when a sample of accounts is found in its slot (a loaded table fits the ids). */
  private sampleFits(): boolean {
    const step = Math.max(1, Math.floor(this.size / 64));
    for (let s = 0; s < this.size; s += step) {
      if (this.slotOf(this.ids.subarray(s * ID_BYTES, (s + 1) * ID_BYTES)) !== s) return false;
    }
    return true;
  }
}

function bytesOf(hex: string): Uint8Array {
  const b = Buffer.from(hex, 'hex');
  if (b.length !== ID_BYTES) throw new Error(`ledger: not a 32-byte account id: ${hex}`);
  return b;
}
