// The governance canister's neuron side, through the Runtime with the real ICP ledger: staking and
// claiming, create_neuron (ICRC-2), every manage_neuron command with its errors and permissions,
// voting power against the reference formulas (computed here independently), timers (spawn,
// maturity disbursement, stale following), queries and the snapshot round trip.
import { afterEach, describe, expect, it } from 'vitest';
import { Principal } from '@icp-sdk/core/principal';
import type { GovernanceTypes, LedgerTypes } from '../../../subnet/candid/index.ts';
import { accountIdentifier, toHex } from '../../../subnet/canisters/common/accounts.ts';
import { GOVERNANCE_ID, LEDGER_ID } from '../../../subnet/canisters/ids.ts';
import { GovernanceCanister } from '../../../subnet/canisters/governance/governance.ts';
import { neuronAccount, neuronStakeSubaccount } from '../../../subnet/canisters/governance/staking.ts';
import { IcpLedger } from '../../../subnet/canisters/ledger/ledger.ts';
import { FixedClock } from '../support/fixed-clock.ts';
import { Runtime } from '../../../subnet/runtime/runtime.ts';

type Command = GovernanceTypes.ManageNeuronCommandRequest;
type Operation = GovernanceTypes.Operation;
type FullNeuron = GovernanceTypes.Neuron;

const ICP = 100_000_000n;
const FEE = 10_000n;
const DAY = 86_400n;
const MONTH = 2_629_800n;
const SIX_MONTHS = 15_778_800n;
const YEAR = 31_557_600n;
const TWO_YEARS = 63_115_200n;
const FOUR_YEARS = 126_230_400n;
const U64_MAX = 2n ** 64n - 1n;
const T0 = 1_775_001_600n;

const alice = Principal.selfAuthenticating(new Uint8Array(32).fill(1));
const bob = Principal.selfAuthenticating(new Uint8Array(32).fill(2));
const carol = Principal.selfAuthenticating(new Uint8Array(32).fill(3));


let runtimes: Runtime[] = [];
afterEach(async () => {
  for (const rt of runtimes) await rt.close();
  runtimes = [];
});

const ErrorType = {
  NotAuthorized: 3,
  NotFound: 4,
  InvalidCommand: 5,
  RequiresNotDissolving: 6,
  RequiresDissolving: 7,
  RequiresDissolved: 8,
  HotKey: 9,
  ResourceExhausted: 10,
  PreconditionFailed: 11,
  LedgerUpdateOngoing: 13,
  InsufficientFunds: 14,
  AlreadyJoinedCommunityFund: 17,
  NotInTheCommunityFund: 18,
};

async function world() {
  const ledger = new IcpLedger();
  const governance = new GovernanceCanister();
  const rt = await Runtime.create({ canisters: [ledger, governance], clock: new FixedClock(T0 * 1_000_000_000n) });
  runtimes.push(rt);
  for (const p of [alice, bob]) await rt.admin(LEDGER_ID, 'mint', { to: toHex(accountIdentifier(p)), e8s: 1_000n * ICP });

  const nowSec = () => rt.now() / 1_000_000_000n;
  const balance = (account: Uint8Array) => ledger.balanceOf(toHex(account));
  const stakeAccount = (controller: Principal, memo: bigint) => neuronAccount(neuronStakeSubaccount(controller, memo));

  async function transfer(from: Principal, to: Uint8Array, e8s: bigint) {
    const r = await rt.callDecoded<LedgerTypes.TransferResult>(
      LEDGER_ID,
      'transfer',
      [{ to, fee: { e8s: FEE }, memo: 0n, from_subaccount: [], created_at_time: [], amount: { e8s } }],
      from,
    );
    if (!('Ok' in r)) throw new Error('transfer failed');
    return r.Ok;
  }

  const manageRaw = (sender: Principal, req: Partial<GovernanceTypes.ManageNeuronRequest> & { command: [Command] }) =>
    rt.callDecoded<GovernanceTypes.ManageNeuronResponse>(GOVERNANCE_ID, 'manage_neuron', [{ id: [], neuron_id_or_subaccount: [], ...req }], sender);
  const manage = (sender: Principal, id: bigint, command: Command) => manageRaw(sender, { neuron_id_or_subaccount: [{ NeuronId: { id } }], command: [command] });
  const configure = (sender: Principal, id: bigint, op: Operation) => manage(sender, id, { Configure: { operation: [op] } });

  async function claim(controller: Principal, memo: bigint, e8s: bigint): Promise<bigint> {
    await transfer(controller, stakeAccount(controller, memo), e8s);
    const r = await manageRaw(controller, { command: [{ ClaimOrRefresh: { by: [{ Memo: memo }] } }] });
    const c = ok(r);
    if (!('ClaimOrRefresh' in c)) throw new Error('unexpected reply');
    return c.ClaimOrRefresh.refreshed_neuron_id[0]!.id;
  }

  const full = (id: bigint, sender: Principal = alice): FullNeuron => {
    const r = rt.queryDecoded<GovernanceTypes.Result_2>(GOVERNANCE_ID, 'get_full_neuron', [id], sender);
    if (!('Ok' in r)) throw new Error(`get_full_neuron: ${r.Err.error_message}`);
    return r.Ok;
  };
  const fullResult = (id: bigint, sender: Principal) => rt.queryDecoded<GovernanceTypes.Result_2>(GOVERNANCE_ID, 'get_full_neuron', [id], sender);
  const info = (id: bigint, sender: Principal = carol): GovernanceTypes.NeuronInfo => {
    const r = rt.queryDecoded<GovernanceTypes.Result_5>(GOVERNANCE_ID, 'get_neuron_info', [id], sender);
    if (!('Ok' in r)) throw new Error(`get_neuron_info: ${r.Err.error_message}`);
    return r.Ok;
  };
  const listNeurons = (sender: Principal, extra: Partial<GovernanceTypes.ListNeurons> = {}) =>
    rt.queryDecoded<GovernanceTypes.ListNeuronsResponse>(
      GOVERNANCE_ID,
      'list_neurons',
      [
        {
          neuron_ids: [],
          include_neurons_readable_by_caller: true,
          include_empty_neurons_readable_by_caller: [],
          include_public_neurons_in_full_neurons: [],
          page_number: [],
          page_size: [],
          neuron_subaccounts: [],
          ...extra,
        },
      ],
      sender,
    );
  const setMaturity = (neuron_id: bigint, maturity_e8s: bigint, staked_maturity_e8s?: bigint) =>
    rt.admin(GOVERNANCE_ID, 'set_maturity', { neuron_id, maturity_e8s, staked_maturity_e8s });
  const dissolveDelay = (n: FullNeuron) => {
    const s = n.dissolve_state[0]!;
    return 'DissolveDelaySeconds' in s ? s.DissolveDelaySeconds : undefined;
  };
  return { rt, ledger, governance, nowSec, balance, stakeAccount, transfer, manageRaw, manage, configure, claim, full, fullResult, info, listNeurons, setMaturity, dissolveDelay };
}

