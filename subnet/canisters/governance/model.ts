// NNS governance state: neurons, proposals and the indexes that keep every request fast at
// mainnet size (400k neurons, 150k proposals). Plain data plus maps; the commands live in
// neurons.ts (neuron management) and proposals.ts / rewards.ts (proposals, voting, rewards).
// Behaviour: shared/reference/nns-canisters.md ("Mission 70" rules); constants below.
import type { Principal } from '@icp-sdk/core/principal';
import type { Ballots, NeuronSlots } from './ballots.ts';
import { NeuronStore, StoredNeuron } from './neuron-store.ts';
import { SlotHash, hashBytes } from '../common/slot-hash.ts';
import { BinReader, BinWriter } from '../../runtime/binary.ts';

// ---- Time ----------------------------------------------------------------------------------------
export const DAY = 86_400n;
export const YEAR = 31_557_600n;
export const MONTH = 2_629_800n;
export const SIX_MONTHS = 15_778_800n;
export const TWO_YEARS = 63_115_200n;
export const FOUR_YEARS = 126_230_400n;
export const EIGHT_YEARS = 252_460_800n;
export const U64_MAX = 2n ** 64n - 1n;

// ---- Limits (Mission 70) -------------------------------------------------------------------------
export const E8S_PER_ICP = 100_000_000n;
export const TRANSACTION_FEE_E8S = 10_000n;
export const MAX_DISSOLVE_DELAY_SECONDS = TWO_YEARS;
export const MAX_AGE_BONUS_SECONDS = FOUR_YEARS;
export const MIN_DISSOLVE_DELAY_FOR_PROPOSAL_SECONDS = SIX_MONTHS;
export const INITIAL_DISSOLVE_DELAY_SECONDS = 7n * DAY;
export const MAX_HOT_KEYS = 10;
export const MAX_FOLLOWEES_PER_TOPIC = 15;
export const MAX_RECENT_BALLOTS = 100;
export const MAX_PENDING_MATURITY_DISBURSEMENTS = 10;
export const MATURITY_DISBURSEMENT_DELAY_SECONDS = 7n * DAY;
export const WAIT_FOR_QUIET_DEADLINE_INCREASE_SECONDS = 2n * DAY;
export const VOTING_PERIOD_SECONDS = 4n * DAY;
export const SHORT_VOTING_PERIOD_SECONDS = 12n * 3600n; // ExchangeRate
export const NEURON_MANAGEMENT_VOTING_PERIOD_SECONDS = 2n * DAY;
/** (unverified) the reject cost on mainnet; changeable by a ManageNetworkEconomics proposal. */
export const REJECT_COST_E8S = 25n * E8S_PER_ICP;
export const NEURON_MANAGEMENT_FEE_PER_PROPOSAL_E8S = 1_000_000n;

export enum Topic {
  Unspecified = 0,
  NeuronManagement = 1,
  ExchangeRate = 2,
  NetworkEconomics = 3,
  Governance = 4,
  NodeAdmin = 5,
  ParticipantManagement = 6,
  SubnetManagement = 7,
  ApplicationCanisterManagement = 8,
  Kyc = 9,
  NodeProviderRewards = 10,
  SnsDecentralizationSale = 11,
  IcOsVersionDeployment = 12,
  IcOsVersionElection = 13,
  SnsAndCommunityFund = 14,
  ApiBoundaryNodeManagement = 15,
  SubnetRental = 16,
  ProtocolCanisterManagement = 17,
  ServiceNervousSystemManagement = 18,
}
export const TOPICS: number[] = Object.values(Topic).filter((v): v is number => typeof v === 'number');

export enum NeuronState {
  NotDissolving = 1,
  Dissolving = 2,
  Dissolved = 3,
  Spawning = 4,
}
export enum Vote {
  Unspecified = 0,
  Yes = 1,
  No = 2,
}
export enum ProposalStatus {
  Open = 1,
  Rejected = 2,
  Adopted = 3,
  Executed = 4,
  Failed = 5,
}
export enum RewardStatus {
  AcceptVotes = 1,
  ReadyToSettle = 2,
  Settled = 3,
  Ineligible = 4,
}
export enum Visibility {
  Private = 1,
  Public = 2,
}
/** GovernanceError.error_type values. */
export enum ErrorType {
  Unavailable = 2,
  NotAuthorized = 3,
  NotFound = 4,
  InvalidCommand = 5,
  RequiresNotDissolving = 6,
  RequiresDissolving = 7,
  RequiresDissolved = 8,
  HotKey = 9,
  ResourceExhausted = 10,
  PreconditionFailed = 11,
  External = 12,
  LedgerUpdateOngoing = 13,
  InsufficientFunds = 14,
  InvalidPrincipal = 15,
  InvalidProposal = 16,
  AlreadyJoinedCommunityFund = 17,
  NotInTheCommunityFund = 18,
  NeuronAlreadyVoted = 19,
}

