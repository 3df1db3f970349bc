import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Actor, AnonymousIdentity, HttpAgent, type Identity } from '@icp-sdk/core/agent';
import { Ed25519KeyIdentity, ECDSAKeyIdentity, DelegationChain, DelegationIdentity } from '@icp-sdk/core/identity';
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1';
import { Principal } from '@icp-sdk/core/principal';
import { idlFactory } from '../../subnet/candid/generated/ledger.did.ts';
import { startSubnet, type Subnet } from '../../subnet/subnet.ts';
import { ProbeCanister } from './support/probe.ts';

const PROBE_ID = Principal.fromText('ryjl3-tyaaa-aaaaa-aaaba-cai');

let subnet: Subnet;
let probe: ProbeCanister;

beforeAll(async () => {
  subnet = await startSubnet({
    port: 0,
    canisters: () => {
      probe = new ProbeCanister(PROBE_ID);
      return { canisters: [probe] };
    },
  });
});
afterAll(async () => subnet?.stop());

async function actorFor(identity: Identity) {
  const agent = await HttpAgent.create({ host: subnet.url, identity, shouldFetchRootKey: true, verifyQuerySignatures: true });
  return Actor.createActor(idlFactory, { agent, canisterId: PROBE_ID }) as any;
}

const transferArg = (memo?: string) => ({
  to: { owner: Principal.anonymous(), subaccount: [] },
  fee: [],
  memo: memo ? [new TextEncoder().encode(memo)] : [],
  from_subaccount: [],
  created_at_time: [],
  amount: 1n,
});

