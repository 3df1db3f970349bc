import { emptySettingsArg } from '../../../subnet/canisters/management/settings.ts';
import { describe, expect, it } from 'vitest';
import { Principal } from '@icp-sdk/core/principal';
import { IDL } from '@icp-sdk/core/candid';
import { candid } from '../../../subnet/candid/index.ts';
import type { ManagementTypes } from '../../../subnet/candid/index.ts';
import { Reject, RejectCode, type CallContext } from '../../../subnet/canisters/canister.ts';
import { CMC_ID, GOVERNANCE_ID, INDEX_ID, LEDGER_ID, ROOT_ID } from '../../../subnet/canisters/ids.ts';
import { ManagementCanister } from '../../../subnet/canisters/management/management.ts';
import {
  CANISTER_CREATION_FEE,
  IDLE_CYCLES_BURNED_PER_DAY,
} from '../../../subnet/canisters/management/cycles.ts';
import {
  FIRST_USER_CANISTER_INDEX,
  canisterIdFromIndex,
  canisterIndexOf,
  isCanisterPrincipal,
} from '../../../subnet/canisters/management/ids.ts';
import { encodeData, decodeData } from '../../../subnet/runtime/codec.ts';

const T0 = 1_775_001_600n * 1_000_000_000n; // 2026-04-01T00:00:00Z
const DAY_NS = 86_400n * 1_000_000_000n;
const alice = Principal.selfAuthenticating(new Uint8Array(32).fill(1));
const bob = Principal.selfAuthenticating(new Uint8Array(32).fill(2));
const T = 1_000_000_000_000n;

function ctx(caller: Principal, time = T0, cycles = 0n): CallContext {
  return {
    self: Principal.managementCanister(),
    caller,
    time,
    cycles,
    call: () => Promise.reject(new Error('the management canister makes no calls')),
    dataCertificate: () => undefined,
  };
}

/** Runs a method like the runtime does: handler(ctx, ...decoded args). */
function call<T>(m: ManagementCanister, method: string, c: CallContext, ...args: unknown[]): T {
  return m.methods[method].handler(c, ...args) as T;
}

function expectReject(fn: () => unknown, code: RejectCode, errorCode: string, message: string | RegExp): Reject {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(Reject);
    const r = e as Reject;
    expect(r.code).toBe(code);
    expect(r.errorCode).toBe(errorCode);
    if (typeof message === 'string') expect(r.message).toBe(message);
    else expect(r.message).toMatch(message);
    return r;
  }
  throw new Error('expected a reject');
}

const noSettings = (): ManagementTypes.canister_settings => emptySettingsArg();

function setup(cycles = 3n * T) {
  const m = new ManagementCanister();
  const { canister_id } = m.admin.create_canister(ctx(Principal.managementCanister()), { controllers: [alice.toText()], cycles });
  return { m, id: Principal.fromText(canister_id) };
}

const status = (m: ManagementCanister, id: Principal, caller = alice, time = T0) =>
  call<ManagementTypes.canister_status_result>(m, 'canister_status', ctx(caller, time), { canister_id: id });

describe('user canister ids', () => {
  it('encodes [index u64 BE, 0x01, 0x01] as a valid textual canister id', () => {
    const first = canisterIdFromIndex(FIRST_USER_CANISTER_INDEX);
    expect([...first.toUint8Array()]).toEqual([0, 0, 0, 0, 2, 0, 0, 0, 1, 1]);
    expect(first.toText()).toMatch(/^[a-z2-7]{5}(-[a-z2-7]{5})*-cai$/);
    expect(Principal.fromText(first.toText()).toText()).toBe(first.toText());
    expect(canisterIndexOf(first)).toBe(FIRST_USER_CANISTER_INDEX);
    expect(canisterIndexOf(alice)).toBeUndefined();
    // The NNS ids use the same encoding with small indices: the ledger is index 2.
    expect(canisterIndexOf(LEDGER_ID)).toBe(2n);
    expect(isCanisterPrincipal(CMC_ID)).toBe(true);
    expect(isCanisterPrincipal(alice)).toBe(false);
    expect(isCanisterPrincipal(Principal.anonymous())).toBe(false);
  });

  it('allocates new canisters sequentially from the user range', () => {
    const { m } = setup();
    const second = m.admin.create_canister(ctx(Principal.managementCanister()), { controllers: [bob.toText()], cycles: 0n });
    expect(m.userCanisterIds().map((p) => canisterIndexOf(p))).toEqual([FIRST_USER_CANISTER_INDEX, FIRST_USER_CANISTER_INDEX + 1n]);
    expect(second.canister_id).toBe(canisterIdFromIndex(FIRST_USER_CANISTER_INDEX + 1n).toText());
    for (const nns of [GOVERNANCE_ID, LEDGER_ID, CMC_ID, INDEX_ID]) expect(m.userCanister(nns)).toBeUndefined();
  });
});

