// Throws thousands of malformed requests at every endpoint: each must get a 4xx or a reject,
// never a 5xx, a hang or a crash, and the server must keep serving good clients afterwards.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { encode } from '@dfinity/cbor';
import { Actor, HttpAgent } from '@icp-sdk/core/agent';
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { Principal } from '@icp-sdk/core/principal';
import { idlFactory } from '../../subnet/candid/generated/ledger.did.ts';
import { startSubnet, type Subnet } from '../../subnet/subnet.ts';
import { ProbeCanister } from './support/probe.ts';

const PROBE_ID = Principal.fromText('ryjl3-tyaaa-aaaaa-aaaba-cai');
let subnet: Subnet;
let seed = 12345;
const rand = (n: number) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};
const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => rand(256));

beforeAll(async () => {
  subnet = await startSubnet({ port: 0, canisters: () => ({ canisters: [new ProbeCanister(PROBE_ID)] }) });
});
afterAll(async () => subnet?.stop());

async function goodBodies() {
  const bodies: { path: string; body: Uint8Array }[] = [];
  const agent = await HttpAgent.create({
    host: subnet.url,
    identity: Ed25519KeyIdentity.generate(),
    shouldFetchRootKey: true,
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (init?.body) bodies.push({ path: new URL(input.toString()).pathname, body: new Uint8Array(init.body as ArrayBuffer) });
      return fetch(input, init);
    }) as typeof fetch,
  });
  const actor = Actor.createActor(idlFactory, { agent, canisterId: PROBE_ID }) as any;
  await actor.icrc1_name();
  await actor.icrc1_transfer({ to: { owner: Principal.anonymous(), subaccount: [] }, fee: [], memo: [], from_subaccount: [], created_at_time: [], amount: 1n });
  return bodies;
}

function malformed(good: Uint8Array[]): Uint8Array {
  const g = good[rand(good.length)];
  switch (rand(9)) {
    case 0:
      return randomBytes(rand(300));
    case 1:
      return g.subarray(0, rand(g.length));
    case 2: {
      const m = new Uint8Array(g);
      for (let i = 0; i < 1 + rand(4); i++) m[rand(m.length)] = rand(256);
      return m;
    }
    case 3:
      return encode([1, 'x', new Uint8Array(3)] as never);
    case 4:
      return encode({ content: { request_type: ['call', 'query', 'read_state', 7][rand(4)], sender: rand(2) ? 'text' : new Uint8Array([4]), ingress_expiry: rand(2) ? -1 : 'soon' } } as never);
    case 5:
      return encode({ content: { request_type: 'query', sender: new Uint8Array([4]), canister_id: randomBytes(rand(40)), method_name: 'icrc1_name', arg: randomBytes(rand(20)), ingress_expiry: 1n } } as never);
    case 6:
      return encode({ content: { request_type: 'read_state', sender: new Uint8Array([4]), paths: rand(2) ? [[randomBytes(5)], 'x'] : [[new TextEncoder().encode('request_status')]], ingress_expiry: 1n } } as never);
    case 7:
      return encode({ content: { request_type: 'call', sender: randomBytes(29), canister_id: PROBE_ID.toUint8Array(), method_name: 'icrc1_transfer', arg: randomBytes(30), ingress_expiry: BigInt(Date.now()) * 1_000_000n + 60_000_000_000n, nonce: randomBytes(16) }, sender_pubkey: randomBytes(44), sender_sig: randomBytes(64) } as never);
    default:
      return new TextEncoder().encode('{"not":"cbor"}');
  }
}

it('answers thousands of malformed requests with 4xx or rejects and stays up', async () => {
  const good = await goodBodies();
  const goodBytes = good.map((g) => g.body);
  const sid = subnet.keys.subnetId.toText();
  const paths = [
    ...['v2', 'v3', 'v4'].map((v) => `/api/${v}/canister/${PROBE_ID.toText()}/call`),
    ...['v2', 'v3'].flatMap((v) => [`/api/${v}/canister/${PROBE_ID.toText()}/query`, `/api/${v}/canister/${PROBE_ID.toText()}/read_state`, `/api/${v}/subnet/${sid}/read_state`]),
    '/api/v3/canister/not-a-principal/call',
    '/api/v3/canister/aaaaa-aa/query',
    `/api/v3/canister/${Principal.fromText('qhbym-qaaaa-aaaaa-aaafq-cai').toText()}/call`,
    '/api/v2/status',
    '/api/v9/canister/x/call',
    '/_/time',
    '/_/mint',
    '/_/canisters',
    '/_/canisters/controlled',
  ];
  const statuses = new Map<number, number>();
  const N = 3000;
  let next = 0;
  const worker = async () => {
    while (next < N) {
      const i = next++;
      const path = paths[i % paths.length];
      const body = path.startsWith('/_/')
        ? new TextEncoder().encode(['{', '[]', '{"advance_seconds":"-1"}', '{"to":"zz","e8s":"1"}', '{"controllers":["bad"]}', '{"e8s":1e99}', 'null'][rand(7)])
        : malformed(goodBytes);
      const get = rand(20) === 0;
      const res = await fetch(subnet.url + path, { method: get ? 'GET' : 'POST', body: get || rand(20) === 0 ? undefined : (body as BodyInit), signal: AbortSignal.timeout(20_000) });
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  // Oversized bodies are refused without being read whole.
  for (const path of paths.slice(0, 3)) {
    const res = await fetch(subnet.url + path, { method: 'POST', body: new Uint8Array(2 * 1024 * 1024 + 1) });
    expect(res.status).toBe(413);
  }
  const total = [...statuses.values()].reduce((a, b) => a + b, 0);
  expect(total).toBe(N);
  for (const status of statuses.keys()) expect([200, 202, 400, 403, 404, 405, 413]).toContain(status);
  expect(statuses.get(400)).toBeGreaterThan(N / 10);
  expect(statuses.get(200)).toBeGreaterThan(0);
  // Still serving real clients.
  const identity = Ed25519KeyIdentity.generate();
  const agent = await HttpAgent.create({ host: subnet.url, identity, shouldFetchRootKey: true });
  const actor = Actor.createActor(idlFactory, { agent, canisterId: PROBE_ID }) as any;
  expect(await actor.icrc1_name()).toBe(identity.getPrincipal().toText());
});
