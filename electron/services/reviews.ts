// Review before signing: every value-moving operation is first prepared into a Review (what will
// be signed: canister, method, decoded arguments, amounts, fees, destination) and runs only when
// that exact review is confirmed. Everything that makes the operation idempotent (created_at_time,
// memo/nonce, subaccounts) is fixed when the review is prepared, so a confirm that lost its answer
// can be confirmed again without paying twice.
import { randomBytes } from 'node:crypto';
import { DeskError } from '../api/errors.ts';
import type { Review, ReviewCall, ReviewDraft } from '../api/review.ts';
import { toDeskError } from './errors.ts';

export type { Review, ReviewCall, ReviewDraft };

/** How long a prepared review can be confirmed (well inside the ledger's 24 h dedup window). */
export const REVIEW_TTL_MS = 15 * 60_000;

/** Reports a step of a running operation (e.g. "Transfer", 1, 3), for the UI's progress. */
export type Progress = (step: string, done: number, total: number) => void;

interface Pending {
  review: Review;
  execute: (progress: Progress) => Promise<unknown>;
  running?: Promise<unknown>;
  done?: { value: unknown };
}

export class ReviewDesk {
  private pending = new Map<string, Pending>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly onProgress?: (reviewId: string, step: string, done: number, total: number) => void,
  ) {}

  /** Registers an operation; returns what the user must see and confirm. */
  prepare<T>(draft: ReviewDraft, execute: (progress: Progress) => Promise<T>): Review {
    this.prune();
    const review: Review = { ...draft, id: randomBytes(16).toString('hex'), expiresAtMs: this.now() + REVIEW_TTL_MS };
    this.pending.set(review.id, { review, execute });
    return review;
  }

  get(id: string): Review | undefined {
    return this.pending.get(id)?.review;
  }

  /**
   * Runs the reviewed operation. Confirming again while it runs joins the same run; after success
   * it returns the same result without running again; after a failure the user may confirm again
   * (the operation is idempotent by construction) until the review expires.
   */
  async confirm<T = unknown>(id: string): Promise<T> {
    const p = this.pending.get(id);
    if (!p) throw new DeskError('not-found', 'This review is no longer pending: prepare the operation again.');
    if (p.done) return p.done.value as T;
    if (p.running) return p.running as Promise<T>;
    if (this.now() > p.review.expiresAtMs) {
      this.pending.delete(id);
      throw new DeskError('expired', 'This review has expired: prepare the operation again.');
    }
    const progress: Progress = (step, done, total) => this.onProgress?.(id, step, done, total);
    p.running = p.execute(progress).then(
      (value) => {
        p.done = { value };
        p.running = undefined;
        return value;
      },
      (e) => {
        p.running = undefined;
        throw toDeskError(e, p.review.title);
      },
    );
    return p.running as Promise<T>;
  }

  cancel(id: string): void {
    const p = this.pending.get(id);
    if (p && !p.running) this.pending.delete(id);
  }

  /** Drops every review (lock, identity or network switch): none can be confirmed afterwards. */
  clear(): void {
    this.pending.clear();
  }

  private prune() {
    const now = this.now();
    for (const [id, p] of this.pending) if (!p.running && (p.done || now > p.review.expiresAtMs + REVIEW_TTL_MS)) this.pending.delete(id);
  }
}
