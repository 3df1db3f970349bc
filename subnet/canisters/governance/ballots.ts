// The ballots of one proposal, stored by neuron slot (GovernanceState gives every neuron a dense,
// permanent slot number) in typed arrays: a vote code per slot and the ballot's voting power as a
// float64 holding an exact integer (powers of 2^53 and more, which only giant neurons reach, go
// to a side map). At 400k neurons that is 3.6 MB per open proposal instead of 400k objects, and
// the snapshot at proposal creation is a tight loop over plain numbers (see snapshotBallots).
//
// The read side looks like the Map<bigint, BallotData> it replaced (get/has/size/entries...), keyed
// by neuron id, so queries and tests read it the same way.
import {
  MAX_AGE_BONUS_SECONDS,
  MAX_DISSOLVE_DELAY_SECONDS,
  Vote,
  decidingVotingPower,
  dissolveDelaySeconds,
  potentialVotingPower,
  type BallotData,
  type GovernanceState,
  type Neuron,
} from './model.ts';
import { F_REMOVED } from './neuron-store.ts';

/** Where the ballots find neurons by id and ids by slot (GovernanceState). */
export interface NeuronSlots {
  slotOf(id: bigint): number | undefined;
  idAt(slot: number): bigint;
}

/** Vote codes: 0 = no ballot, else vote + 1 (Unspecified 1, Yes 2, No 3); PENDING is transient. */
const NO_BALLOT = 0;
const PENDING_CODE = 255;
const SAFE = Number.MAX_SAFE_INTEGER;

const NO_CODES = new Uint8Array(0);
const NO_POWER = new Float64Array(0);

export class Ballots implements Iterable<[bigint, BallotData]> {
  private codes: Uint8Array;
  private power: Float64Array;
  /** Voting powers above Number.MAX_SAFE_INTEGER, by slot. */
  private big = new Map<number, bigint>();
  private count = 0;

  constructor(
    private readonly slots: NeuronSlots,
    capacity: number,
  ) {
    // Settled proposals have no ballots: they share these (a ballot added later grows new arrays).
    this.codes = capacity === 0 ? NO_CODES : new Uint8Array(capacity);
    this.power = capacity === 0 ? NO_POWER : new Float64Array(capacity);
  }

  /** Rebuilds ballots from their stored form (see stored()). */
  static restore(slots: NeuronSlots, s: StoredBallots): Ballots {
    const b = new Ballots(slots, 0);
    b.codes = s.codes;
    b.power = s.power;
    b.big = new Map(s.big);
    let count = 0;
    for (let i = 0; i < s.codes.length; i++) if (s.codes[i] !== NO_BALLOT) count++;
    b.count = count;
    return b;
  }

  /** The stored form: the typed arrays themselves (the checkpoint writes them as raw bytes). */
  stored(): StoredBallots {
    return { codes: this.codes, power: this.power, big: [...this.big] };
  }

  get capacity(): number {
    return this.codes.length;
  }

  get size(): number {
    return this.count;
  }

  /** Gives `slot` an unspecified ballot with `votingPower` (an exact integer number, or a bigint). */
  add(slot: number, votingPower: number | bigint): void {
    if (slot >= this.codes.length) this.grow(slot + 1);
    if (this.codes[slot] === NO_BALLOT) this.count++;
    this.codes[slot] = Vote.Unspecified + 1;
    if (typeof votingPower === 'bigint') {
      if (votingPower > BigInt(SAFE)) {
        this.big.set(slot, votingPower);
        this.power[slot] = -1;
        return;
      }
      votingPower = Number(votingPower);
    }
    this.power[slot] = votingPower;
  }

  /** The vote of the ballot in `slot`, undefined when it has none (pending reads as Unspecified). */
  voteAt(slot: number): Vote | undefined {
    const c = slot < this.codes.length ? this.codes[slot] : NO_BALLOT;
    if (c === NO_BALLOT) return undefined;
    return c === PENDING_CODE ? Vote.Unspecified : ((c - 1) as Vote);
  }

  /** True when `slot` has a ballot that is Unspecified and not marked pending. */
  isOpen(slot: number): boolean {
    return slot < this.codes.length && this.codes[slot] === Vote.Unspecified + 1;
  }

  setVoteAt(slot: number, vote: Vote): void {
    if (this.codes[slot] === NO_BALLOT) throw new Error(`no ballot in slot ${slot}`);
    this.codes[slot] = vote + 1;
  }

  /** Marks an open ballot as collected by the current cascade wave (see following.ts). */
  markPending(slot: number): void {
    this.codes[slot] = PENDING_CODE;
  }

  powerAt(slot: number): bigint {
    const p = this.power[slot];
    return p < 0 ? this.big.get(slot)! : BigInt(p);
  }

