import { emptySettingsArg } from '../../../subnet/canisters/management/settings.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { decode as decodeCbor } from '@dfinity/cbor';
import { IDL } from '@icp-sdk/core/candid';
import { Principal } from '@icp-sdk/core/principal';
import { candid } from '../../../subnet/candid/index.ts';
import type { CmcTypes, LedgerTypes, ManagementTypes } from '../../../subnet/candid/index.ts';
import { Reject, RejectCode } from '../../../subnet/canisters/canister.ts';
import { accountIdentifier, principalToSubaccount, toHex } from '../../../subnet/canisters/common/accounts.ts';
import { CMC_ID, LEDGER_ID, MANAGEMENT_ID } from '../../../subnet/canisters/ids.ts';
import { CyclesMintingCanister, type CmcOptions } from '../../../subnet/canisters/cmc/cmc.ts';
import { IcpLedger } from '../../../subnet/canisters/ledger/ledger.ts';
import { ManagementCanister } from '../../../subnet/canisters/management/management.ts';
import { CANISTER_CREATION_FEE, IDLE_CYCLES_BURNED_PER_DAY } from '../../../subnet/canisters/management/cycles.ts';
import { reconstruct, type HashTree } from '../../../subnet/certification/hashtree.ts';
import { FixedClock } from '../support/fixed-clock.ts';
import { decodeData, encodeData } from '../../../subnet/runtime/codec.ts';
import { Runtime } from '../../../subnet/runtime/runtime.ts';

const ICP = 100_000_000n;
const FEE = 10_000n;
const T = 1_000_000_000_000n;
const TPUP = 0x50555054n;
const CREA = 0x41455243n;
const SUBNET = Principal.selfAuthenticating(new Uint8Array(32).fill(9));
const alice = Principal.selfAuthenticating(new Uint8Array(32).fill(1));
const bob = Principal.selfAuthenticating(new Uint8Array(32).fill(2));


/** Independent of the canister: floor(e8s * xdr_permyriad_per_icp * 10^12 / (10^8 * 10^4)). */
const expectedCycles = (e8s: bigint, permyriad = 35_000n) => (e8s * permyriad * 10n ** 12n) / (10n ** 8n * 10n ** 4n);

type NotifyResult = { Ok: bigint } | { Err: CmcTypes.NotifyError };
type CreateResult = { Ok: Principal } | { Err: CmcTypes.NotifyError };

let runtimes: Runtime[] = [];
afterEach(async () => {
  for (const rt of runtimes) await rt.close();
  runtimes = [];
});

async function world(opts: Partial<CmcOptions> = {}) {
  const ledger = new IcpLedger();
  const management = new ManagementCanister();
  const cmc = new CyclesMintingCanister({ subnetId: SUBNET, ...opts });
  const rt = await Runtime.create({ canisters: [ledger, cmc, management], userCanisterHost: management, clock: new FixedClock(1_775_001_600n * 1_000_000_000n) });
  runtimes.push(rt);
  await rt.admin(LEDGER_ID, 'mint', { to: toHex(accountIdentifier(alice)), e8s: 100n * ICP });
  const { canister_id } = await rt.admin<{ canister_id: string }>(MANAGEMENT_ID, 'create_canister', {
    controllers: [alice.toText()],
    cycles: 1n * T,
  });
  const canister = Principal.fromText(canister_id);

  const balance = (account: Uint8Array) => ledger.balanceOf(toHex(account));
  const aliceBalance = () => balance(accountIdentifier(alice));
  const cmcAccount = (target: Principal) => accountIdentifier(CMC_ID, principalToSubaccount(target));

  /** A legacy transfer from `from` to the CMC account of `target`; returns the block index. */
  async function pay(target: Principal, e8s: bigint, memo: bigint, from = alice): Promise<bigint> {
    const res = await rt.callDecoded<LedgerTypes.TransferResult>(
      LEDGER_ID,
      'transfer',
      [{ to: cmcAccount(target), fee: { e8s: FEE }, memo, from_subaccount: [], created_at_time: [], amount: { e8s } }],
      from,
    );
    if (!('Ok' in res)) throw new Error(`payment failed: ${JSON.stringify(res, (_k, v) => (typeof v === 'bigint' ? `${v}` : v))}`);
    return res.Ok;
  }
  const topUp = (block_index: bigint, canister_id = canister, sender = alice) =>
    rt.callDecoded<NotifyResult>(CMC_ID, 'notify_top_up', [{ block_index, canister_id }], sender);
  const createArg = (block_index: bigint, extra: Partial<CmcTypes.NotifyCreateCanisterArg> = {}): CmcTypes.NotifyCreateCanisterArg => ({
    block_index,
    controller: alice,
    settings: [],
    subnet_selection: [],
    subnet_type: [],
    ...extra,
  });
  const notifyCreate = (arg: CmcTypes.NotifyCreateCanisterArg, sender = alice) =>
    rt.callDecoded<CreateResult>(CMC_ID, 'notify_create_canister', [arg], sender);
  const status = (id = canister, sender = alice) =>
    rt.queryDecoded<ManagementTypes.canister_status_result>(MANAGEMENT_ID, 'canister_status', [{ canister_id: id }], sender);
  const blockAt = async (index: bigint) => {
    const res = await rt.callDecoded<LedgerTypes.QueryBlocksResponse>(LEDGER_ID, 'query_blocks', [{ start: index, length: 1n }], alice);
    return res.blocks[0];
  };
  return { rt, ledger, cmc, management, canister, balance, aliceBalance, cmcAccount, pay, topUp, createArg, notifyCreate, status, blockAt };
}

