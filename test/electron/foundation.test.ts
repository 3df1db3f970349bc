// The shared pieces of the desktop core: amounts, networks and their root-key policy, the review desk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IC_ROOT_KEY } from '@icp-sdk/core/agent';
import { formatIcp, parseIcp } from '../../electron/api/amounts.ts';
import { DeskError } from '../../electron/api/errors.ts';
import { createAgent } from '../../electron/network/agents.ts';
import { MAINNET_ROOT_KEY_HEX, checkNetwork, isLoopbackHost, parseRootKeyHex } from '../../electron/network/networks.ts';
import { ReviewDesk, REVIEW_TTL_MS } from '../../electron/services/reviews.ts';
import type { Subnet } from '../../subnet/subnet.ts';
import { deskFor, demoIdentity, startDeskSubnet } from './support/desk.ts';

describe('amounts', () => {
  it('parses exactly, refuses what is not an amount', () => {
    expect(parseIcp('1')).toBe(100_000_000n);
    expect(parseIcp('0.00000001')).toBe(1n);
    expect(parseIcp(' 12.5 ')).toBe(1_250_000_000n);
    expect(parseIcp('.5')).toBe(50_000_000n);
    expect(parseIcp('3.')).toBe(300_000_000n);
    expect(parseIcp('0.1')).toBe(10_000_000n); // not 0.1 as a float
    expect(parseIcp('184467440737.09551615')).toBe(2n ** 64n - 1n);
    expect(() => parseIcp('184467440737.09551616')).toThrow(/too large/);
    expect(() => parseIcp('0.000000001')).toThrow(/8 decimals/);
    expect(() => parseIcp('-1')).toThrow(/negative/);
    expect(() => parseIcp('0')).toThrow(/more than zero/);
    expect(parseIcp('0', { allowZero: true })).toBe(0n);
    for (const bad of ['', '1e3', '1,5', '1_000', 'abc', '1.2.3', '+1', '0x10', 'Infinity', 'NaN'])
      expect(() => parseIcp(bad), bad).toThrow(RangeError);
    expect(formatIcp(150_000_000n)).toBe('1.50');
    expect(formatIcp(1n)).toBe('0.00000001');
    expect(formatIcp(0n)).toBe('0.00');
    expect(formatIcp(123_456_789_000n, { minDecimals: 0 })).toBe('1234.56789');
  });
});

describe('networks', () => {
  it('builds the mainnet root key in and never fetches it', async () => {
    expect(MAINNET_ROOT_KEY_HEX).toBe(IC_ROOT_KEY);
    let fetched = 0;
    const agent = await createAgent({ kind: 'mainnet' }, demoIdentity(), {
      fetch: (async () => {
        fetched++;
        throw new TypeError('fetch failed: no network in this test');
      }) as typeof fetch,
    });
    expect(Buffer.from(agent.rootKey!).toString('hex')).toBe(IC_ROOT_KEY);
    await expect(agent.fetchRootKey()).rejects.toThrow(/never fetched/);
    expect(fetched).toBe(0);
  });

  it('fetches a root key from loopback only, and checks pasted keys', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('127.0.0.1.example.com')).toBe(false);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
    expect(() => checkNetwork({ kind: 'custom', url: 'https://replica.example.org' })).toThrow(/root key/);
    expect(() => checkNetwork({ kind: 'custom', url: 'https://icp-api.io', rootKeyHex: IC_ROOT_KEY })).toThrow(/mainnet/);
    expect(() => checkNetwork({ kind: 'custom', url: 'ftp://x' })).toThrow(/http/);
    expect(() => checkNetwork({ kind: 'custom', url: 'not a url' })).toThrow(/not a URL/);
    expect(checkNetwork({ kind: 'custom', url: 'https://replica.example.org', rootKeyHex: IC_ROOT_KEY }).host).toBe('replica.example.org');
    expect(() => parseRootKeyHex('abcd')).toThrow(/not an IC root key/);
    expect(() => parseRootKeyHex('zz')).toThrow(/hexadecimal/);
    expect(parseRootKeyHex(IC_ROOT_KEY.toUpperCase()).length).toBe(133);
  });

  describe('on the bundled subnet', () => {
    let subnet: Subnet;
    beforeAll(async () => {
      subnet = await startDeskSubnet();
    });
    afterAll(async () => subnet?.stop());

    it('connects with a fetched key and reads through every canister client', async () => {
      const { connection } = await deskFor(subnet.url, demoIdentity());
      expect(connection.principal.toText()).toBe('7e3ji-74oqq-fzbz4-3bseg-bzrgw-kj4zz-ym5pj-jndqw-rjkxn-jt4s7-hqe');
      expect(await connection.ledger.accountBalance({ accountIdentifier: (await import('@icp-sdk/canisters/ledger/icp')).AccountIdentifier.fromPrincipal({ principal: connection.principal }), certified: true })).toBe(2_500n * 100_000_000n);
      expect((await connection.governance.getNetworkEconomicsParameters({ certified: false })).neuronMinimumStake).toBeGreaterThan(0n);
    });

    it('refuses a pasted key that is not the replica\'s', async () => {
      const agent = await createAgent({ kind: 'custom', url: subnet.url, rootKeyHex: IC_ROOT_KEY }, demoIdentity());
      const { IcpLedgerCanister } = await import('@icp-sdk/canisters/ledger/icp');
      const ledger = IcpLedgerCanister.create({ agent });
      await expect(ledger.transactionFee({ certified: true })).rejects.toThrow();
    });
  });
});

