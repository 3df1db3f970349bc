// The simulator's binary block encoding: what block hashes are computed over, what the index's
// get_blocks returns, and (without parent hashes) how snapshots store the chain.
//
// Layout: 'NDSB' (Neuron Desk Simulated Block), a version byte, the parent hash (presence byte +
// 32 bytes), the timestamp, a kind byte, the fixed fields of that kind, then memo, icrc1 memo
// (presence byte + length byte + bytes) and created_at_time. Numbers are u64 big-endian, account
// ids their 32 bytes, optional fields a presence byte then the value. This is NOT the mainnet
// protobuf encoding, so block hashes differ from mainnet's; they still form a hash chain.
import { hash } from 'node:crypto';
import type { LedgerBlock } from './blocks.ts';

const MAGIC = Buffer.from('NDSB');
const VERSION = 1;
const KIND_CODE = { burn: 0, mint: 1, transfer: 2, approve: 3 } as const;
/** More than any block needs (an approval with every option and a 32-byte memo is under 200). */
const MAX_BLOCK_BYTES = 256;

export function encodeBlock(block: LedgerBlock, parentHash: Uint8Array | undefined): Uint8Array {
  const w = new Writer(MAX_BLOCK_BYTES);
  w.block(block, parentHash);
  return w.bytes();
}

/** sha256 of encodeBlock(block, parentHash). */
export function hashBlock(block: LedgerBlock, parentHash: Uint8Array | undefined): Uint8Array {
  scratch.reset();
  scratch.block(block, parentHash);
  return hash('sha256', scratch.view(), 'buffer');
}

/**
 * Blocks concatenated, each encoded without its parent hash (the snapshot form), and where each
 * starts (plus the end): `offsets[i]` is block i's first byte.
 */
export function encodeBlocks(blocks: readonly LedgerBlock[]): { bytes: Uint8Array; offsets: Float64Array } {
  const w = new Writer(Math.max(1024, blocks.length * 128));
  const offsets = new Float64Array(blocks.length + 1);
  blocks.forEach((block, i) => {
    offsets[i] = w.length;
    w.block(block, undefined);
  });
  offsets[blocks.length] = w.length;
  return { bytes: w.bytes(), offsets };
}

/** The one block encoded at `offset` of `bytes` (an encodeBlocks result). */
export function decodeBlockAt(bytes: Uint8Array, offset: number): LedgerBlock {
  const r = new Reader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  r.seek(offset);
  return r.block();
}

class Writer {
  private buf: Buffer;
  private dv: DataView;
  private off = 0;

  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafe(capacity);
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  }

  reset(): void {
    this.off = 0;
  }

  get length(): number {
    return this.off;
  }

  /** The bytes written so far, sharing the writer's memory. */
  view(): Buffer {
    return this.buf.subarray(0, this.off);
  }

  /** A copy of the bytes written so far. */
  bytes(): Uint8Array {
    return new Uint8Array(this.view());
  }

  block(block: LedgerBlock, parentHash: Uint8Array | undefined): void {
    if (this.off + MAX_BLOCK_BYTES > this.buf.length) this.grow();
    this.off += MAGIC.copy(this.buf, this.off);
    this.u8(VERSION);
    this.u8(parentHash ? 1 : 0);
    if (parentHash) this.raw(parentHash);
    this.u64(block.timestamp);
    this.u8(KIND_CODE[block.kind]);
    switch (block.kind) {
      case 'burn':
        this.account(block.from);
        this.u64(block.amount);
        this.optAccount(block.spender);
        break;
      case 'mint':
        this.account(block.to);
        this.u64(block.amount);
        break;
      case 'transfer':
        this.account(block.from);
        this.account(block.to);
        this.u64(block.amount);
        this.u64(block.fee);
        this.optAccount(block.spender);
        break;
      case 'approve':
        this.account(block.from);
        this.account(block.spender);
        this.u64(block.allowance);
        this.u64(block.fee);
        this.optU64(block.expectedAllowance);
        this.optU64(block.expiresAt);
        break;
    }
    this.u64(block.memo);
    this.u8(block.icrc1Memo ? 1 : 0);
    if (block.icrc1Memo) {
      this.u8(block.icrc1Memo.length);
      this.raw(block.icrc1Memo);
    }
    this.optU64(block.createdAt);
  }

  private grow(): void {
    const buf = Buffer.allocUnsafe(this.buf.length * 2);
    this.buf.copy(buf, 0, 0, this.off);
    this.buf = buf;
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.length);
  }

  private raw(bytes: Uint8Array): void {
    this.buf.set(bytes, this.off);
    this.off += bytes.length;
  }

  private u8(v: number): void {
    this.buf[this.off++] = v;
  }

  // DataView's BigInt accessors are several times faster than Buffer's.
  private u64(v: bigint): void {
    this.dv.setBigUint64(this.off, v);
    this.off += 8;
  }

  private optU64(v: bigint | undefined): void {
    this.u8(v === undefined ? 0 : 1);
    if (v !== undefined) this.u64(v);
  }

  private account(hex: string): void {
    this.off += this.buf.write(hex, this.off, 32, 'hex');
  }

  private optAccount(hex: string | undefined): void {
    this.u8(hex === undefined ? 0 : 1);
    if (hex !== undefined) this.account(hex);
  }
}

