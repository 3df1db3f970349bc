// The block list with its hash chain. Hashes live in one flat buffer (32 bytes per block) rather
// than one Uint8Array per block: a million blocks cost 32 MB instead of ~130 MB of small objects.
// After a restore the blocks stay in their encoded snapshot form and are decoded when read, so a
// restart does not build an object per block; blocks appended since are kept as objects.
import type { LedgerBlock } from './blocks.ts';
import { decodeBlockAt, encodeBlock, encodeBlocks, hashBlock } from './encoding.ts';

const HASH = 32;

/** Blocks by index (what readers of the whole chain need). */
export interface BlockList {
  readonly length: number;
  get(index: number): LedgerBlock;
}

export class Chain implements BlockList {
  /** Blocks [0, restored) in the snapshot encoding, and where each starts (plus the end). */
  private encoded_ = new Uint8Array(0);
  private offsets = new Float64Array(1);
  private restored = 0;
  /** Blocks from `restored` on. */
  private blocks: LedgerBlock[] = [];
  private hashes = new Uint8Array(HASH * 1024);

  get length(): number {
    return this.restored + this.blocks.length;
  }

  get(index: number): LedgerBlock {
    if (index < this.restored) return decodeBlockAt(this.encoded_, this.offsets[index]);
    return this.blocks[index - this.restored];
  }

  /** Every block, decoded (tests and small chains). */
  all(): LedgerBlock[] {
    const out: LedgerBlock[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.get(i));
    return out;
  }

  /** The hash of block `index` (a copy). */
  hash(index: number): Uint8Array {
    return this.hashes.slice(index * HASH, (index + 1) * HASH);
  }

  parentHash(index: number): Uint8Array | undefined {
    return index === 0 ? undefined : this.hash(index - 1);
  }

  tipHash(): Uint8Array | undefined {
    return this.length === 0 ? undefined : this.hash(this.length - 1);
  }

  encoded(index: number): Uint8Array {
    return encodeBlock(this.get(index), this.parentHash(index));
  }

  append(block: LedgerBlock): number {
    const index = this.length;
    const hash = hashBlock(block, this.parentHash(index));
    if ((index + 1) * HASH > this.hashes.length) {
      const grown = new Uint8Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes.set(hash, index * HASH);
    this.blocks.push(block);
    return index;
  }

  /** The concatenated block hashes, for snapshots (recomputing a million of them takes seconds). */
  hashBytes(): Uint8Array {
    return this.hashes.slice(0, this.length * HASH);
  }

  /** The snapshot form: the blocks encoded (encodeBlocks) and their offsets. */
  encodeAll(): { bytes: Uint8Array; offsets: Float64Array } {
    const fresh = encodeBlocks(this.blocks);
    const base = this.offsets[this.restored];
    const bytes = new Uint8Array(base + fresh.bytes.byteLength);
    bytes.set(this.encoded_.subarray(0, base));
    bytes.set(fresh.bytes, base);
    const offsets = new Float64Array(this.length + 1);
    offsets.set(this.offsets.subarray(0, this.restored));
    for (let i = 0; i <= this.blocks.length; i++) offsets[this.restored + i] = base + fresh.offsets[i];
    return { bytes, offsets };
  }

  /**
   * Replaces the chain with encoded blocks (encodeAll's form; the bytes are copied) and their
   * hashes, checking the tip's hash against a recomputation.
   */
  restore(bytes: Uint8Array, offsets: Float64Array, hashes: Uint8Array): void {
    const count = offsets.length - 1;
    if (count < 0 || hashes.length !== count * HASH || offsets[count] !== bytes.byteLength) {
      throw new Error('ledger snapshot: blocks, offsets and hashes do not match');
    }
    this.encoded_ = bytes.slice();
    this.offsets = offsets.slice();
    this.restored = count;
    this.blocks = [];
    this.hashes = new Uint8Array(HASH * Math.max(1024, count + 1));
    this.hashes.set(hashes);
    const last = count - 1;
    if (last >= 0 && Buffer.compare(hashBlock(this.get(last), this.parentHash(last)), this.hash(last)) !== 0) {
      throw new Error('ledger snapshot: block hashes do not match the blocks');
    }
  }
}
