// The NNS proposal engine: proposals, ballots, the following cascade, tally, decisions,
// wait-for-quiet, execution, and the daily voting rewards (with rewards.ts).
// Behaviour: shared/reference/nns-canisters.md ("Proposals", "Voting rewards", voting power in
// "Neurons"). Pure and deterministic: time comes from ctx.time only, no calls are made here.
//
// Who calls what (governance.ts):
// - manage_neuron MakeProposal / RegisterVote, after authorizing the caller: makeProposal / registerVote.
// - nextTimer() / onTimer(ctx): deadlines are decided synchronously; when onTimer returns true the
//   daily reward distribution is due: fetch icrc1_total_supply from the ledger, then call
//   distributeRewards(ctx, supply) (or rewardDistributionFailed(ctx) if the call failed). While
//   that is in flight nextTimer() no longer reports the reward time, so it is past ctx.time at once.
//   onTimer(ctx, supply) distributes synchronously instead when the supply is already known.
// - queries: listProposals, getProposalInfo, getPendingProposals, latestRewardEvent.
import type { Principal } from '@icp-sdk/core/principal';
import type { GovernanceTypes } from '../../candid/index.ts';
import type { CallContext } from '../canister.ts';
import { Ballots, ExactSum, snapshotBallots } from './ballots.ts';
import { castAndCascade } from './following.ts';
import {
  ErrorType,
  GovernanceError,
  MIN_DISSOLVE_DELAY_FOR_PROPOSAL_SECONDS,
  ProposalStatus,
  RewardStatus,
  Topic,
  Visibility,
  Vote,
  WAIT_FOR_QUIET_DEADLINE_INCREASE_SECONDS,
  dissolveDelaySeconds,
  fail,
  votingPeriodSeconds,
  type GovernanceState,
  type Neuron,
  type ProposalData,
  type RewardEvent,
} from './model.ts';
import {
  M70_REWARD_POOL_MULTIPLIER_PERMYRIAD,
  distributeRewards as runRewardEvent,
  nextRewardSeconds,
  rewardsDue as rewardsDueAt,
} from './rewards.ts';

type CandidProposal = GovernanceTypes.Proposal;
type CandidAction = GovernanceTypes.Action;
type MakeProposalRequest = GovernanceTypes.MakeProposalRequest;
type ProposalInfo = GovernanceTypes.ProposalInfo;
type ListProposalInfo = GovernanceTypes.ListProposalInfoRequest;
type ListProposalInfoResponse = GovernanceTypes.ListProposalInfoResponse;
type CandidRewardEvent = GovernanceTypes.RewardEvent;
type ManageNeuronProposal = GovernanceTypes.ManageNeuronProposal;
type ManageNeuronProposalCommand = GovernanceTypes.ManageNeuronProposalCommand;

// ---- Limits (mainnet values, rs/nns/governance) ---------------------------------------------------
export const PROPOSAL_TITLE_BYTES_MIN = 5;
export const PROPOSAL_TITLE_BYTES_MAX = 256;
export const PROPOSAL_SUMMARY_BYTES_MAX = 30_000;
export const PROPOSAL_URL_CHAR_MAX = 2_048;
export const PROPOSAL_MOTION_TEXT_BYTES_MAX = 10_000;
export const KNOWN_NEURON_NAME_MAX_LEN = 200;
export const KNOWN_NEURON_DESCRIPTION_MAX_LEN = 3_000;
export const MAX_LIST_PROPOSAL_RESULTS = 100;
/** How long to wait before retrying a reward distribution whose total-supply call failed. */
export const REWARD_RETRY_SECONDS = 60n;

const NS = 1_000_000_000n;
const toSeconds = (ns: bigint) => ns / NS;
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const ascending = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

export interface ProposalEngineOptions {
  /**
   * Executes an adopted ManageNeuron proposal (the neuron side owns neuron commands). Throw a
   * GovernanceError to make the proposal Failed. Without it such proposals fail when adopted.
   */
  executeManageNeuron?: (ctx: CallContext, managedNeuronId: bigint, command: ManageNeuronProposalCommand) => void;
  /** The Mission 70 pool multiplier (permyriad); see rewards.ts. */
  rewardMultiplierPermyriad?: bigint;
  /**
   * Fetches the ledger's icrc1_total_supply (governance.ts: ctx.call to the ledger). With it,
   * onTimer returns a Promise that runs the daily distribution itself when it is due.
   */
  totalSupplyE8s?: (ctx: CallContext) => Promise<bigint>;
}

/**
 * Status of a proposal. An adopted proposal is executed in the same message that decides it, so it
 * is Executed or Failed at once (Adopted is never observable); decided otherwise means Rejected.
 */
