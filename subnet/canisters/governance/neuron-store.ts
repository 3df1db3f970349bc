// Neurons stored by column: one typed array per field, indexed by the neuron's slot. At mainnet
// size (400k neurons) this is what keeps a restart and the whole-population loops (the ballot
// snapshot of a new proposal, the daily rewards) fast: a checkpoint copies a few arrays instead of
// building 400k objects with a dozen bigints each, and the loops read plain numbers.
//
// The rest of governance sees `Neuron` objects: a StoredNeuron is a view of one slot whose
// properties read and write the columns, so `n.maturityE8s += x` works as on a plain object.
// Amounts and times are exact: a column holds a float64 while the value is an integer below 2^53
// (every realistic one), U64_MAX as Infinity, and anything else in a side map.
import { Principal } from '@icp-sdk/core/principal';
import { BinReader, BinWriter } from '../../runtime/binary.ts';
import type { DissolveState, KnownNeuronData, MaturityDisbursement, Neuron, Visibility } from './model.ts';

const U64_MAX = 2n ** 64n - 1n;
const SAFE = 2 ** 53;
const SAFE_BIG = 2n ** 53n;
const PRINCIPAL_STRIDE = 30; // a length byte and at most 29 bytes
const SUBACCOUNT_BYTES = 32;

/** A column of bigints (exact; see the header). */
export class AmountColumn {
  data: Float64Array;
  private readonly over = new Map<number, bigint>();

  constructor(
    capacity: number,
    /** The value of an unset slot: 0, or NaN for optional fields (undefined). */
    private readonly empty = 0,
  ) {
    this.data = new Float64Array(capacity).fill(empty);
  }

  grow(capacity: number) {
    const d = new Float64Array(capacity).fill(this.empty);
    d.set(this.data);
    this.data = d;
  }

  get(slot: number): bigint {
    const v = this.data[slot];
    if (v >= 0 && v < SAFE) return BigInt(v);
    if (v === Infinity) return U64_MAX;
    return this.over.get(slot) ?? 0n;
  }

  /** Undefined for an unset optional value. */
  opt(slot: number): bigint | undefined {
    return Number.isNaN(this.data[slot]) ? undefined : this.get(slot);
  }

  set(slot: number, v: bigint | undefined) {
    if (this.data[slot] === -1) this.over.delete(slot);
    if (v === undefined) this.data[slot] = NaN;
    else if (v >= 0n && v < SAFE_BIG) this.data[slot] = Number(v);
    else if (v === U64_MAX) this.data[slot] = Infinity;
    else {
      this.data[slot] = -1;
      this.over.set(slot, v);
    }
  }

  /** Reads a u64 (or a nat, see BinWriter.nat) from `r` into `slot`. */
  readFrom(r: BinReader, slot: number, nat = false) {
    const v = r.u64Number();
    if (v >= 0) this.data[slot] = v;
    else this.set(slot, nat ? r.nat() : r.u64());
  }

  /** The value as a number when it is exact (>= 0, < 2^53), else -1 (read it with get). */
  num(slot: number): number {
    const v = this.data[slot];
    return v >= 0 && v < SAFE ? v : -1;
  }

  write(w: BinWriter, slots: number) {
    w.raw(new Uint8Array(this.data.buffer, 0, slots * 8));
    w.u32(this.over.size);
    for (const [slot, v] of this.over) {
      w.u32(slot);
      w.str(v.toString());
    }
  }

  read(r: BinReader, slots: number) {
    new Uint8Array(this.data.buffer, 0, slots * 8).set(r.span(slots * 8));
    for (let i = r.u32(); i > 0; i--) this.over.set(r.u32(), BigInt(r.str()));
  }
}

/** A column of bigints that are mostly 2^53 or more (voting power sums): u64, exact. */
export class WideColumn {
  readonly data: BigUint64Array;
  private readonly over = new Map<number, bigint>();