describe('canister_status', () => {
  it('fills every field for an empty canister', () => {
    const { m, id } = setup();
    const s = status(m, id);
    // Independent of cycles.ts: base fee 10_000 cycles/s, storage 317_500 cycles/GiB/s of 550 bytes.
    const perDay = 10_000n * 86_400n + (550n * 317_500n * 86_400n) / 2n ** 30n;
    expect(perDay).toBe(864_014_051n);
    expect(s).toEqual({
      status: { running: null },
      ready_for_migration: false,
      version: 0n,
      settings: {
        controllers: [alice],
        compute_allocation: 0n,
        memory_allocation: 0n,
        freezing_threshold: 2_592_000n,
        reserved_cycles_limit: 5n * T,
        log_visibility: { controllers: null },
        snapshot_visibility: { controllers: null },
        wasm_memory_limit: 3n * 2n ** 30n,
        wasm_memory_threshold: 0n,
        environment_variables: [],
      },
      module_hash: [],
      memory_size: 550n,
      memory_metrics: {
        wasm_memory_size: 0n,
        stable_memory_size: 0n,
        global_memory_size: 0n,
        wasm_binary_size: 0n,
        custom_sections_size: 0n,
        canister_history_size: 550n,
        wasm_chunk_store_size: 0n,
        snapshots_size: 0n,
      },
      cycles: 3n * T,
      reserved_cycles: 0n,
      idle_cycles_burned_per_day: perDay,
      query_stats: {
        num_calls_total: 0n,
        num_instructions_total: 0n,
        request_payload_bytes_total: 0n,
        response_payload_bytes_total: 0n,
      },
    });
    expect(IDLE_CYCLES_BURNED_PER_DAY).toBe(perDay);
    // The reply encodes against the interface.
    const func = candid.management.idlFactory({ IDL })._fields.find(([n]) => n === 'canister_status')![1];
    expect(() => IDL.encode(func.retTypes, [s])).not.toThrow();
  });

  it('is for controllers only, with the IC message', () => {
    const { m, id } = setup();
    expectReject(
      () => status(m, id, bob),
      RejectCode.CanisterError,
      'IC0512',
      `Only the controllers of the canister ${id.toText()} can control it.\n` +
        `Canister's controllers: ${alice.toText()}\nSender's ID: ${bob.toText()}`,
    );
    expectReject(() => status(m, canisterIdFromIndex(0x3000000n)), RejectCode.DestinationInvalid, 'IC0301', /not found/);
    // The NNS canisters are controlled by NNS root.
    expectReject(() => status(m, LEDGER_ID), RejectCode.CanisterError, 'IC0512', new RegExp(`controllers: ${ROOT_ID.toText()}\n`));
  });

  it('burns cycles with time, deterministically, never below zero', () => {
    const { m, id } = setup();
    const perDay = IDLE_CYCLES_BURNED_PER_DAY;
    expect(status(m, id, alice, T0 + 10n * DAY_NS).cycles).toBe(3n * T - 10n * perDay);
    // Half a day burns half a day's worth (floored), and asking twice gives the same answer.
    expect(status(m, id, alice, T0 + DAY_NS / 2n).cycles).toBe(3n * T - perDay / 2n);
    expect(status(m, id, alice, T0 + DAY_NS / 2n).cycles).toBe(3n * T - perDay / 2n);
    // Days left as a top-up screen computes them: about 9.5 years for 3T cycles.
    const left = status(m, id, alice, T0 + 10n * DAY_NS);
    expect(left.cycles / left.idle_cycles_burned_per_day).toBe((3n * T) / perDay - 10n);
    expect((3n * T) / perDay - 10n).toBe(3462n);
    expect(status(m, id, alice, T0 + 100_000n * DAY_NS).cycles).toBe(0n);
  });
});