function ok(r: GovernanceTypes.ManageNeuronResponse): GovernanceTypes.Command_1 {
  const c = r.command[0]!;
  if ('Error' in c) throw new Error(`manage_neuron failed: ${c.Error.error_type} ${c.Error.error_message}`);
  return c;
}

function errorType(r: GovernanceTypes.ManageNeuronResponse): number {
  const c = r.command[0]!;
  if (!('Error' in c)) throw new Error(`expected an error, got ${Object.keys(c)[0]}`);
  return c.Error.error_type;
}

// ---- Independent reference formulas (floating point; the canister computes in exact integers) ---

function referencePotential(stake: bigint, delay: bigint, age: bigint): number {
  const t = Number(delay < TWO_YEARS ? delay : TWO_YEARS) / Number(TWO_YEARS);
  const a = Number(age < FOUR_YEARS ? age : FOUR_YEARS) / Number(FOUR_YEARS);
  return Number(stake) * (1 + 2 * t * t) * (1 + a / 4);
}

function referenceDeciding(potential: number, sinceRefresh: bigint): number {
  if (sinceRefresh <= SIX_MONTHS) return potential;
  const over = Number(sinceRefresh - SIX_MONTHS);
  if (over >= Number(MONTH)) return 0;
  return (potential * (Number(MONTH) - over)) / Number(MONTH);
}

describe('staking and claiming', () => {
  it('claims by memo: a new neuron with the reference defaults', async () => {
    const w = await world();
    const id = await w.claim(alice, 1n, 10n * ICP);
    const n = w.full(id);
    const now = w.nowSec();
    expect(n.controller[0]!.toText()).toBe(alice.toText());
    expect(n.cached_neuron_stake_e8s).toBe(10n * ICP);
    expect(w.dissolveDelay(n)).toBe(7n * DAY);
    expect(n.aging_since_timestamp_seconds).toBe(now);
    expect(n.created_timestamp_seconds).toBe(now);
    expect(n.visibility).toEqual([1]);
    expect(n.hot_keys).toEqual([]);
    expect(n.account).toEqual(neuronStakeSubaccount(alice, 1n));
    expect(w.info(id).state).toBe(1);
    expect(w.balance(w.stakeAccount(alice, 1n))).toBe(10n * ICP);
    expect(w.rt.queryDecoded<BigUint64Array>(GOVERNANCE_ID, 'get_neuron_ids', [], alice)).toEqual(BigUint64Array.from([id]));
  });

  it('the staking subaccount is SHA-256(0x0C || "neuron-stake" || controller || nonce BE)', async () => {
    const { createHash } = await import('node:crypto');
    const nonce = Buffer.alloc(8);
    nonce.writeBigUInt64BE(42n);
    const expected = createHash('sha256').update(Buffer.from([0x0c])).update('neuron-stake').update(alice.toUint8Array()).update(nonce).digest();
    expect(Buffer.from(neuronStakeSubaccount(alice, 42n)).toString('hex')).toBe(expected.toString('hex'));
  });

  it('claims by memo and controller (anyone), and from account', async () => {
    const w = await world();
    await w.transfer(alice, w.stakeAccount(alice, 7n), 2n * ICP);
    const r = await w.manageRaw(carol, { command: [{ ClaimOrRefresh: { by: [{ MemoAndController: { memo: 7n, controller: [alice] } }] } }] });
    const c = ok(r);
    const id = 'ClaimOrRefresh' in c ? c.ClaimOrRefresh.refreshed_neuron_id[0]!.id : 0n;
    expect(w.full(id).controller[0]!.toText()).toBe(alice.toText());

    await w.transfer(bob, w.stakeAccount(bob, 3n), 3n * ICP);
    const res = await w.rt.callDecoded<GovernanceTypes.ClaimOrRefreshNeuronFromAccountResponse>(
      GOVERNANCE_ID,
      'claim_or_refresh_neuron_from_account',
      [{ controller: [bob], memo: 3n }],
      carol,
    );
    const result = res.result[0]!;
    expect('NeuronId' in result).toBe(true);
    const bobId = 'NeuronId' in result ? result.NeuronId.id : 0n;
    expect(w.full(bobId, bob).cached_neuron_stake_e8s).toBe(3n * ICP);
  });

  it('below the minimum stake: InsufficientFunds and no neuron', async () => {
    const w = await world();
    await w.transfer(alice, w.stakeAccount(alice, 1n), ICP - 1n);
    const r = await w.manageRaw(alice, { command: [{ ClaimOrRefresh: { by: [{ Memo: 1n }] } }] });
    expect(errorType(r)).toBe(ErrorType.InsufficientFunds);
    expect(w.rt.queryDecoded<BigUint64Array>(GOVERNANCE_ID, 'get_neuron_ids', [], alice).length).toBe(0);
    expect(w.governance.governanceState.neurons.size).toBe(0);
  });

  it('refresh after a top-up (anyone, by id): stake = balance, age scaled', async () => {
    const w = await world();
    const id = await w.claim(alice, 1n, 10n * ICP);
    await w.rt.advanceTime(30n * DAY);
    await w.transfer(alice, w.stakeAccount(alice, 1n), 5n * ICP);
    const before = w.full(id);
    const now = w.nowSec();
    const oldAge = now - before.aging_since_timestamp_seconds;
    const r = await w.manage(carol, id, { ClaimOrRefresh: { by: [{ NeuronIdOrSubaccount: {} }] } });
    ok(r);
    const after = w.full(id);
    expect(after.cached_neuron_stake_e8s).toBe(15n * ICP);
    const newAge = (10n * ICP * oldAge) / (15n * ICP); // floor(old_stake * old_age / new_stake)
    expect(after.aging_since_timestamp_seconds).toBe(now - newAge);
    expect(w.info(id).age_seconds).toBe(newAge);
    // Refreshing by subaccount works too, and a refresh without a top-up changes nothing.
    const again = await w.manageRaw(carol, {
      neuron_id_or_subaccount: [{ Subaccount: neuronStakeSubaccount(alice, 1n) }],
      command: [{ ClaimOrRefresh: { by: [{ NeuronIdOrSubaccount: {} }] } }],
    });
    ok(again);
    expect(w.full(id)).toEqual(after);
  });

  it('create_neuron over ICRC-2: pulls amount (allowance amount + fee), errors otherwise', async () => {
    const w = await world();
    const create = (req: Partial<GovernanceTypes.CreateNeuronRequest>, sender = alice) =>
      w.rt.callDecoded<GovernanceTypes.CreateNeuronResponse>(
        GOVERNANCE_ID,
        'create_neuron',
        [{ amount_e8s: [], source_subaccount: [], controller: [], followees: [], dissolve_delay_seconds: [], dissolving: [], auto_stake_maturity: [], ...req }],
        sender,
      );
    const noAllowance = await create({ amount_e8s: [5n * ICP] });
    expect('Err' in noAllowance && noAllowance.Err.error_type).toBe(ErrorType.InsufficientFunds);
    expect(await create({ amount_e8s: [ICP / 2n] })).toMatchObject({ Err: { error_type: ErrorType.InsufficientFunds } });
    expect(await create({ amount_e8s: [5n * ICP], dissolve_delay_seconds: [DAY] })).toMatchObject({ Err: { error_type: ErrorType.InvalidCommand } });
    expect(await create({ amount_e8s: [5n * ICP], dissolve_delay_seconds: [3n * YEAR] })).toMatchObject({ Err: { error_type: ErrorType.InvalidCommand } });

    const approve = await w.rt.callDecoded<LedgerTypes.ApproveResult>(
      LEDGER_ID,
      'icrc2_approve',
      [{ spender: { owner: GOVERNANCE_ID, subaccount: [] }, amount: 5n * ICP + FEE, fee: [], memo: [], from_subaccount: [], created_at_time: [], expected_allowance: [], expires_at: [] }],
      alice,
    );
    expect('Ok' in approve).toBe(true);
    const before = w.balance(accountIdentifier(alice));
    const r = await create({ amount_e8s: [5n * ICP], dissolve_delay_seconds: [YEAR], auto_stake_maturity: [true] });
    if (!('Ok' in r)) throw new Error(r.Err.error_message);
    const id = r.Ok.neuron_id[0]!.id;
    const n = w.full(id);
    expect(n.cached_neuron_stake_e8s).toBe(5n * ICP);
    expect(w.dissolveDelay(n)).toBe(YEAR);
    expect(n.auto_stake_maturity).toEqual([true]);
    expect(w.balance(neuronAccount(n.account))).toBe(5n * ICP);
    expect(before - w.balance(accountIdentifier(alice))).toBe(5n * ICP + FEE);
  });
});