  /** The power as a number when it is exact (<= MAX_SAFE_INTEGER), else -1. */
  powerNumberAt(slot: number): number {
    return this.power[slot];
  }

  /** Slots that hold a ballot, ascending. */
  *filledSlots(): IterableIterator<number> {
    const codes = this.codes;
    for (let i = 0; i < codes.length; i++) if (codes[i] !== NO_BALLOT) yield i;
  }

  /** Slots that voted Yes or No, ascending. */
  *votedSlots(): IterableIterator<number> {
    const codes = this.codes;
    for (let i = 0; i < codes.length; i++) if (codes[i] === Vote.Yes + 1 || codes[i] === Vote.No + 1) yield i;
  }

  // ---- The Map-like read side, by neuron id ----

  get(id: bigint): BallotData | undefined {
    const slot = this.slots.slotOf(id);
    if (slot === undefined) return undefined;
    const vote = this.voteAt(slot);
    return vote === undefined ? undefined : { vote, votingPower: this.powerAt(slot) };
  }

  has(id: bigint): boolean {
    const slot = this.slots.slotOf(id);
    return slot !== undefined && this.voteAt(slot) !== undefined;
  }

  *entries(): IterableIterator<[bigint, BallotData]> {
    for (const slot of this.filledSlots()) yield [this.slots.idAt(slot), { vote: this.voteAt(slot)!, votingPower: this.powerAt(slot) }];
  }

  *keys(): IterableIterator<bigint> {
    for (const slot of this.filledSlots()) yield this.slots.idAt(slot);
  }

  *values(): IterableIterator<BallotData> {
    for (const [, b] of this.entries()) yield b;
  }

  [Symbol.iterator](): IterableIterator<[bigint, BallotData]> {
    return this.entries();
  }

  /** Drops every ballot (once a proposal is settled, as mainnet does). */
  clear(): void {
    this.codes = new Uint8Array(0);
    this.power = new Float64Array(0);
    this.big.clear();
    this.count = 0;
  }

  private grow(capacity: number) {
    const codes = new Uint8Array(capacity);
    codes.set(this.codes);
    const power = new Float64Array(capacity);
    power.set(this.power);
    this.codes = codes;
    this.power = power;
  }
}

export interface StoredBallots {
  codes: Uint8Array;
  power: Float64Array;
  big: [number, bigint][];
}

/** An exact sum of non-negative integers given as numbers (< 2^53) or bigints. */
export class ExactSum {
  private acc = 0;
  private total = 0n;
  add(v: number | bigint): void {
    if (typeof v === 'bigint') {
      this.total += v;
      return;
    }
    if (this.acc + v > SAFE) {
      this.total += BigInt(this.acc);
      this.acc = 0;
    }
    this.acc += v;
  }
  get value(): bigint {
    return this.total + BigInt(this.acc);
  }
}

// ---- The ballot snapshot at proposal creation ---------------------------------------------------

export interface VotingEconomics {
  startReducingAfterSeconds: bigint;
  clearFollowingAfterSeconds: bigint;
  minimumDissolveDelaySeconds: bigint;
}

export interface BallotSnapshot {
  ballots: Ballots;
  totalPotential: bigint;
  totalDeciding: bigint;
}

const T = Number(MAX_DISSOLVE_DELAY_SECONDS);
const A4 = 4 * Number(MAX_AGE_BONUS_SECONDS);
const AMAX = Number(MAX_AGE_BONUS_SECONDS);
/**
 * Relative error bound of the float64 evaluation of the voting-power multipliers below (a handful
 * of roundings, each <= 2^-53, bounded generously by 2^-48).
 */
const REL_ERR = 2 ** -48;

/**
 * floor(x) when x (a float64 approximation of an exact value, with relative error <= REL_ERR) is far
 * enough from an integer that the exact value has the same floor; else -1 (compute exactly).
 */
function safeFloor(x: number): number {
  if (!(x < SAFE)) return -1;
  const f = Math.floor(x);
  const e = x * REL_ERR + 1e-9;
  return x - f > e && f + 1 - x > e ? f : -1;
}

/**
 * Ballots for every neuron eligible at `now` (dissolve delay >= the minimum to vote) with their
 * deciding voting power, and the sums of potential and deciding power. Same results as
 * potentialVotingPower / decidingVotingPower (model.ts) for every neuron: the float64 path is used
 * only where it provably gives the same floor, and the exact bigint formulas otherwise.
 */
