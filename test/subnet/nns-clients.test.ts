// The NNS world over HTTP with the real clients: LedgerCanister and IndexCanister of
// @dfinity/ledger-icp, CmcCanister and IcManagementCanister of @icp-sdk/canisters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CanisterStatus } from '@icp-sdk/core/agent';
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { Principal } from '@icp-sdk/core/principal';
import { AccountIdentifier, SubAccount } from '@dfinity/ledger-icp';
import { BadFeeError, InsufficientFundsError, TxDuplicateError } from '@icp-sdk/canisters/ledger/icp';
import { encodeIcrcAccount } from '@icp-sdk/canisters/ledger/icrc';
import { CMC_ID, INDEX_ID, LEDGER_ID } from '../../subnet/canisters/ids.ts';
import { DEMO_IDENTITIES } from '../../subnet/genesis/demo.ts';
import type { Subnet } from '../../subnet/subnet.ts';
import { admin, clients, demoIdentity, startNnsSubnet } from './support/nns.ts';

const ICP = 100_000_000n;
const FEE = 10_000n;
let subnet: Subnet;

beforeAll(async () => {
  subnet = await startNnsSubnet();
});
afterAll(async () => subnet?.stop());

const acct = (p: Principal, sub?: Uint8Array) =>
  AccountIdentifier.fromPrincipal({ principal: p, subAccount: sub ? SubAccount.fromBytes(sub) as SubAccount : undefined });

describe('genesis', () => {
  it('funds the documented demo identities, whose seed phrases derive the documented principals', async () => {
    for (const d of DEMO_IDENTITIES) {
      const identity = demoIdentity(d.name);
      expect(identity.getPrincipal().toText()).toBe(d.principal);
      const { ledger } = await clients(subnet.url, identity);
      expect(await ledger.accountBalance({ accountIdentifier: acct(identity.getPrincipal()), certified: true })).toBe(d.e8s);
    }
  });

  it('publishes candid:service, controllers and module hash in the state tree', async () => {
    const { agent } = await clients(subnet.url, Ed25519KeyIdentity.generate());
    for (const id of [LEDGER_ID, INDEX_ID, CMC_ID]) {
      const status = await CanisterStatus.request({ canisterId: id, agent, paths: ['candid', 'controllers', 'module_hash'] });
      expect(String(status.get('candid'))).toMatch(/service/);
      expect((status.get('controllers') as Principal[]).length).toBeGreaterThan(0);
      expect(typeof status.get('module_hash')).toBe('string');
    }
  });
});

describe('ledger and index through HTTP', () => {
  it('transfers with the legacy and ICRC-1 methods, with the real error classes', async () => {
    const demo = demoIdentity();
    const bob = Ed25519KeyIdentity.generate();
    const { ledger } = await clients(subnet.url, demo);
    expect(await ledger.transactionFee()).toBe(FEE);
    const before = await ledger.accountBalance({ accountIdentifier: acct(demo.getPrincipal()) });
    const createdAt = BigInt(Date.now()) * 1_000_000n;
    const block = await ledger.transfer({ to: acct(bob.getPrincipal()), amount: 3n * ICP, memo: 7n, createdAt });
    await expect(ledger.transfer({ to: acct(bob.getPrincipal()), amount: 3n * ICP, memo: 7n, createdAt })).rejects.toBeInstanceOf(TxDuplicateError);
    await expect(ledger.transfer({ to: acct(bob.getPrincipal()), amount: 1n, fee: 1n })).rejects.toBeInstanceOf(BadFeeError);
    await expect(ledger.transfer({ to: acct(bob.getPrincipal()), amount: 10_000_000n * ICP })).rejects.toBeInstanceOf(InsufficientFundsError);
    const block2 = await ledger.icrc1Transfer({ to: { owner: bob.getPrincipal(), subaccount: [] }, amount: ICP });
    expect(block2).toBe(block + 1n);
    expect(await ledger.accountBalance({ accountIdentifier: acct(demo.getPrincipal()) })).toBe(before - 4n * ICP - 2n * FEE);
    const bobLedger = (await clients(subnet.url, bob)).ledger;
    expect(await bobLedger.accountBalance({ accountIdentifier: acct(bob.getPrincipal()), certified: true })).toBe(4n * ICP);
  });

  it('lists an account\'s history newest first from the index, paging with an exclusive start', async () => {
    const alice = demoIdentity('alice');
    const carol = Ed25519KeyIdentity.generate();
    const { ledger, index } = await clients(subnet.url, alice);
    for (let i = 1n; i <= 5n; i++) await ledger.transfer({ to: acct(carol.getPrincipal()), amount: i * ICP });
    const page1 = await index.getTransactions({ accountIdentifier: acct(carol.getPrincipal()).toHex(), maxResults: 3n });
    expect(page1.balance).toBe(15n * ICP);
    expect(page1.transactions.map((t) => t.id)).toEqual([...page1.transactions.map((t) => t.id)].sort((a, b) => (b > a ? 1 : -1)));
    const page2 = await index.getTransactions({ accountIdentifier: acct(carol.getPrincipal()).toHex(), maxResults: 3n, start: page1.transactions[2].id });
    expect(page2.transactions.length).toBe(2);
    expect(page2.transactions[0].id).toBeLessThan(page1.transactions[2].id);
  });

  it('mints to an account id, a principal and an ICRC-1 account through /_/mint', async () => {
    const p = Ed25519KeyIdentity.generate().getPrincipal();
    const sub = new Uint8Array(32).fill(1);
    const { ledger } = await clients(subnet.url, Ed25519KeyIdentity.generate());
    expect((await admin(subnet.url, '/_/mint', { to: p.toText(), e8s: '100' })).status).toBe(200);
    expect((await admin(subnet.url, '/_/mint', { to: acct(p).toHex(), e8s: '20' })).status).toBe(200);
    expect((await admin(subnet.url, '/_/mint', { to: encodeIcrcAccount({ owner: p, subaccount: sub }), e8s: 5 })).status).toBe(200);
    expect(await ledger.accountBalance({ accountIdentifier: acct(p) })).toBe(120n);
    expect(await ledger.accountBalance({ accountIdentifier: acct(p, sub) })).toBe(5n);
    const bad = await admin(subnet.url, '/_/mint', { to: acct(p).toHex().replace(/^./, (c) => (c === '0' ? '1' : '0')), e8s: '1' });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatch(/checksum/);
    expect((await admin(subnet.url, '/_/mint', { to: p.toText(), e8s: '-1' })).status).toBe(400);
  });
});

