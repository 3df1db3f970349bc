// What every service needs: the current connection (network + identity), the review desk, and the
// local store. The Desk (desk.ts) builds one and rebuilds the connection on any switch.
import { DeskError } from '../api/errors.ts';
import type { Connection } from '../network/agents.ts';
import type { ReviewDesk } from './reviews.ts';

export interface ServiceContext {
  /** The connection of the active identity on the active network; DeskError 'locked' when none. */
  connection(): Connection;
  reviews: ReviewDesk;
  /** Wall time in nanoseconds as this machine knows it (created_at_time, nonces). */
  nowNs(): bigint;
}

/** The connection, if it can sign; DeskError 'watch-only' otherwise. */
export function signingConnection(ctx: ServiceContext): Connection {
  const c = ctx.connection();
  if (!c.canSign) throw new DeskError('watch-only', 'This identity is watch-only: it can read balances and neurons but cannot sign.');
  return c;
}

/**
 * The network's time as this machine best knows it: the wall clock corrected by the offset the
 * agent measured when it synced with the network (a skewed clock here, or the local subnet after
 * time travel). Ledger transactions are stamped with it (`created_at_time`).
 */
export function networkNowNs(connection: Connection): bigint {
  return BigInt(Date.now() + connection.agent.getTimeDiffMsecs()) * 1_000_000n;
}

/** A context over a fixed connection (tests, and the Desk while the connection does not change). */
export function fixedContext(connection: Connection, reviews: ReviewDesk, nowNs: () => bigint = () => networkNowNs(connection)): ServiceContext {
  return { connection: () => connection, reviews, nowNs };
}