  constructor(capacity: number) {
    this.data = new BigUint64Array(capacity);
  }

  get(slot: number): bigint {
    const v = this.data[slot];
    return v === U64_MAX ? (this.over.get(slot) ?? v) : v;
  }

  set(slot: number, v: bigint) {
    if (this.data[slot] === U64_MAX) this.over.delete(slot);
    if (v >= 0n && v < U64_MAX) this.data[slot] = v;
    else {
      this.data[slot] = U64_MAX;
      this.over.set(slot, v);
    }
  }
}

const F_AUTO_STAKE = 1;
const F_KYC = 2;
const F_NOT_FOR_PROFIT = 4;
/** The slot's neuron was removed (only its id is kept). */
export const F_REMOVED = 128;

export class NeuronStore {
  capacity = 0;
  /** Slots in use (the next neuron gets this one). */
  size = 0;
  ids = new BigUint64Array(0);
  readonly cachedStake = new AmountColumn(0);
  readonly fees = new AmountColumn(0);
  readonly maturity = new AmountColumn(0);
  readonly stakedMaturity = new AmountColumn(0);
  readonly created = new AmountColumn(0);
  readonly agingSince = new AmountColumn(0);
  /** 0: NotDissolving with `dissolveValue` seconds of delay; 1: dissolving/dissolved at `dissolveValue`. */
  dissolveKind = new Uint8Array(0);
  readonly dissolveValue = new AmountColumn(0);
  readonly refreshed = new AmountColumn(0);
  readonly joinedCommunityFund = new AmountColumn(0, NaN);
  readonly spawnAt = new AmountColumn(0, NaN);
  readonly gangBonusBase = new AmountColumn(0, NaN);
  flags = new Uint8Array(0);
  visibility = new Uint8Array(0);
  /** -1: none. */
  neuronType = new Int32Array(0);
  controllers = new Uint8Array(0);
  subaccounts = new Uint8Array(0);
  // Rare or variable-sized fields, by slot (absent: none).
  readonly hotKeys = new Map<number, Principal[]>();
  /** Followees: see FolloweeArena (most neurons follow someone: no Map per neuron). */
  readonly followees = new FolloweeArena();
  readonly known = new Map<number, KnownNeuronData>();
  readonly disbursements = new Map<number, MaturityDisbursement[]>();

  private get amountColumns(): AmountColumn[] {
    return [
      this.cachedStake,
      this.fees,
      this.maturity,
      this.stakedMaturity,
      this.created,
      this.agingSince,
      this.dissolveValue,
      this.refreshed,
      this.joinedCommunityFund,
      this.spawnAt,
      this.gangBonusBase,
    ];
  }

  reserve(slots: number) {
    if (slots <= this.capacity) return;
    const capacity = Math.max(1024, slots, this.capacity * 2);
    const grow = <T extends Uint8Array | Int32Array | BigUint64Array>(a: T, make: (n: number) => T, stride = 1): T => {
      const b = make(capacity * stride);
      b.set(a as never);
      return b;
    };
    this.ids = grow(this.ids, (n) => new BigUint64Array(n));
    for (const c of this.amountColumns) c.grow(capacity);
    this.dissolveKind = grow(this.dissolveKind, (n) => new Uint8Array(n));
    this.flags = grow(this.flags, (n) => new Uint8Array(n));
    this.visibility = grow(this.visibility, (n) => new Uint8Array(n));
    this.neuronType = grow(this.neuronType, (n) => new Int32Array(n).fill(-1));
    this.controllers = grow(this.controllers, (n) => new Uint8Array(n), PRINCIPAL_STRIDE);
    this.subaccounts = grow(this.subaccounts, (n) => new Uint8Array(n), SUBACCOUNT_BYTES);
    this.followees.reserve(capacity);
    this.capacity = capacity;
  }