/** A GovernanceError as a JS exception; governance.ts turns it into the Candid reply. */
export class GovernanceError extends Error {
  constructor(
    readonly errorType: ErrorType,
    message: string,
  ) {
    super(message);
  }
}
export const fail = (type: ErrorType, message: string): never => {
  throw new GovernanceError(type, message);
};

// ---- Neurons -------------------------------------------------------------------------------------

export type DissolveState =
  | { kind: 'delay'; seconds: bigint } // NotDissolving (seconds > 0), aging since agingSince
  | { kind: 'when'; timestamp: bigint }; // Dissolving until / Dissolved since timestamp

export interface MaturityDisbursement {
  amountE8s: bigint;
  /** When it was asked for; minted at timestamp + 7 days, with the maturity modulation of then. */
  timestampSeconds: bigint;
  /** Destination account identifier (32 bytes). */
  toAccountIdentifier: Uint8Array;
  /** Set when the destination was given as an ICRC-1 account. */
  toAccount?: { owner: Principal; subaccount?: Uint8Array };
}

export interface KnownNeuronData {
  name: string;
  description?: string;
  links: string[];
  committedTopics: number[];
}

export interface BallotRecord {
  proposalId: bigint;
  vote: Vote;
}

export interface Neuron {
  id: bigint;
  controller: Principal;
  hotKeys: Principal[];
  /** The 32-byte subaccount of governance that holds the stake. */
  subaccount: Uint8Array;
  cachedStakeE8s: bigint;
  feesE8s: bigint;
  maturityE8s: bigint;
  stakedMaturityE8s: bigint;
  createdSeconds: bigint;
  /** U64_MAX while dissolving (no age). */
  agingSinceSeconds: bigint;
  dissolve: DissolveState;
  /** topic -> followee neuron ids (a list replaces, an empty list clears). */
  followees: Map<number, bigint[]>;
  votingPowerRefreshedSeconds: bigint;
  autoStakeMaturity: boolean;
  joinedCommunityFundSeconds?: bigint;
  visibility: Visibility;
  knownNeuron?: KnownNeuronData;
  /** For a neuron being spawned: when its maturity is minted as stake. */
  spawnAtSeconds?: bigint;
  maturityDisbursements: MaturityDisbursement[];
  /** Only neurons migrated with an 8-year delay; zero/undefined for new neurons. */
  eightYearGangBonusBaseE8s?: bigint;
  neuronType?: number;
  kycVerified: boolean;
  notForProfit: boolean;
  /** Dense, permanent index given by GovernanceState.addNeuron (ballots are stored by slot). */
  slot?: number;
}

/** Proposal ids at or above this are not recorded in recent ballots (mainnet is at ~140k). */
const RECENT_ID_LIMIT = 2 ** 30;
/** Words per slot in the recent-ballots ring: a counter, then MAX_RECENT_BALLOTS entries. */
const RECENT_STRIDE = MAX_RECENT_BALLOTS + 1;

export function neuronState(n: Neuron, nowSeconds: bigint): NeuronState {
  if (n.spawnAtSeconds !== undefined) return NeuronState.Spawning;
  if (n.dissolve.kind === 'delay') return n.dissolve.seconds > 0n ? NeuronState.NotDissolving : NeuronState.Dissolved;
  return nowSeconds >= n.dissolve.timestamp ? NeuronState.Dissolved : NeuronState.Dissolving;
}

export function dissolveDelaySeconds(n: Neuron, nowSeconds: bigint): bigint {
  if (n.dissolve.kind === 'delay') return n.dissolve.seconds;
  return n.dissolve.timestamp > nowSeconds ? n.dissolve.timestamp - nowSeconds : 0n;
}

export function ageSeconds(n: Neuron, nowSeconds: bigint): bigint {
  if (n.dissolve.kind === 'when' || n.agingSinceSeconds === U64_MAX || n.agingSinceSeconds > nowSeconds) return 0n;
  return nowSeconds - n.agingSinceSeconds;
}

/** stake = cached stake - fees + staked maturity (what votes and earns). */
export function votingStakeE8s(n: Neuron): bigint {
  const own = n.cachedStakeE8s > n.feesE8s ? n.cachedStakeE8s - n.feesE8s : 0n;
  return own + n.stakedMaturityE8s;
}

