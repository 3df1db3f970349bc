// An estimate of a neuron's yearly voting rewards, from what governance publishes: its latest reward
// event and the voting power of the network.
//
// The formula (plain, not compounded):
//   dailyPool      = latestRewardEvent.total_available_e8s_equivalent / rounds_since_last_distribution
//                    (the pool of the latest event, per day it covers; rollovers included)
//   totalPotential = total_potential_voting_power of the newest proposal (the reward denominator of
//                    a settled proposal is its total potential voting power, weighted by topic)
//   ratePerPower   = dailyPool * 365.25 / totalPotential   (e8s of reward per e8 of voting power, a year)
//   apy            = ratePerPower * decidingVotingPower / (cached stake - fees + staked maturity)
// It assumes the neuron votes (itself or by following) on every proposal, as most followers do; the
// topic weights then cancel out. A neuron below the minimum dissolve delay to vote has no deciding
// power and so an APY of 0; one whose voting power was not refreshed in time earns less, as it would.
import type { Connection } from '../network/agents.ts';

const PRECISION = 1_000_000_000_000n;

export interface RewardRate {
  /** Reward (e8s of maturity) per e8s of deciding voting power in a year. */
  yearlyRewardPerVotingPower: number;
  dailyPoolE8s: bigint;
  totalPotentialVotingPower: bigint;
  rewardEventDay: bigint;
  rewardEventAtSeconds: bigint;
}

/** The network's reward rate, or undefined when there is no reward event or no proposal yet. */
export async function loadRewardRate(conn: Connection): Promise<RewardRate | undefined> {
  const [event, newest] = await Promise.all([
    conn.governance.getLatestRewardEvent(false),
    conn.governance.listProposals({
      certified: false,
      request: { limit: 1, beforeProposal: undefined, includeRewardStatus: [], excludeTopic: [], includeAllManageNeuronProposals: false, includeStatus: [], omitLargeFields: true },
    }),
  ]);
  const totalPotential = newest.proposals[0]?.totalPotentialVotingPower ?? 0n;
  const rounds = event.rounds_since_last_distribution[0] ?? 1n;
  const dailyPool = event.total_available_e8s_equivalent / (rounds > 0n ? rounds : 1n);
  if (totalPotential === 0n || dailyPool === 0n) return undefined;
  return {
    yearlyRewardPerVotingPower: Number((dailyPool * 36_525n * PRECISION) / (100n * totalPotential)) / Number(PRECISION),
    dailyPoolE8s: dailyPool,
    totalPotentialVotingPower: totalPotential,
    rewardEventDay: event.day_after_genesis,
    rewardEventAtSeconds: event.actual_timestamp_seconds,
  };
}

/** The yearly rate (0.08 = 8%) for a neuron with this deciding power and this voting stake. */
export function neuronApy(rate: RewardRate | undefined, decidingVotingPower: bigint, votingStakeE8s: bigint): number | undefined {
  if (!rate) return undefined;
  if (votingStakeE8s <= 0n || decidingVotingPower <= 0n) return 0;
  const multiplier = Number((decidingVotingPower * PRECISION) / votingStakeE8s) / Number(PRECISION);
  return rate.yearlyRewardPerVotingPower * multiplier;
}