  /** A new slot holding a copy of `n`'s fields; returns its view. */
  add(n: Neuron): StoredNeuron {
    const slot = this.size;
    this.reserve(slot + 1);
    this.size = slot + 1;
    this.ids[slot] = n.id;
    const v = new StoredNeuron(this, slot, n.id);
    const { id: _id, slot: _slot, ...fields } = plainNeuron(n);
    Object.assign(v, fields); // through the view's setters, into the columns
    return v;
  }

  isRemoved(slot: number): boolean {
    return (this.flags[slot] & F_REMOVED) !== 0;
  }

  /** Forgets a removed neuron's fields (its columns stay, unread). */
  clear(slot: number) {
    this.flags[slot] = F_REMOVED;
    this.hotKeys.delete(slot);
    this.followees.set(slot, undefined);
    this.known.delete(slot);
    this.disbursements.delete(slot);
  }

  controllerBytes(slot: number): Uint8Array {
    const at = slot * PRINCIPAL_STRIDE;
    return this.controllers.subarray(at + 1, at + 1 + this.controllers[at]);
  }

  // ---- Snapshot ---------------------------------------------------------------------------------

  /** Every column up to `size`, then the side fields. */
  encode(): Uint8Array {
    const n = this.size;
    const w = new BinWriter(n * 160 + (1 << 16));
    w.u32(n);
    w.raw(new Uint8Array(this.ids.buffer, 0, n * 8));
    for (const c of this.amountColumns) c.write(w, n);
    w.raw(this.dissolveKind.subarray(0, n));
    w.raw(this.flags.subarray(0, n));
    w.raw(this.visibility.subarray(0, n));
    w.raw(new Uint8Array(this.neuronType.buffer, 0, n * 4));
    w.raw(this.controllers.subarray(0, n * PRINCIPAL_STRIDE));
    w.raw(this.subaccounts.subarray(0, n * SUBACCOUNT_BYTES));
    const nonEmpty = <T extends { length?: number; size?: number }>(m: Map<number, T>) => [...m].filter(([, v]) => (v.length ?? v.size) !== 0);
    const hot = nonEmpty(this.hotKeys); // empty ones are never stored; this guards against in-place changes
    w.u32(hot.length);
    for (const [slot, keys] of hot) {
      w.u32(slot);
      w.u8(keys.length);
      for (const k of keys) w.bytes(k.toUint8Array());
    }
    this.followees.write(w, n);
    w.u32(this.known.size);
    for (const [slot, k] of this.known) {
      w.u32(slot);
      w.str(JSON.stringify(k));
    }
    const dis = nonEmpty(this.disbursements);
    w.u32(dis.length);
    for (const [slot, list] of dis) {
      w.u32(slot);
      w.u8(list.length);
      for (const d of list) {
        w.u64(d.amountE8s);
        w.u64(d.timestampSeconds);
        w.raw(d.toAccountIdentifier);
        if (!d.toAccount) w.u8(0);
        else {
          w.u8(d.toAccount.subaccount ? 2 : 1);
          w.bytes(d.toAccount.owner.toUint8Array());
          if (d.toAccount.subaccount) w.raw(d.toAccount.subaccount);
        }
      }
    }
    return w.finish();
  }