/**
 * Potential voting power (Mission 70): stake * (1 + 2 t^2) * (1 + min(age, 4y) / 4y / 4), with
 * t = min(delay, 2y) / 2y, plus the 8-year-gang term. Computed in exact integers, floored once.
 */
export function potentialVotingPower(n: Neuron, nowSeconds: bigint, gangBoostPermille = 0n): bigint {
  const stake = votingStakeE8s(n);
  const d = dissolveDelaySeconds(n, nowSeconds);
  const delay = d < MAX_DISSOLVE_DELAY_SECONDS ? d : MAX_DISSOLVE_DELAY_SECONDS;
  const a = ageSeconds(n, nowSeconds);
  const age = a < MAX_AGE_BONUS_SECONDS ? a : MAX_AGE_BONUS_SECONDS;
  const T = MAX_DISSOLVE_DELAY_SECONDS;
  const A = MAX_AGE_BONUS_SECONDS;
  // stake * (T^2 + 2 delay^2)/T^2 * (4A + age)/(4A)
  const num = stake * (T * T + 2n * delay * delay) * (4n * A + age);
  const den = T * T * 4n * A;
  let vp = num / den;
  const base = n.eightYearGangBonusBaseE8s ?? 0n;
  if (base > 0n && gangBoostPermille > 0n) vp += ((base < stake ? base : stake) / 10n) * gangBoostPermille / 1000n;
  return vp;
}

/** The share of potential power that counts, from the time since the last refresh. */
export function decidingVotingPower(
  n: Neuron,
  nowSeconds: bigint,
  economics: { startReducingAfterSeconds: bigint; clearFollowingAfterSeconds: bigint },
  potential = potentialVotingPower(n, nowSeconds),
): bigint {
  const since = nowSeconds > n.votingPowerRefreshedSeconds ? nowSeconds - n.votingPowerRefreshedSeconds : 0n;
  const start = economics.startReducingAfterSeconds;
  if (since <= start) return potential;
  const span = economics.clearFollowingAfterSeconds;
  const over = since - start;
  if (over >= span) return 0n;
  return (potential * (span - over)) / span;
}

// ---- Proposals -----------------------------------------------------------------------------------

export interface BallotData {
  vote: Vote;
  /** Deciding voting power at the proposal's creation. */
  votingPower: bigint;
}

export interface Tally {
  yes: bigint;
  no: bigint;
  total: bigint;
  timestampSeconds: bigint;
}

export interface ProposalData {
  id: bigint;
  topic: Topic;
  proposer: bigint;
  /** The Candid `Proposal` record as submitted (title, summary, url, action). */
  proposal: unknown;
  createdSeconds: bigint;
  deadlineSeconds: bigint;
  rejectCostE8s: bigint;
  /** Cleared once rewards are settled (as mainnet does), to bound memory. */
  ballots: Ballots;
  totalPotentialVotingPower: bigint;
  tally: Tally;
  decidedSeconds: bigint;
  executedSeconds: bigint;
  failedSeconds: bigint;
  failureReason?: { errorType: ErrorType; message: string };
  /** Reward round that settled it (0 while unsettled). */
  rewardEventRound: bigint;
}

export interface RewardEvent {
  dayAfterGenesis: bigint;
  actualTimestampSeconds: bigint;
  settledProposals: bigint[];
  distributedE8sEquivalent: bigint;
  totalAvailableE8sEquivalent: bigint;
  roundsSinceLastDistribution: bigint;
  latestRoundAvailableE8sEquivalent: bigint;
}

export interface Economics {
  rejectCostE8s: bigint;
  neuronMinimumStakeE8s: bigint;
  neuronManagementFeePerProposalE8s: bigint;
  transactionFeeE8s: bigint;
  neuronSpawnDissolveDelaySeconds: bigint;
  maxProposalsToKeepPerTopic: number;
  minimumIcpXdrRate: bigint;
  maximumNodeProviderRewardsE8s: bigint;
  startReducingVotingPowerAfterSeconds: bigint;
  clearFollowingAfterSeconds: bigint;
  neuronMinimumDissolveDelayToVoteSeconds: bigint;
}

export const DEFAULT_ECONOMICS: Economics = {
  rejectCostE8s: REJECT_COST_E8S,
  neuronMinimumStakeE8s: E8S_PER_ICP,
  neuronManagementFeePerProposalE8s: NEURON_MANAGEMENT_FEE_PER_PROPOSAL_E8S,
  transactionFeeE8s: TRANSACTION_FEE_E8S,
  neuronSpawnDissolveDelaySeconds: 7n * DAY,
  maxProposalsToKeepPerTopic: 100,
  minimumIcpXdrRate: 100n,
  maximumNodeProviderRewardsE8s: 100_000n * E8S_PER_ICP,
  startReducingVotingPowerAfterSeconds: SIX_MONTHS,
  clearFollowingAfterSeconds: MONTH,
  neuronMinimumDissolveDelayToVoteSeconds: 14n * DAY,
};

