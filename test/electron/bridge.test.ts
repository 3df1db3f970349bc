// The loopback bridge: the contract over HTTP with a token, serving the built renderer; here with
// a real Desk whose bundled subnet runs in its own process.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWire, encodeWire } from '../../electron/api/codec.ts';
import { assembleCore, type Core } from '../../electron/app.ts';
import { startBridge, type Bridge } from '../../electron/bridge/server.ts';
import { DEMO_IDENTITIES } from '../../subnet/genesis/demo.ts';
import { startSecretService, type SecretService } from './support/secret-service.ts';

const dir = mkdtempSync(join(tmpdir(), 'desk-bridge-'));
const rendererDir = join(dir, 'renderer');
let core: Core;
let bridge: Bridge;
let secrets: SecretService;
const carol = DEMO_IDENTITIES.find((d) => d.name === 'carol')!;

beforeAll(async () => {
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Neuron Desk</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'do not serve');
  secrets = await startSecretService();
  core = assembleCore({ dataDir: join(dir, 'data'), vault: { kdfCost: { memoryKiB: 256, iterations: 1, parallelism: 1 } } });
  bridge = await startBridge({ dispatch: core.dispatch, rendererDir });
});
afterAll(async () => {
  await bridge?.close();
  await core?.close();
  await secrets?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, args: unknown[] = [], headers: Record<string, string> = {}) {
  const res = await fetch(`${bridge.origin}/api/call`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json', ...headers },
    body: encodeWire({ method, args }),
  });
  return { status: res.status, body: res.status === 200 ? (decodeWire(await res.text()) as any) : await res.text() };
}

