// Daily voting rewards (shared/reference/nns-canisters.md, "Voting rewards"), in exact integers.
//
// Yearly rate for day d after genesis: 0.05 + 0.05 * ((2922 - d) / 2922)^2 for d <= 2922, then 0.05.
// Daily fraction = rate / 365.25. As one rational with a common denominator:
//   fraction(d) = 5 * (2922^2 + max(0, 2922 - d)^2) / (36525 * 2922^2)
// (rate = (5 * 2922^2 + 5 * (2922-d)^2) / (100 * 2922^2); dividing by 365.25 = 36525/100).
// The pool for a reward event = floor(supply * sum of fractions of the days since the last event
// * M70) + the previous event's pool when that event settled nothing (rollover).
//
// Settlement: every proposal ReadyToSettle (not NeuronManagement, deadline passed, not yet settled)
// is settled. Each ballot that voted (directly or by following) earns weight(topic) * its ballot
// voting power; the denominator is the sum over the settled proposals of weight(topic) *
// total_potential_voting_power. reward_i = floor(used_i * pool / denominator). Weights are kept
// in hundredths so that ExchangeRate (0.01) stays an integer: the scale cancels in the division.
import {
  DAY,
  Topic,
  type GovernanceState,
  type ProposalData,
  type RewardEvent,
} from './model.ts';

/** Days (after genesis) over which the rate falls from 10% to 5%. */
export const REWARD_RATE_TRANSITION_DAYS = 2922n;
/** 2922^2 */
const T2 = REWARD_RATE_TRANSITION_DAYS * REWARD_RATE_TRANSITION_DAYS;
/** The denominator of fractionNumerator(d): 36525 * 2922^2. */
export const DAILY_FRACTION_DENOMINATOR = 36_525n * T2;

/**
 * Mission 70 (proposal 141441) multiplies the voting-reward pool by 0.6329. The reference marks
 * *where* it applies as unverified ("M70 multiplies the pool by 0.6329 (where exactly:
 * unverified)"); here it scales the newly minted part of each day's pool (the rollover was
 * already scaled when it was minted). Expressed in permyriad; 10_000 turns it off.
 */
export const M70_REWARD_POOL_MULTIPLIER_PERMYRIAD = 6_329n;

/** Numerator of the daily fraction of day d, over DAILY_FRACTION_DENOMINATOR. */
export function dailyFractionNumerator(day: bigint): bigint {
  const left = day < REWARD_RATE_TRANSITION_DAYS ? REWARD_RATE_TRANSITION_DAYS - day : 0n;
  return 5n * (T2 + left * left);
}

/** The newly available pool for days (fromDay, toDay]: floor(supply * sum(fractions) * M70). */
export function newRewardPoolE8s(
  totalSupplyE8s: bigint,
  fromDayExclusive: bigint,
  toDayInclusive: bigint,
  multiplierPermyriad = M70_REWARD_POOL_MULTIPLIER_PERMYRIAD,
): bigint {
  let num = 0n;
  for (let d = fromDayExclusive + 1n; d <= toDayInclusive; d++) num += dailyFractionNumerator(d);
  return (totalSupplyE8s * num * multiplierPermyriad) / (DAILY_FRACTION_DENOMINATOR * 10_000n);
}

/** Reward weight of a topic, in hundredths (Governance 20, SnsAndCommunityFund 20, ExchangeRate 0.01). */
export function rewardWeightCentis(topic: number): bigint {
  if (topic === Topic.Governance || topic === Topic.SnsAndCommunityFund) return 2_000n;
  if (topic === Topic.ExchangeRate) return 1n;
  return 100n;
}

export function dayAfterGenesis(state: GovernanceState, nowSeconds: bigint): bigint {
  return nowSeconds > state.genesisTimestampSeconds ? (nowSeconds - state.genesisTimestampSeconds) / DAY : 0n;
}

/** The day of the latest reward event (0, the genesis event, when there is none). */
export function latestRewardDay(state: GovernanceState): bigint {
  return state.latestRewardEvent?.dayAfterGenesis ?? 0n;
}

/** When (seconds) the next daily distribution is due. */
export function nextRewardSeconds(state: GovernanceState): bigint {
  return state.genesisTimestampSeconds + (latestRewardDay(state) + 1n) * DAY;
}