describe('deposit_cycles', () => {
  it('adds the attached cycles, from any canister', () => {
    const { m, id } = setup();
    const later = T0 + 2n * DAY_NS;
    call(m, 'deposit_cycles', ctx(CMC_ID, later, 5n * T), { canister_id: id });
    const burned = 2n * IDLE_CYCLES_BURNED_PER_DAY;
    expect(status(m, id, alice, later).cycles).toBe(8n * T - burned);
    expect(status(m, id, alice, later + DAY_NS).cycles).toBe(8n * T - burned - IDLE_CYCLES_BURNED_PER_DAY);
    // Topping up an NNS canister is accepted (their cycles are not simulated).
    expect(() => call(m, 'deposit_cycles', ctx(CMC_ID, later, T), { canister_id: LEDGER_ID })).not.toThrow();
  });

  it('refuses ingress (a user message carries no cycles) and unknown canisters', () => {
    const { m, id } = setup();
    expectReject(
      () => call(m, 'deposit_cycles', ctx(alice), { canister_id: id }),
      RejectCode.CanisterReject,
      'IC0406',
      'Only canisters can call ic00 method deposit_cycles',
    );
    expectReject(
      () => call(m, 'deposit_cycles', ctx(CMC_ID, T0, 1n), { canister_id: canisterIdFromIndex(0x3000000n) }),
      RejectCode.DestinationInvalid,
      'IC0301',
      /not found/,
    );
  });
});

describe('create_canister', () => {
  it('only from canisters: a user gets the IC reject', () => {
    const m = new ManagementCanister();
    expectReject(
      () => call(m, 'create_canister', ctx(alice), { settings: [], sender_canister_version: [] }),
      RejectCode.CanisterReject,
      'IC0406',
      'Only canisters can call ic00 method create_canister',
    );
    expect(m.userCanisterIds()).toEqual([]);
  });

  it('creates with the attached cycles minus the creation fee; the caller controls it by default', () => {
    const m = new ManagementCanister();
    const { canister_id } = call<ManagementTypes.create_canister_result>(m, 'create_canister', ctx(CMC_ID, T0, 3n * T), {
      settings: [],
      sender_canister_version: [],
    });
    expect(m.userCanister(canister_id)).toEqual({ controllers: [CMC_ID] });
    expect(status(m, canister_id, CMC_ID).cycles).toBe(3n * T - CANISTER_CREATION_FEE);
    expect(CANISTER_CREATION_FEE).toBe(500_000_000_000n);
  });

  it('honours the settings', () => {
    const m = new ManagementCanister();
    const settings = { ...noSettings(), controllers: [[bob, alice]] as [Principal[]], freezing_threshold: [86_400n] as [bigint] };
    const { canister_id } = call<ManagementTypes.create_canister_result>(m, 'create_canister', ctx(CMC_ID, T0, T), {
      settings: [settings],
      sender_canister_version: [7n],
    });
    const s = status(m, canister_id, bob);
    expect(s.settings.freezing_threshold).toBe(86_400n);
    expect(new Set(s.settings.controllers.map((p) => p.toText()))).toEqual(new Set([alice.toText(), bob.toText()]));
    const info = call<ManagementTypes.canister_info_result>(m, 'canister_info', ctx(LEDGER_ID), {
      canister_id,
      num_requested_changes: [5n],
    });
    expect(info.total_num_changes).toBe(1n);
    expect(info.recent_changes[0].origin).toEqual({ from_canister: { canister_id: CMC_ID, canister_version: [7n] } });
  });

  it('refuses fewer cycles than the creation fee', () => {
    const m = new ManagementCanister();
    expectReject(
      () => call(m, 'create_canister', ctx(CMC_ID, T0, CANISTER_CREATION_FEE - 1n), { settings: [], sender_canister_version: [] }),
      RejectCode.CanisterReject,
      'IC0403',
      /requires a fee of 500000000000/,
    );
  });
});

