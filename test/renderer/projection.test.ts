// The projection of a neuron's voting power and maturity (renderer/src/lib/projection.ts) against the
// reference's formulas (shared/reference/nns-canisters.md): dissolve bonus 1 + 2t² (t = delay / 2
// years), age bonus 1 + min(age, 4 years) / 4 years / 4, rewards = rate * voting power.
import { describe, expect, it } from 'vitest';
import type { RewardRate } from '../../electron/services/neuron-apy.ts';
import { limits, neuron, NOW } from './support/neurons.ts';
import { ageMultiplier, projectNeuron, votingPowerOf, YEAR_SECONDS, type ProjectionPoint } from '../../renderer/src/lib/projection.ts';

const DAY = 86_400;
const YEAR = YEAR_SECONDS;
const ICP = 100_000_000;


const rate: RewardRate = {
  yearlyRewardPerVotingPower: 0.05,
  dailyPoolE8s: 1n,
  totalPotentialVotingPower: 1n,
  rewardEventDay: 1n,
  rewardEventAtSeconds: NOW,
};


/** The reference's formula for the voting power, written out. */
function reference(stakeE8s: number, delay: number, age: number): number {
  if (delay < 14 * DAY) return 0;
  const t = Math.min(delay, 2 * YEAR) / (2 * YEAR);
  return stakeE8s * (1 + 2 * t * t) * (1 + Math.min(age, 4 * YEAR) / (4 * YEAR) / 4);
}

const at = (points: ProjectionPoint[], years: number): ProjectionPoint => points.find((p) => Math.abs(p.years - years) < 1e-9)!;

describe('the bonuses', () => {
  it('follow the reference: 3x at 2 years of delay, 1.25x at 4 years of age and no more', () => {
    expect(votingPowerOf(ICP, 2 * YEAR, 0, limits)).toBeCloseTo(3 * ICP, 0);
    expect(votingPowerOf(ICP, YEAR, 0, limits)).toBeCloseTo(1.5 * ICP, 0);
    expect(votingPowerOf(ICP, 13 * DAY, 0, limits)).toBe(0);
    expect(ageMultiplier(4 * YEAR)).toBe(1.25);
    expect(ageMultiplier(8 * YEAR)).toBe(1.25);
    expect(ageMultiplier(2 * YEAR)).toBe(1.125);
    expect(votingPowerOf(ICP, 3 * YEAR, 6 * YEAR, limits)).toBeCloseTo(3.75 * ICP, 0);
  });
});