  /** The inverse of encode(), into an empty store; returns the number of slots. */
  decode(bytes: Uint8Array): number {
    if (this.size !== 0) throw new Error('NeuronStore.decode: the store is not empty');
    const r = new BinReader(bytes);
    const n = r.u32();
    this.reserve(n);
    this.size = n;
    new Uint8Array(this.ids.buffer, 0, n * 8).set(r.span(n * 8));
    for (const c of this.amountColumns) c.read(r, n);
    this.dissolveKind.set(r.span(n));
    this.flags.set(r.span(n));
    this.visibility.set(r.span(n));
    new Uint8Array(this.neuronType.buffer, 0, n * 4).set(r.span(n * 4));
    this.controllers.set(r.span(n * PRINCIPAL_STRIDE));
    this.subaccounts.set(r.span(n * SUBACCOUNT_BYTES));
    for (let i = r.u32(); i > 0; i--) {
      const slot = r.u32();
      const keys: Principal[] = [];
      for (let k = r.u8(); k > 0; k--) keys.push(Principal.fromUint8Array(r.bytes()));
      this.hotKeys.set(slot, keys);
    }
    this.followees.read(r);
    for (let i = r.u32(); i > 0; i--) this.known.set(r.u32(), JSON.parse(r.str()) as KnownNeuronData);
    for (let i = r.u32(); i > 0; i--) {
      const slot = r.u32();
      const list: MaturityDisbursement[] = [];
      for (let k = r.u8(); k > 0; k--) {
        const d: MaturityDisbursement = { amountE8s: r.u64(), timestampSeconds: r.u64(), toAccountIdentifier: r.raw(32) };
        const kind = r.u8();
        if (kind !== 0) {
          const owner = Principal.fromUint8Array(r.bytes());
          d.toAccount = kind === 2 ? { owner, subaccount: r.raw(32) } : { owner };
        }
        list.push(d);
      }
      this.disbursements.set(slot, list);
    }
    if (!r.done) throw new Error('neuron snapshot: trailing bytes');
    return n;
  }
}

/** One neuron: a view of its slot in the store (see the header). */
export class StoredNeuron implements Neuron {
  constructor(
    private readonly store: NeuronStore,
    readonly slot: number,
    readonly id: bigint,
  ) {}

  get controller(): Principal {
    return Principal.fromUint8Array(this.store.controllerBytes(this.slot).slice());
  }
  set controller(p: Principal) {
    const b = p.toUint8Array();
    if (b.byteLength >= PRINCIPAL_STRIDE) throw new Error('a principal has at most 29 bytes');
    const at = this.slot * PRINCIPAL_STRIDE;
    this.store.controllers[at] = b.byteLength;
    this.store.controllers.set(b, at + 1);
  }

  // Lists and maps: a neuron without any reads a new empty one that is not stored, so a change
  // is made by assigning the changed value (n.hotKeys = [...n.hotKeys, key]).
  get hotKeys(): Principal[] {
    return this.store.hotKeys.get(this.slot) ?? [];
  }
  set hotKeys(keys: Principal[]) {
    if (keys.length > 0) this.store.hotKeys.set(this.slot, keys);
    else this.store.hotKeys.delete(this.slot);
  }

  get subaccount(): Uint8Array {
    const at = this.slot * SUBACCOUNT_BYTES;
    return this.store.subaccounts.subarray(at, at + SUBACCOUNT_BYTES);
  }
  set subaccount(b: Uint8Array) {
    if (b.byteLength !== SUBACCOUNT_BYTES) throw new Error('a neuron subaccount has 32 bytes');
    this.store.subaccounts.set(b, this.slot * SUBACCOUNT_BYTES);
  }

  get cachedStakeE8s(): bigint {
    return this.store.cachedStake.get(this.slot);
  }
  set cachedStakeE8s(v: bigint) {
    this.store.cachedStake.set(this.slot, v);
  }
  get feesE8s(): bigint {
    return this.store.fees.get(this.slot);
  }
  set feesE8s(v: bigint) {
    this.store.fees.set(this.slot, v);
  }
  get maturityE8s(): bigint {
    return this.store.maturity.get(this.slot);
  }
  set maturityE8s(v: bigint) {
    this.store.maturity.set(this.slot, v);
  }
  get stakedMaturityE8s(): bigint {
    return this.store.stakedMaturity.get(this.slot);
  }
  set stakedMaturityE8s(v: bigint) {
    this.store.stakedMaturity.set(this.slot, v);
  }
  get createdSeconds(): bigint {
    return this.store.created.get(this.slot);
  }
  set createdSeconds(v: bigint) {
    this.store.created.set(this.slot, v);
  }
  get agingSinceSeconds(): bigint {
    return this.store.agingSince.get(this.slot);
  }
  set agingSinceSeconds(v: bigint) {
    this.store.agingSince.set(this.slot, v);
  }

