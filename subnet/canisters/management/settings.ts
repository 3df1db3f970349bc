// Canister settings: the defaults a new canister gets and the validation update_settings applies.
import { Principal } from '@icp-sdk/core/principal';
import type { ManagementTypes } from '../../candid/index.ts';
import { compareBytes } from '../common/accounts.ts';
import { Reject, RejectCode } from '../canister.ts';

export type Settings = ManagementTypes.definite_canister_settings;
export type SettingsArg = ManagementTypes.canister_settings;

/** The replica's defaults (dfinity/ic rs/config, execution_environment). */
export const DEFAULT_FREEZING_THRESHOLD = 2_592_000n; // 30 days
export const DEFAULT_RESERVED_CYCLES_LIMIT = 5_000_000_000_000n;
export const DEFAULT_WASM_MEMORY_LIMIT = 3n * (1n << 30n); // 3 GiB
export const MAX_CONTROLLERS = 10;
const MAX_ALLOWED_VIEWERS = 10;
const MAX_COMPUTE_ALLOCATION = 100n;
/** Largest memory allocation we accept: 1 TiB, a subnet's order of magnitude (unverified). */
const MAX_MEMORY_ALLOCATION = 1n << 40n;
const MAX_U64 = (1n << 64n) - 1n;
const MAX_WASM_MEMORY = 1n << 48n;

export function defaultSettings(controllers: Principal[]): Settings {
  return {
    controllers: normalizeControllers(controllers),
    compute_allocation: 0n,
    memory_allocation: 0n,
    freezing_threshold: DEFAULT_FREEZING_THRESHOLD,
    reserved_cycles_limit: DEFAULT_RESERVED_CYCLES_LIMIT,
    log_visibility: { controllers: null },
    snapshot_visibility: { controllers: null },
    wasm_memory_limit: DEFAULT_WASM_MEMORY_LIMIT,
    wasm_memory_threshold: 0n,
    environment_variables: [],
  };
}

/** The replica keeps controllers as a set: sorted by bytes, without duplicates. */
export function normalizeControllers(controllers: Principal[]): Principal[] {
  const sorted = [...controllers].sort((a, b) => compareBytes(a.toUint8Array(), b.toUint8Array()));
  return sorted.filter((p, i) => i === 0 || compareBytes(sorted[i - 1].toUint8Array(), p.toUint8Array()) !== 0);
}

function invalidPayload(message: string): never {
  throw new Reject(RejectCode.CanisterReject, `Error decoding candid: ${message}`, 'IC0408');
}

function invalidSettings(message: string): never {
  throw new Reject(RejectCode.CanisterError, `Invalid settings: ${message}`, 'IC0504');
}

/** Checks a settings argument the way the replica's decoder and validation do; throws a Reject. */
export function validateSettings(arg: SettingsArg): void {
  const [controllers] = arg.controllers;
  if (controllers && controllers.length > MAX_CONTROLLERS) {
    invalidPayload(`The number of elements exceeds maximum allowed ${MAX_CONTROLLERS}`);
  }
  const [visibility] = arg.log_visibility;
  if (visibility && 'allowed_viewers' in visibility && visibility.allowed_viewers.length > MAX_ALLOWED_VIEWERS) {
    invalidPayload(`The number of elements exceeds maximum allowed ${MAX_ALLOWED_VIEWERS}`);
  }
  const [compute] = arg.compute_allocation;
  if (compute !== undefined && compute > MAX_COMPUTE_ALLOCATION) {
    invalidSettings(`compute allocation expected to be in the range [0..100], got ${compute}`);
  }
  const [memory] = arg.memory_allocation;
  if (memory !== undefined && memory > MAX_MEMORY_ALLOCATION) {
    invalidSettings(`memory allocation ${memory} exceeds the subnet's capacity of ${MAX_MEMORY_ALLOCATION} bytes`);
  }
  const [freezing] = arg.freezing_threshold;
  if (freezing !== undefined && freezing > MAX_U64) invalidSettings(`freezing threshold ${freezing} does not fit in 64 bits`);
  const [wasmLimit] = arg.wasm_memory_limit;
  if (wasmLimit !== undefined && wasmLimit > MAX_WASM_MEMORY) {
    invalidSettings(`wasm memory limit ${wasmLimit} exceeds the maximum of ${MAX_WASM_MEMORY} bytes`);
  }
}

/** The settings after applying the fields the argument sets (validate first). */
export function applySettings(current: Settings, arg: SettingsArg): Settings {
  const pick = <T>(opt: [] | [T], fallback: T): T => (opt.length > 0 ? (opt[0] as T) : fallback);
  return {
    controllers: arg.controllers.length > 0 ? normalizeControllers(arg.controllers[0]!) : current.controllers,
    compute_allocation: pick(arg.compute_allocation, current.compute_allocation),
    memory_allocation: pick(arg.memory_allocation, current.memory_allocation),
    freezing_threshold: pick(arg.freezing_threshold, current.freezing_threshold),
    reserved_cycles_limit: pick(arg.reserved_cycles_limit, current.reserved_cycles_limit),
    log_visibility: pick(arg.log_visibility, current.log_visibility),
    snapshot_visibility: pick(arg.snapshot_visibility, current.snapshot_visibility),
    wasm_memory_limit: pick(arg.wasm_memory_limit, current.wasm_memory_limit),
    wasm_memory_threshold: pick(arg.wasm_memory_threshold, current.wasm_memory_threshold),
    environment_variables: pick(arg.environment_variables, current.environment_variables),
  };
}

/** An argument that sets nothing. */
export function emptySettingsArg(): SettingsArg {
  return {
    controllers: [],
    compute_allocation: [],
    memory_allocation: [],
    freezing_threshold: [],
    reserved_cycles_limit: [],
    log_visibility: [],
    snapshot_visibility: [],
    wasm_memory_limit: [],
    wasm_memory_threshold: [],
    environment_variables: [],
  };
}