describe('dissolve commands', () => {
  it('increase, start, stop, set timestamp: rules and errors', async () => {
    const w = await world();
    const id = await w.claim(alice, 1n, 10n * ICP);
    expect(errorType(await w.configure(alice, id, { IncreaseDissolveDelay: { additional_dissolve_delay_seconds: 0 } }))).toBe(ErrorType.InvalidCommand);
    ok(await w.configure(alice, id, { IncreaseDissolveDelay: { additional_dissolve_delay_seconds: Number(YEAR) } }));
    expect(w.dissolveDelay(w.full(id))).toBe(7n * DAY + YEAR);
    // Capped silently at the maximum.
    ok(await w.configure(alice, id, { IncreaseDissolveDelay: { additional_dissolve_delay_seconds: Number(3n * YEAR) } }));
    expect(w.dissolveDelay(w.full(id))).toBe(TWO_YEARS);

    expect(errorType(await w.configure(alice, id, { StopDissolving: {} }))).toBe(ErrorType.RequiresDissolving);
    ok(await w.configure(alice, id, { StartDissolving: {} }));
    const start = w.nowSec();
    let n = w.full(id);
    expect(n.dissolve_state[0]).toEqual({ WhenDissolvedTimestampSeconds: start + TWO_YEARS });
    expect(n.aging_since_timestamp_seconds).toBe(U64_MAX);
    expect(w.info(id).state).toBe(2);
    expect(w.info(id).age_seconds).toBe(0n);
    expect(errorType(await w.configure(alice, id, { StartDissolving: {} }))).toBe(ErrorType.RequiresNotDissolving);

    await w.rt.advanceTime(10n * DAY);
    ok(await w.configure(alice, id, { StopDissolving: {} }));
    const now = w.nowSec();
    n = w.full(id);
    expect(w.dissolveDelay(n)).toBe(start + TWO_YEARS - now);
    expect(n.aging_since_timestamp_seconds).toBe(now);

    expect(errorType(await w.configure(alice, id, { SetDissolveTimestamp: { dissolve_timestamp_seconds: now - 1n } }))).toBe(ErrorType.InvalidCommand);
    expect(errorType(await w.configure(alice, id, { SetDissolveTimestamp: { dissolve_timestamp_seconds: now + DAY } }))).toBe(ErrorType.InvalidCommand);
    expect(errorType(await w.configure(alice, id, { SetDissolveTimestamp: { dissolve_timestamp_seconds: now + TWO_YEARS + 1n } }))).toBe(
      ErrorType.InvalidCommand,
    );
    ok(await w.configure(alice, id, { SetDissolveTimestamp: { dissolve_timestamp_seconds: now + TWO_YEARS } }));
    expect(w.dissolveDelay(w.full(id))).toBe(TWO_YEARS);
    // Controller only.
    expect(errorType(await w.configure(bob, id, { StartDissolving: {} }))).toBe(ErrorType.NotAuthorized);
  });

  it('dissolving -> dissolved over time; increasing a dissolved neuron restarts aging', async () => {
    const w = await world();
    const id = await w.claim(alice, 1n, 2n * ICP);
    ok(await w.configure(alice, id, { StartDissolving: {} }));
    await w.rt.advanceTime(6n * DAY);
    expect(w.info(id).state).toBe(2);
    expect(w.info(id).dissolve_delay_seconds).toBe(DAY);
    await w.rt.advanceTime(DAY);
    expect(w.info(id).state).toBe(3);
    expect(w.info(id).dissolve_delay_seconds).toBe(0n);
    ok(await w.configure(alice, id, { IncreaseDissolveDelay: { additional_dissolve_delay_seconds: Number(30n * DAY) } }));
    const n = w.full(id);
    expect(w.dissolveDelay(n)).toBe(30n * DAY);
    expect(n.aging_since_timestamp_seconds).toBe(w.nowSec());
    expect(w.info(id).state).toBe(1);
  });
});