async function rejectOf(p: Promise<unknown> | (() => unknown)): Promise<Reject> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(e).toBeInstanceOf(Reject);
    return e as Reject;
  }
  throw new Error('expected a reject');
}

describe('get_icp_xdr_conversion_rate', () => {
  it('returns the rate with a witness of the certified tree', async () => {
    const w = await world({ xdrPermyriadPerIcp: 40_000n, rateTimestampSeconds: 1_775_000_000n });
    const res = w.rt.queryDecoded<CmcTypes.IcpXdrConversionRateResponse>(CMC_ID, 'get_icp_xdr_conversion_rate', [], alice);
    expect(res.data).toEqual({ xdr_permyriad_per_icp: 40_000n, timestamp_seconds: 1_775_000_000n });
    expect(res.certificate).toEqual(new Uint8Array()); // no certifier attached in this test

    const tree = decodeCbor(res.hash_tree) as HashTree;
    expect([...res.hash_tree.subarray(0, 3)]).toEqual([0xd9, 0xd9, 0xf7]); // self-describe tag
    // fork(pruned AVERAGE_..., labeled ICP_XDR_CONVERSION_RATE -> leaf)
    expect(tree[0]).toBe(1);
    const [, left, right] = tree as [1, HashTree, HashTree];
    expect(left[0]).toBe(4);
    expect(right[0]).toBe(2);
    const [, label, leaf] = right as [2, Uint8Array, HashTree];
    expect(new TextDecoder().decode(label)).toBe('ICP_XDR_CONVERSION_RATE');
    expect(leaf[0]).toBe(3);
    // The leaf is the Candid encoding of IcpXdrConversionRate (type from the generated interface).
    const func = candid.cmc.idlFactory({ IDL })._fields.find(([n]) => n === 'get_icp_xdr_conversion_rate')![1];
    const rateType = (func.retTypes[0] as IDL.RecordClass)._fields.find(([n]) => n === 'data')![1];
    expect(IDL.decode([rateType], (leaf as [3, Uint8Array])[1])[0]).toEqual(res.data);
    // The witness proves the certified data.
    expect(reconstruct(tree)).toEqual(w.cmc.certifiedData());

    // Changing the rate changes the certified data.
    const before = w.cmc.certifiedData();
    await w.rt.admin(CMC_ID, 'set_icp_xdr_conversion_rate', { xdr_permyriad_per_icp: 41_000n, timestamp_seconds: 1_775_000_600n });
    expect(w.cmc.certifiedData()).not.toEqual(before);
    const again = w.rt.queryDecoded<CmcTypes.IcpXdrConversionRateResponse>(CMC_ID, 'get_icp_xdr_conversion_rate', [], alice);
    expect(reconstruct(decodeCbor(again.hash_tree) as HashTree)).toEqual(w.cmc.certifiedData());
  });

  it('answers the subnet queries honestly', async () => {
    const w = await world();
    expect(w.rt.queryDecoded(CMC_ID, 'get_default_subnets', [], alice)).toEqual([SUBNET]);
    expect(w.rt.queryDecoded(CMC_ID, 'get_subnet_types_to_subnets', [], alice)).toEqual({ data: [] });
    expect(w.rt.queryDecoded(CMC_ID, 'get_principals_authorized_to_create_canisters_to_subnets', [], alice)).toEqual({ data: [] });
    expect(w.rt.queryDecoded<string>(CMC_ID, 'get_build_metadata', [], alice)).toMatch(/simulation/);
  });

  it('refuses the governance-only methods as the CMC does', async () => {
    const w = await world();
    const r = await rejectOf(w.rt.callDecoded(CMC_ID, 'set_authorized_subnetwork_list', [{ who: [], subnets: [SUBNET] }], alice));
    expect(r.code).toBe(RejectCode.CanisterError);
    expect(r.message).toContain('Only the governance canister and subnet rental canister can set authorized subnetwork lists.');
    const r2 = await rejectOf(w.rt.callDecoded(CMC_ID, 'update_subnet_type', [{ Add: 'fiduciary' }], alice));
    expect(r2.message).toContain('Only the governance canister can update the available subnet types.');
  });
});