export function proposalStatus(p: ProposalData): ProposalStatus {
  if (p.decidedSeconds === 0n) return ProposalStatus.Open;
  if (p.executedSeconds > 0n) return ProposalStatus.Executed;
  if (p.failedSeconds > 0n) return ProposalStatus.Failed;
  return ProposalStatus.Rejected;
}

/** Reward status at `nowSeconds`. */
export function proposalRewardStatus(p: ProposalData, nowSeconds: bigint): RewardStatus {
  if (p.topic === Topic.NeuronManagement) return RewardStatus.Ineligible;
  if (p.rewardEventRound > 0n) return RewardStatus.Settled;
  if (nowSeconds < p.deadlineSeconds) return RewardStatus.AcceptVotes;
  return RewardStatus.ReadyToSettle;
}

/** The topic of a (validated) action. */
export function topicOfAction(action: CandidAction): Topic | undefined {
  if ('Motion' in action) return Topic.Governance;
  if ('ManageNetworkEconomics' in action) return Topic.NetworkEconomics;
  if ('RegisterKnownNeuron' in action) return Topic.Governance;
  if ('DeregisterKnownNeuron' in action) return Topic.Governance;
  if ('ManageNeuron' in action) return Topic.NeuronManagement;
  return undefined;
}

interface CallerNeurons {
  set: ReadonlySet<bigint>;
  sorted: bigint[];
}

const invalid = (message: string): never => fail(ErrorType.InvalidProposal, message);

export class ProposalEngine {
  /** Proposal ids ascending (insertion order), for newest-first paging. */
  private ids: bigint[] = [];
  /** Not yet decided. */
  private readonly undecided = new Set<bigint>();
  /** Deadline not yet processed by the timer (decision at the deadline, reward status change). */
  private readonly deadlinePending = new Set<bigint>();
  /** Reward-eligible and not yet settled. */
  private readonly unsettled = new Set<bigint>();
  private lastSeenSeconds = 0n;
  private rewardsInFlight = false;
  private rewardRetryAtSeconds = 0n;
  executeManageNeuron?: ProposalEngineOptions['executeManageNeuron'];
  totalSupplyE8s?: ProposalEngineOptions['totalSupplyE8s'];
  rewardMultiplierPermyriad: bigint;

  constructor(
    readonly state: GovernanceState,
    options: ProposalEngineOptions = {},
  ) {
    this.executeManageNeuron = options.executeManageNeuron;
    this.totalSupplyE8s = options.totalSupplyE8s;
    this.rewardMultiplierPermyriad = options.rewardMultiplierPermyriad ?? M70_REWARD_POOL_MULTIPLIER_PERMYRIAD;
    this.reindex();
  }

  /** Rebuilds the engine's indexes from state.proposals (call after restoring a snapshot). */
  reindex(): void {
    this.ids = [...this.state.proposals.keys()].sort(ascending);
    this.undecided.clear();
    this.deadlinePending.clear();
    this.unsettled.clear();
    for (const p of this.state.proposals.values()) {
      if (p.decidedSeconds === 0n) this.undecided.add(p.id);
      if (p.topic !== Topic.NeuronManagement && p.rewardEventRound === 0n) this.unsettled.add(p.id);
      if (p.decidedSeconds === 0n || this.unsettled.has(p.id)) this.deadlinePending.add(p.id);
    }
    this.rewardsInFlight = false;
  }

  private seen(nowSeconds: bigint) {
    if (nowSeconds > this.lastSeenSeconds) this.lastSeenSeconds = nowSeconds;
  }

  // ---- MakeProposal ------------------------------------------------------------------------------