describe('hotkeys, following, visibility, Neurons\' Fund', () => {
  it('hotkeys: add, duplicate, limit, remove; what a hotkey may and may not do', async () => {
    const w = await world();
    const id = await w.claim(alice, 1n, 10n * ICP);
    expect(errorType(await w.configure(alice, id, { AddHotKey: { new_hot_key: [] } }))).toBe(ErrorType.InvalidCommand);
    ok(await w.configure(alice, id, { AddHotKey: { new_hot_key: [bob] } }));
    expect(errorType(await w.configure(alice, id, { AddHotKey: { new_hot_key: [bob] } }))).toBe(ErrorType.HotKey);
    expect(errorType(await w.configure(bob, id, { AddHotKey: { new_hot_key: [carol] } }))).toBe(ErrorType.NotAuthorized);
    for (let i = 0; i < 9; i++) ok(await w.configure(alice, id, { AddHotKey: { new_hot_key: [Principal.selfAuthenticating(new Uint8Array(32).fill(100 + i))] } }));
    expect(errorType(await w.configure(alice, id, { AddHotKey: { new_hot_key: [carol] } }))).toBe(ErrorType.ResourceExhausted);
    expect(errorType(await w.configure(alice, id, { RemoveHotKey: { hot_key_to_remove: [carol] } }))).toBe(ErrorType.NotFound);

    // The hotkey reads the full neuron and lists it; a stranger may not.
    expect(w.full(id, bob).id[0]!.id).toBe(id);
    expect(w.listNeurons(bob).full_neurons.map((n) => n.id[0]!.id)).toEqual([id]);
    expect(w.rt.queryDecoded<BigUint64Array>(GOVERNANCE_ID, 'get_neuron_ids', [], bob)).toEqual(BigUint64Array.from([id]));
    const stranger = w.fullResult(id, carol);
    expect('Err' in stranger && stranger.Err.error_type).toBe(ErrorType.NotAuthorized);
    // Hotkey: no disburse, no split, no dissolve; yes to refresh, follow (not topic 1), Neurons' Fund.
    expect(errorType(await w.manage(bob, id, { Disburse: { to_account: [], amount: [] } }))).toBe(ErrorType.NotAuthorized);
    expect(errorType(await w.manage(bob, id, { Split: { amount_e8s: 2n * ICP, memo: [] } }))).toBe(ErrorType.NotAuthorized);
    ok(await w.manage(bob, id, { RefreshVotingPower: {} }));
    ok(await w.configure(bob, id, { JoinCommunityFund: {} }));
    expect(errorType(await w.configure(bob, id, { JoinCommunityFund: {} }))).toBe(ErrorType.AlreadyJoinedCommunityFund);
    ok(await w.configure(bob, id, { LeaveCommunityFund: {} }));
    expect(errorType(await w.configure(alice, id, { LeaveCommunityFund: {} }))).toBe(ErrorType.NotInTheCommunityFund);

    ok(await w.configure(alice, id, { RemoveHotKey: { hot_key_to_remove: [bob] } }));
    expect(w.listNeurons(bob).neuron_infos).toEqual([]);
    expect(w.fullResult(id, bob)).toMatchObject({ Err: { error_type: ErrorType.NotAuthorized } });

    // A hotkey may remove itself (as mainnet), but no other hotkey.
    ok(await w.configure(alice, id, { AddHotKey: { new_hot_key: [bob] } }));
    const other = Principal.selfAuthenticating(new Uint8Array(32).fill(100));
    expect(errorType(await w.configure(bob, id, { RemoveHotKey: { hot_key_to_remove: [other] } }))).toBe(ErrorType.NotAuthorized);
    expect(errorType(await w.configure(carol, id, { RemoveHotKey: { hot_key_to_remove: [carol] } }))).toBe(ErrorType.NotAuthorized);
    ok(await w.configure(bob, id, { RemoveHotKey: { hot_key_to_remove: [bob] } }));
    expect(w.listNeurons(bob).neuron_infos).toEqual([]);
  });

  it('follow: permissions, private followees, limits, SetFollowing, clearing', async () => {
    const w = await world();
    const a = await w.claim(alice, 1n, 10n * ICP);
    const b = await w.claim(bob, 1n, 10n * ICP);
    const a2 = await w.claim(alice, 2n, 2n * ICP);
    ok(await w.configure(alice, a, { AddHotKey: { new_hot_key: [carol] } }));
    const follow = (sender: Principal, topic: number, ids: bigint[]) => w.manage(sender, a, { Follow: { topic, followees: ids.map((id) => ({ id })) } });

    expect(errorType(await w.manage(Principal.anonymous(), a, { Follow: { topic: 4, followees: [] } }))).toBe(ErrorType.NotAuthorized);
    expect(errorType(await follow(bob, 4, [a2]))).toBe(ErrorType.NotAuthorized); // a stranger
    expect(errorType(await follow(alice, 4, [b]))).toBe(ErrorType.PreconditionFailed); // bob's neuron is private
    expect(errorType(await follow(alice, 99, [a2]))).toBe(ErrorType.InvalidCommand);
    expect(errorType(await follow(alice, 4, [999n]))).toBe(ErrorType.PreconditionFailed);
    ok(await follow(alice, 4, [a2])); // same controller
    ok(await follow(carol, 7, [a2])); // a hotkey, topic other than 1
    expect(errorType(await follow(carol, 1, [b]))).toBe(ErrorType.NotAuthorized);
    ok(await follow(alice, 1, [b])); // topic 1: private followees are fine
    ok(await w.configure(bob, b, { SetVisibility: { visibility: [2] } }));
    ok(await follow(alice, 4, [b]));
    const many = Array.from({ length: 16 }, () => b);
    expect(errorType(await follow(alice, 5, many))).toBe(ErrorType.InvalidCommand);

    let n = w.full(a);
    expect(n.followees).toEqual([
      [1, { followees: [{ id: b }] }],
      [4, { followees: [{ id: b }] }],
      [7, { followees: [{ id: a2 }] }],
    ]);
    expect(w.governance.governanceState.followersOf(4, b)).toEqual(new Set([a]));
    ok(await follow(alice, 4, [])); // an empty list clears
    expect(w.governance.governanceState.followersOf(4, b).size).toBe(0);

    // SetFollowing: several topics at once, validated before any is applied.
    const setFollowing = (items: [number, bigint[]][]) =>
      w.manage(alice, a, { SetFollowing: { topic_following: [items.map(([t, ids]) => ({ topic: [t], followees: [ids.map((id) => ({ id }))] }))] } });
    expect(errorType(await setFollowing([[8, [b]], [9, [999n]]]))).toBe(ErrorType.PreconditionFailed);
    expect(w.full(a).followees.find(([t]) => t === 8)).toBeUndefined();
    expect(errorType(await setFollowing([[8, [b]], [8, [a2]]]))).toBe(ErrorType.InvalidCommand);
    ok(await setFollowing([[8, [b]], [9, [a2, b]], [7, []]]));
    n = w.full(a);
    expect(n.followees.map(([t]) => t)).toEqual([1, 8, 9]);

    // Visibility and auto-stake.
    expect(errorType(await w.configure(alice, a, { SetVisibility: { visibility: [3] } }))).toBe(ErrorType.InvalidCommand);
    ok(await w.configure(alice, a, { ChangeAutoStakeMaturity: { requested_setting_for_auto_stake_maturity: true } }));
    expect(w.full(a).auto_stake_maturity).toEqual([true]);
    await w.rt.admin(GOVERNANCE_ID, 'set_known_neuron', { neuron_id: b, name: 'Bob Labs', links: ['https://example.org'] });
    expect(errorType(await w.configure(bob, b, { SetVisibility: { visibility: [1] } }))).toBe(ErrorType.PreconditionFailed);
    const known = w.rt.queryDecoded<GovernanceTypes.ListKnownNeuronsResponse>(GOVERNANCE_ID, 'list_known_neurons', [], carol);
    expect(known.known_neurons.map((k) => [k.id[0]!.id, k.known_neuron_data[0]!.name])).toEqual([[b, 'Bob Labs']]);
  });

  it('following except topic 1 is cleared after 7 months without a refresh', async () => {
    const w = await world();
    const x = await w.claim(alice, 1n, 10n * ICP);
    const stale = await w.claim(alice, 2n, 10n * ICP);
    const fresh = await w.claim(alice, 3n, 10n * ICP);
    for (const id of [stale, fresh]) {
      ok(await w.manage(alice, id, { Follow: { topic: 1, followees: [{ id: x }] } }));
      ok(await w.manage(alice, id, { Follow: { topic: 4, followees: [{ id: x }] } }));
      ok(await w.manage(alice, id, { Follow: { topic: 0, followees: [{ id: x }] } }));
    }
    await w.rt.advanceTime(5n * MONTH);
    ok(await w.manage(alice, fresh, { RefreshVotingPower: {} }));
    await w.rt.advanceTime(2n * MONTH - DAY);
    expect(w.full(stale).followees.map(([t]) => t)).toEqual([0, 1, 4]);
    await w.rt.advanceTime(2n * DAY);
    expect(w.full(stale).followees.map(([t]) => t)).toEqual([1]);
    expect(w.governance.governanceState.followersOf(4, x)).toEqual(new Set([fresh]));
    expect(w.full(fresh).followees.map(([t]) => t)).toEqual([0, 1, 4]);
    await w.rt.advanceTime(5n * MONTH + DAY);
    expect(w.full(fresh).followees.map(([t]) => t)).toEqual([1]);
  });
});

