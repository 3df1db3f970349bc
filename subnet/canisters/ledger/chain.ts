// The block list with its hash chain. Hashes live in one flat buffer (32 bytes per block) rather
// than one Uint8Array per block: a million blocks cost 32 MB instead of ~130 MB of small objects.
import type { LedgerBlock } from './blocks.ts';
import { encodeBlock, hashBlock } from './encoding.ts';

const HASH = 32;

export class Chain {
  private blocks: LedgerBlock[] = [];
  private hashes = new Uint8Array(HASH * 1024);

  get length(): number {
    return this.blocks.length;
  }

  all(): readonly LedgerBlock[] {
    return this.blocks;
  }

  get(index: number): LedgerBlock {
    return this.blocks[index];
  }

  /** The hash of block `index` (a copy). */
  hash(index: number): Uint8Array {
    return this.hashes.slice(index * HASH, (index + 1) * HASH);
  }

  parentHash(index: number): Uint8Array | undefined {
    return index === 0 ? undefined : this.hash(index - 1);
  }

  tipHash(): Uint8Array | undefined {
    return this.blocks.length === 0 ? undefined : this.hash(this.blocks.length - 1);
  }

  encoded(index: number): Uint8Array {
    return encodeBlock(this.blocks[index], this.parentHash(index));
  }

  append(block: LedgerBlock): number {
    const index = this.blocks.length;
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
    return this.hashes.slice(0, this.blocks.length * HASH);
  }

  /** Replaces the chain; verifies the tip against a recomputation when hashes are given. */
  reset(blocks: LedgerBlock[], hashes?: Uint8Array): void {
    this.blocks = [];
    this.hashes = new Uint8Array(HASH * Math.max(1024, blocks.length + 1));
    if (hashes && hashes.length === blocks.length * HASH) {
      this.blocks = blocks;
      this.hashes.set(hashes);
      const last = blocks.length - 1;
      if (last >= 0) {
        const expected = hashBlock(blocks[last], this.parentHash(last));
        if (Buffer.compare(expected, this.hash(last)) !== 0) throw new Error('ledger snapshot: block hashes do not match the blocks');
      }
      return;
    }
    for (const block of blocks) this.append(block);
  }
}