describe('notify_top_up', () => {
  it('converts the ICP to cycles, deposits them and burns the ICP', async () => {
    const w = await world();
    const before = w.status().cycles;
    const supply = () => w.rt.queryDecoded<bigint>(LEDGER_ID, 'icrc1_total_supply', [], alice);
    const supplyBefore = await supply();
    const block = await w.pay(w.canister, 2n * ICP, TPUP);

    const res = await w.topUp(block);
    expect(res).toEqual({ Ok: expectedCycles(2n * ICP) });
    expect(expectedCycles(2n * ICP)).toBe(7n * T); // 2 ICP at 3.5 XDR/ICP
    expect(w.status().cycles).toBe(before + 7n * T);
    expect(w.aliceBalance()).toBe(98n * ICP - FEE);
    expect(w.balance(w.cmcAccount(w.canister))).toBe(0n);
    expect(await supply()).toBe(supplyBefore - 2n * ICP - FEE);
    // The burn is the latest block: from the CMC subaccount to the minting account.
    const [op] = (await w.blockAt(block + 1n)).transaction.operation;
    expect(op).toMatchObject({ Burn: { amount: { e8s: 2n * ICP } } });
    expect(op && 'Burn' in op && toHex(op.Burn.from)).toBe(toHex(w.cmcAccount(w.canister)));
  });

  it('reads the memo from an 8-byte little-endian icrc1 memo', async () => {
    const w = await world();
    const memo = new Uint8Array(8);
    new DataView(memo.buffer).setBigUint64(0, TPUP, true);
    const res = await w.rt.callDecoded<LedgerTypes.Icrc1TransferResult>(
      LEDGER_ID,
      'icrc1_transfer',
      [{ to: { owner: CMC_ID, subaccount: [principalToSubaccount(w.canister)] }, fee: [], memo: [memo], from_subaccount: [], created_at_time: [], amount: ICP }],
      alice,
    );
    if (!('Ok' in res)) throw new Error('icrc1_transfer failed');
    expect(await w.topUp(res.Ok)).toEqual({ Ok: expectedCycles(ICP) });
  });

  it('is idempotent: a repeated notification gets the same reply and mints once', async () => {
    const w = await world();
    const before = w.status().cycles;
    const block = await w.pay(w.canister, ICP, TPUP);
    const first = await w.topUp(block);
    const second = await w.topUp(block);
    expect(second).toEqual(first);
    expect(w.status().cycles).toBe(before + expectedCycles(ICP));
  });

  it('answers Processing to a notification while the same block is in flight', async () => {
    const w = await world();
    const before = w.status().cycles;
    const block = await w.pay(w.canister, ICP, TPUP);
    const [a, b] = await Promise.all([w.topUp(block), w.topUp(block)]);
    expect([a, b]).toContainEqual({ Ok: expectedCycles(ICP) });
    expect([a, b]).toContainEqual({ Err: { Processing: null } });
    // The retry gets the finished result; the cycles arrived once.
    expect(await w.topUp(block)).toEqual({ Ok: expectedCycles(ICP) });
    expect(w.status().cycles).toBe(before + expectedCycles(ICP));
  });

  it('refunds a payment without a meaningful memo (amount minus fee), and caches the Refunded reply', async () => {
    const w = await world();
    const before = w.status().cycles;
    const block = await w.pay(w.canister, ICP, 42n);
    const res = await w.topUp(block);
    expect(res).toEqual({
      Err: {
        Refunded: {
          reason:
            'Memo (0x00002A) in the incoming ICP transfer does not correspond to any of the operations that the Cycles Minting canister offers.',
          block_index: [block + 1n],
        },
      },
    });
    // Alice paid 1 ICP + fee and got 1 ICP - fee back: two fees lost in all.
    expect(w.aliceBalance()).toBe(100n * ICP - 2n * FEE);
    expect(w.balance(w.cmcAccount(w.canister))).toBe(0n);
    expect(await w.topUp(block)).toEqual(res);
    expect(w.aliceBalance()).toBe(100n * ICP - 2n * FEE);
    expect(w.status().cycles).toBe(before);
  });

  it('rejects a memo meant for another operation without refunding', async () => {
    const w = await world();
    const block = await w.pay(w.canister, ICP, CREA);
    expect(await w.topUp(block)).toEqual({
      Err: {
        InvalidTransaction:
          'The memo (CreateCanister (1095062083)) in the transaction does not match the expected memo (TopUp (1347768404)) for the operation.',
      },
    });
    expect(w.balance(w.cmcAccount(w.canister))).toBe(ICP);
  });

  it('InvalidTransaction for a payment to another account, a missing block, or a non-transfer', async () => {
    const w = await world();
    const other = (await w.rt.admin<{ canister_id: string }>(MANAGEMENT_ID, 'create_canister', { controllers: [bob.toText()], cycles: 0n })).canister_id;
    const otherId = Principal.fromText(other);
    const block = await w.pay(otherId, ICP, TPUP);
    expect(await w.topUp(block)).toEqual({
      Err: {
        InvalidTransaction: `Destination account in the block (${toHex(w.cmcAccount(otherId))}) different than in the notification (${toHex(principalToSubaccount(w.canister))})`,
      },
    });
    // Not cached: the right notification still works.
    expect(await w.topUp(block, otherId)).toEqual({ Ok: expectedCycles(ICP) });
    expect(await w.topUp(10_000n)).toEqual({ Err: { InvalidTransaction: 'Block 10000 not found' } });
    const mint = await w.rt.admin<{ block_index: bigint }>(LEDGER_ID, 'mint', { to: toHex(w.cmcAccount(w.canister)), e8s: ICP });
    expect(await w.topUp(mint.block_index)).toEqual({ Err: { InvalidTransaction: 'Notification transaction must be of type Transfer' } });
  });

  it('refunds minus the refund fee when the canister does not exist', async () => {
    const w = await world();
    const ghost = Principal.fromText('ekjw2-zyaaa-aaaaq-p777q-cai');
    const block = await w.pay(ghost, ICP, TPUP);
    const res = await w.topUp(block, ghost);
    expect(res).toMatchObject({ Err: { Refunded: { block_index: [block + 1n] } } });
    expect('Err' in res && 'Refunded' in res.Err && res.Err.Refunded.reason).toMatch(/^Depositing cycles failed with code 3: ".*not found/);
    // Paid 1 ICP + fee; refunded 1 ICP - fee - 2 fees (burned).
    expect(w.aliceBalance()).toBe(100n * ICP - 4n * FEE);
    expect(w.balance(w.cmcAccount(ghost))).toBe(0n);
  });

  it('TransactionTooOld for blocks older than the kept history', async () => {
    const w = await world({ maxNotifyHistory: 2 });
    // As on mainnet, blocks up to last_purged_notification (initially 0) are too old.
    expect(await w.topUp(0n)).toEqual({ Err: { TransactionTooOld: 1n } });
    const blocks = [];
    for (let i = 0; i < 3; i++) {
      const b = await w.pay(w.canister, ICP, TPUP);
      blocks.push(b);
      expect(await w.topUp(b)).toEqual({ Ok: expectedCycles(ICP) });
    }
    // Three results kept, two allowed: the next notification purges the oldest.
    expect(await w.topUp(blocks[0])).toEqual({ Err: { TransactionTooOld: blocks[0] + 1n } });
    expect(await w.topUp(blocks[2])).toEqual({ Ok: expectedCycles(ICP) });
  });
});

describe('notify_create_canister', () => {
  it('creates a canister controlled by the controller, holding the cycles minus the creation fee', async () => {
    const w = await world();
    const block = await w.pay(alice, 2n * ICP, CREA);
    const unauthorized = await w.notifyCreate(w.createArg(block), bob);
    expect(unauthorized).toEqual({
      Err: {
        Other: {
          error_code: 5n,
          error_message: `${bob.toText()} is not authorized to call notify_create_canister on behalf of ${alice.toText()}. (Do not retry, because the same result will occur.)`,
        },
      },
    });
    const res = await w.notifyCreate(w.createArg(block));
    if (!('Ok' in res)) throw new Error(`create failed: ${JSON.stringify(res)}`);
    const id = res.Ok;
    expect(w.management.userCanister(id)).toEqual({ controllers: [alice] });
    expect(w.status(id).cycles).toBe(expectedCycles(2n * ICP) - CANISTER_CREATION_FEE);
    expect(w.balance(w.cmcAccount(alice))).toBe(0n);
    // Idempotent.
    expect(await w.notifyCreate(w.createArg(block))).toEqual(res);
    expect(w.management.userCanisterIds()).toHaveLength(2);
    // The same block as a top-up is the wrong operation.
    expect(await w.topUp(block, alice)).toMatchObject({ Err: { InvalidTransaction: expect.stringContaining('does not match the expected memo') } });
  });

  it('honours the settings', async () => {
    const w = await world();
    const block = await w.pay(alice, ICP, CREA);
    const settings: CmcTypes.CanisterSettings = {
      controllers: [[alice, bob]],
      freezing_threshold: [604_800n],
      compute_allocation: [],
      memory_allocation: [],
      reserved_cycles_limit: [],
      log_visibility: [],
      snapshot_visibility: [],
      wasm_memory_limit: [],
      wasm_memory_threshold: [],
      environment_variables: [],
      log_memory_limit: [],
    };
    const res = await w.notifyCreate(w.createArg(block, { settings: [settings] }));
    if (!('Ok' in res)) throw new Error('create failed');
    const s = w.status(res.Ok, bob);
    expect(s.settings.freezing_threshold).toBe(604_800n);
    expect(s.settings.controllers.map((p) => p.toText()).sort()).toEqual([alice.toText(), bob.toText()].sort());
  });

  it('bad subnet selection: Other 4 when contradictory, a refund when the subnet is not available', async () => {
    const w = await world();
    const block = await w.pay(alice, ICP, CREA);
    expect(
      await w.notifyCreate(w.createArg(block, { subnet_type: ['fiduciary'], subnet_selection: [{ Subnet: { subnet: SUBNET } }] })),
    ).toEqual({ Err: { Other: { error_code: 4n, error_message: 'Cannot specify subnet_type and subnet_selection at the same time.' } } });
    expect(w.balance(w.cmcAccount(alice))).toBe(ICP); // nothing happened

    const elsewhere = Principal.selfAuthenticating(new Uint8Array(32).fill(8));
    const res = await w.notifyCreate(w.createArg(block, { subnet_selection: [{ Subnet: { subnet: elsewhere } }] }));
    expect(res).toEqual({
      Err: {
        Refunded: {
          reason: `Subnet ${elsewhere.toText()} does not exist or ${alice.toText()} is not authorized to deploy to that subnet.`,
          block_index: [block + 1n],
        },
      },
    });
    // Paid 1 ICP + fee, got back 1 ICP - fee - 4 fees (the create refund fee is burned).
    expect(w.aliceBalance()).toBe(100n * ICP - 6n * FEE);
    // Choosing the simulated subnet explicitly works.
    const again = await w.pay(alice, ICP, CREA);
    expect(await w.notifyCreate(w.createArg(again, { subnet_selection: [{ Subnet: { subnet: SUBNET } }] }))).toMatchObject({ Ok: expect.anything() });
  });

  it('refunds when the cycles do not cover the creation fee', async () => {
    const w = await world();
    const block = await w.pay(alice, ICP / 10n, CREA); // 0.35T cycles < 0.5T fee
    const res = await w.notifyCreate(w.createArg(block));
    expect(res).toMatchObject({ Err: { Refunded: { block_index: [block + 1n] } } });
    expect('Err' in res && 'Refunded' in res.Err && res.Err.Refunded.reason).toMatch(
      new RegExp(`^Creating canister in subnet ${SUBNET.toText()} failed with code 4: .*requires a fee of`),
    );
  });
});

describe('other CMC methods', () => {
  it('notify_mint_cycles refunds (the simulated subnet has no cycles ledger)', async () => {
    const w = await world();
    const block = await w.pay(alice, ICP, 0x544e494dn);
    const res = await w.rt.callDecoded(CMC_ID, 'notify_mint_cycles', [{ block_index: block, to_subaccount: [], deposit_memo: [] }], alice);
    expect(res).toEqual({ Err: { Refunded: { reason: 'No cycles ledger canister id configured.', block_index: [block + 1n] } } });
    expect(w.aliceBalance()).toBe(100n * ICP - 4n * FEE);
  });

  it('create_canister with no cycles attached is refunded', async () => {
    const w = await world();
    const res = await w.rt.callDecoded(CMC_ID, 'create_canister', [{ settings: [], subnet_selection: [], subnet_type: [] }], alice);
    expect(res).toEqual({ Err: { Refunded: { refund_amount: 0n, create_error: 'Insufficient cycles attached.' } } });
  });

  it('snapshot/restore keeps the cached notifications', async () => {
    const w = await world();
    const block = await w.pay(w.canister, ICP, TPUP);
    const res = await w.topUp(block);
    const copy = new CyclesMintingCanister({ subnetId: Principal.anonymous() });
    copy.restore(decodeData(encodeData(w.cmc.snapshot())));
    expect(encodeData(copy.snapshot())).toBe(encodeData(w.cmc.snapshot()));
    expect(copy.certifiedData()).toEqual(w.cmc.certifiedData());
    const ctx = { self: CMC_ID, caller: alice, time: 0n, cycles: 0n, call: () => Promise.reject(new Error('no calls')), dataCertificate: () => undefined };
    expect(await copy.methods.notify_top_up.handler(ctx, { block_index: block, canister_id: w.canister })).toEqual(res);
  });
});

describe('user canisters through the runtime', () => {
  it('burn over time gives the days left; canister_status and update_settings are for controllers', async () => {
    const w = await world();
    const block = await w.pay(w.canister, ICP, TPUP);
    await w.topUp(block);
    const start = w.status();
    expect(start.cycles).toBe(1n * T + expectedCycles(ICP));
    expect(start.idle_cycles_burned_per_day).toBe(IDLE_CYCLES_BURNED_PER_DAY);
    await w.rt.advanceTime(30 * 86_400);
    const later = w.status();
    // 30 days of idle burn, give or take the few nanoseconds of the rounds in between (one cycle).
    const drift = start.cycles - later.cycles - 30n * IDLE_CYCLES_BURNED_PER_DAY;
    expect(drift >= -1n && drift <= 1n).toBe(true);
    // Days left as a top-up screen shows them: 4.5T cycles at 864M a day, 30 days later.
    const daysLeft = later.cycles / later.idle_cycles_burned_per_day;
    expect(daysLeft).toBe(5178n);

    const denied = await rejectOf(() => w.status(w.canister, bob));
    expect(denied.errorCode).toBe('IC0512');
    // Also as an update call (the certified path of ic-management's canisterStatus).
    const denied2 = await rejectOf(w.rt.callDecoded(MANAGEMENT_ID, 'canister_status', [{ canister_id: w.canister }], bob));
    expect(denied2.message).toContain('Only the controllers of the canister');

    const settings = { ...emptySettingsArg(), controllers: [[alice, bob]] as [Principal[]] };
    await w.rt.callDecoded(MANAGEMENT_ID, 'update_settings', [{ canister_id: w.canister, settings, sender_canister_version: [] }], alice);
    expect(w.status(w.canister, bob).settings.controllers).toHaveLength(2);
    expect(w.rt.canisterTreeInfo(w.canister)?.controllers).toHaveLength(2);

    const ingress = await rejectOf(w.rt.callDecoded(MANAGEMENT_ID, 'create_canister', [{ settings: [], sender_canister_version: [] }], alice));
    expect(ingress.message).toBe('Only canisters can call ic00 method create_canister');
  });
});
