// The ledger's blocks: the stored form (plain data, read by the index), the dedup key of a
// transaction, and the Candid form that query_blocks returns. Their binary encoding is in
// encoding.ts.
//
// Account identifiers are kept as 64-char lowercase hex (checksum included). The ledger interns
// them, so a million blocks share one string per account instead of holding a copy each.
import { hash } from 'node:crypto';
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

/**
 * The dedup key: a 128-bit digest of every field of the transaction, as mainnet's transaction hash
 * covers the whole transaction (operation, memo, icrc1 memo, created_at_time). A digest keeps the
 * window's memory small (a million entries in 24 h stay under 100 MB).
 */
export function dedupKey(tx: LedgerOperation, meta: TransactionMeta): string {
  const m = meta.icrc1Memo;
  const memo = m ? Buffer.from(m.buffer, m.byteOffset, m.length).toString('hex') : '-';
  let text = `${meta.memo}|${memo}|${meta.createdAt ?? '-'}|${tx.kind}`;
  switch (tx.kind) {
    case 'mint':
      text += `|${tx.to}|${tx.amount}`;
      break;
    case 'burn':
      text += `|${tx.from}|${tx.amount}|${tx.spender ?? '-'}`;
      break;
    case 'transfer':
      text += `|${tx.from}|${tx.to}|${tx.amount}|${tx.fee}|${tx.spender ?? '-'}`;
      break;
    case 'approve':
      text += `|${tx.from}|${tx.spender}|${tx.allowance}|${tx.fee}|${tx.expectedAllowance ?? '-'}|${tx.expiresAt ?? '-'}`;
      break;
  }
  return hash('sha256', text, 'base64').slice(0, 22);
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
