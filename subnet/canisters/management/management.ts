// The management canister (aaaaa-aa) of the simulated subnet. It hosts the subnet's user canisters,
// which have no code: each is controllers, settings, a status and a cycles balance that burns over
// time. Balances are stored as (cycles, as of) and computed from the time on demand, so idle
// canisters cost nothing to simulate and every replica of the state agrees on them.
import type { _SERVICE as ManagementService } from '../../candid/generated/management.did.ts';
import { createHash } from 'node:crypto';
import { Principal } from '@icp-sdk/core/principal';
import { candid } from '../../candid/index.ts';
import type { ManagementTypes } from '../../candid/index.ts';
import { Reject, RejectCode, type CallContext, type Canister, type CanisterInfo, type MethodDef } from '../canister.ts';
import { methodTable } from '../common/methods.ts';
import { CMC_ID, GOVERNANCE_ID, INDEX_ID, LEDGER_ID, MANAGEMENT_ID, ROOT_ID } from '../ids.ts';
import {
  CANISTER_CREATION_FEE,
  EMPTY_CANISTER_MEMORY_BYTES,
  balanceAt,
  freezingThresholdCycles,
  idleCyclesBurnedPerDay,
} from './cycles.ts';
import { FIRST_USER_CANISTER_INDEX, USER_CANISTER_RANGE_SIZE, canisterIdFromIndex, isCanisterPrincipal } from './ids.ts';
import {
  applySettings,
  defaultSettings,
  emptySettingsArg,
  validateSettings,
  type Settings,
} from './settings.ts';

type CanisterStatus = 'running' | 'stopping' | 'stopped';
type Change = ManagementTypes.change;

/** The replica keeps the 20 most recent changes of a canister's history. */
const MAX_RECENT_CHANGES = 20;

/** The NNS canisters this subnet runs are controlled by NNS root, as on mainnet. */
const SYSTEM_CANISTERS = [GOVERNANCE_ID, LEDGER_ID, CMC_ID, INDEX_ID].map((p) => p.toText());

export interface UserCanister {
  id: Principal;
  settings: Settings;
  status: CanisterStatus;
  /** Balance at `cyclesAsOf` (ns); see balanceAt. */
  cycles: bigint;
  cyclesAsOf: bigint;
  createdAt: bigint;
  version: bigint;
  totalChanges: bigint;
  /** Oldest first, at most MAX_RECENT_CHANGES. */
  changes: Change[];
}

interface State {
  nextIndex: bigint;
  /** Counts raw_rand calls so that two calls in one round get different bytes. */
  randCounter: bigint;
  canisters: UserCanister[];
}

export interface AdminCreateCanisterArgs {
  /** Principal texts. */
  controllers: string[];
  cycles: bigint;
}

export class ManagementCanister implements Canister {
  readonly id = MANAGEMENT_ID;
  readonly name = 'management';
  readonly candid = candid.management;
  readonly methods: Record<string, MethodDef>;
  readonly admin = {
    create_canister: (ctx: CallContext, args: AdminCreateCanisterArgs) => this.adminCreateCanister(ctx, args),
  };

  private nextIndex = FIRST_USER_CANISTER_INDEX;
  private randCounter = 0n;
  private readonly canisters = new Map<string, UserCanister>();

  constructor() {
    this.methods = methodTable<ManagementService>(candid.management.idlFactory, {
      canister_status: (ctx, arg) => this.canisterStatus(ctx, arg),
      update_settings: (ctx, arg) => this.updateSettings(ctx, arg),
      deposit_cycles: (ctx, arg) => this.depositCycles(ctx, arg),
      create_canister: (ctx, arg) => this.createCanister(ctx, arg),
      start_canister: (ctx, arg) => this.setStatus(ctx, arg, 'running'),
      stop_canister: (ctx, arg) => this.setStatus(ctx, arg, 'stopped'),
      canister_info: (ctx, arg) => this.canisterInfo(ctx, arg),
      raw_rand: (ctx) => this.rawRand(ctx),
    });
  }

  info(): CanisterInfo {
    return { controllers: [] };
  }

  /** For the runtime: routing and the state tree (/canister/<id>/controllers). */
  userCanister(id: Principal): { controllers: Principal[] } | undefined {
    const c = this.canisters.get(id.toText());
    return c ? { controllers: [...c.settings.controllers] } : undefined;
  }

  /** Ids of all user canisters, in creation order. */
  userCanisterIds(): Principal[] {
    return [...this.canisters.values()].map((c) => c.id);
  }

  // ---- Methods ------------------------------------------------------------------------------