describe('cycles through HTTP', () => {
  it('tops up a canister: TPUP transfer, notify_top_up, cycles visible in canister_status', async () => {
    const demo = demoIdentity();
    const { ledger, cmc, management } = await clients(subnet.url, demo);
    const rate = await cmc.getIcpToCyclesConversionRate();
    expect(rate).toBe(35_000n);
    const created = await admin<{ canister_id: string }>(subnet.url, '/_/canisters', { controllers: [demo.getPrincipal().toText()], cycles: '1000000000000' });
    const canisterId = Principal.fromText(created.json.canister_id);
    const before = await management.canisterStatus({ canisterId });
    const block = await ledger.transfer({
      to: AccountIdentifier.fromPrincipal({ principal: CMC_ID, subAccount: SubAccount.fromPrincipal(canisterId) }),
      amount: 2n * ICP,
      memo: 0x50555054n,
    });
    const cycles = await cmc.notifyTopUp({ block_index: block, canister_id: canisterId });
    expect(cycles).toBe((2n * ICP * rate * 10n ** 12n) / (10n ** 8n * 10n ** 4n));
    expect(await cmc.notifyTopUp({ block_index: block, canister_id: canisterId })).toBe(cycles);
    const after = await management.canisterStatus({ canisterId });
    expect(after.cycles).toBeGreaterThan(before.cycles + cycles - 10n ** 10n);
    expect(after.settings.controllers.map((c) => c.toText())).toEqual([demo.getPrincipal().toText()]);
    // The admin endpoint lists it among the canisters the demo identity controls, and only there.
    const controlled = await admin<{ canister_ids: string[] }>(subnet.url, '/_/canisters/controlled', { controller: demo.getPrincipal().toText() });
    expect(controlled.json.canister_ids).toContain(canisterId.toText());
    const none = await admin<{ canister_ids: string[] }>(subnet.url, '/_/canisters/controlled', { controller: Ed25519KeyIdentity.generate().getPrincipal().toText() });
    expect(none.json.canister_ids).toEqual([]);
    expect((await admin(subnet.url, '/_/canisters/controlled', { controller: 'not a principal' })).status).toBe(400);
    // Someone else may not read its status.
    const stranger = await clients(subnet.url, Ed25519KeyIdentity.generate());
    await expect(stranger.management.canisterStatus({ canisterId })).rejects.toThrow(/controllers/);
  });

  it('creates a canister with ICP: CREA transfer and notify_create_canister', async () => {
    const demo = demoIdentity('bob');
    const { ledger, cmc, management } = await clients(subnet.url, demo);
    const block = await ledger.transfer({
      to: AccountIdentifier.fromPrincipal({ principal: CMC_ID, subAccount: SubAccount.fromPrincipal(demo.getPrincipal()) }),
      amount: 3n * ICP,
      memo: 0x41455243n,
    });
    const canisterId = await cmc.notifyCreateCanister({ block_index: block, controller: demo.getPrincipal(), subnet_selection: [], settings: [], subnet_type: [] });
    const status = await management.canisterStatus({ canisterId });
    expect(status.settings.controllers.map((c) => c.toText())).toEqual([demo.getPrincipal().toText()]);
    expect(status.cycles).toBeGreaterThan(0n);
  });

  it('refuses create_canister from a user with a clear reject', async () => {
    const { management } = await clients(subnet.url, demoIdentity());
    await expect(management.createCanister()).rejects.toThrow(/canisters/);
  });
});