/** The voting period of a topic. */
export function votingPeriodSeconds(topic: Topic): bigint {
  if (topic === Topic.NeuronManagement) return NEURON_MANAGEMENT_VOTING_PERIOD_SECONDS;
  if (topic === Topic.ExchangeRate) return SHORT_VOTING_PERIOD_SECONDS;
  return VOTING_PERIOD_SECONDS;
}

// ---- The whole state, with its indexes -----------------------------------------------------------

/** A principal's map key (Principal.toText costs a CRC and base32 each time). */
const principalKey = (p: Principal) => {
  const b = p.toUint8Array();
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
};
/** The 32-bit hash of a neuron id (its two halves xored: ids are random or sequential). */
const idHash = (id: bigint) => Number(BigInt.asUintN(32, id ^ (id >> 32n)));

function sameBytes(a: Uint8Array, at: number, b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (a[at + i] !== b[i]) return false;
  return true;
}

/** The hash tables of GovernanceState's indexes, as dumped into a snapshot. */
export interface NeuronIndexes {
  byId: Uint8Array;
  bySubaccount: Uint8Array;
  byController: Uint8Array;
  /** Int32 per slot (platform byte order). */
  nextOfController: Uint8Array;
  /** The follower lists (GovernanceState.dumpFollowers). */
  followers: Uint8Array;
}

/** The neurons by id, for reading (a view of GovernanceState's indexes). */
export class NeuronsById {
  constructor(private readonly state: GovernanceState) {}

  get(id: bigint): Neuron | undefined {
    return this.state.neuron(id);
  }

  has(id: bigint): boolean {
    return this.state.slotOf(id) !== undefined;
  }

  get size(): number {
    return this.state.neuronCount;
  }

  *values(): IterableIterator<Neuron> {
    for (const n of this.state.neuronsBySlot) if (n) yield n;
  }
}

/**
 * Neurons and proposals with the indexes every request needs: by id, by slot, by subaccount, by
 * principal (controller or hotkey), and followers by topic and followee (as slots, which is what
 * the cascade reads). Mutate neurons' indexed fields (controller, hot keys, followees, subaccount)
 * only through the methods here, so that the indexes stay true.
 */
export class GovernanceState implements NeuronSlots {
  /** The neurons' fields, by column (neuron-store.ts); `neurons` and `neuronsBySlot` hold views. */
  readonly store = new NeuronStore();
  readonly neurons = new NeuronsById(this);
  /** slot -> neuron; slots are dense and never reused (undefined once removed). */
  readonly neuronsBySlot: Array<Neuron | undefined> = [];
  private count = 0;
  // Indexes of slots in typed arrays (slot-hash.ts): by id, by subaccount, and by controller, whose
  // entry is the newest slot of that controller, the others chained by nextOfController.
  private readonly byId = new SlotHash((slot) => idHash(this.store.ids[slot]));
  private readonly bySubaccount = new SlotHash((slot) => hashBytes(this.store.subaccounts, slot * 32, slot * 32 + 32));
  private readonly byController = new SlotHash((slot) => hashBytes(this.store.controllerBytes(slot)));
  private nextOfController = new Int32Array(0);
  /** hot key (principal key) -> the id of its neuron, or a set of ids when it has several. */
  private readonly byHotKey = new Map<string, bigint | Set<bigint>>();
  /** Followees that had no neuron when followed (their slot's `followed` flag is set on arrival). */
  private readonly followedBeforeAdded = new Set<bigint>();
  /** While restoreNeurons runs (follow() leaves the `followed` flags to its end). */
  private restoring = false;
  /** topic -> followee -> follower slots on that topic. */
  private readonly followers = new Map<number, Map<bigint, FollowerList>>();
  /** Ascending by id (inserted in order). */
  readonly proposals = new Map<bigint, ProposalData>();
  nextProposalId = 1n;
  economics: Economics = { ...DEFAULT_ECONOMICS };
  genesisTimestampSeconds = 0n;
  latestRewardEvent?: RewardEvent;
  /** Maturity modulation in permyriad, within [-1000, +200] (Mission 70); moves at most 30 a day. */
  maturityModulationPermyriad = 0;
  /** Default followees for new neurons: topic -> neuron ids. */
  defaultFollowees = new Map<number, bigint[]>();
  /** Ids of the neurons with known-neuron data (list_known_neurons); kept by addNeuron/setKnownNeuron. */
  readonly knownNeuronIds = new Set<bigint>();
  /** Slot ids of removed neurons (their ballots still name them). */
  private readonly removedIds = new Map<number, bigint>();
  /**
   * Recent ballots of every neuron in one array, RECENT_STRIDE words per slot: [0] counts the
   * votes ever recorded, entry i (in recording order) is at 1 + i % MAX_RECENT_BALLOTS, packed as
   * proposalId * 4 + vote. One contiguous array: a cascade through 100k neurons writes 100k nearby
   * words instead of touching 100k small objects.
   */
  private recent = new Uint32Array(0);
  /** topic -> (slot -> number of followees on that topic): the cascade's fast path (following.ts). */
  private readonly followeeCounts = new Map<number, Uint8Array>();
  /** slot -> 1 when some neuron follows it on some topic (lets the cascade skip lookups). */
  private followed = new Uint8Array(0);
  private capacity = 0;

