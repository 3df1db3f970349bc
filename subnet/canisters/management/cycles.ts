// What an idle canister pays, per the replica's fee schedule for a 13-node application subnet
// (dfinity/ic rs/config/src/subnet_config.rs, CyclesAccountManagerConfig::application_subnet, and
// rs/cycles_account_manager idle_cycles_burned_rate): memory (allocated or used bytes, whichever is
// larger) + a flat base fee for every canister that uses any memory + compute allocation.

export const NS_PER_SECOND = 1_000_000_000n;
export const SECONDS_PER_DAY = 86_400n;
const NS_PER_DAY = SECONDS_PER_DAY * NS_PER_SECOND;
const GIB = 1n << 30n;

/** 10 XDR per GiB per year, in cycles per GiB per second. */
export const GIB_STORAGE_PER_SECOND_FEE = 317_500n;
/** Charged to every canister that has any memory usage (all of them: canister history counts). */
export const BASE_PER_SECOND_FEE = 10_000n;
/** Per percent of compute allocation per second. */
export const COMPUTE_PERCENT_ALLOCATED_PER_SECOND_FEE = 10_000_000n;
/**
 * Deducted by create_canister from the cycles sent along (the public gas-cost table's figure for a
 * 13-node subnet; not read in the replica's source).
 */
export const CANISTER_CREATION_FEE = 500_000_000_000n;

/**
 * Memory of a canister without code: only its canister history (the creation record). The replica
 * counts a few hundred bytes for it; 550 is an order-of-magnitude figure (unverified).
 */
export const EMPTY_CANISTER_MEMORY_BYTES = 550n;

export interface BurnInputs {
  memoryAllocation: bigint;
  computeAllocation: bigint;
}

/** idle_cycles_burned_per_day as the replica computes it (integer arithmetic, per day). */
export function idleCyclesBurnedPerDay({ memoryAllocation, computeAllocation }: BurnInputs): bigint {
  const memory = memoryAllocation > EMPTY_CANISTER_MEMORY_BYTES ? memoryAllocation : EMPTY_CANISTER_MEMORY_BYTES;
  const storage = (memory * GIB_STORAGE_PER_SECOND_FEE * SECONDS_PER_DAY) / GIB;
  const base = memory > 0n ? BASE_PER_SECOND_FEE * SECONDS_PER_DAY : 0n;
  const compute = computeAllocation * COMPUTE_PERCENT_ALLOCATED_PER_SECOND_FEE * SECONDS_PER_DAY;
  return storage + base + compute;
}

/**
 * An idle empty canister with default settings: 864_000_000 cycles of base fee plus 14_051 cycles
 * of storage per day (864_014_051), so 3T cycles last about 3_472 days (9.5 years).
 */
export const IDLE_CYCLES_BURNED_PER_DAY = idleCyclesBurnedPerDay({ memoryAllocation: 0n, computeAllocation: 0n });

/**
 * The balance at `now` of a canister that held `cycles` at `asOf` and burns `perDay`: computed from
 * time alone (the same inputs give the same answer), never below zero.
 */
export function balanceAt(cycles: bigint, asOf: bigint, perDay: bigint, now: bigint): bigint {
  const elapsed = now > asOf ? now - asOf : 0n;
  const burned = (perDay * elapsed) / NS_PER_DAY;
  return burned >= cycles ? 0n : cycles - burned;
}

/** Cycles a canister must keep to stay unfrozen: freezing_threshold seconds of idle burn. */
export function freezingThresholdCycles(perDay: bigint, freezingThresholdSeconds: bigint): bigint {
  return (perDay * freezingThresholdSeconds) / SECONDS_PER_DAY;
}