  /**
   * Creates a proposal for `proposer` (already authorized by the caller). Accepts the stored form
   * (`Proposal`) or the request form (`MakeProposalRequest`). Returns the new proposal id.
   */
  makeProposal(ctx: CallContext, proposer: Neuron, input: CandidProposal | MakeProposalRequest): bigint {
    const now = toSeconds(ctx.time);
    this.seen(now);
    const state = this.state;

    // ---- validate (no mutation before this block ends) ----
    const proposal = normalizeProposal(input);
    validateCommon(proposal);
    const action = proposal.action[0] ?? invalid('The proposal has no action.');
    const topic = topicOfAction(action) ?? invalid(`The simulated governance cannot execute ${Object.keys(action)[0]} proposals.`);
    this.validateAction(action);
    let managed: Neuron | undefined;
    if (topic === Topic.NeuronManagement) {
      managed = this.managedNeuron((action as { ManageNeuron: ManageNeuronProposal }).ManageNeuron);
      const managers = managed.followees.get(Topic.NeuronManagement) ?? [];
      if (!managers.includes(proposer.id))
        fail(ErrorType.NotAuthorized, `Neuron ${proposer.id} is not a NeuronManagement followee of neuron ${managed.id}.`);
    } else if (dissolveDelaySeconds(proposer, now) < MIN_DISSOLVE_DELAY_FOR_PROPOSAL_SECONDS) {
      // Mainnet reports a too-short dissolve delay as InsufficientFunds.
      fail(ErrorType.InsufficientFunds, "Neuron's dissolve delay is too short to make a proposal (at least 6 months).");
    }
    const cost = topic === Topic.NeuronManagement ? state.economics.neuronManagementFeePerProposalE8s : state.economics.rejectCostE8s;
    const available = proposer.cachedStakeE8s > proposer.feesE8s ? proposer.cachedStakeE8s - proposer.feesE8s : 0n;
    if (available < cost)
      fail(ErrorType.InsufficientFunds, `Neuron does not have enough stake to submit a proposal: needs ${cost} e8s, has ${available}.`);

    // ---- mutate ----
    proposer.feesE8s += cost;
    proposer.votingPowerRefreshedSeconds = now; // MakeProposal refreshes voting power
    let ballots: Ballots;
    let totalPotential = 0n;
    let total = 0n;
    if (managed) {
      // As mainnet: only the managed neuron's topic-1 followees vote, one vote each.
      ballots = new Ballots(state, 0);
      for (const id of new Set(managed.followees.get(Topic.NeuronManagement) ?? [])) {
        const slot = state.slotOf(id);
        if (slot === undefined) continue;
        ballots.add(slot, 1);
        totalPotential += 1n;
        total += 1n;
      }
    } else {
      const snap = snapshotBallots(state, now, {
        minimumDissolveDelaySeconds: state.economics.neuronMinimumDissolveDelayToVoteSeconds,
        startReducingAfterSeconds: state.economics.startReducingVotingPowerAfterSeconds,
        clearFollowingAfterSeconds: state.economics.clearFollowingAfterSeconds,
      });
      ballots = snap.ballots;
      totalPotential = snap.totalPotential;
      total = snap.totalDeciding;
    }
    const id = state.nextProposalId;
    state.nextProposalId = id + 1n;
    const p: ProposalData = {
      id,
      topic,
      proposer: proposer.id,
      proposal,
      createdSeconds: now,
      deadlineSeconds: now + votingPeriodSeconds(topic),
      rejectCostE8s: cost,
      ballots,
      totalPotentialVotingPower: totalPotential,
      tally: { yes: 0n, no: 0n, total, timestampSeconds: now },
      decidedSeconds: 0n,
      executedSeconds: 0n,
      failedSeconds: 0n,
      rewardEventRound: 0n,
    };
    state.proposals.set(id, p);
    this.ids.push(id);
    this.undecided.add(id);
    this.deadlinePending.add(id);
    if (topic !== Topic.NeuronManagement) this.unsettled.add(id);

    // The proposer votes Yes (no wait-for-quiet on the initial tally, as mainnet).
    this.cast(p, proposer.id, Vote.Yes, now);
    this.decide(ctx, p, now);
    return id;
  }

  private validateAction(action: CandidAction): void {
    if ('Motion' in action) {
      if (bytes(action.Motion.motion_text) > PROPOSAL_MOTION_TEXT_BYTES_MAX)
        invalid(`The motion text is longer than ${PROPOSAL_MOTION_TEXT_BYTES_MAX} bytes.`);
    } else if ('RegisterKnownNeuron' in action) {
      const k = action.RegisterKnownNeuron;
      if (k.id.length === 0) invalid('RegisterKnownNeuron lacks a neuron id.');
      const data = k.known_neuron_data[0] ?? invalid('RegisterKnownNeuron lacks known_neuron_data.');
      if (data.name.trim().length === 0) invalid('The known neuron name is empty.');
      if (bytes(data.name) > KNOWN_NEURON_NAME_MAX_LEN) invalid(`The known neuron name is longer than ${KNOWN_NEURON_NAME_MAX_LEN} bytes.`);
      const d = data.description[0];
      if (d !== undefined && bytes(d) > KNOWN_NEURON_DESCRIPTION_MAX_LEN)
        invalid(`The known neuron description is longer than ${KNOWN_NEURON_DESCRIPTION_MAX_LEN} bytes.`);
    } else if ('DeregisterKnownNeuron' in action) {
      if (action.DeregisterKnownNeuron.id.length === 0) invalid('DeregisterKnownNeuron lacks a neuron id.');
    } else if ('ManageNeuron' in action) {
      const cmd = action.ManageNeuron.command[0] ?? invalid('The ManageNeuron proposal has no command.');
      if ('MakeProposal' in cmd) invalid('A ManageNeuron proposal cannot make a proposal.');
    }
  }