  get neuronCount(): number {
    return this.count;
  }

  private slotOfId(id: bigint): number {
    const ids = this.store.ids;
    return this.byId.find(idHash(id), (slot) => ids[slot] === id);
  }

  neuron(id: bigint): Neuron | undefined {
    const slot = this.slotOfId(id);
    return slot < 0 ? undefined : this.neuronsBySlot[slot];
  }

  slotOf(id: bigint): number | undefined {
    const slot = this.slotOfId(id);
    return slot < 0 ? undefined : slot;
  }

  idAt(slot: number): bigint {
    return this.neuronsBySlot[slot]?.id ?? this.removedIds.get(slot) ?? -1n;
  }

  neuronBySubaccount(subaccount: Uint8Array): Neuron | undefined {
    if (subaccount.length !== 32) return undefined;
    const subs = this.store.subaccounts;
    const slot = this.bySubaccount.find(hashBytes(subaccount), (s) => sameBytes(subs, s * 32, subaccount));
    return slot < 0 ? undefined : this.neuronsBySlot[slot];
  }

  /** The newest slot controlled by `bytes` (a principal's bytes), or -1. */
  private controllerHead(bytes: Uint8Array, hash = hashBytes(bytes)): number {
    return this.byController.find(hash, (s) => {
      const c = this.store.controllerBytes(s);
      return c.length === bytes.length && sameBytes(c, 0, bytes);
    });
  }

  /** Ids of the neurons a principal controls or is a hotkey of. */
  neuronIdsOf(principal: Principal): ReadonlySet<bigint> {
    const out = new Set<bigint>();
    for (let s = this.controllerHead(principal.toUint8Array()); s >= 0; s = this.nextOfController[s]) out.add(this.store.ids[s]);
    const hot = this.byHotKey.get(principalKey(principal));
    if (typeof hot === 'bigint') out.add(hot);
    else if (hot) for (const id of hot) out.add(id);
    return out;
  }

  /** Slots of the followers of `followee` on `topic`. */
  followerSlotsOf(topic: number, followee: bigint): ReadonlySet<number> {
    const out = new Set<number>();
    this.forEachFollower(topic, followee, (slot) => out.add(slot));
    return out;
  }

  /**
   * Calls fn(slot) for the followers of `followee` on `topic` (the cascade's inner loop). A slot
   * may come more than once. The lists only grow (an unfollow leaves its entry): each entry is
   * checked against the follower's followees, and the snapshot writes the lists compacted.
   */
  forEachFollower(topic: number, followee: bigint, fn: (slot: number) => void): void {
    const list = this.followers.get(topic)?.get(followee);
    if (!list) return;
    const lo = Number(followee & 0xffffffffn);
    const hi = Number((followee >> 32n) & 0xffffffffn);
    const { slots, n } = list;
    const arena = this.store.followees;
    for (let i = 0; i < n; i++) if (arena.follows(slots[i], topic, lo, hi)) fn(slots[i]);
  }

  /** Ids of the followers of `followee` on `topic`. */
  followersOf(topic: number, followee: bigint): Set<bigint> {
    return new Set([...this.followerSlotsOf(topic, followee)].map((s) => this.idAt(s)));
  }

  /** Records a vote in the neuron's recent ballots. */
  recordBallot(slot: number, proposalId: bigint | number, vote: Vote): void {
    const id = Number(proposalId);
    if (id >= RECENT_ID_LIMIT) return;
    const r = this.recent;
    const base = slot * RECENT_STRIDE;
    const count = r[base];
    r[base + 1 + (count % MAX_RECENT_BALLOTS)] = id * 4 + vote;
    r[base] = count + 1;
  }