describe('review desk', () => {
  it('runs a confirmed review once, lets a failed one be confirmed again, and expires', async () => {
    let now = 1_000_000;
    const desk = new ReviewDesk(() => now);
    let runs = 0;
    let fail = true;
    const draft = { action: 'send-icp', title: 'Sending ICP', network: 'test', signer: 'x', calls: [] };
    const r = desk.prepare(draft, async () => {
      runs++;
      if (fail) throw new TypeError('fetch failed');
      return runs;
    });
    const e = (await desk.confirm(r.id).catch((x: unknown) => x)) as DeskError;
    expect(e).toBeInstanceOf(DeskError);
    expect(e.kind).toBe('network');
    expect(e.message).toMatch(/^Sending ICP did not get an answer/);
    fail = false;
    const [a, b] = await Promise.all([desk.confirm(r.id), desk.confirm(r.id)]);
    expect([a, b]).toEqual([2, 2]);
    expect(await desk.confirm(r.id)).toBe(2);
    expect(runs).toBe(2);

    const late = desk.prepare(draft, async () => 'never');
    now += REVIEW_TTL_MS + 1;
    await expect(desk.confirm(late.id)).rejects.toMatchObject({ kind: 'expired' });
    await expect(desk.confirm('nope')).rejects.toMatchObject({ kind: 'not-found' });
    const steps: string[] = [];
    const tracked = new ReviewDesk(() => now, (id, step, done, total) => steps.push(`${id === withSteps.id}:${step}:${done}/${total}`));
    const withSteps = tracked.prepare(draft, async (progress) => {
      progress('Transfer', 1, 2);
      progress('Claim', 2, 2);
      return 'ok';
    });
    expect(await tracked.confirm(withSteps.id)).toBe('ok');
    expect(steps).toEqual(['true:Transfer:1/2', 'true:Claim:2/2']);
    const cleared = desk.prepare(draft, async () => 'x');
    desk.clear();
    await expect(desk.confirm(cleared.id)).rejects.toMatchObject({ kind: 'not-found' });
  });
});

describe('fault proxy (test support)', () => {
  let subnet: Subnet;
  beforeAll(async () => {
    subnet = await startDeskSubnet();
  });
  afterAll(async () => subnet?.stop());

  it('lets a call take effect upstream and drops its answer', async () => {
    const { FaultProxy } = await import('./support/fault-proxy.ts');
    const { AccountIdentifier } = await import('@icp-sdk/canisters/ledger/icp');
    const proxy = await FaultProxy.start(subnet.url);
    try {
      const through = await deskFor(subnet.url, demoIdentity('bob'), { fetch: proxy.fetch });
      const direct = await deskFor(subnet.url, demoIdentity('bob'));
      const to = AccountIdentifier.fromPrincipal({ principal: direct.connection.principal, subAccount: undefined }).toHex();
      proxy.dropAnswers({ method: 'transfer' }, { times: 10, blackoutMs: 3_000 });
      const before = await direct.connection.ledger.accountBalance({ accountIdentifier: to, certified: true });
      const createdAt = BigInt(Date.now()) * 1_000_000n;
      const other = AccountIdentifier.fromHex('d4685b31b51450508aff0331584df7692a84467b680326f5c5f7d30ae711682f');
      await expect(through.connection.ledger.transfer({ to: other, amount: 100_000n, createdAt })).rejects.toThrow();
      expect(proxy.dropped('transfer')).toBeGreaterThanOrEqual(1);
      const after = await direct.connection.ledger.accountBalance({ accountIdentifier: to, certified: true });
      expect(before - after).toBe(100_000n + 10_000n); // it happened exactly once
    } finally {
      await proxy.stop();
    }
  });
});
