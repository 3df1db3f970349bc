// The ledger's state and its one way to change it: apply(), the simulation of mainnet's
// ic_ledger_canister_core::ledger::apply_transaction with icp_ledger::apply_operation. Endpoint
// checks (caller, fee, memo size, burn minimum) happen before, in the endpoints.
import { Allowances, type AllowanceEntry } from './allowances.ts';
import { dedupKey, type LedgerBlock, type LedgerOperation, type TransactionMeta } from './blocks.ts';
import { AccountBook } from './account-book.ts';
import { Chain } from './chain.ts';
import { DedupWindow, PERMITTED_DRIFT_NS, TRANSACTION_WINDOW_NS } from './dedup.ts';

export const U64_MAX = 2n ** 64n - 1n;

/** Mainnet's core TransferError, minus what the endpoints check themselves. */
export type CoreError =
  | { kind: 'InsufficientFunds'; balance: bigint }
  | { kind: 'InsufficientAllowance'; allowance: bigint }
  | { kind: 'Expired'; ledgerTime: bigint }
  | { kind: 'AllowanceChanged'; current: bigint }
  | { kind: 'SelfApproval' }
  | { kind: 'TooOld' }
  | { kind: 'CreatedInFuture'; ledgerTime: bigint }
  | { kind: 'Duplicate'; duplicateOf: bigint }
  | { kind: 'Throttled' };

export type ApplyResult = { ok: bigint } | { err: CoreError };

export interface LedgerSnapshot {
  version: 2;
  /** The blocks in the simulator's block encoding, concatenated (see encodeBlocks). */
  blocks: Uint8Array;
  /** Where each block starts, and the end (float64, platform byte order). */
  blockOffsets: Uint8Array;
  /** The blocks' hashes, 32 bytes each, concatenated. */
  hashes: Uint8Array;
  /** Every account: 32-byte account id and u64 LE e8s, 40 bytes each (see AccountBook). */
  balances: Uint8Array;
  /** The accounts' hash table (rebuilt when absent or not fitting). */
  accountIndex?: Uint8Array;
  allowances: AllowanceEntry[];
  /** The dedup window, oldest first: blocks and their transactions' dedup keys. */
  dedup: { blocks: number[]; keys: string[] };
}

export class LedgerState {
  readonly chain = new Chain();
  readonly allowances = new Allowances();
  readonly dedup: DedupWindow;
  private accounts = new AccountBook();
  private supply = 0n;

  constructor(maxTransactionsInWindow?: number) {
    this.dedup = new DedupWindow(maxTransactionsInWindow);
  }

  balance(account: string): bigint {
    return this.accounts.balance(account);
  }

  get totalSupply(): bigint {
    return this.supply;
  }

  /**
   * Applies a transaction at ledger time `now`: all checks first, then every change, or nothing
   * (except that the dedup window forgets what it no longer needs, as mainnet does first thing).
   */
  apply(op: LedgerOperation, meta: TransactionMeta, now: bigint): ApplyResult {
    const purged = this.dedup.purge(now);
    if (purged === 0 && this.dedup.throttled(now)) return { err: { kind: 'Throttled' } };

    const createdAt = meta.createdAt;
    let key: string | undefined;
    if (createdAt !== undefined) {
      if (createdAt + TRANSACTION_WINDOW_NS < now) return { err: { kind: 'TooOld' } };
      if (createdAt > now + PERMITTED_DRIFT_NS) return { err: { kind: 'CreatedInFuture', ledgerTime: now } };
      key = dedupKey(op, meta);
      const duplicateOf = this.dedup.lookup(key);
      if (duplicateOf !== undefined) return { err: { kind: 'Duplicate', duplicateOf: BigInt(duplicateOf) } };
    }

    const error = this.check(op, now);
    if (error) return { err: error };

    this.execute(op, now);
    const index = this.chain.append(this.toBlock(op, meta, now));
    if (key !== undefined) this.dedup.remember(key, index, now);
    return { ok: BigInt(index) };
  }

