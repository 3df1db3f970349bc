// One signing action's state: preparing its review (busy) and the reason it could not be prepared.
// The review itself is shown by whoever owns the ReviewDialog (`open`).
import { errorMessage } from './desk.ts';
import type { Review } from '../../../electron/api/review.ts';

/** Shows a prepared review (the page's ReviewDialog). */
export type OpenReview = (review: Review) => void;

export class Action {
  busy = $state(false);
  error = $state<string | undefined>();

  constructor(
    private readonly open: OpenReview,
    private readonly fallback = 'The operation could not be prepared.',
  ) {}

  /** Prepares the review and opens it; a refusal is kept in `error`, next to the form. */
  async run(prepare: () => Promise<Review>): Promise<void> {
    this.busy = true;
    this.error = undefined;
    try {
      this.open(await prepare());
    } catch (x) {
      this.error = errorMessage(x, this.fallback);
    } finally {
      this.busy = false;
    }
  }

  /** A refusal found before anything is asked of the core (e.g. an amount that does not parse). */
  fail(message: string): void {
    this.error = message;
  }
}