  /** The neuron's recent ballots, newest first. */
  recentBallots(n: Neuron): BallotRecord[] {
    const r = this.recent;
    const base = n.slot! * RECENT_STRIDE;
    const count = r[base];
    const out: BallotRecord[] = [];
    for (let k = 0; k < MAX_RECENT_BALLOTS && k < count; k++) {
      const v = r[base + 1 + ((count - 1 - k) % MAX_RECENT_BALLOTS)];
      out.push({ proposalId: BigInt(Math.floor(v / 4)), vote: (v % 4) as Vote });
    }
    return out;
  }

  /** The recent-ballots array of all slots (snapshots), and its inverse. */
  recentBallotWords(): Uint32Array {
    return this.recent.subarray(0, this.neuronsBySlot.length * RECENT_STRIDE);
  }

  /** Restores the words from their bytes (recentBallotWords' bytes, possibly unaligned). */
  restoreRecentBallotBytes(bytes: Uint8Array): void {
    const n = Math.min(bytes.byteLength, this.recent.byteLength) & ~3;
    new Uint8Array(this.recent.buffer, 0, n).set(bytes.subarray(0, n));
  }

  /** Number of followees of the neuron in `slot` on `topic` (0 when it has no list). */
  followeeCount(topic: number, slot: number): number {
    return this.followeeCounts.get(topic)?.[slot] ?? 0;
  }

  /** slot -> 1 when the neuron in that slot may have followers (read-only; the cascade). */
  followedSlots(): Uint8Array {
    return this.followed;
  }

  /** slot -> followee count on `topic` (read-only; the cascade's inner loop). */
  followeeCountsOf(topic: number): Uint8Array | undefined {
    return this.followeeCounts.get(topic);
  }

  private ensureCapacity(slots: number) {
    this.store.reserve(slots);
    if (slots <= this.capacity) return;
    const next = new Int32Array(Math.max(1024, slots, this.capacity * 2));
    next.set(this.nextOfController);
    this.nextOfController = next;
    const capacity = Math.max(1024, slots, this.capacity * 2);
    const recent = new Uint32Array(capacity * RECENT_STRIDE);
    recent.set(this.recent);
    this.recent = recent;
    const followed = new Uint8Array(capacity);
    followed.set(this.followed);
    this.followed = followed;
    for (const [topic, counts] of this.followeeCounts) {
      const grown = new Uint8Array(capacity);
      grown.set(counts);
      this.followeeCounts.set(topic, grown);
    }
    this.capacity = capacity;
  }

  private setFolloweeCount(topic: number, slot: number, count: number) {
    let counts = this.followeeCounts.get(topic);
    if (!counts) this.followeeCounts.set(topic, (counts = new Uint8Array(this.capacity)));
    counts[slot] = Math.min(count, 255);
  }

  /**
   * Adds a neuron: its fields are copied into the store, and the returned view is the neuron from
   * now on (the object passed in is frozen, so that a change made to it by mistake fails loudly).
   */
  addNeuron(n: Neuron): Neuron {
    if (this.slotOfId(n.id) >= 0) throw new Error(`neuron ${n.id} exists`);
    this.ensureCapacity(this.store.size + 1);
    const v = this.store.add(n);
    if (!(n instanceof StoredNeuron)) Object.freeze(n);
    this.neuronsBySlot.push(v);
    this.index(v, idHash(n.id));
    return v;
  }

  /** The indexes of a neuron in the store (the hash tables too, unless they were loaded whole). */
  private index(n: StoredNeuron, hashOfId: number, tablesLoaded = false): void {
    const slot = n.slot;
    this.count++;
    if (this.followedBeforeAdded.size > 0 && this.followedBeforeAdded.delete(n.id)) this.followed[slot] = 1;
    if (!tablesLoaded) {
      this.byId.insert(hashOfId, slot);
      this.bySubaccount.insert(hashBytes(this.store.subaccounts, slot * 32, slot * 32 + 32), slot);
      const controller = this.store.controllerBytes(slot);
      const h = hashBytes(controller);
      const head = this.controllerHead(controller, h);
      this.nextOfController[slot] = head;
      if (head >= 0) this.byController.remove(h, head);
      this.byController.insert(h, slot);
    }
    const hot = this.store.hotKeys.get(slot);
    if (hot) for (const h of hot) this.link(h, n.id);
    const { followees } = this.store;
    followees.forEachTopic(slot, (topic, count, from) => {
      this.setFolloweeCount(topic, slot, count);
      if (!tablesLoaded) for (let i = from; i < from + count; i++) this.follow(topic, followees.ids[i], slot);
    });
    if (this.store.known.has(slot)) this.knownNeuronIds.add(n.id);
  }