describe('voting power', () => {
  it('potential and deciding voting power match the reference formulas', async () => {
    const w = await world();
    const id = await w.claim(alice, 1n, 10n * ICP);
    // 7 days < the 14-day minimum to vote: no voting power.
    expect(w.info(id).potential_voting_power).toEqual([0n]);
    ok(await w.configure(alice, id, { IncreaseDissolveDelay: { additional_dissolve_delay_seconds: Number(TWO_YEARS) } }));
    // At 2 years and no age: exactly 3x.
    expect(w.info(id).potential_voting_power).toEqual([30n * ICP]);
    expect(w.info(id).deciding_voting_power).toEqual([30n * ICP]);

    // A year later, with a 1-year delay: check against the float formula.
    ok(await w.configure(alice, id, { StartDissolving: {} }));
    ok(await w.configure(alice, id, { StopDissolving: {} }));
    const id2 = await w.claim(alice, 2n, 7n * ICP);
    ok(await w.configure(alice, id2, { IncreaseDissolveDelay: { additional_dissolve_delay_seconds: Number(YEAR - 7n * DAY) } }));
    ok(await w.manage(alice, id2, { RefreshVotingPower: {} }));
    await w.rt.advanceTime(100n * DAY);
    await w.setMaturity(id2, 0n, 3n * ICP); // staked maturity counts toward the stake
    const n = w.full(id2);
    const i = w.info(id2);
    const age = w.nowSec() - n.aging_since_timestamp_seconds;
    expect(age).toBe(100n * DAY);
    expect(i.stake_e8s).toBe(10n * ICP);
    const expected = referencePotential(10n * ICP, YEAR, age);
    expect(Math.abs(Number(i.potential_voting_power[0]!) - expected)).toBeLessThanOrEqual(1);
    expect(i.deciding_voting_power).toEqual(i.potential_voting_power);
    expect(i.voting_power).toBe(i.deciding_voting_power[0]!);

    // Deciding power falls linearly during the seventh month without refresh.
    await w.rt.advanceTime(SIX_MONTHS - 100n * DAY + 10n * DAY);
    const later = w.info(id2);
    const since = w.nowSec() - later.voting_power_refreshed_timestamp_seconds[0]!;
    const potential = Number(later.potential_voting_power[0]!);
    expect(Math.abs(potential - referencePotential(10n * ICP, YEAR, w.nowSec() - w.full(id2).aging_since_timestamp_seconds))).toBeLessThanOrEqual(1);
    const deciding = Number(later.deciding_voting_power[0]!);
    expect(deciding).toBeLessThan(potential);
    expect(Math.abs(deciding - referenceDeciding(potential, since))).toBeLessThanOrEqual(1);
    ok(await w.manage(alice, id2, { RefreshVotingPower: {} }));
    expect(w.info(id2).deciding_voting_power).toEqual(w.info(id2).potential_voting_power);
  });
});

