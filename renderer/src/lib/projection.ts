// A neuron's voting power and maturity over the coming years, for a chart: what the reference's
// formulas give (shared/reference/nns-canisters.md, "Voting power (M70)" and "Voting rewards") if
// nothing changes but time. Pure: a neuron view, the network's limits and reward rate in, points out.
//
//   voting power = (stake + staked maturity) * dissolve bonus * age bonus
//     dissolve bonus = 1 + 2t², t = min(delay, max delay) / max delay  (delayMultiplier; 0 below the
//                      minimum delay to vote, since such a neuron has no ballots)
//     age bonus      = 1 + min(age, 4 years) / 4 years / 4
//   A locked neuron keeps its delay and ages; a dissolving one loses delay day by day and has no age.
//   rewards a year = yearlyRewardPerVotingPower * voting power (neuron-apy.ts: the latest reward
//                    event's daily pool * 365.25 / the network's total potential voting power), added
//                    to maturity, or to staked maturity (which then votes too) with auto-stake.
// Amounts here are plain numbers of e8s: the projection is an estimate made to be plotted.
import type { RewardRate } from '../../../electron/services/neuron-apy.ts';
import { neuronApy } from '../../../electron/services/neuron-apy.ts';
import type { NeuronLimits } from '../../../electron/services/neuron-limits.ts';
import type { NeuronView } from '../../../electron/services/neuron-view.ts';
import { delayMultiplier, formatApy, formatDate, formatDuration } from './neurons-format.ts';

export const YEAR_SECONDS = 31_557_600;
/** The age bonus grows for 4 years, up to 1.25x (the reference's age_bonus). */
export const AGE_BONUS_CAP_SECONDS = 4 * YEAR_SECONDS;
export const MAX_AGE_BONUS = 0.25;
/** The default horizon of the projection. */
export const DEFAULT_YEARS = 8;
/** Integration step: 1/360 of a year (about a day), 30 steps to a point (a month). */
const STEPS_PER_YEAR = 360;
const STEPS_PER_POINT = 30;

export interface ProjectionPoint {
  /** Years from now. */
  years: number;
  votingPowerE8s: number;
  /** Maturity and staked maturity together. */
  maturityE8s: number;
}

export interface Projection {
  /** Monthly points from now to the horizon (two at the moment a dissolving neuron stops voting). */
  points: ProjectionPoint[];
  /** The points at whole years (0, 1, ... horizon). */
  yearly: ProjectionPoint[];
  horizonYears: number;
  /** A dissolving neuron: when its delay falls below the minimum to vote (its voting power ends). */
  stopsVotingAtYears?: number;
  /** A dissolving neuron: when it is dissolved. */
  dissolvesAtYears?: number;
  /** A locked neuron younger than 4 years: when its age bonus is full (1.25x). */
  ageBonusFullAtYears?: number;
  /** Reward (e8s of maturity) per e8s of voting power a year; undefined without reward data. */
  yearlyRewardPerVotingPower?: number;
  /** What the projection takes for granted, in the user's words. */
  assumptions: string[];
}

/** The age bonus: 1 + min(age, 4 years) / 4 years / 4 (1.25x after 4 years). */
export function ageMultiplier(ageSeconds: number): number {
  const age = Math.min(Math.max(ageSeconds, 0), AGE_BONUS_CAP_SECONDS);
  return 1 + (age / AGE_BONUS_CAP_SECONDS) * MAX_AGE_BONUS;
}

/** Voting power (e8s) of a voting stake with this delay and age (0 below the minimum delay to vote). */
export function votingPowerOf(votingStakeE8s: number, delaySeconds: number, ageSeconds: number, limits: NeuronLimits): number {
  const delay = BigInt(Math.max(0, Math.round(delaySeconds)));
  return votingStakeE8s * delayMultiplier(delay, limits) * ageMultiplier(ageSeconds);
}

/** Whether the neuron still votes and earns in the future (not dissolved, not spawning). */
export function projectable(n: NeuronView): boolean {
  return n.state === 'locked' || n.state === 'dissolving';
}