  private managedNeuron(m: ManageNeuronProposal): Neuron {
    const byIdOrSub = m.neuron_id_or_subaccount[0];
    const legacy = m.id[0];
    if (byIdOrSub && legacy) invalid('ManageNeuron: give either id or neuron_id_or_subaccount, not both.');
    let n: Neuron | undefined;
    if (byIdOrSub) n = 'NeuronId' in byIdOrSub ? this.state.neuron(byIdOrSub.NeuronId.id) : this.state.neuronBySubaccount(byIdOrSub.Subaccount);
    else if (legacy) n = this.state.neuron(legacy.id);
    else invalid('The ManageNeuron proposal does not name a neuron.');
    return n ?? fail(ErrorType.NotFound, 'The neuron to manage was not found.');
  }

  // ---- RegisterVote ------------------------------------------------------------------------------

  registerVote(ctx: CallContext, neuron: Neuron, proposalId: bigint, vote: Vote): void {
    const now = toSeconds(ctx.time);
    this.seen(now);
    const p = this.state.proposals.get(proposalId) ?? fail(ErrorType.NotFound, `Proposal ${proposalId} not found.`);
    if (vote !== Vote.Yes && vote !== Vote.No) fail(ErrorType.InvalidCommand, 'The vote must be Yes (1) or No (2).');
    if (now >= p.deadlineSeconds) fail(ErrorType.PreconditionFailed, `Proposal ${proposalId} is past its voting deadline.`);
    const ballot = p.ballots.get(neuron.id) ?? fail(ErrorType.NotAuthorized, `Neuron ${neuron.id} has no ballot on proposal ${proposalId}.`);
    if (ballot.vote !== Vote.Unspecified) fail(ErrorType.NeuronAlreadyVoted, `Neuron ${neuron.id} already voted on proposal ${proposalId}.`);

    neuron.votingPowerRefreshedSeconds = now; // a direct vote refreshes voting power
    const yesLed = p.tally.yes > p.tally.no;
    this.cast(p, neuron.id, vote, now);
    // Wait-for-quiet only while there is no majority: not for a vote that makes one (mainnet's
    // evaluate_wait_for_quiet returns early when the new tally is decisive), nor after one.
    const t = p.tally;
    const decisive = 2n * t.yes > t.total || 2n * t.no >= t.total;
    if (!decisive && p.topic !== Topic.NeuronManagement && yesLed !== t.yes > t.no) this.waitForQuiet(p, now);
    this.decide(ctx, p, now);
  }

  /** Casts a vote with its cascade; keeps the tally and the neurons' recent ballots up to date. */
  private cast(p: ProposalData, neuronId: bigint, vote: Vote, now: bigint): void {
    const tally = p.tally;
    const record = p.topic !== Topic.NeuronManagement; // mainnet keeps no recent ballots for topic 1
    const sums = [new ExactSum(), new ExactSum(), new ExactSum()]; // by vote: [, yes, no]
    const ballots = p.ballots;
    const state = this.state;
    const pid = Number(p.id);
    castAndCascade(this.state, p.topic, ballots, neuronId, vote, (slot, v) => {
      const power = ballots.powerNumberAt(slot);
      sums[v].add(power < 0 ? ballots.powerAt(slot) : power);
      if (record) state.recordBallot(slot, pid, v);
    });
    tally.yes += sums[Vote.Yes].value;
    tally.no += sums[Vote.No].value;
    tally.timestampSeconds = now;
  }

  /** Wait-for-quiet: the lead flipped at `now`; push the deadline out (never past the cap). */
  private waitForQuiet(p: ProposalData, now: bigint): void {
    const W = WAIT_FOR_QUIET_DEADLINE_INCREASE_SECONDS;
    const period = votingPeriodSeconds(p.topic);
    const elapsed = now - p.createdSeconds;
    let deadline = now + W + period / 2n - elapsed / 2n;
    const cap = p.createdSeconds + period + 2n * W;
    if (deadline > cap) deadline = cap;
    if (deadline > p.deadlineSeconds) p.deadlineSeconds = deadline;
  }