describe('queries', () => {
  it('list_neurons: readable set, explicit ids, empty and public neurons, paging', async () => {
    const w = await world();
    const ids = [await w.claim(alice, 1n, 2n * ICP), await w.claim(alice, 2n, 2n * ICP), await w.claim(alice, 3n, 2n * ICP)].sort((a, b) => (a < b ? -1 : 1));
    const b = await w.claim(bob, 1n, 2n * ICP);
    const all = w.listNeurons(alice);
    expect(all.neuron_infos.map(([id]) => id)).toEqual(ids);
    expect(all.full_neurons.length).toBe(3);
    expect(all.total_pages_available).toEqual([1n]);
    // Each listed view is what get_neuron_info / get_full_neuron give the same caller.
    for (const [id, info] of all.neuron_infos) expect(info).toEqual(w.info(id, alice));
    for (const n of all.full_neurons) expect(n).toEqual(w.full(n.id[0]!.id, alice));
    const page0 = w.listNeurons(alice, { page_size: [2n], page_number: [0n] });
    const page1 = w.listNeurons(alice, { page_size: [2n], page_number: [1n] });
    expect(page0.total_pages_available).toEqual([2n]);
    expect([...page0.neuron_infos, ...page1.neuron_infos].map(([id]) => id)).toEqual(ids);
    // Explicit ids: info for anyone, full only if readable (or public with the flag).
    const explicit = w.listNeurons(alice, { neuron_ids: BigUint64Array.from([b]), include_neurons_readable_by_caller: false });
    expect(explicit.neuron_infos.map(([id]) => id)).toEqual([b]);
    expect(explicit.full_neurons).toEqual([]);
    expect(explicit.neuron_infos[0][1]).toEqual(w.info(b, alice));
    ok(await w.configure(bob, b, { SetVisibility: { visibility: [2] } }));
    const pub = w.listNeurons(alice, { neuron_ids: BigUint64Array.from([b]), include_neurons_readable_by_caller: false, include_public_neurons_in_full_neurons: [true] });
    expect(pub.full_neurons.map((n) => n.id[0]!.id)).toEqual([b]);
    expect(pub.full_neurons[0]).toEqual(w.full(b, bob));
    expect(pub.neuron_infos[0][1]).toEqual(w.info(b, alice));
    // Empty neurons (after a disburse) are left out when asked.
    ok(await w.configure(alice, ids[0], { StartDissolving: {} }));
    await w.rt.advanceTime(8n * DAY);
    ok(await w.manage(alice, ids[0], { Disburse: { to_account: [], amount: [] } }));
    expect(w.listNeurons(alice, { include_empty_neurons_readable_by_caller: [false] }).neuron_infos.map(([id]) => id)).toEqual(ids.slice(1));
    expect(w.listNeurons(alice).neuron_infos.length).toBe(3);
  });

  it('get_neuron_info: anyone; private neurons withhold the Neurons\' Fund membership; NotFound', async () => {
    const w = await world();
    const id = await w.claim(alice, 1n, 2n * ICP);
    ok(await w.configure(alice, id, { JoinCommunityFund: {} }));
    expect(w.info(id, carol).joined_community_fund_timestamp_seconds).toEqual([]);
    expect(w.info(id, alice).joined_community_fund_timestamp_seconds).toEqual([w.nowSec()]);
    ok(await w.configure(alice, id, { SetVisibility: { visibility: [2] } }));
    expect(w.info(id, carol).joined_community_fund_timestamp_seconds.length).toBe(1);
    const r = w.rt.queryDecoded<GovernanceTypes.Result_5>(GOVERNANCE_ID, 'get_neuron_info', [12345n], carol);
    expect(r).toMatchObject({ Err: { error_type: ErrorType.NotFound } });
    const bySub = w.rt.queryDecoded<GovernanceTypes.Result_5>(GOVERNANCE_ID, 'get_neuron_info_by_id_or_subaccount', [{ Subaccount: neuronStakeSubaccount(alice, 1n) }], carol);
    expect('Ok' in bySub && bySub.Ok.id[0]!.id).toBe(id);
    const fullBySub = w.rt.queryDecoded<GovernanceTypes.Result_2>(GOVERNANCE_ID, 'get_full_neuron_by_id_or_subaccount', [{ NeuronId: { id } }], alice);
    expect('Ok' in fullBySub && fullBySub.Ok.cached_neuron_stake_e8s).toBe(2n * ICP);
  });

  it('network economics (M70 voting power economics), metrics, not simulated methods', async () => {
    const w = await world();
    const e = w.rt.queryDecoded<GovernanceTypes.NetworkEconomics>(GOVERNANCE_ID, 'get_network_economics_parameters', [], carol);
    expect(e.neuron_minimum_stake_e8s).toBe(ICP);
    expect(e.transaction_fee_e8s).toBe(FEE);
    expect(e.voting_power_economics).toEqual([
      { start_reducing_voting_power_after_seconds: [SIX_MONTHS], clear_following_after_seconds: [MONTH], neuron_minimum_dissolve_delay_to_vote_seconds: [14n * DAY] },
    ]);
    await w.claim(alice, 1n, 2n * ICP);
    await w.claim(bob, 1n, 3n * ICP);
    await w.rt.advanceTime(DAY);
    const m = w.rt.queryDecoded<GovernanceTypes.Result_3>(GOVERNANCE_ID, 'get_metrics', [], carol);
    if (!('Ok' in m)) throw new Error('metrics');
    expect(m.Ok.total_staked_e8s).toBe(5n * ICP);
    expect(m.Ok.not_dissolving_neurons_count).toBe(2n);
    await expect(w.rt.callDecoded(GOVERNANCE_ID, 'claim_gtc_neurons', [alice, []], alice)).rejects.toThrow(
      'claim_gtc_neurons is not available on the simulated subnet',
    );
    // RegisterVote reaches the proposal engine: there is no proposal 1.
    const id = await w.claim(alice, 2n, 2n * ICP);
    const vote = await w.manage(alice, id, { RegisterVote: { vote: 1, proposal: [{ id: 1n }] } });
    expect(errorType(vote)).toBe(ErrorType.NotFound);
  });
});

describe('split and merge', () => {
  it('split: limits, then a child with the parent\'s state and a share of maturity', async () => {
    const w = await world();
    const id = await w.claim(alice, 1n, 10n * ICP);
    ok(await w.configure(alice, id, { IncreaseDissolveDelay: { additional_dissolve_delay_seconds: Number(YEAR) } }));
    ok(await w.configure(alice, id, { AddHotKey: { new_hot_key: [bob] } }));
    ok(await w.manage(alice, id, { Follow: { topic: 4, followees: [{ id }] } }));
    await w.setMaturity(id, ICP);
    expect(errorType(await w.manage(alice, id, { Split: { amount_e8s: ICP, memo: [] } }))).toBe(ErrorType.InsufficientFunds);
    expect(errorType(await w.manage(alice, id, { Split: { amount_e8s: 9n * ICP + 1n, memo: [] } }))).toBe(ErrorType.InsufficientFunds);
    const r = ok(await w.manage(alice, id, { Split: { amount_e8s: 4n * ICP, memo: [77n] } }));
    const child = 'Split' in r ? r.Split.created_neuron_id[0]!.id : 0n;
    const p = w.full(id);
    const c = w.full(child);
    expect(p.cached_neuron_stake_e8s).toBe(6n * ICP);
    expect(c.cached_neuron_stake_e8s).toBe(4n * ICP - FEE);
    expect(c.account).toEqual(neuronStakeSubaccount(alice, 77n));
    expect(w.balance(neuronAccount(p.account))).toBe(6n * ICP);
    expect(w.balance(neuronAccount(c.account))).toBe(4n * ICP - FEE);
    expect(c.maturity_e8s_equivalent).toBe((ICP * 4n) / 10n);
    expect(p.maturity_e8s_equivalent).toBe(ICP - (ICP * 4n) / 10n);
    expect(c.dissolve_state).toEqual(p.dissolve_state);
    expect(c.aging_since_timestamp_seconds).toBe(p.aging_since_timestamp_seconds);
    expect(c.hot_keys.map((h) => h.toText())).toEqual([bob.toText()]);
    expect(c.followees).toEqual(p.followees);
    // The same memo again: the subaccount is taken.
    expect(errorType(await w.manage(alice, id, { Split: { amount_e8s: 2n * ICP, memo: [77n] } }))).toBe(ErrorType.PreconditionFailed);
  });

  it('merge: checks, and simulate_manage_neuron previews exactly the result', async () => {
    const w = await world();
    const target = await w.claim(alice, 1n, 10n * ICP);
    const source = await w.claim(alice, 2n, 5n * ICP);
    ok(await w.configure(alice, target, { IncreaseDissolveDelay: { additional_dissolve_delay_seconds: Number(YEAR) } }));
    await w.rt.advanceTime(20n * DAY);
    ok(await w.configure(alice, source, { IncreaseDissolveDelay: { additional_dissolve_delay_seconds: Number(2n * YEAR) } }));
    await w.rt.advanceTime(10n * DAY);
    await w.setMaturity(source, 2n * ICP, ICP);
    const bobs = await w.claim(bob, 1n, 2n * ICP);
    const merge = (sender: Principal, t: bigint, s: bigint) => w.manage(sender, t, { Merge: { source_neuron_id: [{ id: s }] } });

    expect(errorType(await merge(alice, target, target))).toBe(ErrorType.InvalidCommand);
    expect(errorType(await merge(alice, target, bobs))).toBe(ErrorType.NotAuthorized);
    expect(errorType(await merge(bob, target, source))).toBe(ErrorType.NotAuthorized);

    const preview = await w.rt.callDecoded<GovernanceTypes.ManageNeuronResponse>(
      GOVERNANCE_ID,
      'simulate_manage_neuron',
      [{ id: [], neuron_id_or_subaccount: [{ NeuronId: { id: target } }], command: [{ Merge: { source_neuron_id: [{ id: source }] } }] }],
      alice,
    );
    const stateBefore = w.governance.snapshot();
    const p = ok(preview);
    expect(w.governance.snapshot()).toEqual(stateBefore); // nothing changed
    const r = ok(await merge(alice, target, source));
    if (!('Merge' in p) || !('Merge' in r)) throw new Error('no merge reply');
    expect(r.Merge).toEqual(p.Merge);

    const t = w.full(target);
    const s = w.full(source);
    expect(t.cached_neuron_stake_e8s).toBe(10n * ICP + 5n * ICP - FEE);
    expect(w.dissolveDelay(t)).toBe(TWO_YEARS); // the larger delay (7 days + 2 years, capped)
    expect(t.maturity_e8s_equivalent).toBe(2n * ICP);
    expect(t.staked_maturity_e8s_equivalent).toEqual([ICP]);
    const now = w.nowSec();
    const tAge = 30n * DAY;
    const sAge = 30n * DAY; // aging since the claims, which happened in the same second
    expect(now - t.aging_since_timestamp_seconds).toBe((10n * ICP * tAge + (5n * ICP - FEE) * sAge) / (15n * ICP - FEE));
    expect(s.cached_neuron_stake_e8s).toBe(0n);
    expect(s.maturity_e8s_equivalent).toBe(0n);
    expect(w.balance(neuronAccount(t.account))).toBe(15n * ICP - FEE);
    expect(w.balance(neuronAccount(s.account))).toBe(0n);

    // A dissolving neuron cannot be merged.
    const d = await w.claim(alice, 3n, 2n * ICP);
    ok(await w.configure(alice, d, { StartDissolving: {} }));
    expect(errorType(await merge(alice, target, d))).toBe(ErrorType.RequiresNotDissolving);
  });
});