describe('loopback bridge', () => {
  it('needs the token, the right host and no foreign origin', async () => {
    expect(bridge.url).toBe(`${bridge.origin}/#token=${bridge.token}`);
    expect((await call('app.status', [], { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await call('app.status', [], { authorization: '' })).status).toBe(401);
    expect((await call('app.status', [], { origin: 'https://evil.example' })).status).toBe(403);
    expect((await call('app.status', [], { 'content-type': 'text/plain' })).status).toBe(415);
    const rebound = await new Promise<number>((resolve) => {
      const req = request(`${bridge.origin}/api/call`, { method: 'POST', headers: { host: 'evil.example:80', authorization: `Bearer ${bridge.token}` } }, (res) => resolve(res.statusCode!));
      req.end('{}');
    });
    expect(rebound).toBe(421);
  });

  it('answers malformed bodies with 400 and keeps serving', async () => {
    for (const body of ['{', '[1,2', '{"$n":"x"}', 'null', '"text"']) {
      const res = await fetch(`${bridge.origin}/api/call`, { method: 'POST', headers: { authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json' }, body });
      expect(res.status, body).toBe(400);
    }
    const big = await fetch(`${bridge.origin}/api/call`, { method: 'POST', headers: { authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json' }, body: 'x'.repeat(2 << 20) }).catch(() => ({ status: 400 }));
    expect(big.status).toBe(400);
    expect((await call('no.such.method')).body).toEqual({ ok: false, error: { kind: 'invalid-input', message: 'Unknown method.' } });
  });

  it('serves the renderer with its CSP, and nothing outside it', async () => {
    const index = await fetch(`${bridge.origin}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await (await fetch(`${bridge.origin}/neurons/7`)).text()).toContain('Neuron Desk');
    expect((await fetch(`${bridge.origin}/assets/app.js`)).headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${bridge.origin}/..%2fsecret.txt`)).status).toBe(404);
    expect((await fetch(`${bridge.origin}/%2e%2e/secret.txt`)).status).toBe(404);
    expect((await fetch(`${bridge.origin}/missing.js`)).status).toBe(404);
  });

  it('sets up the vault, imports an identity and signs with it; locked means no signing', async () => {
    expect((await call('vault.status')).body.value).toMatchObject({ initialized: false, locked: true, identities: [] });
    expect((await call('vault.setup', ['a good long passphrase'])).body).toMatchObject({ ok: true, value: { initialized: true, locked: false } });
    const bad = await call('vault.importSeedPhrase', [{ seedPhrase: carol.seedPhrase.replace('cable', 'cables') }]);
    expect(bad.body).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    const imported = await call('vault.importSeedPhrase', [{ seedPhrase: carol.seedPhrase, label: 'Carol' }]);
    expect(imported.body.value).toMatchObject({ label: 'Carol', principal: carol.principal, kind: 'seed' });
    expect(JSON.stringify(imported.body)).not.toContain('cable major'); // the seed never comes back
    await call('vault.setActive', [imported.body.value.id]);
    expect((await call('vault.lock')).body.value.locked).toBe(true);
    expect((await call('subnet.faucet', ['1'])).body).toMatchObject({ ok: false, error: { kind: 'locked' } });
    expect((await call('vault.unlock', ['wrong passphrase'])).body).toMatchObject({ ok: false });
    expect((await call('vault.unlock', ['a good long passphrase'])).body.value.locked).toBe(false);
  });

  it('runs the local subnet tools through the contract, with bigints intact', async () => {
    const status = await call('app.status');
    expect(status.body).toMatchObject({ ok: true, value: { network: { kind: 'local' } } }); // the faucet above started the subnet
    expect(await call('subnet.start')).toMatchObject({ body: { ok: true, value: { state: 'running' } } });
    const minted = await call('subnet.faucet', ['12.5']);
    expect(typeof minted.body.value.blockIndex).toBe('bigint');
    expect((await call('subnet.faucet', ['0.000000001'])).body).toMatchObject({ ok: false, error: { kind: 'invalid-input', message: 'ICP has at most 8 decimals.' } });
    expect((await call('subnet.faucet', ['1000000'])).body).toMatchObject({ ok: false, error: { message: 'The faucet gives at most 100,000 ICP at a time.' } });
    const before = await call('subnet.advanceTime', [60]);
    const after = await call('subnet.advanceTime', [86_400]);
    expect(after.body.value.timeNs - before.body.value.timeNs).toBeGreaterThanOrEqual(86_400n * 1_000_000_000n);
    const p = await call('subnet.openProposal', [{ title: 'A test motion from the bridge', summary: 'Testing.' }]);
    expect(p.body.value.proposalId).toBeGreaterThan(0n);
    const events = await call('events.next', [0, 0]);
    const seen = events.body.value.map((e: { type: string; state?: string }) => (e.state ? `${e.type}:${e.state}` : e.type));
    expect(seen).toEqual(expect.arrayContaining(['unlocked', 'identities-changed', 'locked', 'subnet-status:starting', 'subnet-status:running']));
    expect(events.body.value.map((e: { seq: number }) => e.seq)).toEqual([...events.body.value.keys()].map((i) => i + 1));
  });

  it('sends ICP through a review confirmed over the bridge', async () => {
    const before = (await call('accounts.balances')).body.value;
    expect(before.accounts[0]).toMatchObject({ index: 0 });
    const start = before.totalE8s as bigint;
    const review = (await call('accounts.prepareSend', [{ to: 'em2mo-wlfwe-nlzcn-o4sqa-jgi3i-fiyxi-c4gtg-nnjyu-sgk7g-vcjiv-sae', amount: '1.5' }])).body.value;
    expect(review).toMatchObject({ amountE8s: 150_000_000n, feeE8s: 10_000n, signer: carol.principal });
    expect((await call('accounts.balances')).body.value.totalE8s).toBe(start); // nothing moves before confirm
    expect((await call('reviews.get', [review.id])).body.value.id).toBe(review.id);
    const confirmed = await call("reviews.confirm", [review.id]);
    const done = confirmed.body.value;
    expect(typeof done.blockIndex).toBe('bigint');
    expect((await call('reviews.confirm', [review.id])).body.value).toEqual(done); // once
    expect((await call('accounts.balances')).body.value.totalE8s).toBe(start - 150_010_000n);
    const tooMuch = await call('accounts.prepareSend', [{ to: 'em2mo-wlfwe-nlzcn-o4sqa-jgi3i-fiyxi-c4gtg-nnjyu-sgk7g-vcjiv-sae', amount: '1000000' }]);
    expect(tooMuch.body).toMatchObject({ ok: false, error: { kind: 'insufficient-funds' } });
  });

  it('stakes a neuron in one review, reporting each step, then votes with it', async () => {
    const limits = (await call('neurons.limits')).body.value;
    const delay = limits.minimumDissolveDelayToVoteSeconds as bigint;
    const review = (await call('neurons.prepareStake', [{ amount: '3', dissolveDelaySeconds: delay, visibility: 'public' }])).body.value;
    expect(review).toMatchObject({ action: 'stake-neuron', amountE8s: 300_000_000n });
    expect(review.calls.map((c: { method: string }) => c.method)).toEqual(['transfer', 'manage_neuron', 'manage_neuron', 'manage_neuron']);
    const after = (await call('events.next', [0, 0])).body.value.at(-1).seq;
    const staked = (await call('reviews.confirm', [review.id])).body.value;
    expect(typeof staked.neuronId).toBe('bigint');
    const progress = (await call('events.next', [after, 0])).body.value.filter((e: { type: string }) => e.type === 'progress');
    expect(progress.map((e: { step: string; done: number; total: number; reviewId: string }) => [e.reviewId === review.id, e.step, e.done, e.total])).toEqual([
      [true, 'Transfer to the neuron account', 1, 4],
      [true, 'Claim the neuron', 2, 4],
      [true, 'Set the dissolve delay', 3, 4],
      [true, 'Set the visibility', 4, 4],
    ]);
    const neurons = (await call('neurons.list')).body.value; // with the 12 ICP neuron Carol has in the demo world
    expect(neurons.find((n: { id: bigint }) => n.id === staked.neuronId)).toMatchObject({ stakeE8s: 300_000_000n, dissolveDelaySeconds: delay, visibility: 'public' });

    // A motion opened after the neuron exists: it can vote, once.
    const { proposalId } = (await call('subnet.openProposal', [{ title: 'A motion for the bridge test', summary: 'Vote on me.' }])).body.value;
    expect((await call('voting.eligibility', [proposalId])).body.value).toBeDefined();
    const vote = (await call('voting.prepareVote', [{ proposalId, vote: 'yes' }])).body.value;
    const voted = (await call('reviews.confirm', [vote.id])).body.value;
    expect(JSON.stringify(voted, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).toContain(String(staked.neuronId));
    expect((await call('proposals.actionable')).body.value.map((p: { id: bigint }) => p.id)).not.toContain(proposalId);
  });

  it('refuses a custom network it cannot trust, and switches to one it can', async () => {
    expect((await call('network.select', [{ kind: 'custom', url: 'https://replica.example.org' }])).body).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    expect((await call('app.status')).body.value.network.kind).toBe('local');
    expect((await call('subnet.faucet', ['1'])).body.ok).toBe(true);
    expect((await call('network.select', [{ kind: 'mainnet' }])).body.value.network).toEqual({ kind: 'mainnet', label: 'Internet Computer (mainnet)', url: 'https://icp-api.io' });
    expect((await call('subnet.faucet', ['1'])).body).toMatchObject({ ok: false, error: { message: 'These tools exist only on the local test subnet.' } });
    const events = await call('events.next', [2, 0]);
    expect(events.body.value.map((e: { type: string }) => e.type)).toContain('network-changed');
    await call('network.select', [{ kind: 'local' }]);
  });
});