  private canisterStatus(ctx: CallContext, { canister_id }: ManagementTypes.canister_status_args): ManagementTypes.canister_status_result {
    const c = this.controlled(ctx.caller, canister_id);
    const perDay = burnRate(c.settings);
    return {
      status: { [c.status]: null } as ManagementTypes.canister_status_result['status'],
      ready_for_migration: false,
      version: c.version,
      settings: c.settings,
      module_hash: [],
      memory_size: EMPTY_CANISTER_MEMORY_BYTES,
      memory_metrics: {
        wasm_memory_size: 0n,
        stable_memory_size: 0n,
        global_memory_size: 0n,
        wasm_binary_size: 0n,
        custom_sections_size: 0n,
        canister_history_size: EMPTY_CANISTER_MEMORY_BYTES,
        wasm_chunk_store_size: 0n,
        snapshots_size: 0n,
      },
      cycles: balanceAt(c.cycles, c.cyclesAsOf, perDay, ctx.time),
      reserved_cycles: 0n,
      idle_cycles_burned_per_day: perDay,
      query_stats: {
        num_calls_total: 0n,
        num_instructions_total: 0n,
        request_payload_bytes_total: 0n,
        response_payload_bytes_total: 0n,
      },
    };
  }

  private updateSettings(ctx: CallContext, arg: ManagementTypes.update_settings_args): void {
    const c = this.controlled(ctx.caller, arg.canister_id);
    validateSettings(arg.settings);
    const next = applySettings(c.settings, arg.settings);
    const balance = balanceAt(c.cycles, c.cyclesAsOf, burnRate(c.settings), ctx.time);
    checkAffordable(c.settings, next, balance);

    c.cycles = balance;
    c.cyclesAsOf = ctx.time;
    c.settings = next;
    c.version += 1n;
    if (arg.settings.controllers.length > 0) {
      this.record(c, ctx.time, originOf(ctx.caller, arg.sender_canister_version), {
        controllers_change: { controllers: [...next.controllers] },
      });
    }
  }

  private depositCycles(ctx: CallContext, { canister_id }: ManagementTypes.deposit_cycles_args): void {
    // The IC refuses deposit_cycles as ingress: a user's message carries no cycles.
    requireCanisterCaller(ctx, 'deposit_cycles');
    // Anyone may top up the NNS canisters; the simulation does not account their cycles.
    if (SYSTEM_CANISTERS.includes(canister_id.toText())) return;
    const c = this.existing(canister_id);
    c.cycles = balanceAt(c.cycles, c.cyclesAsOf, burnRate(c.settings), ctx.time) + ctx.cycles;
    c.cyclesAsOf = ctx.time;
  }

  private createCanister(ctx: CallContext, arg: ManagementTypes.create_canister_args): ManagementTypes.create_canister_result {
    requireCanisterCaller(ctx, 'create_canister');
    if (ctx.cycles < CANISTER_CREATION_FEE) {
      throw new Reject(
        RejectCode.CanisterReject,
        `Creating a canister requires a fee of ${CANISTER_CREATION_FEE} that is deducted from the canister's initial balance ` +
          `but only ${ctx.cycles} cycles were received with the create_canister request.`,
        'IC0403',
      );
    }
    const settingsArg = arg.settings[0] ?? emptySettingsArg();
    validateSettings(settingsArg);
    const controllers = settingsArg.controllers[0] ?? [ctx.caller];
    const settings = applySettings(defaultSettings(controllers), settingsArg);
    const origin = originOf(ctx.caller, arg.sender_canister_version);
    const c = this.create(ctx.time, settings, ctx.cycles - CANISTER_CREATION_FEE, origin);
    return { canister_id: c.id };
  }

  private setStatus(ctx: CallContext, { canister_id }: { canister_id: Principal }, status: CanisterStatus): void {
    const c = this.controlled(ctx.caller, canister_id);
    // A canister without code has no calls in flight, so stopping completes at once.
    c.status = status;
  }

  private canisterInfo(ctx: CallContext, arg: ManagementTypes.canister_info_args): ManagementTypes.canister_info_result {
    requireCanisterCaller(ctx, 'canister_info');
    const c = this.existing(arg.canister_id);
    const requested = arg.num_requested_changes[0] ?? 0n;
    const n = requested < BigInt(c.changes.length) ? Number(requested) : c.changes.length;
    return {
      total_num_changes: c.totalChanges,
      recent_changes: n === 0 ? [] : c.changes.slice(c.changes.length - n),
      module_hash: [],
      controllers: [...c.settings.controllers],
    };
  }

  private rawRand(ctx: CallContext): Uint8Array {
    requireCanisterCaller(ctx, 'raw_rand');
    // Deterministic, as everything in the simulation: the bytes depend on time, caller and a counter.
    const counter = this.randCounter++;
    const h = createHash('sha256').update('raw_rand').update(ctx.caller.toUint8Array()).update(`${ctx.time}:${counter}`);
    return new Uint8Array(h.digest());
  }

  private adminCreateCanister(ctx: CallContext, args: AdminCreateCanisterArgs): { canister_id: string } {
    if (typeof args?.cycles !== 'bigint' || args.cycles < 0n) throw new Error('create_canister: cycles must be a bigint >= 0');
    if (!Array.isArray(args.controllers)) throw new Error('create_canister: controllers must be an array of principal texts');
    const controllers = args.controllers.map((t) => Principal.fromText(t));
    validateSettings({ ...emptySettingsArg(), controllers: [controllers] });
    // Genesis and the loopback admin endpoint act for the first controller, like a developer would.
    const origin = { from_user: { user_id: controllers[0] ?? Principal.anonymous() } };
    const c = this.create(ctx.time, defaultSettings(controllers), args.cycles, origin);
    return { canister_id: c.id.toText() };
  }