export function snapshotBallots(state: GovernanceState, now: bigint, econ: VotingEconomics): BallotSnapshot {
  const neurons = state.neuronsBySlot;
  const count = neurons.length;
  const codes = new Uint8Array(count);
  const power = new Float64Array(count);
  const big: [number, bigint][] = [];
  // Exact sums: number accumulators flushed into bigints before they could pass 2^53.
  let potentialAcc = 0;
  let decidingAcc = 0;
  let potentialTotal = 0n;
  let decidingTotal = 0n;
  const nowN = Number(now);
  const minDelay = Number(econ.minimumDissolveDelaySeconds);
  const start = Number(econ.startReducingAfterSeconds);
  const span = Number(econ.clearFollowingAfterSeconds);
  const UNSPECIFIED = Vote.Unspecified + 1;
  // The columns (neuron-store.ts): exact integers below 2^53; -1 marks a value kept aside,
  // Infinity U64_MAX, NaN an absent optional value. This loop handles plain numbers only; a
  // neuron with anything unusual, or whose float result is not provably exact, is deferred to
  // the exact bigint formulas after it (a few hundred of 400k).
  const st = state.store;
  const kind = st.dissolveKind;
  const dissolveValue = st.dissolveValue.data;
  const agingSince = st.agingSince.data;
  const cachedStake = st.cachedStake.data;
  const fees = st.fees.data;
  const stakedMaturity = st.stakedMaturity.data;
  const gangBase = st.gangBonusBase.data;
  const refreshedAt = st.refreshed.data;
  const flags = st.flags;
  const deferred: number[] = [];
  for (let slot = 0; slot < count; slot++) {
    if (flags[slot] & F_REMOVED) continue;
    const dv = dissolveValue[slot];
    const since = agingSince[slot];
    const cached = cachedStake[slot];
    const fee = fees[slot];
    const staked = stakedMaturity[slot];
    const refreshed = refreshedAt[slot];
    if (!(dv >= 0 && dv < SAFE && since >= 0 && cached >= 0 && cached < SAFE && fee >= 0 && staked >= 0 && staked < SAFE && refreshed >= 0 && refreshed < SAFE) || gangBase[slot] > 0) {
      deferred.push(slot);
      continue;
    }
    let delay: number;
    let age = 0;
    if (kind[slot] === 0) {
      delay = dv;
      if (since <= nowN) age = nowN - since;
    } else delay = dv > nowN ? dv - nowN : 0;
    if (delay < minDelay) continue;

    const stake = (cached > fee ? cached - fee : 0) + staked;
    const t = (delay < T ? delay : T) / T;
    const a = age < AMAX ? age : AMAX;
    const m = (1 + 2 * t * t) * ((A4 + a) / A4);
    // With no or the full delay bonus and no or the full age bonus, m is 1, 1.25, 3 or 3.75:
    // exact in binary, so the product is exact too (the common case of old 2-year neurons, whose
    // round stakes would otherwise land on integers and be deferred).
    const exactM = (delay === 0 || delay >= T) && (a === 0 || a === AMAX);
    const x = stake * m;
    const potential = stake === 0 ? 0 : exactM && x < SAFE ? Math.floor(x) : safeFloor(x);
    if (potential < 0) {
      deferred.push(slot);
      continue;
    }
    const idle = nowN > refreshed ? nowN - refreshed : 0;
    let deciding = potential;
    if (idle > start) {
      deciding = idle - start >= span ? 0 : safeFloor(potential * ((span - (idle - start)) / span));
      if (deciding < 0) {
        deferred.push(slot);
        continue;
      }
    }
    codes[slot] = UNSPECIFIED;
    power[slot] = deciding;
    if (potentialAcc + potential > SAFE) {
      potentialTotal += BigInt(potentialAcc);
      potentialAcc = 0;
    }
    potentialAcc += potential;
    if (decidingAcc + deciding > SAFE) {
      decidingTotal += BigInt(decidingAcc);
      decidingAcc = 0;
    }
    decidingAcc += deciding;
  }
  for (const slot of deferred) {
    const exact = exactBallotPower(neurons[slot]!, now, econ);
    if (!exact) continue;
    codes[slot] = UNSPECIFIED;
    potentialTotal += exact.potential;
    decidingTotal += exact.deciding;
    if (exact.deciding > BigInt(SAFE)) {
      power[slot] = -1;
      big.push([slot, exact.deciding]);
    } else power[slot] = Number(exact.deciding);
  }
  return {
    ballots: Ballots.restore(state, { codes, power, big }),
    totalPotential: potentialTotal + BigInt(potentialAcc),
    totalDeciding: decidingTotal + BigInt(decidingAcc),
  };
}

/** The exact check of snapshotBallots' fast path for one neuron (tests). */
export function exactBallotPower(n: Neuron, now: bigint, econ: VotingEconomics): { potential: bigint; deciding: bigint } | undefined {
  if (dissolveDelaySeconds(n, now) < econ.minimumDissolveDelaySeconds) return undefined;
  const potential = potentialVotingPower(n, now);
  const deciding = decidingVotingPower(
    n,
    now,
    { startReducingAfterSeconds: econ.startReducingAfterSeconds, clearFollowingAfterSeconds: econ.clearFollowingAfterSeconds },
    potential,
  );
  return { potential, deciding };
}