describe('maturity, spawn and disburse', () => {
  it('stake maturity', async () => {
    const w = await world();
    const id = await w.claim(alice, 1n, 2n * ICP);
    await w.setMaturity(id, 3n * ICP);
    expect(errorType(await w.manage(alice, id, { StakeMaturity: { percentage_to_stake: [0] } }))).toBe(ErrorType.InvalidCommand);
    expect(errorType(await w.manage(bob, id, { StakeMaturity: { percentage_to_stake: [50] } }))).toBe(ErrorType.NotAuthorized);
    const r = ok(await w.manage(alice, id, { StakeMaturity: { percentage_to_stake: [50] } }));
    expect(r).toEqual({ StakeMaturity: { maturity_e8s: 150_000_000n, staked_maturity_e8s: 150_000_000n } });
    expect(w.info(id).stake_e8s).toBe(2n * ICP + 150_000_000n);
  });

  it('spawn: a spawning neuron is minted its (modulated) maturity after 7 days', async () => {
    const w = await world();
    const id = await w.claim(alice, 1n, 2n * ICP);
    await w.setMaturity(id, ICP);
    // 1 ICP is 0.95 ICP in the worst case: too little.
    expect(errorType(await w.manage(alice, id, { Spawn: { percentage_to_spawn: [], new_controller: [], nonce: [] } }))).toBe(ErrorType.InsufficientFunds);
    await w.setMaturity(id, 4n * ICP);
    await w.rt.admin(GOVERNANCE_ID, 'set_maturity_modulation', { permyriad: -500 });
    const r = ok(await w.manage(alice, id, { Spawn: { percentage_to_spawn: [50], new_controller: [bob], nonce: [9n] } }));
    const child = 'Spawn' in r ? r.Spawn.created_neuron_id[0]!.id : 0n;
    expect(w.full(id).maturity_e8s_equivalent).toBe(2n * ICP);
    let c = w.full(child, bob);
    expect(w.info(child).state).toBe(4);
    expect(c.maturity_e8s_equivalent).toBe(2n * ICP);
    expect(c.cached_neuron_stake_e8s).toBe(0n);
    expect(c.spawn_at_timestamp_seconds).toEqual([w.nowSec() + 7n * DAY]);
    expect(c.account).toEqual(neuronStakeSubaccount(bob, 9n));
    await w.rt.advanceTime(7n * DAY - 10n);
    expect(w.info(child).state).toBe(4);
    await w.rt.advanceTime(20n);
    c = w.full(child, bob);
    const minted = (2n * ICP * (10_000n - 500n)) / 10_000n;
    expect(c.cached_neuron_stake_e8s).toBe(minted);
    expect(c.maturity_e8s_equivalent).toBe(0n);
    expect(c.spawn_at_timestamp_seconds).toEqual([]);
    expect(w.balance(neuronAccount(c.account))).toBe(minted);
    expect(w.info(child).state).toBe(3); // spawned neurons are dissolved
    // ... and can be disbursed by their controller.
    const before = w.balance(accountIdentifier(bob));
    ok(await w.manage(bob, child, { Disburse: { to_account: [], amount: [] } }));
    expect(w.balance(accountIdentifier(bob)) - before).toBe(minted - FEE);
  });

  it('disburse maturity: minted to the destination after 7 days, with the modulation', async () => {
    const w = await world();
    const id = await w.claim(alice, 1n, 2n * ICP);
    await w.setMaturity(id, 4n * ICP);
    const to = { owner: [carol] as [Principal], subaccount: [] as [] };
    expect(errorType(await w.manage(alice, id, { DisburseMaturity: { percentage_to_disburse: 101, to_account: [to], to_account_identifier: [] } }))).toBe(
      ErrorType.InvalidCommand,
    );
    expect(errorType(await w.manage(alice, id, { DisburseMaturity: { percentage_to_disburse: 25, to_account: [to], to_account_identifier: [] } }))).toBe(
      ErrorType.PreconditionFailed,
    );
    expect(errorType(await w.manage(bob, id, { DisburseMaturity: { percentage_to_disburse: 50, to_account: [to], to_account_identifier: [] } }))).toBe(
      ErrorType.NotAuthorized,
    );
    const r = ok(await w.manage(alice, id, { DisburseMaturity: { percentage_to_disburse: 50, to_account: [to], to_account_identifier: [] } }));
    expect(r).toEqual({ DisburseMaturity: { amount_disbursed_e8s: [2n * ICP] } });
    const start = w.nowSec();
    const n = w.full(id);
    expect(n.maturity_e8s_equivalent).toBe(2n * ICP);
    expect(n.maturity_disbursements_in_progress[0]).toEqual([
      {
        amount_e8s: [2n * ICP],
        timestamp_of_disbursement_seconds: [start],
        finalize_disbursement_timestamp_seconds: [start + 7n * DAY],
        account_to_disburse_to: [{ owner: [carol], subaccount: [] }],
        account_identifier_to_disburse_to: [],
      },
    ]);
    // The second one to an account identifier.
    ok(await w.manage(alice, id, { DisburseMaturity: { percentage_to_disburse: 100, to_account: [], to_account_identifier: [{ hash: accountIdentifier(bob) }] } }));
    await w.rt.admin(GOVERNANCE_ID, 'set_maturity_modulation', { permyriad: 150 });
    const bobBefore = w.balance(accountIdentifier(bob));
    await w.rt.advanceTime(7n * DAY - 5n);
    expect(w.balance(accountIdentifier(carol))).toBe(0n);
    await w.rt.advanceTime(10n);
    const modulated = (2n * ICP * 10_150n) / 10_000n;
    expect(w.balance(accountIdentifier(carol))).toBe(modulated);
    expect(w.balance(accountIdentifier(bob)) - bobBefore).toBe(modulated);
    expect(w.full(id).maturity_disbursements_in_progress).toEqual([[]]);
  });

  it('disburse: only when dissolved, controller only, fees burned first, partial amounts', async () => {
    const w = await world();
    const id = await w.claim(alice, 1n, 10n * ICP);
    ok(await w.configure(alice, id, { AddHotKey: { new_hot_key: [bob] } }));
    expect(errorType(await w.manage(alice, id, { Disburse: { to_account: [], amount: [] } }))).toBe(ErrorType.RequiresDissolved);
    ok(await w.configure(alice, id, { StartDissolving: {} }));
    await w.rt.advanceTime(7n * DAY);
    expect(errorType(await w.manage(bob, id, { Disburse: { to_account: [], amount: [] } }))).toBe(ErrorType.NotAuthorized);
    await w.rt.admin(GOVERNANCE_ID, 'set_neuron_fees', { neuron_id: id, fees_e8s: 1_000_000n });
    expect(errorType(await w.manage(alice, id, { Disburse: { to_account: [], amount: [{ e8s: 10n * ICP }] } }))).toBe(ErrorType.InsufficientFunds);
    const carolAccount = accountIdentifier(carol);
    const r = ok(await w.manage(alice, id, { Disburse: { to_account: [{ hash: carolAccount }], amount: [{ e8s: 3n * ICP }] } }));
    expect('Disburse' in r && r.Disburse.transfer_block_height > 0n).toBe(true);
    expect(w.balance(carolAccount)).toBe(3n * ICP - FEE);
    let n = w.full(id);
    expect(n.neuron_fees_e8s).toBe(0n);
    expect(n.cached_neuron_stake_e8s).toBe(10n * ICP - 1_000_000n - 3n * ICP);
    expect(w.balance(neuronAccount(n.account))).toBe(n.cached_neuron_stake_e8s);
    const aliceBefore = w.balance(accountIdentifier(alice));
    ok(await w.manage(alice, id, { Disburse: { to_account: [], amount: [] } }));
    n = w.full(id);
    expect(w.balance(accountIdentifier(alice)) - aliceBefore).toBe(7n * ICP - 1_000_000n - FEE);
    expect(n.cached_neuron_stake_e8s).toBe(0n);
    expect(w.balance(neuronAccount(n.account))).toBe(0n);
  });

  it('disburse to neuron: a new neuron for a new controller from a dissolved one', async () => {
    const w = await world();
    const id = await w.claim(alice, 1n, 10n * ICP);
    const cmd = { DisburseToNeuron: { dissolve_delay_seconds: YEAR, kyc_verified: true, amount_e8s: 4n * ICP, new_controller: [bob] as [Principal], nonce: 5n } };
    expect(errorType(await w.manage(alice, id, cmd))).toBe(ErrorType.RequiresDissolved);
    ok(await w.configure(alice, id, { StartDissolving: {} }));
    await w.rt.advanceTime(7n * DAY);
    const r = ok(await w.manage(alice, id, cmd));
    const child = 'DisburseToNeuron' in r ? r.DisburseToNeuron.created_neuron_id[0]!.id : 0n;
    const c = w.full(child, bob);
    expect(c.cached_neuron_stake_e8s).toBe(4n * ICP - FEE);
    expect(w.dissolveDelay(c)).toBe(YEAR);
    expect(c.account).toEqual(neuronStakeSubaccount(bob, 5n));
    expect(w.full(id).cached_neuron_stake_e8s).toBe(6n * ICP);
    expect(w.balance(neuronAccount(c.account))).toBe(4n * ICP - FEE);
  });

  it('a neuron busy with a ledger call refuses other commands (LedgerUpdateOngoing)', async () => {
    const w = await world();
    const id = await w.claim(alice, 1n, 10n * ICP);
    ok(await w.configure(alice, id, { StartDissolving: {} }));
    await w.rt.advanceTime(7n * DAY);
    const [a, b] = await Promise.all([
      w.manage(alice, id, { Disburse: { to_account: [], amount: [{ e8s: 2n * ICP }] } }),
      w.manage(alice, id, { Disburse: { to_account: [], amount: [{ e8s: 2n * ICP }] } }),
    ]);
    const types = [a, b].map((r) => ('Error' in r.command[0]! ? r.command[0]!.Error.error_type : 0));
    expect(types.sort()).toEqual([0, ErrorType.LedgerUpdateOngoing]);
    expect(w.full(id).cached_neuron_stake_e8s).toBe(8n * ICP);
  });
});