export function projectNeuron(n: NeuronView, limits: NeuronLimits, rate: RewardRate | undefined, opts: { years?: number } = {}): Projection {
  const dissolving = n.state === 'dissolving';
  const active = projectable(n);
  const delay0 = Number(n.dissolveDelaySeconds);
  const minVote = Number(limits.minimumDissolveDelayToVoteSeconds);
  const maxYears = opts.years ?? DEFAULT_YEARS;
  // A dissolving neuron: until it is dissolved (at least a year, so the chart has room); else the horizon.
  const horizonYears = dissolving ? Math.min(maxYears, Math.max(1, Math.ceil(delay0 / YEAR_SECONDS))) : maxYears;
  const perYear = rate?.yearlyRewardPerVotingPower;
  const stake = Number(n.stakeE8s);
  let staked = Number(n.stakedMaturityE8s);
  let maturity = Number(n.maturityE8s);
  const step = YEAR_SECONDS / STEPS_PER_YEAR;
  const stopsVotingAt = dissolving && delay0 >= minVote ? delay0 - minVote : undefined;

  const delayAt = (t: number) => (dissolving ? Math.max(0, delay0 - t) : delay0);
  const ageAt = (t: number) => (dissolving ? 0 : Number(n.ageSeconds) + t);
  const votes = (t: number) => active && (stopsVotingAt === undefined || t < stopsVotingAt);
  const powerAt = (t: number) => (votes(t) ? votingPowerOf(stake + staked, delayAt(t), ageAt(t), limits) : 0);
  const point = (t: number, votingPowerE8s: number): ProjectionPoint => ({ years: t / YEAR_SECONDS, votingPowerE8s, maturityE8s: maturity + staked });

  const points: ProjectionPoint[] = [];
  const yearly: ProjectionPoint[] = [];
  const total = horizonYears * STEPS_PER_YEAR;
  let dropMarked = stopsVotingAt === undefined;
  for (let i = 0; i <= total; i++) {
    const t = i * step;
    // The moment a dissolving neuron stops voting: its last power, then none (a vertical drop).
    if (!dropMarked && stopsVotingAt !== undefined && t >= stopsVotingAt) {
      dropMarked = true;
      points.push(point(stopsVotingAt, votingPowerOf(stake + staked, minVote, 0, limits)), point(stopsVotingAt, 0));
    }
    if (i % STEPS_PER_POINT === 0) points.push(point(t, powerAt(t)));
    if (i % STEPS_PER_YEAR === 0) yearly.push(point(t, powerAt(t)));
    if (i === total) break;
    // Rewards of this step, paid on the power at its start (governance pays daily).
    const reward = perYear === undefined ? 0 : (perYear * powerAt(t) * step) / YEAR_SECONDS;
    if (n.autoStakeMaturity) staked += reward;
    else maturity += reward;
  }

  return {
    points,
    yearly,
    horizonYears,
    ...(stopsVotingAt !== undefined ? { stopsVotingAtYears: stopsVotingAt / YEAR_SECONDS } : {}),
    ...(dissolving ? { dissolvesAtYears: delay0 / YEAR_SECONDS } : {}),
    ...(n.state === 'locked' && Number(n.ageSeconds) < AGE_BONUS_CAP_SECONDS ? { ageBonusFullAtYears: (AGE_BONUS_CAP_SECONDS - Number(n.ageSeconds)) / YEAR_SECONDS } : {}),
    ...(perYear !== undefined ? { yearlyRewardPerVotingPower: perYear } : {}),
    assumptions: assumptionsOf(n, limits, rate),
  };
}

function assumptionsOf(n: NeuronView, limits: NeuronLimits, rate: RewardRate | undefined): string[] {
  const out: string[] = [];
  if (rate) {
    const per100 = (rate.yearlyRewardPerVotingPower * 100).toFixed(2);
    out.push(
      `The reward rate stays at today's value: ${per100} ICP of maturity a year per 100 ICP of voting power (today's APY estimate for this neuron: ${formatApy(neuronApy(rate, n.decidingVotingPower, n.votingStakeE8s))}).`,
    );
    out.push('The total voting power of the network stays as it is today.');
    out.push('The neuron votes on every proposal (itself or by following), so its voting power is always refreshed and fully counted.');
  } else {
    out.push('There is no reward data yet (no reward event or no proposal): the maturity is shown without new rewards.');
  }
  const minVote = formatDuration(limits.minimumDissolveDelayToVoteSeconds);
  if (n.state === 'dissolving') {
    const at = n.dissolveAtSeconds ?? n.retrievedAtSeconds + n.dissolveDelaySeconds;
    out.push(`It keeps dissolving: its dissolve delay falls to 0 on ${formatDate(at)}; with less than ${minVote} left it no longer votes or earns, and while dissolving it has no age bonus.`);
  } else if (n.state === 'locked' && n.dissolveDelaySeconds < limits.minimumDissolveDelayToVoteSeconds) {
    out.push(`Its dissolve delay (${formatDuration(n.dissolveDelaySeconds)}) is below the minimum of ${minVote} to vote: it has no voting power and earns nothing until the delay is increased.`);
  } else if (n.state === 'locked') {
    out.push(`It stays locked: its dissolve delay stays at ${formatDuration(n.dissolveDelaySeconds)} and it keeps aging (the age bonus stops growing at 4 years, at 1.25x).`);
  }
  out.push(
    n.autoStakeMaturity
      ? 'Auto-stake is on: rewards become staked maturity, which adds to the voting power.'
      : 'Auto-stake is off: rewards accumulate as maturity, which does not add to the voting power.',
  );
  out.push('No stake or maturity is added, spent, staked or disbursed; the bonus of neurons migrated with an 8-year delay is left out.');
  return out;
}
