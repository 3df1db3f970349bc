// An account's history from the ICP index, with labels a user understands, against the demo
// world (it has a dissolved neuron of the demo identity to disburse).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Principal } from '@icp-sdk/core/principal';
import { AccountIdentifier } from '@icp-sdk/canisters/ledger/icp';
import { NeuronState, memoToNeuronAccountIdentifier } from '@icp-sdk/canisters/nns';
import { Accounts } from '../../../electron/services/accounts.ts';
import { AddressBook } from '../../../electron/services/address-book.ts';
import { Cycles, type CreateCanisterResult } from '../../../electron/services/cycles.ts';
import { History, type HistoryEntry } from '../../../electron/services/history.ts';
import { LocalStore } from '../../../electron/services/local-store.ts';
import { emptyLedgerData, type LedgerLocalData } from '../../../electron/services/ledger-store.ts';
import type { Subnet } from '../../../subnet/subnet.ts';
import { admin, deskFor, demoIdentity, startDeskSubnet, type TestDesk } from '../support/desk.ts';

const ICP = 100_000_000n;
const FEE = 10_000n;
const GOVERNANCE = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
const NO_SUCH_CANISTER = Principal.fromUint8Array(new Uint8Array([0, 0, 0, 0, 0, 0x7f, 0xff, 0xf0, 1, 1])).toText();

let subnet: Subnet;
let dir: string;
let demo: TestDesk;
let alice: TestDesk;
let store: LocalStore<LedgerLocalData>;
const accountId = (p: Principal) => AccountIdentifier.fromPrincipal({ principal: p }).toHex();
/** What each step of the scenario expects to find in the history, by block index. */
const expected = new Map<bigint, Partial<HistoryEntry>>();
let savingsExpected: { id: bigint; entry: Partial<HistoryEntry> };

beforeAll(async () => {
  subnet = await startDeskSubnet('demo');
  dir = mkdtempSync(join(tmpdir(), 'desk-history-'));
  store = new LocalStore<LedgerLocalData>(join(dir, 'local.json'), emptyLedgerData);
  demo = await deskFor(subnet.url, demoIdentity());
  alice = await deskFor(subnet.url, demoIdentity('alice'));
  const me = demo.connection.principal;
  const aliceId = accountId(alice.connection.principal);
  const accounts = new Accounts(demo.ctx, store);
  const cycles = new Cycles(demo.ctx, store);
  const savings = accounts.createSubaccount('Savings');
  new AddressBook(demo.ctx, store).add({ label: 'Alice', address: aliceId });
  const confirm = async <T>(review: Promise<{ id: string }>) => demo.reviews.confirm<T>((await review).id);

  const sent = await confirm<{ blockIndex: bigint }>(accounts.prepareSend({ to: aliceId, amount: '1.5' }));
  expected.set(sent.blockIndex, { kind: 'sent', label: 'Sent', direction: 'out', amountE8s: 150_000_000n, feeE8s: FEE, counterparty: aliceId, counterpartyLabel: 'Alice' });

  const received = await alice.connection.ledger.transfer({ to: AccountIdentifier.fromHex(accountId(me)), amount: 2n * ICP, memo: 99n });
  expected.set(received, { kind: 'received', direction: 'in', amountE8s: 2n * ICP, feeE8s: 0n, counterparty: aliceId, counterpartyLabel: 'Alice', memo: 99n });

  const own = await confirm<{ blockIndex: bigint }>(accounts.prepareSend({ to: savings.icrc1, amount: '3' }));
  expected.set(own.blockIndex, { kind: 'sent', counterparty: savings.accountId, counterpartyLabel: 'Savings' });
  savingsExpected = { id: own.blockIndex, entry: { kind: 'received', direction: 'in', amountE8s: 3n * ICP, counterparty: accountId(me), counterpartyLabel: 'Main' } };

  // A stake that became a neuron, a top-up of that neuron, and a stake whose neuron was never claimed.
  const memo = 4_242n;
  const neuronAccount = memoToNeuronAccountIdentifier({ controller: me, memo, governanceCanisterId: GOVERNANCE });
  const staked = await demo.connection.ledger.transfer({ to: neuronAccount, amount: 2n * ICP, memo });
  const neuronId = await demo.connection.governance.claimOrRefreshNeuronFromAccount({ memo, controller: me });
  expected.set(staked, { kind: 'stake', label: 'Staked a neuron', direction: 'out', amountE8s: 2n * ICP, counterpartyLabel: `Neuron ${neuronId}` });
  const toppedUpNeuron = await demo.connection.ledger.transfer({ to: neuronAccount, amount: ICP });
  expected.set(toppedUpNeuron, { kind: 'neuron-top-up', counterpartyLabel: `Neuron ${neuronId}` });
  const unclaimed = await demo.connection.ledger.transfer({ to: memoToNeuronAccountIdentifier({ controller: me, memo: 7n, governanceCanisterId: GOVERNANCE }), amount: ICP, memo: 7n });
  expected.set(unclaimed, { kind: 'stake', counterpartyLabel: null });

  // Cycles: a top-up, a creation, a refunded top-up.
  const r = await admin(subnet.url, '/_/canisters', { controllers: [me.toText()], cycles: '1000000000000' });
  cycles.addCanister(r.json.canister_id, 'Site');
  const topUp = await confirm<{ blockIndex: bigint }>(cycles.prepareTopUp({ canisterId: r.json.canister_id, amount: '0.5' }));
  expected.set(topUp.blockIndex, { kind: 'top-up', label: 'Canister top-up', memo: 0x50555054n, counterpartyLabel: 'Cycles minting canister (top-up of Site)' });
  const created = await confirm<CreateCanisterResult>(cycles.prepareCreateCanister({ amount: '1' }));
  expected.set(created.blockIndex, { kind: 'canister-creation', memo: 0x41455243n, counterpartyLabel: 'Cycles minting canister (canister creation)' });
  await expect(confirm(cycles.prepareTopUp({ canisterId: NO_SUCH_CANISTER, amount: '0.25' }))).rejects.toMatchObject({ kind: 'rejected' });

  // An approval, and the disbursement of the demo identity's dissolved neuron.
  const approved = await demo.connection.ledger.icrc2Approve({ spender: { owner: alice.connection.principal, subaccount: [] }, amount: 5n * ICP });
  expected.set(approved, { kind: 'approve', direction: 'none', amountE8s: 5n * ICP, feeE8s: FEE, counterparty: aliceId, counterpartyLabel: 'Alice' });
  const neurons = await demo.connection.governance.listNeurons({ certified: true });
  const dissolved = neurons.find((x) => x.state === NeuronState.Dissolved && x.fullNeuron?.controller === me.toText());
  expect(dissolved, 'the demo world has a dissolved neuron of the demo identity').toBeDefined();
  await demo.connection.governance.disburse({ neuronId: dissolved!.neuronId });
  expected.set(-1n, { kind: 'neuron-disbursement', direction: 'in', counterparty: dissolved!.fullNeuron!.accountIdentifier, counterpartyLabel: `Neuron ${dissolved!.neuronId}` });
});