describe('snapshot', () => {
  it('restores the whole state: neurons, indexes, timers', async () => {
    const w = await world();
    const a = await w.claim(alice, 1n, 10n * ICP);
    const b = await w.claim(bob, 1n, 3n * ICP);
    ok(await w.configure(alice, a, { AddHotKey: { new_hot_key: [carol] } }));
    ok(await w.configure(bob, b, { SetVisibility: { visibility: [2] } }));
    ok(await w.manage(alice, a, { Follow: { topic: 4, followees: [{ id: b }] } }));
    await w.setMaturity(a, 3n * ICP);
    ok(await w.manage(alice, a, { DisburseMaturity: { percentage_to_disburse: 50, to_account: [], to_account_identifier: [] } }));
    const snap = w.governance.snapshot();
    const copy = new GovernanceCanister();
    copy.restore(snap);
    expect(copy.snapshot()).toEqual(snap);
    const s = copy.governanceState;
    expect(s.neuronIdsOf(carol)).toEqual(new Set([a]));
    expect(s.followersOf(4, b)).toEqual(new Set([a]));
    expect(s.neuronBySubaccount(neuronStakeSubaccount(bob, 1n))?.id).toBe(b);
    expect(copy.nextTimer()).toBe(w.governance.nextTimer());
    // The snapshot is plain data: no Maps.
    const hasMap = (v: unknown): boolean => v instanceof Map || (typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !(v instanceof Principal) && Object.values(v).some(hasMap));
    expect(hasMap(snap)).toBe(false);
  });
});