describe('update_settings', () => {
  it('changes controllers (controllers only, at most 10) and records the change', () => {
    const { m, id } = setup();
    const arg = (controllers: Principal[]) => ({
      canister_id: id,
      settings: { ...noSettings(), controllers: [controllers] as [Principal[]] },
      sender_canister_version: [] as [],
    });
    expectReject(() => call(m, 'update_settings', ctx(bob), arg([bob])), RejectCode.CanisterError, 'IC0512', /Only the controllers/);
    const eleven = Array.from({ length: 11 }, (_, i) => Principal.selfAuthenticating(new Uint8Array(32).fill(i + 10)));
    expectReject(
      () => call(m, 'update_settings', ctx(alice), arg(eleven)),
      RejectCode.CanisterReject,
      'IC0408',
      /The number of elements exceeds maximum allowed 10/,
    );
    expect(m.userCanister(id)).toEqual({ controllers: [alice] });

    call(m, 'update_settings', ctx(alice, T0 + 1n), arg([alice, bob, bob]));
    const s = status(m, id, bob);
    expect(s.version).toBe(1n);
    expect(new Set(s.settings.controllers.map((p) => p.toText()))).toEqual(new Set([alice.toText(), bob.toText()]));
    expect(s.settings.controllers).toHaveLength(2);

    const info = call<ManagementTypes.canister_info_result>(m, 'canister_info', ctx(CMC_ID), { canister_id: id, num_requested_changes: [10n] });
    expect(info.total_num_changes).toBe(2n);
    expect(info.recent_changes.map((c) => Object.keys(c.details)[0])).toEqual(['creation', 'controllers_change']);
    expect(info.recent_changes[1]).toMatchObject({ canister_version: 1n, origin: { from_user: { user_id: alice } } });
    expectReject(
      () => call(m, 'canister_info', ctx(alice), { canister_id: id, num_requested_changes: [] }),
      RejectCode.CanisterReject,
      'IC0406',
      'Only canisters can call ic00 method canister_info',
    );

    // Bob, now a controller, can remove Alice.
    call(m, 'update_settings', ctx(bob, T0 + 2n), arg([bob]));
    expect(m.userCanister(id)).toEqual({ controllers: [bob] });
  });

  it('prices compute allocation and refuses what the balance cannot cover', () => {
    const { m, id } = setup();
    const compute = (pct: bigint) => ({
      canister_id: id,
      settings: { ...noSettings(), compute_allocation: [pct] as [bigint] },
      sender_canister_version: [] as [],
    });
    // 1% costs 10M cycles per second; 30 days of that (the freezing threshold) is 25.9T > 3T.
    expectReject(() => call(m, 'update_settings', ctx(alice), compute(1n)), RejectCode.CanisterError, 'IC0530', /Cannot increase compute allocation to 1%/);
    expectReject(() => call(m, 'update_settings', ctx(alice), compute(101n)), RejectCode.CanisterError, 'IC0504', /range \[0\.\.100\]/);
    call(m, 'deposit_cycles', ctx(CMC_ID, T0, 30n * T), { canister_id: id });
    call(m, 'update_settings', ctx(alice), compute(1n));
    const s = status(m, id);
    expect(s.idle_cycles_burned_per_day).toBe(IDLE_CYCLES_BURNED_PER_DAY + 864_000_000_000n);
    expect(status(m, id, alice, T0 + DAY_NS).cycles).toBe(33n * T - s.idle_cycles_burned_per_day);
  });
});

describe('start_canister / stop_canister', () => {
  it('controllers change the status', () => {
    const { m, id } = setup();
    expectReject(() => call(m, 'stop_canister', ctx(bob), { canister_id: id }), RejectCode.CanisterError, 'IC0512', /Only the controllers/);
    call(m, 'stop_canister', ctx(alice), { canister_id: id });
    expect(status(m, id).status).toEqual({ stopped: null });
    call(m, 'start_canister', ctx(alice), { canister_id: id });
    expect(status(m, id).status).toEqual({ running: null });
  });
});

describe('other methods', () => {
  it('has a definition for every method of the interface; the rest reject clearly', () => {
    const m = new ManagementCanister();
    const names = candid.management.idlFactory({ IDL })._fields.map(([n]) => n);
    expect(Object.keys(m.methods).sort()).toEqual([...names].sort());
    expect(m.methods.canister_status.mode).toBe('query');
    expect(m.methods.fetch_canister_logs.mode).toBe('query');
    expectReject(
      () => call(m, 'install_code', ctx(alice), {}),
      RejectCode.CanisterReject,
      'IC0406',
      'install_code is not available on the simulated subnet',
    );
  });

  it('raw_rand: 32 bytes, canisters only, different each call', () => {
    const m = new ManagementCanister();
    const a = call<Uint8Array>(m, 'raw_rand', ctx(CMC_ID));
    const b = call<Uint8Array>(m, 'raw_rand', ctx(CMC_ID));
    expect(a).toHaveLength(32);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expectReject(() => call(m, 'raw_rand', ctx(alice)), RejectCode.CanisterReject, 'IC0406', 'Only canisters can call ic00 method raw_rand');
  });
});

describe('snapshot / restore', () => {
  it('round-trips the whole state as plain data', () => {
    const { m, id } = setup();
    call(m, 'deposit_cycles', ctx(CMC_ID, T0 + DAY_NS, T), { canister_id: id });
    call(m, 'stop_canister', ctx(alice), { canister_id: id });
    const text = encodeData(m.snapshot()); // throws on a Map
    const copy = new ManagementCanister();
    copy.restore(decodeData(text));
    expect(status(copy, id, alice, T0 + 5n * DAY_NS)).toEqual(status(m, id, alice, T0 + 5n * DAY_NS));
    expect(encodeData(copy.snapshot())).toBe(text);
    // Allocation continues after the restored canisters.
    const next = copy.admin.create_canister(ctx(Principal.managementCanister()), { controllers: [bob.toText()], cycles: 0n });
    expect(next.canister_id).toBe(canisterIdFromIndex(FIRST_USER_CANISTER_INDEX + 1n).toText());
  });
});