  /** Decides when possible: absolute majority any time, or the 3% rule at the deadline. */
  private decide(ctx: CallContext, p: ProposalData, now: bigint): void {
    if (p.decidedSeconds !== 0n) return;
    const { yes, no, total } = p.tally;
    let adopted: boolean;
    if (2n * yes > total) adopted = true;
    else if (2n * no >= total) adopted = false;
    else if (now >= p.deadlineSeconds) adopted = 100n * yes >= 3n * total && yes > no;
    else return;
    p.decidedSeconds = now;
    this.undecided.delete(p.id);
    if (!adopted) return;
    const proposer = this.state.neurons.get(p.proposer);
    if (proposer) proposer.feesE8s = proposer.feesE8s > p.rejectCostE8s ? proposer.feesE8s - p.rejectCostE8s : 0n;
    try {
      this.execute(ctx, p);
      p.executedSeconds = now;
    } catch (e) {
      p.failedSeconds = now;
      p.failureReason =
        e instanceof GovernanceError
          ? { errorType: e.errorType, message: e.message }
          : { errorType: ErrorType.External, message: e instanceof Error ? e.message : String(e) };
    }
  }

  // ---- Execution ---------------------------------------------------------------------------------

  private execute(ctx: CallContext, p: ProposalData): void {
    const action = (p.proposal as CandidProposal).action[0];
    if (!action) fail(ErrorType.InvalidProposal, 'The proposal has no action.');
    else if ('Motion' in action) return;
    else if ('ManageNetworkEconomics' in action) this.applyNetworkEconomics(action.ManageNetworkEconomics);
    else if ('RegisterKnownNeuron' in action) this.registerKnownNeuron(action.RegisterKnownNeuron);
    else if ('DeregisterKnownNeuron' in action) {
      const id = action.DeregisterKnownNeuron.id[0]!.id;
      const n = this.state.neuron(id) ?? fail(ErrorType.NotFound, `Neuron ${id} not found.`);
      if (!n.knownNeuron) fail(ErrorType.PreconditionFailed, `Neuron ${id} is not a known neuron.`);
      this.state.setKnownNeuron(n, undefined);
    } else if ('ManageNeuron' in action) {
      if (!this.executeManageNeuron)
        fail(ErrorType.Unavailable, 'ManageNeuron proposals cannot be executed: no executor is configured in this simulation.');
      const managed = this.managedNeuron(action.ManageNeuron);
      this.executeManageNeuron!(ctx, managed.id, action.ManageNeuron.command[0]!);
    } else {
      fail(ErrorType.Unavailable, `The simulated governance cannot execute ${Object.keys(action)[0]} proposals.`);
    }
  }

  private applyNetworkEconomics(e: GovernanceTypes.NetworkEconomics): void {
    const econ = { ...this.state.economics };
    if (e.reject_cost_e8s > 0n) econ.rejectCostE8s = e.reject_cost_e8s;
    if (e.neuron_minimum_stake_e8s > 0n) econ.neuronMinimumStakeE8s = e.neuron_minimum_stake_e8s;
    if (e.neuron_management_fee_per_proposal_e8s > 0n) econ.neuronManagementFeePerProposalE8s = e.neuron_management_fee_per_proposal_e8s;
    if (e.transaction_fee_e8s > 0n) econ.transactionFeeE8s = e.transaction_fee_e8s;
    if (e.neuron_spawn_dissolve_delay_seconds > 0n) econ.neuronSpawnDissolveDelaySeconds = e.neuron_spawn_dissolve_delay_seconds;
    if (e.max_proposals_to_keep_per_topic > 0) econ.maxProposalsToKeepPerTopic = e.max_proposals_to_keep_per_topic;
    if (e.minimum_icp_xdr_rate > 0n) econ.minimumIcpXdrRate = e.minimum_icp_xdr_rate;
    if (e.maximum_node_provider_rewards_e8s > 0n) econ.maximumNodeProviderRewardsE8s = e.maximum_node_provider_rewards_e8s;
    const v = e.voting_power_economics[0];
    if (v) {
      if (v.start_reducing_voting_power_after_seconds[0] !== undefined)
        econ.startReducingVotingPowerAfterSeconds = v.start_reducing_voting_power_after_seconds[0];
      if (v.clear_following_after_seconds[0] !== undefined) econ.clearFollowingAfterSeconds = v.clear_following_after_seconds[0];
      if (v.neuron_minimum_dissolve_delay_to_vote_seconds[0] !== undefined)
        econ.neuronMinimumDissolveDelayToVoteSeconds = v.neuron_minimum_dissolve_delay_to_vote_seconds[0];
    }
    // neurons_fund_economics: not modelled by the simulation (ignored).
    this.state.economics = econ;
  }

