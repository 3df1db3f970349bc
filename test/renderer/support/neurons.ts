// Neuron views and limits for component tests: mainnet's limits, and a locked neuron of 1,000 ICP
// (1-year delay, no age) at NOW whose fields a test overrides.
import type { NeuronLimits } from '../../../electron/services/neuron-limits.ts';
import type { NeuronView } from '../../../electron/services/neuron-view.ts';

export const YEAR = 31_557_600n;
export const NOW = 1_800_000_000n;

export const limits: NeuronLimits = {
  minimumStakeE8s: 100_000_000n,
  transactionFeeE8s: 10_000n,
  minimumDissolveDelayToVoteSeconds: 14n * 86_400n,
  maximumDissolveDelaySeconds: 2n * YEAR,
  minimumDissolveDelayToProposeSeconds: YEAR / 2n,
  startReducingVotingPowerAfterSeconds: YEAR / 2n,
  clearFollowingAfterSeconds: YEAR / 12n,
  spawnDissolveDelaySeconds: 604_800n,
  rejectCostE8s: 2_500_000_000n,
  neuronManagementFeePerProposalE8s: 1_000_000n,
  maxHotkeys: 10,
  maxFolloweesPerTopic: 15,
  minimumMaturityDisbursementE8s: 100_000_000n,
  maxPendingMaturityDisbursements: 10,
  worstCaseMaturityModulationPercent: 5n,
  refreshBannerLeadSeconds: 2_592_000n,
};

/** The view; stake, cached stake and voting stake follow `stakeE8s` and `stakedMaturityE8s` unless given. */
export function neuron(p: Partial<NeuronView> = {}): NeuronView {
  const stake = p.stakeE8s ?? 100_000_000_000n;
  const staked = p.stakedMaturityE8s ?? 0n;
  return {
    id: 7n,
    isController: true,
    stakeE8s: stake,
    cachedStakeE8s: stake,
    feesE8s: 0n,
    maturityE8s: 0n,
    stakedMaturityE8s: staked,
    votingStakeE8s: stake + staked,
    state: 'locked',
    dissolveDelaySeconds: YEAR,
    ageSeconds: 0n,
    createdAtSeconds: NOW,
    potentialVotingPower: 0n,
    decidingVotingPower: 0n,
    canVote: true,
    refreshNeeded: false,
    following: [],
    hotkeys: [],
    visibility: 'private',
    autoStakeMaturity: false,
    neuronsFund: false,
    maturityDisbursements: [],
    retrievedAtSeconds: NOW,
    ...p,
  };
}