  /** A copy: assign a new DissolveState to change it. */
  get dissolve(): DissolveState {
    const v = this.store.dissolveValue.get(this.slot);
    return this.store.dissolveKind[this.slot] === 0 ? { kind: 'delay', seconds: v } : { kind: 'when', timestamp: v };
  }
  set dissolve(d: DissolveState) {
    this.store.dissolveKind[this.slot] = d.kind === 'delay' ? 0 : 1;
    this.store.dissolveValue.set(this.slot, d.kind === 'delay' ? d.seconds : d.timestamp);
  }

  /** A new map on every read. Change it only through GovernanceState.setFollowees (the indexes). */
  get followees(): Map<number, bigint[]> {
    return this.store.followees.get(this.slot) ?? new Map();
  }
  set followees(m: Map<number, bigint[]>) {
    this.store.followees.set(this.slot, m);
  }

  get votingPowerRefreshedSeconds(): bigint {
    return this.store.refreshed.get(this.slot);
  }
  set votingPowerRefreshedSeconds(v: bigint) {
    this.store.refreshed.set(this.slot, v);
  }

  private flag(bit: number): boolean {
    return (this.store.flags[this.slot] & bit) !== 0;
  }
  private setFlag(bit: number, on: boolean) {
    this.store.flags[this.slot] = on ? this.store.flags[this.slot] | bit : this.store.flags[this.slot] & ~bit;
  }
  get autoStakeMaturity(): boolean {
    return this.flag(F_AUTO_STAKE);
  }
  set autoStakeMaturity(v: boolean) {
    this.setFlag(F_AUTO_STAKE, v);
  }
  get kycVerified(): boolean {
    return this.flag(F_KYC);
  }
  set kycVerified(v: boolean) {
    this.setFlag(F_KYC, v);
  }
  get notForProfit(): boolean {
    return this.flag(F_NOT_FOR_PROFIT);
  }
  set notForProfit(v: boolean) {
    this.setFlag(F_NOT_FOR_PROFIT, v);
  }

  get joinedCommunityFundSeconds(): bigint | undefined {
    return this.store.joinedCommunityFund.opt(this.slot);
  }
  set joinedCommunityFundSeconds(v: bigint | undefined) {
    this.store.joinedCommunityFund.set(this.slot, v);
  }
  get spawnAtSeconds(): bigint | undefined {
    return this.store.spawnAt.opt(this.slot);
  }
  set spawnAtSeconds(v: bigint | undefined) {
    this.store.spawnAt.set(this.slot, v);
  }
  get eightYearGangBonusBaseE8s(): bigint | undefined {
    return this.store.gangBonusBase.opt(this.slot);
  }
  set eightYearGangBonusBaseE8s(v: bigint | undefined) {
    this.store.gangBonusBase.set(this.slot, v);
  }

  get visibility(): Visibility {
    return this.store.visibility[this.slot] as Visibility;
  }
  set visibility(v: Visibility) {
    this.store.visibility[this.slot] = v;
  }
  get neuronType(): number | undefined {
    const t = this.store.neuronType[this.slot];
    return t < 0 ? undefined : t;
  }
  set neuronType(v: number | undefined) {
    this.store.neuronType[this.slot] = v ?? -1;
  }

  get knownNeuron(): KnownNeuronData | undefined {
    return this.store.known.get(this.slot);
  }
  set knownNeuron(k: KnownNeuronData | undefined) {
    if (k) this.store.known.set(this.slot, k);
    else this.store.known.delete(this.slot);
  }

  get maturityDisbursements(): MaturityDisbursement[] {
    return this.store.disbursements.get(this.slot) ?? [];
  }
  set maturityDisbursements(list: MaturityDisbursement[]) {
    if (list.length > 0) this.store.disbursements.set(this.slot, list);
    else this.store.disbursements.delete(this.slot);
  }
}

