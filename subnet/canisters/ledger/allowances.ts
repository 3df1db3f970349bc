// ICRC-2 allowances keyed by (approver, spender) account identifiers (hex), as mainnet's
// AllowanceTable: an expired allowance reads as zero; approving zero removes the entry. Mainnet
// also prunes expired entries in the background; here they stay until replaced, which no endpoint
// can tell apart (they read as zero everywhere).

export interface Allowance {
  amount: bigint;
  expiresAt?: bigint;
}

export type ApproveCheck =
  | { kind: 'ok' }
  | { kind: 'self' }
  | { kind: 'expired' }
  | { kind: 'changed'; current: bigint };

export type AllowanceEntry = [from: string, spender: string, amount: bigint, expiresAt: bigint | null];

const NONE: Allowance = { amount: 0n };

export class Allowances {
  private byApprover = new Map<string, Map<string, Allowance>>();

  allowance(from: string, spender: string, now: bigint): Allowance {
    const a = this.byApprover.get(from)?.get(spender);
    if (!a || (a.expiresAt !== undefined && a.expiresAt <= now)) return NONE;
    return a;
  }

  /** The checks of AllowanceTable::approve, without changing anything. */
  checkApprove(from: string, spender: string, expiresAt: bigint | undefined, expected: bigint | undefined, now: bigint): ApproveCheck {
    if (from === spender) return { kind: 'self' };
    if (expiresAt !== undefined && expiresAt <= now) return { kind: 'expired' };
    if (expected !== undefined) {
      const current = this.allowance(from, spender, now).amount;
      if (current !== expected) return { kind: 'changed', current };
    }
    return { kind: 'ok' };
  }

  approve(from: string, spender: string, amount: bigint, expiresAt: bigint | undefined): void {
    let spenders = this.byApprover.get(from);
    if (amount === 0n) {
      spenders?.delete(spender);
      if (spenders?.size === 0) this.byApprover.delete(from);
      return;
    }
    if (!spenders) this.byApprover.set(from, (spenders = new Map()));
    spenders.set(spender, expiresAt === undefined ? { amount } : { amount, expiresAt });
  }

  /** Consumes `amount`; the caller has checked that the allowance covers it. */
  use(from: string, spender: string, amount: bigint, now: bigint): void {
    const left = this.allowance(from, spender, now).amount - amount;
    if (left < 0n) throw new Error('bug: allowance used beyond its amount');
    const old = this.byApprover.get(from)!.get(spender)!;
    this.approve(from, spender, left, old.expiresAt);
  }

  /**
   * The live allowances of `from`, ordered by spender the way mainnet orders account identifiers
   * (by the 28-byte hash, i.e. without the checksum), strictly after `after` when given.
   */
  list(from: string, after: string | undefined, take: number, now: bigint): [spender: string, Allowance][] {
    const spenders = this.byApprover.get(from);
    if (!spenders) return [];
    const hashOf = (hex: string) => hex.slice(8);
    const afterHash = after === undefined ? undefined : hashOf(after);
    const out: [string, Allowance][] = [];
    const sorted = [...spenders.keys()].sort((a, b) => (hashOf(a) < hashOf(b) ? -1 : hashOf(a) > hashOf(b) ? 1 : 0));
    for (const spender of sorted) {
      if (out.length >= take) break;
      if (afterHash !== undefined && hashOf(spender) <= afterHash) continue;
      const a = spenders.get(spender)!;
      if (a.expiresAt !== undefined && a.expiresAt <= now) continue;
      out.push([spender, a]);
    }
    return out;
  }

  entries(): AllowanceEntry[] {
    const out: AllowanceEntry[] = [];
    for (const [from, spenders] of this.byApprover) {
      for (const [spender, a] of spenders) out.push([from, spender, a.amount, a.expiresAt ?? null]);
    }
    return out;
  }

  reset(entries: AllowanceEntry[]): void {
    this.byApprover.clear();
    for (const [from, spender, amount, expiresAt] of entries) this.approve(from, spender, amount, expiresAt ?? undefined);
  }
}
