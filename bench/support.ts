// Shared by the benchmarks: statistics, a subnet in its own process, pre-signed requests.
import { encodeWithSelfDescribedTag } from '@dfinity/cbor';
import { requestIdOf, type SignIdentity } from '@icp-sdk/core/agent';
import type { Principal } from '@icp-sdk/core/principal';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSubnet, type SubnetProcess } from '../test/subnet/support/process.ts';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
export const ms = (x: number) => `${x.toFixed(2)} ms`;

export async function timed(n: number, f: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f();
    out.push(performance.now() - t);
  }
  return out;
}

/** The bundled subnet as its own process, with persistence on, as users run it. */
export async function subnetProcess(): Promise<SubnetProcess & { stateDir: string }> {
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-subnet-'));
  const proc = await spawnSubnet('subnet/cli.ts', ['--port', '0', '--state-dir', stateDir]);
  return { ...proc, stateDir };
}

const REQUEST_DOMAIN = new TextEncoder().encode('\x0Aic-request');

/**
 * A signed envelope built the way the agent builds one (same request id and signature), so that
 * the server's share of a round trip can be measured without the client's own costs.
 */
export async function signedEnvelope(
  identity: SignIdentity,
  type: 'call' | 'query',
  canisterId: Principal,
  method: string,
  arg: Uint8Array,
  expiryNs: bigint,
): Promise<Uint8Array> {
  const content: Record<string, unknown> = {
    request_type: type,
    canister_id: canisterId.toUint8Array(),
    method_name: method,
    arg,
    sender: identity.getPrincipal().toUint8Array(),
    ingress_expiry: expiryNs,
  };
  if (type === 'call') content.nonce = crypto.getRandomValues(new Uint8Array(16));
  const rid = requestIdOf(content);
  const msg = new Uint8Array(REQUEST_DOMAIN.length + rid.length);
  msg.set(REQUEST_DOMAIN);
  msg.set(rid, REQUEST_DOMAIN.length);
  const sig = await identity.sign(msg);
  return encodeWithSelfDescribedTag({ content, sender_pubkey: identity.getPublicKey().toDer(), sender_sig: sig } as never);
}