  /** The hash tables of the indexes (see restoreNeurons). */
  dumpIndexes(): NeuronIndexes {
    const next = this.nextOfController.subarray(0, this.store.size);
    return {
      byId: this.byId.dump(),
      bySubaccount: this.bySubaccount.dump(),
      byController: this.byController.dump(),
      nextOfController: new Uint8Array(next.buffer, next.byteOffset, next.byteLength).slice(),
      followers: this.dumpFollowers(),
    };
  }

  /**
   * Replaces the (empty) neurons with those of an encoded store (NeuronStore.encode), with the
   * hash tables dumped along with it when they fit (checked on a sample), else rebuilt.
   */
  restoreNeurons(bytes: Uint8Array, indexes?: NeuronIndexes): void {
    if (this.store.size !== 0) throw new Error('restoreNeurons: the state already has neurons');
    const count = this.store.decode(bytes);
    this.ensureCapacity(count);
    const { store } = this;
    let live = 0;
    for (let slot = 0; slot < count; slot++) if (!store.isRemoved(slot)) live++;
    const loaded = indexes !== undefined && this.loadIndexes(indexes, count, live);
    if (!loaded) {
      this.byId.reserve(live);
      this.bySubaccount.reserve(live);
      this.byController.reserve(live);
    }
    const idWords = new Uint32Array(store.ids.buffer); // little-endian halves, for idHash
    this.restoring = true;
    try {
      for (let slot = 0; slot < count; slot++) {
        const id = store.ids[slot];
        if (store.isRemoved(slot)) {
          this.neuronsBySlot.push(undefined);
          this.removedIds.set(slot, id);
          continue;
        }
        const v = new StoredNeuron(store, slot, id);
        this.neuronsBySlot.push(v);
        this.index(v, (idWords[2 * slot] ^ idWords[2 * slot + 1]) >>> 0, loaded);
      }
    } finally {
      this.restoring = false;
    }
    for (const byFollowee of this.followers.values()) {
      for (const followee of byFollowee.keys()) {
        const slot = this.slotOf(followee);
        if (slot !== undefined) this.followed[slot] = 1;
        else this.followedBeforeAdded.add(followee);
      }
    }
  }

  private loadIndexes(x: NeuronIndexes, count: number, live: number): boolean {
    if (x.nextOfController.byteLength !== count * 4) return false;
    const fail = () => {
      this.byId.clear();
      this.bySubaccount.clear();
      this.byController.clear();
      this.followers.clear();
      return false;
    };
    if (!this.byId.load(x.byId, live) || !this.bySubaccount.load(x.bySubaccount, live) || !this.byController.load(x.byController)) return fail();
    try {
      this.loadFollowers(x.followers);
    } catch {
      return fail();
    }
    new Uint8Array(this.nextOfController.buffer, 0, count * 4).set(x.nextOfController);
    // A sample of slots must be found where they are (a dump that does not fit is rebuilt).
    const { store } = this;
    const step = Math.max(1, Math.floor(count / 64));
    for (let slot = 0; slot < count; slot += step) {
      if (store.isRemoved(slot)) continue;
      const sub = store.subaccounts.subarray(slot * 32, slot * 32 + 32);
      if (this.slotOfId(store.ids[slot]) !== slot || this.bySubaccount.find(hashBytes(sub), (s) => s === slot) !== slot) return fail();
    }
    return true;
  }

  /** Sets or clears a neuron's known-neuron data, keeping knownNeuronIds true. */
  setKnownNeuron(n: Neuron, data: KnownNeuronData | undefined): void {
    n.knownNeuron = data;
    if (data) this.knownNeuronIds.add(n.id);
    else this.knownNeuronIds.delete(n.id);
  }

  removeNeuron(id: bigint): void {
    const n = this.neuron(id);
    if (!n) return;
    const slot = n.slot!;
    for (const topic of n.followees.keys()) this.setFolloweeCount(topic, slot, 0);
    const hotKeys = n.hotKeys;
    this.byId.remove(idHash(id), slot);
    this.bySubaccount.remove(hashBytes(this.store.subaccounts, slot * 32, slot * 32 + 32), slot);
    const controller = this.store.controllerBytes(slot);
    const h = hashBytes(controller);
    const head = this.controllerHead(controller, h);
    if (head === slot) {
      this.byController.remove(h, slot);
      if (this.nextOfController[slot] >= 0) this.byController.insert(h, this.nextOfController[slot]);
    } else {
      let s = head;
      while (s >= 0 && this.nextOfController[s] !== slot) s = this.nextOfController[s];
      if (s >= 0) this.nextOfController[s] = this.nextOfController[slot];
    }
    this.count--;
    this.neuronsBySlot[slot] = undefined;
    this.removedIds.set(slot, id);
    this.knownNeuronIds.delete(id);
    for (const k of hotKeys) this.unlink(k, id);
    this.store.clear(slot);
  }

