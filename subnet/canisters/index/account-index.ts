// Per-account transaction lists and balances built incrementally from the ledger's blocks, as the
// mainnet ICP index does: transfers index both sides, approvals the owner and the spender, mints
// the receiver, burns the payer. Balances follow the index's own arithmetic (a transfer debits
// amount + fee, an approval debits the fee).
import type { LedgerBlock } from '../ledger/ledger.ts';
import type { BlockList } from '../ledger/chain.ts';

interface AccountData {
  /** Block indices, ascending. */
  txs: number[];
  balance: bigint;
}

export class AccountIndex {
  private accounts = new Map<string, AccountData>();
  private synced = 0;

  /** Number of blocks indexed so far. */
  get length(): number {
    return this.synced;
  }

  /** Indexes the blocks not seen yet. */
  catchUp(blocks: BlockList): void {
    for (let i = this.synced; i < blocks.length; i++) this.add(i, blocks.get(i));
    this.synced = blocks.length;
  }

  balance(account: string): bigint {
    return this.accounts.get(account)?.balance ?? 0n;
  }

  oldest(account: string): number | undefined {
    return this.accounts.get(account)?.txs[0];
  }

  /** Up to `max` block indices of the account, newest first, all strictly below `start` if given. */
  newestFirst(account: string, start: bigint | undefined, max: number): number[] {
    const txs = this.accounts.get(account)?.txs;
    if (!txs) return [];
    const end = start === undefined ? txs.length : lowerBound(txs, start);
    const out: number[] = [];
    for (let i = end - 1; i >= 0 && out.length < max; i--) out.push(txs[i]);
    return out;
  }

  private add(index: number, block: LedgerBlock): void {
    switch (block.kind) {
      case 'mint':
        this.touch(block.to, index).balance += block.amount;
        break;
      case 'burn':
        this.touch(block.from, index).balance -= block.amount;
        break;
      case 'transfer':
        this.touch(block.from, index).balance -= block.amount + block.fee;
        this.touch(block.to, index).balance += block.amount;
        break;
      case 'approve':
        this.touch(block.from, index).balance -= block.fee;
        this.touch(block.spender, index);
        break;
    }
  }

  /** Records that block `index` concerns the account (once, even for a transfer to oneself). */
  private touch(account: string, index: number): AccountData {
    let data = this.accounts.get(account);
    if (!data) this.accounts.set(account, (data = { txs: [], balance: 0n }));
    if (data.txs[data.txs.length - 1] !== index) data.txs.push(index);
    return data;
  }
}

/** The first position whose value is >= bound (sorted ascending input). */
function lowerBound(sorted: number[], bound: bigint): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (BigInt(sorted[mid]) < bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
