// The limits a neuron command is validated against. Most come from governance itself
// (get_network_economics_parameters); the few it does not publish are constants here, each with
// where it comes from (shared/reference/nns-canisters.md, "Mission 70").
import type { NetworkEconomics } from '@icp-sdk/canisters/nns';
import type { Connection } from '../network/agents.ts';
import { toDeskError } from './errors.ts';

export const DAY_SECONDS = 86_400n;
/** Not in the network economics: the maximum dissolve delay after Mission 70 (2 years; 8 before). */
export const MAX_DISSOLVE_DELAY_SECONDS = 63_115_200n;
/** Not in the network economics: a proposer's dissolve delay (other than neuron management). */
export const MIN_DISSOLVE_DELAY_TO_PROPOSE_SECONDS = 15_778_800n;
/** Not in the network economics: governance's caps on hotkeys and on followees per topic. */
export const MAX_HOTKEYS = 10;
export const MAX_FOLLOWEES_PER_TOPIC = 15;
/**
 * Spawn and disburse maturity must stay >= 1 ICP after the worst maturity modulation; the reference
 * gives 5% as the worst case (the modulation itself is not published).
 */
export const WORST_CASE_MATURITY_MODULATION_PERCENT = 5n;
export const MINIMUM_MATURITY_DISBURSEMENT_E8S = 100_000_000n;
/** Not in the network economics: maturity disbursements a neuron may have in progress at once. */
export const MAX_PENDING_MATURITY_DISBURSEMENTS = 10;
/** How long before rewards start to drop the app asks for a voting-power refresh (the NNS dapp's). */
export const REFRESH_BANNER_LEAD_SECONDS = 30n * DAY_SECONDS;

// Defaults the governance .did documents for fields an older governance may leave out.
const DEFAULT_START_REDUCING_SECONDS = 15_778_800n; // 0.5 years
const DEFAULT_CLEAR_FOLLOWING_SECONDS = 2_629_800n; // 1/12 year
const DEFAULT_MIN_DISSOLVE_DELAY_TO_VOTE_SECONDS = 15_778_800n; // before Mission 70: 6 months

export interface NeuronLimits {
  minimumStakeE8s: bigint;
  transactionFeeE8s: bigint;
  minimumDissolveDelayToVoteSeconds: bigint;
  maximumDissolveDelaySeconds: bigint;
  minimumDissolveDelayToProposeSeconds: bigint;
  startReducingVotingPowerAfterSeconds: bigint;
  clearFollowingAfterSeconds: bigint;
  spawnDissolveDelaySeconds: bigint;
  rejectCostE8s: bigint;
  neuronManagementFeePerProposalE8s: bigint;
  maxHotkeys: number;
  maxFolloweesPerTopic: number;
  minimumMaturityDisbursementE8s: bigint;
  maxPendingMaturityDisbursements: number;
  worstCaseMaturityModulationPercent: bigint;
  refreshBannerLeadSeconds: bigint;
}

export function neuronLimitsOf(e: NetworkEconomics): NeuronLimits {
  const vp = e.votingPowerEconomics;
  return {
    minimumStakeE8s: e.neuronMinimumStake,
    transactionFeeE8s: e.transactionFee,
    minimumDissolveDelayToVoteSeconds: vp?.neuronMinimumDissolveDelayToVoteSeconds ?? DEFAULT_MIN_DISSOLVE_DELAY_TO_VOTE_SECONDS,
    maximumDissolveDelaySeconds: MAX_DISSOLVE_DELAY_SECONDS,
    minimumDissolveDelayToProposeSeconds: MIN_DISSOLVE_DELAY_TO_PROPOSE_SECONDS,
    startReducingVotingPowerAfterSeconds: vp?.startReducingVotingPowerAfterSeconds ?? DEFAULT_START_REDUCING_SECONDS,
    clearFollowingAfterSeconds: vp?.clearFollowingAfterSeconds ?? DEFAULT_CLEAR_FOLLOWING_SECONDS,
    spawnDissolveDelaySeconds: e.neuronSpawnDissolveDelaySeconds,
    rejectCostE8s: e.rejectCost,
    neuronManagementFeePerProposalE8s: e.neuronManagementFeePerProposal,
    maxHotkeys: MAX_HOTKEYS,
    maxFolloweesPerTopic: MAX_FOLLOWEES_PER_TOPIC,
    minimumMaturityDisbursementE8s: MINIMUM_MATURITY_DISBURSEMENT_E8S,
    maxPendingMaturityDisbursements: MAX_PENDING_MATURITY_DISBURSEMENTS,
    worstCaseMaturityModulationPercent: WORST_CASE_MATURITY_MODULATION_PERCENT,
    refreshBannerLeadSeconds: REFRESH_BANNER_LEAD_SECONDS,
  };
}

export async function loadNeuronLimits(conn: Connection): Promise<NeuronLimits> {
  try {
    return neuronLimitsOf(await conn.governance.getNetworkEconomicsParameters({ certified: false }));
  } catch (e) {
    throw toDeskError(e, 'Reading the network economics');
  }
}