export function rewardsDue(state: GovernanceState, nowSeconds: bigint): boolean {
  return dayAfterGenesis(state, nowSeconds) > latestRewardDay(state);
}

/** Ready to settle at `nowSeconds`: eligible topic, not settled, voting over. */
export function readyToSettle(p: ProposalData, nowSeconds: bigint): boolean {
  return p.topic !== Topic.NeuronManagement && p.rewardEventRound === 0n && nowSeconds >= p.deadlineSeconds;
}

/**
 * Runs one reward event at `nowSeconds` over the candidate proposals (those not ready are skipped),
 * credits maturity (or staked maturity with auto-stake), drops the settled proposals' ballots,
 * stores and returns the event. Returns undefined when no new day has started.
 */
export function distributeRewards(
  state: GovernanceState,
  nowSeconds: bigint,
  totalSupplyE8s: bigint,
  candidates: Iterable<bigint>,
  multiplierPermyriad = M70_REWARD_POOL_MULTIPLIER_PERMYRIAD,
): RewardEvent | undefined {
  const day = dayAfterGenesis(state, nowSeconds);
  const prev = state.latestRewardEvent;
  const prevDay = prev?.dayAfterGenesis ?? 0n;
  if (day <= prevDay) return undefined;

  const fresh = newRewardPoolE8s(totalSupplyE8s, prevDay, day, multiplierPermyriad);
  const rollsOver = prev !== undefined && prev.settledProposals.length === 0;
  const pool = fresh + (rollsOver ? prev.totalAvailableE8sEquivalent : 0n);
  const rounds = day - prevDay + (rollsOver ? prev.roundsSinceLastDistribution : 0n);

  const settled: ProposalData[] = [];
  for (const id of candidates) {
    const p = state.proposals.get(id);
    if (p && readyToSettle(p, nowSeconds)) settled.push(p);
  }
  settled.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  // Weighted used power per neuron, and the weighted potential power of all settled proposals.
  // Used power is summed per weight as exact float64 integers by slot (a tight loop over typed
  // arrays even with 400k voters per proposal); sums that would pass 2^53 go to `overflow`.
  let denominator = 0n;
  const slots = state.neuronsBySlot.length;
  const byWeight = new Map<bigint, Float64Array>();
  const overflow = new Map<number, bigint>();
  for (const p of settled) {
    const w = rewardWeightCentis(p.topic);
    denominator += w * p.totalPotentialVotingPower;
    let acc = byWeight.get(w);
    if (!acc) byWeight.set(w, (acc = new Float64Array(slots)));
    const ballots = p.ballots;
    for (const slot of ballots.votedSlots()) {
      const power = ballots.powerNumberAt(slot);
      if (power === 0) continue;
      if (power > 0 && acc[slot] + power <= Number.MAX_SAFE_INTEGER) acc[slot] += power;
      else overflow.set(slot, (overflow.get(slot) ?? 0n) + w * ballots.powerAt(slot));
    }
  }

  let distributed = 0n;
  if (denominator > 0n && pool > 0n) {
    const weights = [...byWeight];
    for (let slot = 0; slot < slots; slot++) {
      let used = overflow.get(slot) ?? 0n;
      for (const [w, acc] of weights) if (acc[slot] > 0) used += w * BigInt(acc[slot]);
      if (used === 0n) continue;
      const n = state.neuronsBySlot[slot];
      if (!n) continue; // gone: its share stays undistributed
      const reward = (used * pool) / denominator;
      if (reward === 0n) continue;
      if (n.autoStakeMaturity) n.stakedMaturityE8s += reward;
      else n.maturityE8s += reward;
      distributed += reward;
    }
  }

  for (const p of settled) {
    p.rewardEventRound = day;
    p.ballots.clear(); // as mainnet: ballots are dropped once settled, to bound memory
  }

  const event: RewardEvent = {
    dayAfterGenesis: day,
    actualTimestampSeconds: nowSeconds,
    settledProposals: settled.map((p) => p.id),
    distributedE8sEquivalent: distributed,
    totalAvailableE8sEquivalent: pool,
    roundsSinceLastDistribution: rounds,
    latestRoundAvailableE8sEquivalent: fresh,
  };
  state.latestRewardEvent = event;
  return event;
}
