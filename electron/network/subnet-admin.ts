// The bundled subnet's play-money tools (its loopback-only admin endpoints): time travel, the
// faucet, a test proposal. Only ever used on the local network.
import { DeskError } from '../api/errors.ts';

async function post<T>(url: string, path: string, body: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url + path, { method: 'POST', body: JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) });
  } catch (e) {
    throw new DeskError('network', 'The local test subnet did not answer.', (e as Error).message);
  }
  const text = await res.text();
  if (!res.ok) throw new DeskError('rejected', 'The local test subnet refused the request.', text.slice(0, 300));
  return JSON.parse(text) as T;
}

export async function advanceTime(url: string, seconds: number): Promise<{ timeNs: bigint }> {
  await post(url, '/_/time', { advance_seconds: seconds });
  const status = (await (await fetch(url + '/_/status')).json()) as { time_ns: string };
  return { timeNs: BigInt(status.time_ns) };
}

/** Mints play ICP to an account (account id hex, principal or ICRC-1 text). */
export async function faucet(url: string, to: string, e8s: bigint): Promise<{ blockIndex: bigint }> {
  const r = await post<{ block_index: string }>(url, '/_/mint', { to, e8s });
  return { blockIndex: BigInt(r.block_index) };
}

export async function openTestProposal(url: string, p: { title: string; summary: string; url?: string }): Promise<{ proposalId: bigint }> {
  const r = await post<{ proposal_id: string }>(url, '/_/proposals', { title: p.title, summary: p.summary, url: p.url ?? '' });
  return { proposalId: BigInt(r.proposal_id) };
}

/** The user canisters the principal controls on the test subnet. */
export async function controlledCanisters(url: string, controller: string): Promise<string[]> {
  const r = await post<{ canister_ids: string[] }>(url, '/_/canisters/controlled', { controller });
  return r.canister_ids;
}