  private check(tx: LedgerOperation, now: bigint): CoreError | undefined {
    switch (tx.kind) {
      case 'mint': {
        const pool = U64_MAX - this.supply;
        return tx.amount > pool ? { kind: 'InsufficientFunds', balance: pool } : undefined;
      }
      case 'burn': {
        if (tx.spender !== undefined) {
          const allowance = this.allowances.allowance(tx.from, tx.spender, now).amount;
          if (allowance < tx.amount) return { kind: 'InsufficientAllowance', allowance };
        }
        const balance = this.balance(tx.from);
        return balance < tx.amount ? { kind: 'InsufficientFunds', balance } : undefined;
      }
      case 'transfer': {
        if (tx.spender !== undefined && tx.spender !== tx.from) {
          const allowance = this.allowances.allowance(tx.from, tx.spender, now).amount;
          if (allowance < tx.amount + tx.fee) return { kind: 'InsufficientAllowance', allowance };
        }
        const balance = this.balance(tx.from);
        return balance < tx.amount + tx.fee ? { kind: 'InsufficientFunds', balance } : undefined;
      }
      case 'approve': {
        // Mainnet burns the fee first, then approves (refunding the fee if that fails).
        const balance = this.balance(tx.from);
        if (balance < tx.fee) return { kind: 'InsufficientFunds', balance };
        const c = this.allowances.checkApprove(tx.from, tx.spender, tx.expiresAt, tx.expectedAllowance, now);
        if (c.kind === 'self') return { kind: 'SelfApproval' };
        if (c.kind === 'expired') return { kind: 'Expired', ledgerTime: now };
        if (c.kind === 'changed') return { kind: 'AllowanceChanged', current: c.current };
        return undefined;
      }
    }
  }

  private execute(tx: LedgerOperation, now: bigint): void {
    switch (tx.kind) {
      case 'mint':
        this.credit(tx.to, tx.amount);
        break;
      case 'burn':
        this.debit(tx.from, tx.amount);
        if (tx.spender !== undefined && tx.spender !== tx.from) this.allowances.use(tx.from, tx.spender, tx.amount, now);
        break;
      case 'transfer':
        this.debit(tx.from, tx.amount + tx.fee);
        this.credit(tx.to, tx.amount);
        if (tx.spender !== undefined && tx.spender !== tx.from) {
          this.allowances.use(tx.from, tx.spender, tx.amount + tx.fee, now);
        }
        break;
      case 'approve':
        this.debit(tx.from, tx.fee);
        this.allowances.approve(tx.from, tx.spender, tx.allowance, tx.expiresAt);
        break;
    }
  }

  private credit(id: string, amount: bigint) {
    this.accounts.add(id, amount);
    this.supply += amount;
  }

  private debit(id: string, amount: bigint) {
    this.accounts.add(id, -amount);
    this.supply -= amount;
  }

  /**
   * The block for a transaction applied at `timestamp`, with the same properties in the same order
   * for every block of a kind.
   */
  private toBlock(tx: LedgerOperation, meta: TransactionMeta, timestamp: bigint): LedgerBlock {
    const { memo, icrc1Memo, createdAt } = meta;
    switch (tx.kind) {
      case 'mint':
        return { kind: 'mint', to: tx.to, amount: tx.amount, memo, icrc1Memo, createdAt, timestamp };
      case 'burn': {
        const spender = tx.spender === undefined ? undefined : tx.spender;
        return { kind: 'burn', from: tx.from, amount: tx.amount, spender, memo, icrc1Memo, createdAt, timestamp };
      }
      case 'transfer': {
        const spender = tx.spender === undefined ? undefined : tx.spender;
        const [from, to] = [tx.from, tx.to];
        return { kind: 'transfer', from, to, amount: tx.amount, fee: tx.fee, spender, memo, icrc1Memo, createdAt, timestamp };
      }
      case 'approve':
        return {
          kind: 'approve',
          from: tx.from,
          spender: tx.spender,
          allowance: tx.allowance,
          fee: tx.fee,
          expectedAllowance: tx.expectedAllowance,
          expiresAt: tx.expiresAt,
          memo,
          icrc1Memo,
          createdAt,
          timestamp,
        };
    }
  }

  snapshot(): LedgerSnapshot {
    const { balances, index: accountIndex } = this.accounts.encode();
    const { bytes, offsets } = this.chain.encodeAll();
    return {
      version: 2,
      blocks: bytes,
      blockOffsets: new Uint8Array(offsets.buffer, offsets.byteOffset, offsets.byteLength),
      hashes: this.chain.hashBytes(),
      balances,
      accountIndex,
      allowances: this.allowances.entries(),
      dedup: this.dedup.entries(),
    };
  }

  restore(s: LedgerSnapshot): void {
    if (s?.version !== 2 || !(s.blocks instanceof Uint8Array) || !(s.balances instanceof Uint8Array)) {
      throw new Error('ledger: unsupported snapshot (start this state afresh with --fresh)');
    }
    this.accounts = new AccountBook();
    this.supply = this.accounts.decode(s.balances, s.accountIndex);
    const offsets = new Float64Array(s.blockOffsets.byteLength / 8);
    new Uint8Array(offsets.buffer).set(s.blockOffsets);
    this.chain.restore(s.blocks, offsets, s.hashes);
    this.allowances.reset(s.allowances);
    this.dedup.reset(s.dedup.blocks, s.dedup.keys, (i) => this.chain.get(i).timestamp);
  }
}