describe('more of the interface over HTTP', () => {
  it('reports too-old and created-in-future transfers with the client\'s error classes', async () => {
    const { ledger } = await clients(subnet.url, demoIdentity('alice'));
    const to = acct(Ed25519KeyIdentity.generate().getPrincipal());
    const now = BigInt(Date.now()) * 1_000_000n;
    const { TxTooOldError, TxCreatedInFutureError } = await import('@icp-sdk/canisters/ledger/icp');
    await expect(ledger.transfer({ to, amount: 1n, createdAt: now - 25n * 3600n * 10n ** 9n })).rejects.toBeInstanceOf(TxTooOldError);
    await expect(ledger.transfer({ to, amount: 1n, createdAt: now + 120n * 10n ** 9n })).rejects.toBeInstanceOf(TxCreatedInFutureError);
  });

  it('approves and spends an allowance (ICRC-2) through the real ledger client and actor', async () => {
    const owner = demoIdentity('alice');
    const spender = Ed25519KeyIdentity.generate();
    const { ledger } = await clients(subnet.url, owner);
    await ledger.icrc2Approve({ spender: { owner: spender.getPrincipal(), subaccount: [] }, amount: 5n * ICP });
    const { agent } = await clients(subnet.url, spender);
    const { Actor } = await import('@icp-sdk/core/agent');
    const { idlFactory } = await import('../../subnet/candid/generated/ledger.did.ts');
    const actor = Actor.createActor(idlFactory, { agent, canisterId: LEDGER_ID }) as any;
    const res = await actor.icrc2_transfer_from({
      from: { owner: owner.getPrincipal(), subaccount: [] },
      to: { owner: spender.getPrincipal(), subaccount: [] },
      amount: 2n * ICP, fee: [], memo: [], spender_subaccount: [], created_at_time: [],
    });
    expect(res.Ok).toBeGreaterThan(0n);
    const allowance = await actor.icrc2_allowance({ account: { owner: owner.getPrincipal(), subaccount: [] }, spender: { owner: spender.getPrincipal(), subaccount: [] } });
    expect(allowance.allowance).toBe(3n * ICP - FEE);
    const over = await actor.icrc2_transfer_from({
      from: { owner: owner.getPrincipal(), subaccount: [] },
      to: { owner: spender.getPrincipal(), subaccount: [] },
      amount: 3n * ICP, fee: [], memo: [], spender_subaccount: [], created_at_time: [],
    });
    expect(over.Err).toHaveProperty('InsufficientAllowance');
  });

  it('refunds a top-up sent with the wrong memo and refuses a transfer to the wrong account', async () => {
    const { RefundedError, InvalidaTransactionError } = await import('@icp-sdk/canisters/cmc');
    const demo = demoIdentity();
    const { ledger, cmc } = await clients(subnet.url, demo);
    const created = await admin<{ canister_id: string }>(subnet.url, '/_/canisters', { controllers: [demo.getPrincipal().toText()], cycles: '1' });
    const canisterId = Principal.fromText(created.json.canister_id);
    const cmcAccount = AccountIdentifier.fromPrincipal({ principal: CMC_ID, subAccount: SubAccount.fromPrincipal(canisterId) });
    const before = await ledger.accountBalance({ accountIdentifier: acct(demo.getPrincipal()) });
    const wrongMemo = await ledger.transfer({ to: cmcAccount, amount: ICP, memo: 42n });
    await expect(cmc.notifyTopUp({ block_index: wrongMemo, canister_id: canisterId })).rejects.toBeInstanceOf(RefundedError);
    expect(await ledger.accountBalance({ accountIdentifier: acct(demo.getPrincipal()) })).toBe(before - 2n * FEE);
    const elsewhere = await ledger.transfer({ to: acct(Ed25519KeyIdentity.generate().getPrincipal()), amount: ICP, memo: 0x50555054n });
    await expect(cmc.notifyTopUp({ block_index: elsewhere, canister_id: canisterId })).rejects.toBeInstanceOf(InvalidaTransactionError);
  });

  it('burns cycles as simulated days pass; the status endpoint tells the time', async () => {
    const demo = demoIdentity();
    const { agent, management } = await clients(subnet.url, demo);
    const created = await admin<{ canister_id: string }>(subnet.url, '/_/canisters', { controllers: [demo.getPrincipal().toText()], cycles: '3000000000000' });
    const canisterId = Principal.fromText(created.json.canister_id);
    const s1 = await management.canisterStatus({ canisterId });
    const t1 = BigInt((await admin(subnet.url, '/_/status')).json.time_ns);
    const advanced = await admin(subnet.url, '/_/time', { advance_seconds: 30 * 86_400 });
    expect(advanced.status).toBe(200);
    await agent.syncTime();
    const status = await admin(subnet.url, '/_/status');
    expect(BigInt(status.json.time_ns) - t1).toBeGreaterThanOrEqual(30n * 86_400n * 10n ** 9n);
    expect(status.json.root_key).toBe(subnet.rootKeyHex);
    expect(status.json.canisters.ledger).toBe(LEDGER_ID.toText());
    const s2 = await management.canisterStatus({ canisterId });
    const burned = s1.cycles - s2.cycles;
    expect(burned).toBeGreaterThanOrEqual(30n * s1.idle_cycles_burned_per_day);
    expect(burned).toBeLessThan(31n * s1.idle_cycles_burned_per_day);
  });
});