  setFollowees(n: Neuron, topic: number, list: bigint[]): void {
    // Dropped followees keep a stale entry in their follower list (see forEachFollower).
    const followees = n.followees;
    const before = followees.get(topic) ?? [];
    this.setFolloweeCount(topic, n.slot!, list.length);
    if (list.length === 0) followees.delete(topic);
    else {
      followees.set(topic, [...list]);
      for (const f of new Set(list)) if (!before.includes(f)) this.follow(topic, f, n.slot!);
    }
    n.followees = followees;
  }

  addHotKey(n: Neuron, key: Principal): void {
    n.hotKeys = [...n.hotKeys, key];
    this.link(key, n.id);
  }

  removeHotKey(n: Neuron, key: Principal): void {
    n.hotKeys = n.hotKeys.filter((k) => k.toText() !== key.toText());
    this.unlink(key, n.id);
  }

  /** Indexes a hot key of neuron `id`. */
  private link(p: Principal, id: bigint) {
    const k = principalKey(p);
    const ids = this.byHotKey.get(k);
    if (ids === undefined) this.byHotKey.set(k, id);
    else if (typeof ids !== 'bigint') ids.add(id);
    else if (ids !== id) this.byHotKey.set(k, new Set([ids, id]));
  }

  /** Drops a hot key of neuron `id` from the index (unless the neuron still lists it). */
  private unlink(p: Principal, id: bigint) {
    const n = this.neuron(id);
    const k = principalKey(p);
    if (n && n.hotKeys.some((h) => principalKey(h) === k)) return;
    const ids = this.byHotKey.get(k);
    if (ids === id) this.byHotKey.delete(k);
    else if (ids !== undefined && typeof ids !== 'bigint') {
      ids.delete(id);
      if (ids.size === 0) this.byHotKey.delete(k);
    }
  }

  private follow(topic: number, followee: bigint, follower: number) {
    let byFollowee = this.followers.get(topic);
    if (!byFollowee) this.followers.set(topic, (byFollowee = new Map()));
    let list = byFollowee.get(followee);
    if (!list) byFollowee.set(followee, (list = { slots: new Int32Array(4), n: 0 }));
    if (list.n === list.slots.length) {
      const grown = new Int32Array(list.slots.length * 2);
      grown.set(list.slots);
      list.slots = grown;
    }
    list.slots[list.n++] = follower;
    if (this.restoring) return; // restoreNeurons flags the followees once at the end
    const slot = this.slotOf(followee);
    if (slot !== undefined) this.followed[slot] = 1; // never cleared: a hint, not a count
    else this.followedBeforeAdded.add(followee);
  }

  /** The follower lists, compacted (only current followers, each once), for a snapshot. */
  dumpFollowers(): Uint8Array {
    const w = new BinWriter(1 << 16);
    w.u32(this.followers.size);
    for (const [topic, byFollowee] of this.followers) {
      w.u8(topic);
      const lists: [bigint, Int32Array][] = [];
      for (const followee of byFollowee.keys()) {
        const slots = Int32Array.from(this.followerSlotsOf(topic, followee));
        if (slots.length > 0) lists.push([followee, slots]);
      }
      w.u32(lists.length);
      for (const [followee, slots] of lists) {
        w.u64(followee);
        w.u32(slots.length);
        w.raw(new Uint8Array(slots.buffer));
      }
    }
    return w.finish();
  }

  private loadFollowers(bytes: Uint8Array): void {
    const r = new BinReader(bytes);
    for (let t = r.u32(); t > 0; t--) {
      const topic = r.u8();
      const byFollowee = new Map<bigint, FollowerList>();
      for (let k = r.u32(); k > 0; k--) {
        const followee = r.u64();
        const n = r.u32();
        const slots = new Int32Array(Math.max(4, n));
        new Uint8Array(slots.buffer, 0, n * 4).set(r.span(n * 4));
        byFollowee.set(followee, { slots, n });
      }
      this.followers.set(topic, byFollowee);
    }
    if (!r.done) throw new Error('governance snapshot: trailing bytes in the follower lists');
  }
}

/** The follower slots of one followee on one topic (see forEachFollower). */
interface FollowerList {
  slots: Int32Array;
  n: number;
}