describe('IC HTTP interface with the real agent', () => {
  it('serves the root key on /api/v2/status', async () => {
    const agent = await HttpAgent.create({ host: subnet.url, shouldFetchRootKey: true });
    expect(Buffer.from(agent.rootKey!).toString('hex')).toBe(subnet.rootKeyHex);
  });

  const identities: [string, () => Promise<Identity>][] = [
    ['anonymous', async () => new AnonymousIdentity()],
    ['Ed25519', async () => Ed25519KeyIdentity.generate()],
    ['secp256k1', async () => Secp256k1KeyIdentity.generate()],
    ['P-256', async () => ECDSAKeyIdentity.generate()],
    [
      'a delegation chain',
      async () => {
        const root = Ed25519KeyIdentity.generate();
        const middle = Ed25519KeyIdentity.generate();
        const session = Ed25519KeyIdentity.generate();
        const c1 = await DelegationChain.create(root, middle.getPublicKey(), new Date(Date.now() + 3600_000));
        const c2 = await DelegationChain.create(middle, session.getPublicKey(), new Date(Date.now() + 3600_000), { previous: c1, targets: [PROBE_ID] });
        return DelegationIdentity.fromDelegation(session, c2);
      },
    ],
  ];

  for (const [name, make] of identities) {
    it(`queries and certified updates with ${name}, signatures checked`, async () => {
      const identity = await make();
      const actor = await actorFor(identity);
      expect(await actor.icrc1_name()).toBe(identity.getPrincipal().toText());
      const before = probe.calls;
      const res = await actor.icrc1_transfer(transferArg());
      expect(res).toEqual({ Ok: BigInt(before + 1) });
      expect(probe.lastCaller?.toText()).toBe(identity.getPrincipal().toText());
    });
  }

  it('reports canister rejects and traps as certified rejects', async () => {
    const actor = await actorFor(Ed25519KeyIdentity.generate());
    await expect(actor.icrc1_transfer(transferArg('reject'))).rejects.toThrow(/probe rejects/);
    await expect(actor.icrc1_transfer(transferArg('trap'))).rejects.toThrow(/probe traps/);
  });

  it('rejects a delegation whose targets exclude the canister', async () => {
    const root = Ed25519KeyIdentity.generate();
    const session = Ed25519KeyIdentity.generate();
    const chain = await DelegationChain.create(root, session.getPublicKey(), new Date(Date.now() + 3600_000), {
      targets: [Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai')],
    });
    const actor = await actorFor(DelegationIdentity.fromDelegation(session, chain));
    await expect(actor.icrc1_transfer(transferArg())).rejects.toThrow(/does not allow calls/);
  });

  it('rejects an expired delegation', async () => {
    const root = Ed25519KeyIdentity.generate();
    const session = Ed25519KeyIdentity.generate();
    const chain = await DelegationChain.create(root, session.getPublicKey(), new Date(Date.now() - 1000));
    const actor = await actorFor(DelegationIdentity.fromDelegation(session, chain));
    await expect(actor.icrc1_transfer(transferArg())).rejects.toThrow(/expired/);
  });

  it('keeps working after time travel once the agent re-syncs its clock', async () => {
    const identity = Ed25519KeyIdentity.generate();
    const agent = await HttpAgent.create({ host: subnet.url, identity, shouldFetchRootKey: true });
    const actor = Actor.createActor(idlFactory, { agent, canisterId: PROBE_ID }) as any;
    await actor.icrc1_transfer(transferArg());
    await fetch(`${subnet.url}/_/time`, { method: 'POST', body: JSON.stringify({ advance_seconds: 30 * 86_400 }) });
    await agent.syncTime();
    expect((await actor.icrc1_transfer(transferArg())).Ok).toBeGreaterThan(0n);
    expect(await actor.icrc1_name()).toBe(identity.getPrincipal().toText());
  });
});

describe('requests replayed, expired, and from the older agent', () => {
  /** An agent whose fetch records every call body it sends. */
  async function recordingAgent(identity: Identity) {
    const calls: { url: string; body: Uint8Array }[] = [];
    const agent = await HttpAgent.create({
      host: subnet.url,
      identity,
      shouldFetchRootKey: true,
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = input.toString();
        if (url.endsWith('/call') && init?.body) calls.push({ url, body: new Uint8Array(init.body as ArrayBuffer) });
        return fetch(input, init);
      }) as typeof fetch,
    });
    return { agent, calls };
  }

  it('executes a replayed request once and answers it with the same outcome', async () => {
    const { agent, calls } = await recordingAgent(Ed25519KeyIdentity.generate());
    const actor = Actor.createActor(idlFactory, { agent, canisterId: PROBE_ID }) as any;
    const first = await actor.icrc1_transfer(transferArg());
    const count = probe.calls;
    const { url, body } = calls[calls.length - 1];
    for (const path of [url, url.replace('/api/v4/', '/api/v3/')]) {
      const res = await fetch(path, { method: 'POST', body: body as BodyInit, headers: { 'Content-Type': 'application/cbor' } });
      expect(res.status).toBe(200);
    }
    const v2 = await fetch(url.replace('/api/v4/', '/api/v2/'), { method: 'POST', body: body as BodyInit, headers: { 'Content-Type': 'application/cbor' } });
    expect(v2.status).toBe(202);
    expect(probe.calls).toBe(count);
    expect(first.Ok).toBe(BigInt(count));
  });

  it('refuses an expired request with the replica\'s message', async () => {
    const { agent, calls } = await recordingAgent(Ed25519KeyIdentity.generate());
    const actor = Actor.createActor(idlFactory, { agent, canisterId: PROBE_ID }) as any;
    await actor.icrc1_transfer(transferArg());
    await fetch(`${subnet.url}/_/time`, { method: 'POST', body: JSON.stringify({ advance_seconds: 600 }) });
    const last = calls[calls.length - 1];
    const res = await fetch(last.url, { method: 'POST', body: last.body as BodyInit, headers: { 'Content-Type': 'application/cbor' } });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/^Invalid request expiry: /);
  });

  it('works with @dfinity/agent 3.x (v3 calls, v2 queries and read_state)', async () => {
    const agent3 = await import('@dfinity/agent');
    const identity3 = await import('@dfinity/identity');
    const identity = identity3.Ed25519KeyIdentity.generate();
    const agent = await agent3.HttpAgent.create({ host: subnet.url, identity, shouldFetchRootKey: true });
    await agent.syncTime(); // earlier tests moved the subnet's clock
    const actor = agent3.Actor.createActor(idlFactory as any, { agent, canisterId: PROBE_ID.toText() }) as any;
    expect(await actor.icrc1_name()).toBe(identity.getPrincipal().toText());
    const before = probe.calls;
    expect(await actor.icrc1_transfer(transferArg())).toEqual({ Ok: BigInt(before + 1) });
    // v2 call path (async submit, then polling read_state)
    const { requestId } = await agent.call(PROBE_ID.toText(), {
      methodName: 'icrc1_transfer',
      arg: (await import('@dfinity/candid')).IDL.encode([], []),
      callSync: false,
    } as any);
    expect(requestId).toBeInstanceOf(Uint8Array);
  });
});