  private registerKnownNeuron(k: GovernanceTypes.KnownNeuron): void {
    const id = k.id[0]!.id;
    const data = k.known_neuron_data[0]!;
    const n = this.state.neuron(id) ?? fail(ErrorType.NotFound, `Neuron ${id} not found.`);
    for (const otherId of this.state.knownNeuronIds) {
      if (otherId !== id && this.state.neuron(otherId)?.knownNeuron?.name === data.name)
        fail(ErrorType.PreconditionFailed, `The known neuron name "${data.name}" is already used by neuron ${otherId}.`);
    }
    const committedTopics: number[] = [];
    for (const t of data.committed_topics[0] ?? []) {
      const v = t[0];
      if (!v) continue;
      const key = Object.keys(v)[0];
      const topic = key === 'CatchAll' ? Topic.Unspecified : (Topic as unknown as Record<string, number>)[key];
      if (typeof topic === 'number') committedTopics.push(topic);
    }
    this.state.setKnownNeuron(n, { name: data.name, description: data.description[0], links: data.links[0] ?? [], committedTopics });
    n.visibility = Visibility.Public; // known neurons are public
  }

  // ---- Timers ------------------------------------------------------------------------------------

  /** Earliest time (ns) the engine needs onTimer: a pending deadline or the next daily reward. */
  nextTimer(): bigint | undefined {
    let t: bigint | undefined;
    for (const id of this.deadlinePending) {
      const p = this.state.proposals.get(id);
      if (p && (t === undefined || p.deadlineSeconds < t)) t = p.deadlineSeconds;
    }
    if (!this.rewardsInFlight) {
      let r = nextRewardSeconds(this.state);
      if (r < this.rewardRetryAtSeconds) r = this.rewardRetryAtSeconds;
      if (t === undefined || r < t) t = r;
    }
    return t === undefined ? undefined : t * NS;
  }

  /**
   * Decides the proposals whose deadline has passed, then, when the daily reward distribution is
   * due: with `totalSupplyE8s` given, distributes at once (returns false); else with the
   * `totalSupplyE8s` option set, returns a Promise that fetches the supply and distributes (or
   * schedules a retry); else returns true: the caller fetches the supply and calls
   * distributeRewards or rewardDistributionFailed. nextTimer() is past ctx.time when this returns.
   */
  onTimer(ctx: CallContext, totalSupplyE8s?: bigint): boolean | Promise<RewardEvent | undefined> {
    const handedOver = this.onTimerSync(ctx, totalSupplyE8s);
    if (!handedOver || !this.totalSupplyE8s) return handedOver;
    return this.totalSupplyE8s(ctx).then(
      (supply) => this.distributeRewards(ctx, supply),
      () => {
        this.rewardDistributionFailed(ctx);
        return undefined;
      },
    );
  }

  private onTimerSync(ctx: CallContext, totalSupplyE8s?: bigint): boolean {
    const now = toSeconds(ctx.time);
    this.seen(now);
    const due: ProposalData[] = [];
    for (const id of this.deadlinePending) {
      const p = this.state.proposals.get(id);
      if (!p) this.deadlinePending.delete(id);
      else if (p.deadlineSeconds <= now) due.push(p);
    }
    due.sort((a, b) => ascending(a.id, b.id));
    for (const p of due) {
      this.deadlinePending.delete(p.id);
      this.decide(ctx, p, now);
    }
    if (this.rewardsInFlight || now < this.rewardRetryAtSeconds || !this.rewardsDue(now)) return false;
    if (totalSupplyE8s !== undefined) {
      this.distributeRewards(ctx, totalSupplyE8s);
      return false;
    }
    this.rewardsInFlight = true;
    return true;
  }

  /** Whether a daily reward event is due at `nowSeconds`. */
  rewardsDue(nowSeconds: bigint): boolean {
    return rewardsDueAt(this.state, nowSeconds);
  }

  /** Runs the daily reward event with the ledger's total supply. Undefined when none was due. */
  distributeRewards(ctx: CallContext, totalSupplyE8s: bigint): RewardEvent | undefined {
    const now = toSeconds(ctx.time);
    this.seen(now);
    this.rewardsInFlight = false;
    // Deadlines first, so that proposals due now are decided before they are settled.
    for (const id of this.deadlinePending) {
      const p = this.state.proposals.get(id);
      if (p && p.deadlineSeconds <= now) {
        this.deadlinePending.delete(id);
        this.decide(ctx, p, now);
      }
    }
    const event = runRewardEvent(this.state, now, totalSupplyE8s, this.unsettled, this.rewardMultiplierPermyriad);
    if (event) for (const id of event.settledProposals) this.unsettled.delete(id);
    return event;
  }

  /** The total-supply call failed: retry after REWARD_RETRY_SECONDS. */
  rewardDistributionFailed(ctx: CallContext): void {
    this.rewardsInFlight = false;
    this.rewardRetryAtSeconds = toSeconds(ctx.time) + REWARD_RETRY_SECONDS;
  }

