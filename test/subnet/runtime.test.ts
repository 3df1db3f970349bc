// The runtime alone: timers under time travel, inter-canister calls across rounds, replay.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Principal } from '@icp-sdk/core/principal';
import type { CallContext } from '../../subnet/canisters/canister.ts';
import { Runtime } from '../../subnet/runtime/runtime.ts';
import { ProbeCanister } from './support/probe.ts';

const DAY = 86_400n * 1_000_000_000n;

/** The probe plus a daily timer that records when it ran and calls another canister. */
class TimedProbe extends ProbeCanister {
  fired: bigint[] = [];
  next?: bigint;
  constructor(id: Principal, private readonly peer?: Principal) {
    super(id);
  }
  readonly admin = {
    arm: (ctx: CallContext) => {
      this.next = ctx.time - (ctx.time % DAY) + DAY;
    },
  };
  nextTimer() {
    return this.next;
  }
  async onTimer(ctx: CallContext) {
    this.fired.push(ctx.time);
    this.next = ctx.time - (ctx.time % DAY) + DAY;
    if (this.peer) {
      await ctx.call(this.peer, 'icrc1_transfer', [{ to: { owner: ctx.self, subaccount: [] }, fee: [], memo: [], from_subaccount: [], created_at_time: [], amount: 1n }]);
    }
  }
  override snapshot() {
    return { calls: this.calls, fired: this.fired, next: this.next };
  }
  override restore(s: any) {
    this.calls = s.calls;
    this.fired = s.fired;
    this.next = s.next;
  }
}

const A = Principal.fromText('ryjl3-tyaaa-aaaaa-aaaba-cai');
const B = Principal.fromText('qhbym-qaaaa-aaaaa-aaafq-cai');

async function world(stateDir?: string) {
  const a = new TimedProbe(A, B);
  const b = new ProbeCanister(B);
  const rt = await Runtime.create({ canisters: [a, b], stateDir });
  return { rt, a, b };
}

describe('runtime', () => {
  it('runs each timer at the time it falls due when the clock jumps, with its inter-canister calls', async () => {
    const { rt, a, b } = await world();
    await rt.admin(A, 'arm', {});
    const start = rt.now();
    await rt.advanceTime(5 * 86_400);
    expect(a.fired.length).toBe(5);
    for (const [i, t] of a.fired.entries()) {
      expect(t % DAY).toBe(0n);
      expect(t).toBeGreaterThan(start + BigInt(i) * DAY);
    }
    expect(b.calls).toBe(5);
    expect(b.lastCaller?.toText()).toBe(A.toText());
    await rt.close();
  });

  it('rebuilds the same state by replaying the log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rt-'));
    try {
      const first = await world(dir);
      await first.rt.admin(A, 'arm', {});
      await first.rt.advanceTime(3 * 86_400);
      await first.rt.callDecoded(B, 'icrc1_transfer', [{ to: { owner: A, subaccount: [] }, fee: [], memo: [], from_subaccount: [], created_at_time: [], amount: 1n }], Principal.anonymous());
      const fired = [...first.a.fired];
      // No close(): the next start replays the log instead of reading a checkpoint.
      const second = await world(dir);
      expect(second.a.fired).toEqual(fired);
      expect(second.b.calls).toBe(first.b.calls);
      expect(second.rt.height).toBe(first.rt.height);
      await second.rt.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets genesis start in the past and catch up, running the timers on the way, kept as one checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rt-'));
    try {
      const a = new TimedProbe(A);
      const rt = await Runtime.create({
        canisters: [a],
        stateDir: dir,
        genesis: async (rt) => {
          rt.rewindForGenesis(3 * 86_400);
          expect(rt.secondsBehind).toBe(3n * 86_400n);
          await rt.admin(A, 'arm', {});
          await rt.advanceToPresent();
        },
      });
      expect(a.fired.length).toBe(3); // one per day of the history
      expect(rt.secondsBehind).toBe(0n);
      expect(rt.now() - BigInt(Date.now()) * 1_000_000n).toBeLessThan(1_000_000_000n);
      expect(() => rt.rewindForGenesis(1)).toThrow(/only at the start of genesis/);
      const { height } = rt;
      await rt.close();
      const restored = new TimedProbe(A);
      const again = await Runtime.create({ canisters: [restored], stateDir: dir, genesis: () => Promise.reject(new Error('genesis runs once')) });
      expect(restored.fired).toEqual(a.fired);
      expect(again.height).toBe(height);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers a call to a missing canister or method with the replica\'s reject', async () => {
    const { rt } = await world();
    await expect(rt.callDecoded(A, 'icrc1_symbol', [], Principal.anonymous())).resolves.toMatch(/PROBE/);
    const outcome = rt.query(A, 'icrc1_transfer', new Uint8Array(), Principal.anonymous());
    expect(outcome).toMatchObject({ status: 'rejected', errorCode: 'IC0536' });
    const missing = await rt.submit({ requestId: 'ab'.repeat(32), canisterId: Principal.fromText('aaaaa-aa'), method: 'x', arg: new Uint8Array(), sender: Principal.anonymous(), expiry: rt.now() + DAY });
    expect(missing).toMatchObject({ status: 'rejected', errorCode: 'IC0301' });
    const badArg = await rt.submit({ requestId: 'cd'.repeat(32), canisterId: A, method: 'icrc1_transfer', arg: new Uint8Array([1, 2, 3]), sender: Principal.anonymous(), expiry: rt.now() + DAY });
    expect(badArg).toMatchObject({ status: 'rejected', errorCode: 'IC0503' });
    await rt.close();
  });
});

it('answers CORS preflights', async () => {
  const { startSubnet } = await import('../../subnet/subnet.ts');
  const subnet = await startSubnet({ port: 0, canisters: () => ({ canisters: [new ProbeCanister(A)] }) });
  try {
    const res = await fetch(`${subnet.url}/api/v3/canister/${A.toText()}/query`, { method: 'OPTIONS', headers: { Origin: 'http://example.test', 'Access-Control-Request-Method': 'POST' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Content-Type/);
  } finally {
    await subnet.stop();
  }
});
