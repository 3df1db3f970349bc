// The ledger's blocks: the stored form (plain data, shared with the index and snapshots), their
// deterministic encoding and hash chain, and the Candid form that query_blocks returns.
//
// Account identifiers are kept as 64-char lowercase hex (checksum included). The ledger interns
// them, so a million blocks share one string per account instead of holding a copy each.
import { createHash } from 'node:crypto';
import type { Block as CandidBlock, Operation as CandidOperation } from '../../candid/generated/ledger.did.ts';
import { fromHex } from '../common/accounts.ts';

export type LedgerOperation =
  | { kind: 'mint'; to: string; amount: bigint }
  | { kind: 'burn'; from: string; amount: bigint; spender?: string }
  | { kind: 'transfer'; from: string; to: string; amount: bigint; fee: bigint; spender?: string }
  | {
      kind: 'approve';
      from: string;
      spender: string;
      allowance: bigint;
      fee: bigint;
      expectedAllowance?: bigint;
      expiresAt?: bigint;
    };

export interface TransactionMeta {
  /** The legacy u64 memo (0 for ICRC-1 calls). */
  memo: bigint;
  icrc1Memo?: Uint8Array;
  /** The caller's created_at_time (ns). Absent for ICRC calls without one: no dedup then. */
  createdAt?: bigint;
}

/** A transaction as the ledger records it (the fields mainnet hashes for dedup). */
export type LedgerTransaction = LedgerOperation & TransactionMeta;

/** A block: the transaction and the ledger time at which it was applied. Never mutated. */
export type LedgerBlock = LedgerTransaction & { timestamp: bigint };

const MAGIC = Buffer.from('NDSB'); // Neuron Desk Simulated Block
const VERSION = 1;
const KIND_CODE = { burn: 0, mint: 1, transfer: 2, approve: 3 } as const;
const MAX_ENCODED = 256;

/**
 * A deterministic binary encoding of a block including its parent hash: 'NDSB', version, then fixed
 * fields per kind (u64 big-endian numbers, 32-byte account ids, a presence byte before optional
 * fields). This is the simulator's own format, NOT the mainnet protobuf encoding, so block hashes
 * differ from mainnet's; they still form a hash chain (each block commits to its parent).
 */
export function encodeBlock(block: LedgerBlock, parentHash: Uint8Array | undefined): Uint8Array {
  const buf = Buffer.alloc(MAX_ENCODED);
  let off = MAGIC.copy(buf, 0);
  off = buf.writeUInt8(VERSION, off);
  const u64 = (v: bigint) => (off = buf.writeBigUInt64BE(v, off));
  const account = (hex: string) => (off += buf.write(hex, off, 32, 'hex'));
  const flag = (present: boolean) => (off = buf.writeUInt8(present ? 1 : 0, off));
  const optAccount = (hex: string | undefined) => {
    flag(hex !== undefined);
    if (hex !== undefined) account(hex);
  };
  const optU64 = (v: bigint | undefined) => {
    flag(v !== undefined);
    if (v !== undefined) u64(v);
  };

  flag(parentHash !== undefined);
  if (parentHash) off += Buffer.from(parentHash.buffer, parentHash.byteOffset, 32).copy(buf, off);
  u64(block.timestamp);
  off = buf.writeUInt8(KIND_CODE[block.kind], off);
  switch (block.kind) {
    case 'burn':
      account(block.from);
      u64(block.amount);
      optAccount(block.spender);
      break;
    case 'mint':
      account(block.to);
      u64(block.amount);
      break;
    case 'transfer':
      account(block.from);
      account(block.to);
      u64(block.amount);
      u64(block.fee);
      optAccount(block.spender);
      break;
    case 'approve':
      account(block.from);
      account(block.spender);
      u64(block.allowance);
      u64(block.fee);
      optU64(block.expectedAllowance);
      optU64(block.expiresAt);
      break;
  }
  u64(block.memo);
  flag(block.icrc1Memo !== undefined);
  if (block.icrc1Memo) {
    off = buf.writeUInt8(block.icrc1Memo.length, off);
    off += Buffer.from(block.icrc1Memo).copy(buf, off);
  }
  optU64(block.createdAt);
  return new Uint8Array(buf.buffer, buf.byteOffset, off);
}

export function hashBlock(block: LedgerBlock, parentHash: Uint8Array | undefined): Uint8Array {
  return new Uint8Array(createHash('sha256').update(encodeBlock(block, parentHash)).digest());
}

/**
 * The dedup key: every field of the transaction, as mainnet's transaction hash covers the whole
 * transaction (operation, memo, icrc1 memo, created_at_time).
 */
export function dedupKey(tx: LedgerTransaction): string {
  const memo = tx.icrc1Memo ? Buffer.from(tx.icrc1Memo).toString('hex') : '-';
  const head = `${tx.memo}|${memo}|${tx.createdAt ?? '-'}|${tx.kind}`;
  switch (tx.kind) {
    case 'mint':
      return `${head}|${tx.to}|${tx.amount}`;
    case 'burn':
      return `${head}|${tx.from}|${tx.amount}|${tx.spender ?? '-'}`;
    case 'transfer':
      return `${head}|${tx.from}|${tx.to}|${tx.amount}|${tx.fee}|${tx.spender ?? '-'}`;
    case 'approve':
      return `${head}|${tx.from}|${tx.spender}|${tx.allowance}|${tx.fee}|${tx.expectedAllowance ?? '-'}|${tx.expiresAt ?? '-'}`;
  }
}

function candidOperation(block: LedgerBlock): CandidOperation {
  const tokens = (e8s: bigint) => ({ e8s });
  switch (block.kind) {
    case 'mint':
      return { Mint: { to: fromHex(block.to), amount: tokens(block.amount) } };
    case 'burn':
      return {
        Burn: {
          from: fromHex(block.from),
          amount: tokens(block.amount),
          spender: block.spender ? [fromHex(block.spender)] : [],
        },
      };
    case 'transfer':
      return {
        Transfer: {
          from: fromHex(block.from),
          to: fromHex(block.to),
          amount: tokens(block.amount),
          fee: tokens(block.fee),
          spender: block.spender ? [fromHex(block.spender)] : [],
        },
      };
    case 'approve':
      return {
        Approve: {
          from: fromHex(block.from),
          spender: fromHex(block.spender),
          allowance_e8s: block.allowance,
          allowance: tokens(block.allowance),
          fee: tokens(block.fee),
          expected_allowance: block.expectedAllowance === undefined ? [] : [tokens(block.expectedAllowance)],
          expires_at: block.expiresAt === undefined ? [] : [{ timestamp_nanos: block.expiresAt }],
        },
      };
  }
}

/** The Candid block of query_blocks; created_at_time falls back to the block time as on mainnet. */
export function toCandidBlock(block: LedgerBlock, parentHash: Uint8Array | undefined): CandidBlock {
  return {
    parent_hash: parentHash ? [parentHash] : [],
    timestamp: { timestamp_nanos: block.timestamp },
    transaction: {
      memo: block.memo,
      icrc1_memo: block.icrc1Memo ? [block.icrc1Memo] : [],
      operation: [candidOperation(block)],
      created_at_time: { timestamp_nanos: block.createdAt ?? block.timestamp },
    },
  };
}