describe('projectNeuron', () => {
  it('a dissolving neuron loses its voting power by the time it is dissolved, and has no age bonus', () => {
    const n = neuron({ state: 'dissolving', dissolveDelaySeconds: BigInt(Math.round(1.5 * YEAR)), ageSeconds: 0n, dissolveAtSeconds: NOW + BigInt(Math.round(1.5 * YEAR)) });
    const p = projectNeuron(n, limits, rate);
    expect(p.horizonYears).toBe(2);
    expect(p.dissolvesAtYears).toBeCloseTo(1.5, 9);
    expect(p.stopsVotingAtYears).toBeCloseTo(1.5 - (14 * DAY) / YEAR, 9);
    const stake = 1_000 * ICP;
    expect(p.points[0].votingPowerE8s).toBeCloseTo(reference(stake, 1.5 * YEAR, 0), 0);
    expect(at(p.yearly, 1).votingPowerE8s).toBeCloseTo(reference(stake, 0.5 * YEAR, 0), 0);
    // Falling all the way: the power never grows, and is 0 from the drop on.
    for (let i = 1; i < p.points.length; i++) expect(p.points[i].votingPowerE8s).toBeLessThanOrEqual(p.points[i - 1].votingPowerE8s + 1e-6);
    const drop = p.points.findIndex((q) => q.votingPowerE8s === 0);
    expect(p.points[drop].years).toBeCloseTo(p.stopsVotingAtYears!, 9);
    expect(p.points[drop - 1].years).toBeCloseTo(p.stopsVotingAtYears!, 9);
    expect(p.points[drop - 1].votingPowerE8s).toBeCloseTo(reference(stake, 14 * DAY, 0), 0);
    expect(p.points.filter((q) => q.years >= 1.5).every((q) => q.votingPowerE8s === 0)).toBe(true);
    expect(at(p.yearly, 2).votingPowerE8s).toBe(0);
    // Maturity grows while it votes, then stays.
    const final = p.points[p.points.length - 1].maturityE8s;
    expect(final).toBeGreaterThan(0);
    expect(at(p.yearly, 2).maturityE8s).toBe(final);
    expect(p.assumptions.join(' ')).toMatch(/keeps dissolving/);
  });

  it('a locked neuron gains the age bonus up to 4 years, then its power stays', () => {
    const n = neuron({ dissolveDelaySeconds: BigInt(2 * YEAR), ageSeconds: BigInt(YEAR) });
    const p = projectNeuron(n, limits, rate);
    expect(p.horizonYears).toBe(8);
    expect(p.yearly.map((q) => q.years)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const stake = 1_000 * ICP;
    for (const y of [0, 1, 2, 3]) expect(at(p.yearly, y).votingPowerE8s).toBeCloseTo(reference(stake, 2 * YEAR, (1 + y) * YEAR), 0);
    // 3 years on, it is 4 years old: 3x * 1.25x, and no more after that.
    expect(at(p.yearly, 3).votingPowerE8s).toBeCloseTo(3.75 * stake, 0);
    for (const y of [4, 6, 8]) expect(at(p.yearly, y).votingPowerE8s).toBeCloseTo(3.75 * stake, 0);
    expect(at(p.yearly, 2).votingPowerE8s).toBeLessThan(at(p.yearly, 3).votingPowerE8s);
    expect(p.stopsVotingAtYears).toBeUndefined();
    expect(p.ageBonusFullAtYears).toBeCloseTo(3, 9);
  });

  it('maturity grows by the rate times the voting power (and is not staked without auto-stake)', () => {
    // Past the age cap the power is constant: maturity(t) = maturity0 + rate * power * t exactly.
    const n = neuron({ dissolveDelaySeconds: BigInt(YEAR), ageSeconds: BigInt(5 * YEAR), maturityE8s: 10n * BigInt(ICP) });
    const p = projectNeuron(n, limits, rate);
    const power = reference(1_000 * ICP, YEAR, 5 * YEAR); // 1,000 * 1.5 * 1.25 = 1,875 ICP
    expect(power).toBeCloseTo(1_875 * ICP, 0);
    for (const y of [0, 1, 4, 8]) {
      expect(at(p.yearly, y).votingPowerE8s).toBeCloseTo(power, 0);
      expect(at(p.yearly, y).maturityE8s / ICP).toBeCloseTo(10 + 0.05 * 1_875 * y, 6);
    }
    for (let i = 1; i < p.points.length; i++) expect(p.points[i].maturityE8s).toBeGreaterThan(p.points[i - 1].maturityE8s);
    expect(p.assumptions.join(' ')).toMatch(/Auto-stake is off/);
  });

  it('with auto-stake, rewards become staked maturity that votes too (compounding)', () => {
    const plain = projectNeuron(neuron({ dissolveDelaySeconds: BigInt(YEAR), ageSeconds: BigInt(5 * YEAR) }), limits, rate);
    const auto = projectNeuron(neuron({ dissolveDelaySeconds: BigInt(YEAR), ageSeconds: BigInt(5 * YEAR), autoStakeMaturity: true }), limits, rate);
    const plain8 = at(plain.yearly, 8);
    const auto8 = at(auto.yearly, 8);
    expect(auto8.votingPowerE8s).toBeGreaterThan(plain8.votingPowerE8s);
    expect(auto8.maturityE8s).toBeGreaterThan(plain8.maturityE8s);
    // Continuous compounding at 0.05 * 1.875 a year: power(t) = power0 * e^(0.09375 t), within the daily steps' error.
    expect(auto8.votingPowerE8s / plain8.votingPowerE8s).toBeCloseTo(Math.exp(0.09375 * 8), 2);
    // The staked maturity is what grew: power = (stake + staked) * 1.875.
    expect(auto8.votingPowerE8s).toBeCloseTo((1_000 * ICP + auto8.maturityE8s) * 1.875, 0);
    expect(auto.assumptions.join(' ')).toMatch(/Auto-stake is on/);
  });

  it('without reward data the maturity stays, and says so; a dissolved neuron has no power', () => {
    const p = projectNeuron(neuron({ maturityE8s: 5n * BigInt(ICP) }), limits, undefined);
    expect(p.points.every((q) => q.maturityE8s === 5 * ICP)).toBe(true);
    expect(p.yearlyRewardPerVotingPower).toBeUndefined();
    expect(p.assumptions[0]).toMatch(/no reward data/);
    const short = projectNeuron(neuron({ dissolveDelaySeconds: 7n * BigInt(DAY) }), limits, rate);
    expect(short.points.every((q) => q.votingPowerE8s === 0 && q.maturityE8s === 0)).toBe(true);
    expect(short.assumptions.join(' ')).toMatch(/below the minimum of 14 days to vote/);
    const d = projectNeuron(neuron({ state: 'dissolved', dissolveDelaySeconds: 0n }), limits, rate);
    expect(d.points.every((q) => q.votingPowerE8s === 0 && q.maturityE8s === 0)).toBe(true);
  });
});
