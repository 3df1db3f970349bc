import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Actor, HttpAgent } from '@icp-sdk/core/agent';
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { Principal } from '@icp-sdk/core/principal';
import { idlFactory } from '../../subnet/candid/generated/ledger.did.ts';
import { startSubnet, type Subnet } from '../../subnet/subnet.ts';
import { ProbeCanister } from './support/probe.ts';
import { spawnSubnet } from './support/process.ts';

const ID = Principal.fromText('ryjl3-tyaaa-aaaaa-aaaba-cai');
const dirs: string[] = [];
const running: Subnet[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop().catch(() => {});
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function start(stateDir: string, fresh = false) {
  let probe!: ProbeCanister;
  return startSubnet({
    port: 0,
    stateDir,
    fresh,
    canisters: () => {
      probe = new ProbeCanister(ID);
      return { canisters: [probe] };
    },
  }).then((s) => {
    running.push(s);
    return { subnet: s, probe };
  });
}

const arg = { to: { owner: Principal.anonymous(), subaccount: [] }, fee: [], memo: [], from_subaccount: [], created_at_time: [], amount: 1n };

async function client(url: string, identity = Ed25519KeyIdentity.generate()) {
  const bodies: { url: string; body: Uint8Array }[] = [];
  const agent = await HttpAgent.create({
    host: url,
    identity,
    shouldFetchRootKey: true,
    retryTimes: 0,
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (input.toString().endsWith('/call') && init?.body) bodies.push({ url: input.toString(), body: new Uint8Array(init.body as ArrayBuffer) });
      return fetch(input, init);
    }) as typeof fetch,
  });
  return { actor: Actor.createActor(idlFactory, { agent, canisterId: ID }) as any, bodies, agent };
}

describe('persistence', () => {
  it('keeps state, keys, clock and request dedup across a clean restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'subnet-'));
    dirs.push(dir);
    const a = await start(dir);
    const { actor, bodies } = await client(a.subnet.url);
    for (let i = 0; i < 5; i++) await actor.icrc1_transfer(arg);
    await fetch(`${a.subnet.url}/_/time`, { method: 'POST', body: JSON.stringify({ advance_seconds: 3600 }) });
    const timeBefore = a.subnet.runtime.now();
    const rootKey = a.subnet.rootKeyHex;
    expect(JSON.parse(readFileSync(join(dir, 'subnet.json'), 'utf8'))).toEqual({ url: a.subnet.url, root_key: rootKey });
    await a.subnet.stop();
    running.splice(running.indexOf(a.subnet), 1);

    const b = await start(dir);
    expect(b.subnet.rootKeyHex).toBe(rootKey);
    expect(b.probe.calls).toBe(5);
    expect(b.subnet.runtime.now()).toBeGreaterThanOrEqual(timeBefore);
    // The same signed request, sent again after the restart, is not executed twice.
    const last = bodies[bodies.length - 1];
    const res = await fetch(last.url.replace(/127\.0\.0\.1:\d+/, new URL(b.subnet.url).host), { method: 'POST', body: last.body as BodyInit });
    expect([200, 400]).toContain(res.status); // 400 only if its expiry passed with the clock jump
    expect(b.probe.calls).toBe(5);
  });

  it('loses nothing acknowledged when the process is killed with SIGKILL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'subnet-'));
    dirs.push(dir);
    const proc = await spawnSubnet('test/subnet/support/probe-subnet.ts', [dir]);
    const { actor } = await client(proc.url);
    const acknowledged: bigint[] = [];
    // A stream of calls from 8 clients, killed mid-stream.
    let stop = false;
    const streams = Array.from({ length: 8 }, async () => {
      while (!stop) {
        try {
          acknowledged.push((await actor.icrc1_transfer(arg)).Ok);
        } catch {
          return;
        }
      }
    });
    await new Promise((r) => setTimeout(r, 1500));
    await proc.kill('SIGKILL');
    stop = true;
    await Promise.all(streams);
    expect(acknowledged.length).toBeGreaterThan(10);
    const b = await start(dir);
    // Every acknowledged call is in the recovered state (more may be: executed, not yet answered).
    expect(BigInt(b.probe.calls)).toBeGreaterThanOrEqual(acknowledged.reduce((m, x) => (x > m ? x : m), 0n));
    expect(b.probe.calls).toBeGreaterThanOrEqual(acknowledged.length);
  });

  it('creates a state directory that does not exist yet (npm run subnet -- --state-dir DIR)', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'subnet-'));
    dirs.push(parent);
    const dir = join(parent, 'not', 'yet');
    const proc = await spawnSubnet('subnet/cli.ts', ['--port', '0', '--state-dir', dir]);
    try {
      const status = await (await fetch(`${proc.url}/_/status`)).json();
      expect(JSON.parse(readFileSync(join(dir, 'subnet.json'), 'utf8'))).toEqual({ url: proc.url, root_key: status.root_key });
    } finally {
      await proc.kill('SIGTERM');
    }
  });

  it('--fresh starts from genesis but keeps the keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'subnet-'));
    dirs.push(dir);
    const a = await start(dir);
    const { actor } = await client(a.subnet.url);
    await actor.icrc1_transfer(arg);
    const key = a.subnet.rootKeyHex;
    await a.subnet.stop();
    running.splice(0);
    const b = await start(dir, true);
    expect(b.probe.calls).toBe(0);
    expect(b.subnet.rootKeyHex).toBe(key);
  });
});