/** A plain copy of a neuron's fields (for previews that must not touch the stored neuron). */
export function plainNeuron(n: Neuron): Neuron {
  return {
    id: n.id,
    controller: n.controller,
    hotKeys: [...n.hotKeys],
    subaccount: n.subaccount.slice(),
    cachedStakeE8s: n.cachedStakeE8s,
    feesE8s: n.feesE8s,
    maturityE8s: n.maturityE8s,
    stakedMaturityE8s: n.stakedMaturityE8s,
    createdSeconds: n.createdSeconds,
    agingSinceSeconds: n.agingSinceSeconds,
    dissolve: { ...n.dissolve },
    followees: new Map([...n.followees].map(([t, l]) => [t, [...l]])),
    votingPowerRefreshedSeconds: n.votingPowerRefreshedSeconds,
    autoStakeMaturity: n.autoStakeMaturity,
    joinedCommunityFundSeconds: n.joinedCommunityFundSeconds,
    visibility: n.visibility,
    knownNeuron: n.knownNeuron ? { ...n.knownNeuron, links: [...n.knownNeuron.links], committedTopics: [...n.knownNeuron.committedTopics] } : undefined,
    spawnAtSeconds: n.spawnAtSeconds,
    maturityDisbursements: n.maturityDisbursements.map((d) => ({ ...d })),
    eightYearGangBonusBaseE8s: n.eightYearGangBonusBaseE8s,
    neuronType: n.neuronType,
    kycVerified: n.kycVerified,
    notForProfit: n.notForProfit,
    slot: n.slot,
  };
}

/**
 * The followees of every neuron in two arenas: per record a header (topic count, then topic and
 * followee count per topic) in bytes and the followee ids in a u64 array, with each slot's record
 * offsets. A change appends a new record (the old one is dropped when the snapshot is written).
 */
export class FolloweeArena {
  head = new Uint8Array(1 << 16);
  ids = new BigUint64Array(1 << 14);
  /** The same ids as 32-bit halves (little-endian: low, high), to compare without bigints. */
  private ids32 = new Uint32Array(this.ids.buffer);
  private headEnd = 0;
  private idsEnd = 0;
  /** slot -> header offset (-1: no followees), and where its ids start. */
  headAt = new Int32Array(0).fill(-1);
  idsAt = new Int32Array(0);

  reserve(capacity: number) {
    if (capacity <= this.headAt.length) return;
    const headAt = new Int32Array(capacity).fill(-1);
    headAt.set(this.headAt);
    const idsAt = new Int32Array(capacity);
    idsAt.set(this.idsAt);
    this.headAt = headAt;
    this.idsAt = idsAt;
  }

  has(slot: number): boolean {
    return this.headAt[slot] >= 0;
  }

  get(slot: number): Map<number, bigint[]> | undefined {
    let h = this.headAt[slot];
    if (h < 0) return undefined;
    let i = this.idsAt[slot];
    const m = new Map<number, bigint[]>();
    for (let t = this.head[h++]; t > 0; t--) {
      const topic = this.head[h++];
      const list: bigint[] = [];
      for (let k = this.head[h++]; k > 0; k--) list.push(this.ids[i++]);
      m.set(topic, list);
    }
    return m;
  }

  /** True when the slot follows the neuron whose id has these 32-bit halves on `topic`. */
  follows(slot: number, topic: number, lo: number, hi: number): boolean {
    let h = this.headAt[slot];
    if (h < 0) return false;
    let i = this.idsAt[slot];
    const ids32 = this.ids32;
    for (let t = this.head[h++]; t > 0; t--) {
      const count = this.head[h + 1];
      if (this.head[h] === topic) {
        for (let k = i; k < i + count; k++) if (ids32[2 * k] === lo && ids32[2 * k + 1] === hi) return true;
        return false;
      }
      h += 2;
      i += count;
    }
    return false;
  }

