// Services under test against a live simulated subnet over HTTP, through the real agent: a subnet
// (in this process, on a free loopback port) and a ServiceContext for one of the demo identities.
import type { Identity } from '@icp-sdk/core/agent';
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1';
import { Principal } from '@icp-sdk/core/principal';
import { expect } from 'vitest';
import { DeskError } from '../../../electron/api/errors.ts';
import { connect, type Connection } from '../../../electron/network/agents.ts';
import { fixedContext, type ServiceContext } from '../../../electron/services/context.ts';
import { ReviewDesk } from '../../../electron/services/reviews.ts';
import { DEMO_IDENTITIES } from '../../../subnet/genesis/demo.ts';
import type { Subnet } from '../../../subnet/subnet.ts';
import { admin, startNnsSubnet } from '../../subnet/support/nns.ts';

export { admin };
export type DemoName = 'demo' | 'alice' | 'bob' | 'carol';

/** 'accounts': the demo identities' ICP and canisters, empty governance. 'demo': the whole demo world. */
export function startDeskSubnet(world: 'accounts' | 'demo' = 'accounts', stateDir?: string): Promise<Subnet> {
  return startNnsSubnet({ world, stateDir });
}

export function demoIdentity(name: DemoName = 'demo'): Identity {
  return Secp256k1KeyIdentity.fromSeedPhrase(DEMO_IDENTITIES.find((d) => d.name === name)!.seedPhrase);
}

export interface TestDesk {
  connection: Connection;
  ctx: ServiceContext;
  reviews: ReviewDesk;
}

/** A connection for `identity` to the subnet at `url` (optionally through `fetch`, e.g. a fault proxy's). */
export async function deskFor(url: string, identity: Identity | Principal, opts: { fetch?: typeof fetch } = {}): Promise<TestDesk> {
  const signer = identity instanceof Principal ? ({ kind: 'watch-only', principal: identity } as const) : ({ kind: 'key', identity } as const);
  const connection = await connect({ kind: 'local', url }, signer, opts);
  const reviews = new ReviewDesk();
  return { connection, ctx: fixedContext(connection, reviews), reviews };
}

/** Moves the subnet's clock and lets the agent follow (see the README on time travel). */
export async function advance(url: string, seconds: number, ...desks: TestDesk[]): Promise<void> {
  const r = await admin(url, '/_/time', { advance_seconds: seconds });
  if (r.status !== 200) throw new Error(`advance failed: ${JSON.stringify(r.json)}`);
  for (const d of desks) await d.connection.agent.syncTime();
}

/** Mints play ICP to an account (hex account id, principal text or ICRC-1 text). */
export async function mint(url: string, to: string, e8s: bigint): Promise<bigint> {
  const r = await admin(url, '/_/mint', { to, e8s: e8s.toString() });
  if (r.status !== 200) throw new Error(`mint failed: ${JSON.stringify(r.json)}`);
  return BigInt(r.json.block_index);
}

/** The DeskError a promise (or a function, sync or async) fails with; the test fails if it does not. */
export async function failure(p: Promise<unknown> | (() => unknown)): Promise<DeskError> {
  const e = await Promise.resolve()
    .then(() => (typeof p === 'function' ? p() : p))
    .then(
      () => undefined,
      (x: unknown) => x,
    );
  expect(e).toBeInstanceOf(DeskError);
  return e as DeskError;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens a Motion proposal through the subnet's admin endpoint; its id. */
export async function openTestProposal(url: string, title: string, link = ''): Promise<bigint> {
  const r = await admin(url, '/_/proposals', { title, summary: `About ${title}.`, url: link });
  expect(r.status).toBe(200);
  return BigInt(r.json.proposal_id);
}