  // ---- Queries -----------------------------------------------------------------------------------

  /** list_proposals. `nowNs` (ctx.time) sets the reward status; defaults to the last time seen. */
  listProposals(caller: Principal, req: ListProposalInfo, nowNs?: bigint): ListProposalInfoResponse {
    if (this.ids.length !== this.state.proposals.size) this.reindex();
    const now = nowNs === undefined ? this.lastSeenSeconds : toSeconds(nowNs);
    const limit = req.limit === 0 || req.limit > MAX_LIST_PROPOSAL_RESULTS ? MAX_LIST_PROPOSAL_RESULTS : req.limit;
    const excludeTopic = new Set(req.exclude_topic);
    const includeStatus = new Set(req.include_status);
    const includeReward = new Set(req.include_reward_status);
    const allManageNeuron = req.include_all_manage_neuron_proposals[0] === true;
    const omitLarge = req.omit_large_fields[0] === true;
    const mine = this.callerNeurons(caller);

    // Start just below before_proposal (exclusive), walking newest first.
    let i = this.ids.length - 1;
    const before = req.before_proposal[0]?.id;
    if (before !== undefined) {
      let lo = 0;
      let hi = this.ids.length; // first index with ids[index] >= before
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.ids[mid] < before) lo = mid + 1;
        else hi = mid;
      }
      i = lo - 1;
    }
    // Only Open asked for (the usual "vote now" screen): walk the few undecided ones instead.
    let walk = this.ids;
    if (includeStatus.size === 1 && includeStatus.has(ProposalStatus.Open)) {
      walk = [...this.undecided].filter((id) => before === undefined || id < before).sort(ascending);
      i = walk.length - 1;
    }
    const out: ProposalInfo[] = [];
    for (; i >= 0 && out.length < limit; i--) {
      const p = this.state.proposals.get(walk[i]);
      if (!p) continue;
      if (excludeTopic.size > 0 && excludeTopic.has(p.topic)) continue;
      if (includeStatus.size > 0 && !includeStatus.has(proposalStatus(p))) continue;
      if (includeReward.size > 0 && !includeReward.has(proposalRewardStatus(p, now))) continue;
      if (p.topic === Topic.NeuronManagement && !allManageNeuron && !this.hasBallot(p, mine.set)) continue;
      out.push(this.info(p, mine, now, omitLarge));
    }
    return { proposal_info: out };
  }

  getProposalInfo(caller: Principal, id: bigint, nowNs?: bigint): ProposalInfo | undefined {
    const p = this.state.proposals.get(id);
    if (!p) return undefined;
    const now = nowNs === undefined ? this.lastSeenSeconds : toSeconds(nowNs);
    return this.info(p, this.callerNeurons(caller), now, false);
  }

  /** Open proposals, oldest first (neuron-management ones only for the caller's voting neurons). */
  getPendingProposals(caller: Principal, nowNs?: bigint): ProposalInfo[] {
    const now = nowNs === undefined ? this.lastSeenSeconds : toSeconds(nowNs);
    const mine = this.callerNeurons(caller);
    const out: ProposalInfo[] = [];
    for (const id of [...this.undecided].sort(ascending)) {
      const p = this.state.proposals.get(id);
      if (!p || p.decidedSeconds !== 0n) continue;
      if (p.topic === Topic.NeuronManagement && !this.hasBallot(p, mine.set)) continue;
      out.push(this.info(p, mine, now, false));
    }
    return out;
  }

  latestRewardEvent(): CandidRewardEvent {
    const e = this.state.latestRewardEvent;
    if (!e)
      return {
        day_after_genesis: 0n,
        actual_timestamp_seconds: 0n,
        settled_proposals: [],
        distributed_e8s_equivalent: 0n,
        total_available_e8s_equivalent: 0n,
        rounds_since_last_distribution: [0n],
        latest_round_available_e8s_equivalent: [0n],
      };
    return {
      day_after_genesis: e.dayAfterGenesis,
      actual_timestamp_seconds: e.actualTimestampSeconds,
      settled_proposals: e.settledProposals.map((id) => ({ id })),
      distributed_e8s_equivalent: e.distributedE8sEquivalent,
      total_available_e8s_equivalent: e.totalAvailableE8sEquivalent,
      rounds_since_last_distribution: [e.roundsSinceLastDistribution],
      latest_round_available_e8s_equivalent: [e.latestRoundAvailableE8sEquivalent],
    };
  }

  private hasBallot(p: ProposalData, mine: ReadonlySet<bigint>): boolean {
    for (const id of mine) if (p.ballots.has(id)) return true;
    return false;
  }

  /** The caller's neurons, as a set and in ascending order (computed once per query). */
  private callerNeurons(caller: Principal): CallerNeurons {
    const set = this.state.neuronIdsOf(caller);
    return { set, sorted: [...set].sort(ascending) };
  }

  private info(p: ProposalData, mine: CallerNeurons, now: bigint, omitLarge: boolean): ProposalInfo {
    const ballots: Array<[bigint, GovernanceTypes.Ballot]> = [];
    for (const id of mine.sorted) {
      const b = p.ballots.get(id);
      if (b) ballots.push([id, { vote: b.vote, voting_power: b.votingPower }]);
    }
    const proposal = p.proposal as CandidProposal;
    return {
      id: [{ id: p.id }],
      status: proposalStatus(p),
      topic: p.topic,
      failure_reason: p.failureReason ? [{ error_type: p.failureReason.errorType, error_message: p.failureReason.message }] : [],
      ballots,
      proposal_timestamp_seconds: p.createdSeconds,
      reward_event_round: p.rewardEventRound,
      deadline_timestamp_seconds: [p.deadlineSeconds],
      failed_timestamp_seconds: p.failedSeconds,
      reject_cost_e8s: p.rejectCostE8s,
      derived_proposal_information: [],
      latest_tally: [{ yes: p.tally.yes, no: p.tally.no, total: p.tally.total, timestamp_seconds: p.tally.timestampSeconds }],
      total_potential_voting_power: [p.totalPotentialVotingPower],
      reward_status: proposalRewardStatus(p, now),
      decided_timestamp_seconds: p.decidedSeconds,
      proposal: proposal ? [omitLarge ? omitLargeFields(proposal) : proposal] : [],
      proposer: [{ id: p.proposer }],
      executed_timestamp_seconds: p.executedSeconds,
    };
  }
}