  /** Calls fn(topic, count, idsFrom) for each topic of the slot's record (no allocation). */
  forEachTopic(slot: number, fn: (topic: number, count: number, idsFrom: number) => void) {
    let h = this.headAt[slot];
    if (h < 0) return;
    let i = this.idsAt[slot];
    for (let t = this.head[h++]; t > 0; t--) {
      const topic = this.head[h++];
      const count = this.head[h++];
      fn(topic, count, i);
      i += count;
    }
  }

  set(slot: number, m: Map<number, bigint[]> | undefined) {
    if (!m || m.size === 0) {
      this.headAt[slot] = -1;
      return;
    }
    let ids = 0;
    for (const list of m.values()) ids += list.length;
    this.ensure(1 + 2 * m.size, ids);
    this.headAt[slot] = this.headEnd;
    this.idsAt[slot] = this.idsEnd;
    this.head[this.headEnd++] = m.size;
    for (const [topic, list] of m) {
      if (list.length > 255) throw new Error('at most 255 followees per topic');
      this.head[this.headEnd++] = topic;
      this.head[this.headEnd++] = list.length;
      for (const id of list) this.ids[this.idsEnd++] = id;
    }
  }

  private ensure(headBytes: number, ids: number) {
    if (this.headEnd + headBytes > this.head.length) {
      const head = new Uint8Array(Math.max(this.head.length * 2, this.headEnd + headBytes));
      head.set(this.head.subarray(0, this.headEnd));
      this.head = head;
    }
    if (this.idsEnd + ids > this.ids.length) {
      const grown = new BigUint64Array(Math.max(this.ids.length * 2, this.idsEnd + ids));
      grown.set(this.ids.subarray(0, this.idsEnd));
      this.ids = grown;
      this.ids32 = new Uint32Array(grown.buffer);
    }
  }

  /** The live records of slots below `slots`, compacted. */
  write(w: BinWriter, slots: number) {
    let count = 0;
    let heads = 0;
    let ids = 0;
    for (let slot = 0; slot < slots; slot++) {
      this.forEachTopic(slot, (_t, n) => {
        heads += 2;
        ids += n;
      });
      if (this.has(slot)) {
        count++;
        heads++;
      }
    }
    w.u32(count);
    w.u32(heads);
    w.u32(ids);
    const idBuf = new BigUint64Array(ids);
    let idEnd = 0;
    for (let slot = 0; slot < slots; slot++) {
      const h = this.headAt[slot];
      if (h < 0) continue;
      const topics = this.head[h];
      w.u32(slot);
      w.raw(this.head.subarray(h, h + 1 + 2 * topics));
      let n = 0;
      for (let t = 0; t < topics; t++) n += this.head[h + 2 + 2 * t];
      idBuf.set(this.ids.subarray(this.idsAt[slot], this.idsAt[slot] + n), idEnd);
      idEnd += n;
    }
    w.raw(new Uint8Array(idBuf.buffer));
  }

  read(r: BinReader) {
    const count = r.u32();
    const heads = r.u32();
    const ids = r.u32();
    this.ensure(heads, ids);
    let idsAt = this.idsEnd;
    for (let i = 0; i < count; i++) {
      const slot = r.u32();
      const topics = r.u8();
      const record = r.span(2 * topics);
      this.headAt[slot] = this.headEnd;
      this.idsAt[slot] = idsAt;
      this.head[this.headEnd++] = topics;
      this.head.set(record, this.headEnd);
      this.headEnd += 2 * topics;
      for (let t = 0; t < topics; t++) idsAt += record[2 * t + 1];
    }
    new Uint8Array(this.ids.buffer, this.idsEnd * 8, ids * 8).set(r.span(ids * 8));
    this.idsEnd += ids;
    if (idsAt !== this.idsEnd) throw new Error('neuron snapshot: followee counts do not match');
  }
}