afterAll(async () => {
  await subnet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('history', () => {
  it('labels every kind of transaction and names the other side', async () => {
    const history = new History(demo.ctx, store);
    const page = await history.page({ pageSize: 100 });
    expect(page.accountId).toBe(accountId(demo.connection.principal));
    expect(page.nextStart).toBeNull();
    expect(page.balanceE8s).toBe(await demo.connection.ledger.accountBalance({ accountIdentifier: page.accountId, certified: true }));
    const byId = new Map(page.entries.map((e) => [e.id, e]));
    for (const [id, want] of expected) {
      if (id < 0n) continue;
      expect(byId.get(id), `block ${id}`).toMatchObject(want);
    }
    // The newest is the disbursement; the oldest the genesis mint.
    expect(page.entries[0]).toMatchObject(expected.get(-1n)!);
    expect(page.entries[0].amountE8s).toBeGreaterThan(0n);
    expect(page.entries.at(-1)).toMatchObject({ kind: 'minted', label: 'Minted', direction: 'in', amountE8s: 2_500n * ICP, counterparty: null });
    const refund = page.entries.find((e) => e.kind === 'cmc-refund');
    expect(refund).toMatchObject({ direction: 'in', label: 'Refund from the cycles minting canister', counterpartyLabel: `Cycles minting canister (top-up of ${NO_SUCH_CANISTER})` });
    expect(refund!.amountE8s).toBe(25_000_000n - 3n * FEE);
    expect(page.entries.every((e) => typeof e.timestampNs === 'bigint')).toBe(true);
    // Ids are newest first.
    expect(page.entries.map((e) => e.id)).toEqual([...page.entries.map((e) => e.id)].sort((a, b) => (a > b ? -1 : 1)));
  });

  it('shows a subaccount its own history', async () => {
    const page = await new History(demo.ctx, store).page({ account: 1 });
    expect(page.entries).toEqual([expect.objectContaining({ id: savingsExpected.id, ...savingsExpected.entry })]);
    expect(page.balanceE8s).toBe(3n * ICP);
  });

  it('pages from the newest to the oldest without gaps or overlaps', async () => {
    const history = new History(demo.ctx, store);
    const all = (await history.page({ pageSize: 100 })).entries.map((e) => e.id);
    const paged: bigint[] = [];
    let start: bigint | undefined;
    for (let i = 0; i < 20; i++) {
      const p = await history.page({ start, pageSize: 4 });
      paged.push(...p.entries.map((e) => e.id));
      if (p.nextStart === null) break;
      expect(p.entries).toHaveLength(4);
      start = p.nextStart;
    }
    expect(paged).toEqual(all);
    await expect(history.page({ pageSize: 0 })).rejects.toMatchObject({ kind: 'invalid-input' });
    await expect(history.page({ account: 42 })).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('reads the same history for a watch-only identity (labels that need the key fall back)', async () => {
    const watch = await deskFor(subnet.url, demo.connection.principal);
    const page = await new History(watch.ctx, store).page({ pageSize: 100 });
    const own = await new History(demo.ctx, store).page({ pageSize: 100 });
    expect(page.entries.map((e) => e.id)).toEqual(own.entries.map((e) => e.id));
    const sent = page.entries.find((e) => e.kind === 'sent' && e.counterpartyLabel === 'Alice');
    expect(sent).toBeDefined();
  });
});