// ---- Proposal validation and shape -------------------------------------------------------------------

/** The stored `Proposal` form of a request (ManageNeuronRequest -> ManageNeuronProposal). */
function normalizeProposal(input: CandidProposal | MakeProposalRequest): CandidProposal {
  const raw = input.action[0] as Record<string, unknown> | undefined;
  let action: CandidAction | undefined;
  if (raw && 'ManageNeuron' in raw) {
    const m = raw.ManageNeuron as ManageNeuronProposal;
    // Both forms have id / command / neuron_id_or_subaccount; only a nested MakeProposal differs,
    // and that is refused by validation.
    action = { ManageNeuron: { id: m.id, command: m.command, neuron_id_or_subaccount: m.neuron_id_or_subaccount } };
  } else action = raw as CandidAction | undefined;
  return {
    url: input.url,
    title: input.title,
    summary: input.summary,
    action: action ? [action] : [],
    self_describing_action: [],
  };
}

function validateCommon(p: CandidProposal): void {
  const title = p.title[0] ?? invalid('The proposal lacks a title.');
  const t = bytes(title);
  if (t < PROPOSAL_TITLE_BYTES_MIN || t > PROPOSAL_TITLE_BYTES_MAX)
    invalid(`The title must be ${PROPOSAL_TITLE_BYTES_MIN} to ${PROPOSAL_TITLE_BYTES_MAX} bytes long.`);
  if (bytes(p.summary) > PROPOSAL_SUMMARY_BYTES_MAX) invalid(`The summary is longer than ${PROPOSAL_SUMMARY_BYTES_MAX} bytes.`);
  if (p.url.length > PROPOSAL_URL_CHAR_MAX) invalid(`The url is longer than ${PROPOSAL_URL_CHAR_MAX} characters.`);
  // Mainnet also restricts the domain (forum.dfinity.org); the simulation accepts any https URL.
  if (p.url !== '' && !/^https:\/\/[^\s/]+/.test(p.url)) invalid('The url must be empty or an https:// URL.');
}

/** Drops the large payload fields (as mainnet's omit_large_fields). */
export function omitLargeFields(p: CandidProposal): CandidProposal {
  const a = p.action[0];
  let action: CandidAction | undefined = a;
  if (a && 'ExecuteNnsFunction' in a) action = { ExecuteNnsFunction: { ...a.ExecuteNnsFunction, payload: new Uint8Array() } };
  else if (a && 'CreateServiceNervousSystem' in a) {
    const c = a.CreateServiceNervousSystem;
    const lp = c.ledger_parameters[0];
    action = {
      CreateServiceNervousSystem: { ...c, logo: [], ledger_parameters: lp ? [{ ...lp, token_logo: [] }] : [] },
    };
  }
  return { ...p, action: action ? [action] : [], self_describing_action: [] };
}