  // ---- Helpers ------------------------------------------------------------------------------

  private create(time: bigint, settings: Settings, cycles: bigint, origin: ManagementTypes.change_origin): UserCanister {
    if (this.nextIndex >= FIRST_USER_CANISTER_INDEX + USER_CANISTER_RANGE_SIZE) {
      throw new Reject(RejectCode.SysFatal, 'Canister creation failed: the subnet has no canister ids left in its range.', 'IC0102');
    }
    const id = canisterIdFromIndex(this.nextIndex);
    this.nextIndex += 1n;
    const c: UserCanister = {
      id,
      settings,
      status: 'running',
      cycles,
      cyclesAsOf: time,
      createdAt: time,
      version: 0n,
      totalChanges: 0n,
      changes: [],
    };
    this.canisters.set(id.toText(), c);
    this.record(c, time, origin, { creation: { controllers: [...settings.controllers], environment_variables_hash: [] } });
    return c;
  }

  private record(c: UserCanister, time: bigint, origin: ManagementTypes.change_origin, details: ManagementTypes.change_details) {
    c.changes = [...c.changes, { timestamp_nanos: time, canister_version: c.version, origin, details }].slice(-MAX_RECENT_CHANGES);
    c.totalChanges += 1n;
  }

  private existing(id: Principal): UserCanister {
    const c = this.canisters.get(id.toText());
    if (!c) throw new Reject(RejectCode.DestinationInvalid, `Canister ${id.toText()} not found.`, 'IC0301');
    return c;
  }

  /** The canister, if `caller` controls it; otherwise the IC's CanisterInvalidController error. */
  private controlled(caller: Principal, id: Principal): UserCanister {
    const text = id.toText();
    const c = this.canisters.get(text);
    if (!c && SYSTEM_CANISTERS.includes(text)) notController(id, [ROOT_ID], caller);
    if (!c) return this.existing(id);
    if (!c.settings.controllers.some((p) => p.compareTo(caller) === 'eq')) notController(id, c.settings.controllers, caller);
    return c;
  }

  // ---- Snapshot -----------------------------------------------------------------------------

  snapshot(): State {
    return {
      nextIndex: this.nextIndex,
      randCounter: this.randCounter,
      canisters: [...this.canisters.values()].map(copyCanister),
    };
  }

  restore(snapshot: unknown): void {
    const s = snapshot as State;
    this.nextIndex = s.nextIndex;
    this.randCounter = s.randCounter;
    this.canisters.clear();
    for (const c of s.canisters) this.canisters.set(c.id.toText(), copyCanister(c));
  }
}

/** Settings and changes are replaced, never mutated in place, so copying the arrays is enough. */
function copyCanister(c: UserCanister): UserCanister {
  return { ...c, settings: { ...c.settings, controllers: [...c.settings.controllers] }, changes: [...c.changes] };
}

function burnRate(settings: Settings): bigint {
  return idleCyclesBurnedPerDay({ memoryAllocation: settings.memory_allocation, computeAllocation: settings.compute_allocation });
}

/**
 * The IC refuses a settings change that would leave the canister below its new freezing threshold
 * (higher allocations burn more per day).
 */
function checkAffordable(current: Settings, next: Settings, balance: bigint) {
  const threshold = freezingThresholdCycles(burnRate(next), next.freezing_threshold);
  if (burnRate(next) <= burnRate(current) || balance >= threshold) return;
  const missing = threshold - balance;
  if (next.compute_allocation > current.compute_allocation) {
    throw new Reject(
      RejectCode.CanisterError,
      `Cannot increase compute allocation to ${next.compute_allocation}% due to insufficient cycles. ` +
        `At least ${missing} additional cycles are required.`,
      'IC0530',
    );
  }
  throw new Reject(
    RejectCode.CanisterError,
    `Cannot increase memory allocation to ${next.memory_allocation} bytes due to insufficient cycles. ` +
      `At least ${missing} additional cycles are required.`,
    'IC0531',
  );
}

function originOf(caller: Principal, senderVersion: [] | [bigint]): ManagementTypes.change_origin {
  return isCanisterPrincipal(caller)
    ? { from_canister: { canister_id: caller, canister_version: senderVersion } }
    : { from_user: { user_id: caller } };
}

function requireCanisterCaller(ctx: CallContext, method: string) {
  if (!isCanisterPrincipal(ctx.caller)) {
    throw new Reject(RejectCode.CanisterReject, `Only canisters can call ic00 method ${method}`, 'IC0406');
  }
}

function notController(id: Principal, controllers: Principal[], caller: Principal): never {
  throw new Reject(
    RejectCode.CanisterError,
    `Only the controllers of the canister ${id.toText()} can control it.\n` +
      `Canister's controllers: ${controllers.map((p) => p.toText()).join(' ')}\n` +
      `Sender's ID: ${caller.toText()}`,
    'IC0512',
  );
}