class Reader {
  private off = 0;
  private readonly dv: DataView;

  constructor(private readonly buf: Buffer) {
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.length);
  }

  seek(offset: number): void {
    this.off = offset;
  }

  done(): boolean {
    return this.off >= this.buf.length;
  }

  block(): LedgerBlock {
    const start = this.off;
    if (this.buf.compare(MAGIC, 0, 4, start, start + 4) !== 0 || this.buf[start + 4] !== VERSION) {
      throw new Error(`ledger snapshot: bad block encoding at byte ${start}`);
    }
    this.off += 5;
    if (this.u8()) this.off += 32; // a parent hash: snapshots keep the hashes separately
    const timestamp = this.u64();
    const kind = this.u8();
    switch (kind) {
      case KIND_CODE.burn: {
        const from = this.account();
        const amount = this.u64();
        const spender = this.optAccount();
        const { memo, icrc1Memo, createdAt } = this.meta();
        return { kind: 'burn', from, amount, spender, memo, icrc1Memo, createdAt, timestamp };
      }
      case KIND_CODE.mint: {
        const to = this.account();
        const amount = this.u64();
        const { memo, icrc1Memo, createdAt } = this.meta();
        return { kind: 'mint', to, amount, memo, icrc1Memo, createdAt, timestamp };
      }
      case KIND_CODE.transfer: {
        const from = this.account();
        const to = this.account();
        const amount = this.u64();
        const fee = this.u64();
        const spender = this.optAccount();
        const { memo, icrc1Memo, createdAt } = this.meta();
        return { kind: 'transfer', from, to, amount, fee, spender, memo, icrc1Memo, createdAt, timestamp };
      }
      case KIND_CODE.approve: {
        const from = this.account();
        const spender = this.account();
        const allowance = this.u64();
        const fee = this.u64();
        const expectedAllowance = this.optU64();
        const expiresAt = this.optU64();
        const { memo, icrc1Memo, createdAt } = this.meta();
        return { kind: 'approve', from, spender, allowance, fee, expectedAllowance, expiresAt, memo, icrc1Memo, createdAt, timestamp };
      }
      default:
        throw new Error(`ledger snapshot: unknown block kind ${kind} at byte ${start}`);
    }
  }

  private meta(): { memo: bigint; icrc1Memo: Uint8Array | undefined; createdAt: bigint | undefined } {
    const memo = this.u64();
    let icrc1Memo: Uint8Array | undefined;
    if (this.u8()) {
      const n = this.u8();
      icrc1Memo = new Uint8Array(this.buf.subarray(this.off, this.off + n));
      this.off += n;
    }
    return { memo, icrc1Memo, createdAt: this.optU64() };
  }

  private u8(): number {
    return this.buf[this.off++];
  }

  private u64(): bigint {
    const v = this.dv.getBigUint64(this.off);
    this.off += 8;
    return v;
  }

  private optU64(): bigint | undefined {
    return this.u8() ? this.u64() : undefined;
  }

  private account(): string {
    const hex = this.buf.toString('hex', this.off, this.off + 32);
    this.off += 32;
    return hex;
  }

  private optAccount(): string | undefined {
    return this.u8() ? this.account() : undefined;
  }
}

/** Reused by hashBlock (declared after the class it instantiates). */
const scratch = new Writer(MAX_BLOCK_BYTES);
