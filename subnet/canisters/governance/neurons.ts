// Neuron management: staking and claiming, create_neuron (ICRC-2), every manage_neuron command
// except RegisterVote and MakeProposal (delegated to the proposal engine), and the neuron timers
// (spawning, maturity disbursements, clearing stale following). Behaviour and constants:
// shared/reference/nns-canisters.md ("Neurons", "manage_neuron"); state: model.ts.
//
// Every command validates before it mutates. A command that calls the ledger locks its neuron(s)
// for the duration (mainnet's in-flight commands): other commands on a locked neuron get
// LedgerUpdateOngoing. Claims and create_neuron reserve the staking subaccount the same way.
import type { Principal } from '@icp-sdk/core/principal';
import type {
  ClaimOrRefresh,
  Command_1,
  CreateNeuronRequest,
  CreateNeuronResponse,
  Disburse,
  DisburseMaturity,
  DisburseToNeuron,
  FolloweesForTopic,
  GovernanceCachedMetrics,
  GovernanceError as CandidGovernanceError,
  MakeProposalRequest,
  ManageNeuronRequest,
  ManageNeuronResponse,
  Merge,
  MergeResponse,
  NeuronIdOrSubaccount,
  Operation,
  Spawn,
  Split,
  StakeMaturity,
} from '../../candid/generated/governance.did.ts';
import type { CallContext } from '../canister.ts';
import { accountIdentifier, crc32, hasValidChecksum } from '../common/accounts.ts';
import {
  E8S_PER_ICP,
  ErrorType,
  GovernanceError,
  INITIAL_DISSOLVE_DELAY_SECONDS,
  MATURITY_DISBURSEMENT_DELAY_SECONDS,
  MAX_DISSOLVE_DELAY_SECONDS,
  MAX_FOLLOWEES_PER_TOPIC,
  MAX_HOT_KEYS,
  MAX_PENDING_MATURITY_DISBURSEMENTS,
  NeuronState,
  SIX_MONTHS,
  TOPICS,
  Topic,
  U64_MAX,
  Visibility,
  ageSeconds,
  dissolveDelaySeconds,
  fail,
  neuronState,
  votingStakeE8s,
  type DissolveState,
  type GovernanceState,
  type MaturityDisbursement,
  type Neuron,
  type Vote,
} from './model.ts';
import {
  burnFromNeuron,
  mintToAccount,
  mintToAccountIdentifier,
  neuronBalance,
  pullWithAllowance,
  transferFromNeuron,
} from './ledger-client.ts';
import { hexOf, neuronAccount, neuronIdFor, neuronStakeSubaccount } from './staking.ts';
import { plainNeuron } from './neuron-store.ts';
import { TimerQueue } from './timers.ts';
import {
  isController,
  isControllerOrHotKey,
  reportedDecidingVotingPower,
  reportedPotentialVotingPower,
  toCandidNeuron,
  toNeuronInfo,
} from './views.ts';

const NS = 1_000_000_000n;
export const secondsOf = (ns: bigint) => ns / NS;

/**
 * Spawn and DisburseMaturity require the amount to stay >= 1 ICP after the worst-case maturity
 * modulation. The reference gives 5% (the M70 modulation range reaches -10%, unverified which one
 * mainnet uses for this check): a parameter.
 */
export const WORST_CASE_MATURITY_MODULATION_PERCENT = 5n;
/** The least a maturity disbursement may be (after the worst case). */
export const MINIMUM_DISBURSEMENT_E8S = E8S_PER_ICP;
/** create_neuron and children without a given nonce use nonces from here up (a counter; deterministic). */
export const GENERATED_NONCE_BASE = 0x4e44_0000_0000_0000n; // "ND"
/** Retry delay for a timer whose ledger call failed or whose neuron was busy. */
const TIMER_RETRY_SECONDS = 60n;
const METRICS_EVERY_SECONDS = 86_400n;

/** What the proposal engine (proposals.ts, written separately) provides to manage_neuron. */
export interface ProposalEngine {
  /** Throws GovernanceError (NotFound, PreconditionFailed, NotAuthorized, NeuronAlreadyVoted...). */
  registerVote(ctx: CallContext, neuron: Neuron, proposalId: bigint, vote: Vote): void | Promise<void>;
  /** Returns the new proposal's id; throws GovernanceError. */
  makeProposal(ctx: CallContext, neuron: Neuron, proposal: MakeProposalRequest): bigint | Promise<bigint>;
  nextTimer?(): bigint | undefined;
  onTimer?(ctx: CallContext): unknown;
}

/** The neuron side's own state besides GovernanceState (plain data, part of the snapshot). */
/** How far ahead the scan for following to clear looks (and how often it runs). */
const FOLLOW_SCAN_HORIZON_SECONDS = 2n * 86_400n;

export interface NeuronExtras {
  nextNonce: bigint;
  /** When the next scan for following to clear runs (seconds). */
  followScanAt?: bigint;
  nextMintMemo: bigint;
  metrics?: GovernanceCachedMetrics;
}

export function governanceErrorOf(e: unknown): CandidGovernanceError {
  if (e instanceof GovernanceError) return { error_type: e.errorType, error_message: e.message };
  throw e;
}

const clampPct = (p: number | undefined, what: string): bigint => {
  const pct = p ?? 100;
  if (!Number.isInteger(pct) || pct < 1 || pct > 100) fail(ErrorType.InvalidCommand, `The percentage of maturity to ${what} must be a value between 1 and 100 (inclusive).`);
  return BigInt(pct);
};

/** A 32-byte account identifier with a valid checksum, or the 28-byte hash (checksum added). */
function parseAccountIdentifier(hash: Uint8Array): Uint8Array {
  if (hash.length === 28) {
    const out = new Uint8Array(32);
    new DataView(out.buffer).setUint32(0, crc32(hash), false);
    out.set(hash, 4);
    return out;
  }
  if (hash.length !== 32 || !hasValidChecksum(hash)) fail(ErrorType.InvalidCommand, 'The account identifier is not valid.');
  return hash;
}

interface MergeOutcome {
  target: Partial<Neuron>;
  source: Partial<Neuron>;
  burn: bigint;
  move: bigint;
}

export class NeuronManager {
  readonly timers = new TimerQueue();
  private readonly locks = new Set<bigint>();
  private readonly pendingSubaccounts = new Set<string>();

  constructor(
    readonly state: GovernanceState,
    readonly extras: NeuronExtras,
    private readonly engine: () => ProposalEngine | undefined,
  ) {
    // Spawns and disbursements are few: all scheduled. Following to clear concerns most neurons,
    // but only those due before the next scan need a timer; the scan (every horizon) finds the
    // next ones. Its time is part of the snapshot, so a restored state has the same timers.
    const { store } = state;
    const scanAt = extras.followScanAt ?? 0n;
    this.timers.load(() => {
      this.scheduleFollowingDueBefore(scanAt);
      const spawnAt = store.spawnAt.data;
      for (let slot = 0; slot < store.size; slot++) {
        if (Number.isNaN(spawnAt[slot])) continue;
        const n = state.neuronsBySlot[slot];
        if (n) this.timers.schedule('spawn', n.id, n.spawnAtSeconds!);
      }
      for (const [slot, list] of store.disbursements) {
        const n = state.neuronsBySlot[slot];
        if (n && list[0]) this.timers.schedule('disburse', n.id, list[0].timestampSeconds + MATURITY_DISBURSEMENT_DELAY_SECONDS);
      }
    });
    this.timers.schedule('follow-scan', 0n, scanAt);
    // Metrics are due a day after the last computation (at once when there is none).
    const last = extras.metrics?.timestamp_seconds;
    this.timers.schedule('metrics', 0n, last === undefined ? 0n : last + METRICS_EVERY_SECONDS);
  }

  // ---- Helpers --------------------------------------------------------------------------------

  private get fee(): bigint {
    return this.state.economics.transactionFeeE8s;
  }

  private get minStake(): bigint {
    return this.state.economics.neuronMinimumStakeE8s;
  }

  isLocked(id: bigint): boolean {
    return this.locks.has(id);
  }

  private requireUnlocked(n: Neuron) {
    if (this.locks.has(n.id)) fail(ErrorType.LedgerUpdateOngoing, `Neuron ${n.id} has an ongoing ledger update; try again later.`);
  }

  private requireController(n: Neuron, caller: Principal) {
    if (!isController(n, caller)) fail(ErrorType.NotAuthorized, `Caller '${caller.toText()}' is not authorized to control neuron '${n.id}'.`);
  }

  private requireControllerOrHotKey(n: Neuron, caller: Principal) {
    if (!isControllerOrHotKey(n, caller)) {
      fail(ErrorType.NotAuthorized, `Caller '${caller.toText()}' is neither the controller nor a hotkey of neuron '${n.id}'.`);
    }
  }

  private requireNotSpawning(n: Neuron, now: bigint) {
    if (neuronState(n, now) === NeuronState.Spawning) fail(ErrorType.PreconditionFailed, `Neuron ${n.id} is spawning.`);
  }

  /** The neuron a request names (neuron_id_or_subaccount, or the deprecated id). */
  neuronOf(req: { id: [] | [{ id: bigint }]; neuron_id_or_subaccount: [] | [NeuronIdOrSubaccount] }): Neuron {
    const [which] = req.neuron_id_or_subaccount;
    const [id] = req.id;
    if (which && id) fail(ErrorType.InvalidCommand, 'Both id and neuron_id_or_subaccount fields are set.');
    if (id) return this.byId(id.id);
    if (!which) fail(ErrorType.NotFound, 'No neuron ID specified in the request.');
    return this.byIdOrSubaccount(which!);
  }

  byIdOrSubaccount(which: NeuronIdOrSubaccount): Neuron {
    if ('NeuronId' in which) return this.byId(which.NeuronId.id);
    const n = this.state.neuronBySubaccount(which.Subaccount);
    return n ?? fail(ErrorType.NotFound, `No neuron found for subaccount ${hexOf(which.Subaccount)}.`);
  }

  byId(id: bigint): Neuron {
    return this.state.neuron(id) ?? fail(ErrorType.NotFound, `Neuron not found: ${id}`);
  }

  /** A fresh subaccount of `controller` from the nonce counter (never in use, never reserved). */
  private freshSubaccount(controller: Principal): Uint8Array {
    for (;;) {
      const nonce = GENERATED_NONCE_BASE + this.extras.nextNonce;
      this.extras.nextNonce += 1n;
      const sub = neuronStakeSubaccount(controller, nonce);
      if (!this.state.neuronBySubaccount(sub) && !this.pendingSubaccounts.has(hexOf(sub))) return sub;
    }
  }

  /** The subaccount for a child neuron: from the given nonce (must be free) or a fresh one. */
  private childSubaccount(controller: Principal, nonce: bigint | undefined): Uint8Array {
    if (nonce === undefined) return this.freshSubaccount(controller);
    const sub = neuronStakeSubaccount(controller, nonce);
    if (this.state.neuronBySubaccount(sub) || this.pendingSubaccounts.has(hexOf(sub))) {
      fail(ErrorType.PreconditionFailed, 'There is already a neuron with the same subaccount (controller and nonce).');
    }
    return sub;
  }

  private newNeuron(o: {
    controller: Principal;
    subaccount: Uint8Array;
    now: bigint;
    stake: bigint;
    dissolve: DissolveState;
    agingSince?: bigint;
    followees?: Map<number, bigint[]>;
  }): Neuron {
    return {
      id: neuronIdFor(this.state, o.subaccount),
      controller: o.controller,
      hotKeys: [],
      subaccount: o.subaccount,
      cachedStakeE8s: o.stake,
      feesE8s: 0n,
      maturityE8s: 0n,
      stakedMaturityE8s: 0n,
      createdSeconds: o.now,
      agingSinceSeconds: o.agingSince ?? (o.dissolve.kind === 'delay' ? o.now : U64_MAX),
      dissolve: o.dissolve,
      followees: new Map([...(o.followees ?? this.state.defaultFollowees)].map(([t, l]) => [t, [...l]])),
      votingPowerRefreshedSeconds: o.now,
      autoStakeMaturity: false,
      visibility: Visibility.Private,
      maturityDisbursements: [],
      kycVerified: true,
      notForProfit: false,
    };
  }

  /** Adds a neuron to the state; the returned view is the neuron from now on. */
  private addNeuron(n: Neuron): Neuron {
    const stored = this.state.addNeuron(n);
    this.scheduleNeuron(stored);
    return stored;
  }

  /** Puts a neuron's timers (spawn, disbursements, clearing of following) on the queue. */
  scheduleNeuron(n: Neuron) {
    if (n.spawnAtSeconds !== undefined) this.timers.schedule('spawn', n.id, n.spawnAtSeconds);
    const first = n.maturityDisbursements[0];
    if (first) this.timers.schedule('disburse', n.id, first.timestampSeconds + MATURITY_DISBURSEMENT_DELAY_SECONDS);
    if (hasFollowingToClear(n)) this.timers.schedule('follow', n.id, this.followingClearedAt(n));
  }

  private followingClearedAt(n: Neuron): bigint {
    const e = this.state.economics;
    return n.votingPowerRefreshedSeconds + e.startReducingVotingPowerAfterSeconds + e.clearFollowingAfterSeconds;
  }

  private refreshVotingPower(n: Neuron, now: bigint) {
    if (now > n.votingPowerRefreshedSeconds) n.votingPowerRefreshedSeconds = now;
  }

  /** stake -> newStake with the age scaled: new_age = floor(old_stake * old_age / new_stake). */
  private updateStakeAdjustAge(n: Neuron, newStake: bigint, now: bigint) {
    if (n.dissolve.kind === 'delay' && n.agingSinceSeconds !== U64_MAX && newStake > 0n) {
      const age = ageSeconds(n, now);
      const newAge = (n.cachedStakeE8s * age) / newStake;
      n.agingSinceSeconds = now - newAge;
    }
    n.cachedStakeE8s = newStake;
  }

  // ---- Claim / refresh / create ---------------------------------------------------------------

  /** Claims the neuron of (controller, memo), or refreshes it if it exists. Returns its id. */
  async claimOrRefreshAccount(ctx: CallContext, controller: Principal, memo: bigint): Promise<bigint> {
    const sub = neuronStakeSubaccount(controller, memo);
    const existing = this.state.neuronBySubaccount(sub);
    if (existing) return this.refresh(ctx, existing);
    const key = hexOf(sub);
    if (this.pendingSubaccounts.has(key)) fail(ErrorType.LedgerUpdateOngoing, 'A claim of this neuron is already in progress.');
    this.pendingSubaccounts.add(key);
    let balance: bigint;
    try {
      balance = await neuronBalance(ctx, sub);
    } finally {
      this.pendingSubaccounts.delete(key);
    }
    const min = this.minStake;
    if (balance < min) {
      fail(ErrorType.InsufficientFunds, `Account does not have enough funds to stake a neuron. Please make sure that account has at least ${min} e8s (was ${balance} e8s)`);
    }
    const raced = this.state.neuronBySubaccount(sub);
    if (raced) return raced.id;
    const now = secondsOf(ctx.time);
    const n = this.newNeuron({ controller, subaccount: sub, now, stake: balance, dissolve: { kind: 'delay', seconds: INITIAL_DISSOLVE_DELAY_SECONDS } });
    this.addNeuron(n);
    return n.id;
  }

  /** Refresh: stake = the account's balance when it grew (age scaled). Anyone may refresh. */
  async refresh(ctx: CallContext, n: Neuron): Promise<bigint> {
    this.requireUnlocked(n);
    this.locks.add(n.id);
    let balance: bigint;
    try {
      balance = await neuronBalance(ctx, n.subaccount);
    } finally {
      this.locks.delete(n.id);
    }
    const current = this.byId(n.id);
    const min = this.minStake;
    if (balance < min) {
      fail(ErrorType.InsufficientFunds, `Account does not have enough funds to refresh a neuron. Please make sure that account has at least ${min} e8s (was ${balance} e8s)`);
    }
    // A balance below the cached stake is left alone (mainnet logs it and keeps the cached stake).
    if (balance > current.cachedStakeE8s) this.updateStakeAdjustAge(current, balance, secondsOf(ctx.time));
    return current.id;
  }

  private claimOrRefreshCommand(ctx: CallContext, req: ManageNeuronRequest, c: ClaimOrRefresh): Promise<bigint> {
    const [by] = c.by;
    if (!by) return fail(ErrorType.InvalidCommand, 'Need to provide a way by which to claim or refresh the neuron.');
    if ('Memo' in by) return this.claimOrRefreshAccount(ctx, ctx.caller, by.Memo);
    if ('MemoAndController' in by) return this.claimOrRefreshAccount(ctx, by.MemoAndController.controller[0] ?? ctx.caller, by.MemoAndController.memo);
    return this.refresh(ctx, this.neuronOf(req));
  }

  async createNeuron(ctx: CallContext, req: CreateNeuronRequest): Promise<CreateNeuronResponse> {
    try {
      const now = secondsOf(ctx.time);
      const [amount] = req.amount_e8s;
      if (amount === undefined) fail(ErrorType.InvalidCommand, 'amount_e8s is required.');
      if (amount! < this.minStake) fail(ErrorType.InsufficientFunds, `The amount ${amount} e8s is below the minimum stake of ${this.minStake} e8s.`);
      const delay = req.dissolve_delay_seconds[0] ?? INITIAL_DISSOLVE_DELAY_SECONDS;
      // The reference: outside [7 days, max] -> InvalidCommand (the .did comment says "clamped").
      if (delay < INITIAL_DISSOLVE_DELAY_SECONDS || delay > MAX_DISSOLVE_DELAY_SECONDS) {
        fail(ErrorType.InvalidCommand, `The dissolve delay must be between ${INITIAL_DISSOLVE_DELAY_SECONDS} and ${MAX_DISSOLVE_DELAY_SECONDS} seconds.`);
      }
      const [source] = req.source_subaccount;
      if (source !== undefined && source.length !== 32) fail(ErrorType.InvalidCommand, 'source_subaccount must be 32 bytes.');
      if (ctx.caller.isAnonymous()) fail(ErrorType.NotAuthorized, 'The anonymous principal cannot create neurons.');
      const controller = req.controller[0] ?? ctx.caller;
      let followees: Map<number, bigint[]> | undefined;
      const [following] = req.followees;
      if (following) {
        const pseudo = { controller, followees: new Map<number, bigint[]>() } as Neuron;
        followees = new Map(this.validateSetFollowing(pseudo, following.topic_following[0] ?? [], controller));
        for (const [t, l] of [...followees]) if (l.length === 0) followees.delete(t);
      }
      const sub = this.freshSubaccount(controller);
      const key = hexOf(sub);
      this.pendingSubaccounts.add(key);
      try {
        await pullWithAllowance(ctx, { owner: ctx.caller, subaccount: source }, sub, amount!);
      } finally {
        this.pendingSubaccounts.delete(key);
      }
      const dissolve: DissolveState = req.dissolving[0] ? { kind: 'when', timestamp: now + delay } : { kind: 'delay', seconds: delay };
      const n = this.newNeuron({ controller, subaccount: sub, now, stake: amount!, dissolve, followees });
      n.autoStakeMaturity = req.auto_stake_maturity[0] ?? false;
      this.addNeuron(n);
      return { Ok: { neuron_id: [{ id: n.id }] } };
    } catch (e) {
      return { Err: governanceErrorOf(e) };
    }
  }

  // ---- manage_neuron --------------------------------------------------------------------------

  async manageNeuron(ctx: CallContext, req: ManageNeuronRequest): Promise<ManageNeuronResponse> {
    try {
      return { command: [await this.execute(ctx, req)] };
    } catch (e) {
      return { command: [{ Error: governanceErrorOf(e) }] };
    }
  }

  /** simulate_manage_neuron: previews Merge without changing anything (as mainnet, Merge only). */
  simulateManageNeuron(ctx: CallContext, req: ManageNeuronRequest): ManageNeuronResponse {
    try {
      const [cmd] = req.command;
      if (!cmd || !('Merge' in cmd)) return fail(ErrorType.InvalidCommand, 'Simulating manage_neuron is only supported for Merge.');
      const now = secondsOf(ctx.time);
      const target = this.neuronOf(req);
      const source = this.checkMerge(ctx.caller, target, cmd.Merge, now);
      const outcome = this.mergeOutcome(target, source, now);
      const t = Object.assign(plainNeuron(target), outcome.target);
      const s = Object.assign(plainNeuron(source), outcome.source);
      return { command: [{ Merge: this.mergeResponse(s, t, now) }] };
    } catch (e) {
      return { command: [{ Error: governanceErrorOf(e) }] };
    }
  }

  private async execute(ctx: CallContext, req: ManageNeuronRequest): Promise<Command_1> {
    const [cmd] = req.command;
    if (!cmd) return fail(ErrorType.InvalidCommand, 'No command specified.');
    if ('ClaimOrRefresh' in cmd) {
      const id = await this.claimOrRefreshCommand(ctx, req, cmd.ClaimOrRefresh);
      return { ClaimOrRefresh: { refreshed_neuron_id: [{ id }] } };
    }
    const n = this.neuronOf(req);
    const now = secondsOf(ctx.time);
    const caller = ctx.caller;
    if ('RegisterVote' in cmd || 'MakeProposal' in cmd) return this.proposalCommand(ctx, n, cmd);
    if ('RefreshVotingPower' in cmd) {
      this.requireControllerOrHotKey(n, caller);
      this.refreshVotingPower(n, now);
      return { RefreshVotingPower: {} };
    }
    if ('Follow' in cmd) {
      const { topic, followees } = cmd.Follow;
      const list = followees.map((f) => f.id);
      this.requireFollowPermission(n, caller, topic);
      this.validateFollowees(n, topic, list, n.controller);
      this.state.setFollowees(n, topic, list);
      this.refreshVotingPower(n, now);
      this.scheduleNeuron(n);
      return { Follow: {} };
    }
    if ('SetFollowing' in cmd) {
      const topics = this.validateSetFollowing(n, cmd.SetFollowing.topic_following[0] ?? [], n.controller);
      for (const [topic] of topics) this.requireFollowPermission(n, caller, topic);
      for (const [topic, list] of topics) this.state.setFollowees(n, topic, list);
      this.refreshVotingPower(n, now);
      this.scheduleNeuron(n);
      return { SetFollowing: {} };
    }
    if ('Configure' in cmd) {
      const [op] = cmd.Configure.operation;
      if (!op) return fail(ErrorType.InvalidCommand, 'Configure must have an operation.');
      this.configure(caller, n, op, now);
      return { Configure: {} };
    }
    if ('Split' in cmd) return { Split: { created_neuron_id: [{ id: await this.split(ctx, n, cmd.Split) }] } };
    if ('Merge' in cmd) return { Merge: await this.merge(ctx, n, cmd.Merge) };
    if ('Spawn' in cmd) return { Spawn: { created_neuron_id: [{ id: this.spawn(caller, n, cmd.Spawn, now) }] } };
    if ('StakeMaturity' in cmd) return { StakeMaturity: this.stakeMaturity(caller, n, cmd.StakeMaturity, now) };
    if ('DisburseMaturity' in cmd) return { DisburseMaturity: { amount_disbursed_e8s: [this.disburseMaturity(caller, n, cmd.DisburseMaturity, now)] } };
    if ('Disburse' in cmd) return { Disburse: { transfer_block_height: await this.disburse(ctx, n, cmd.Disburse) } };
    if ('DisburseToNeuron' in cmd) return { DisburseToNeuron: { created_neuron_id: [{ id: await this.disburseToNeuron(ctx, n, cmd.DisburseToNeuron) }] } };
    if ('MergeMaturity' in cmd) return fail(ErrorType.InvalidCommand, 'MergeMaturity is no longer supported; use StakeMaturity.');
    return fail(ErrorType.InvalidCommand, 'Unknown command.');
  }

  /** RegisterVote and MakeProposal go to the proposal engine (proposals.ts). */
  private async proposalCommand(ctx: CallContext, n: Neuron, cmd: Extract<ManageNeuronRequest['command'][0], object>): Promise<Command_1> {
    this.requireControllerOrHotKey(n, ctx.caller);
    const engine = this.engine();
    if ('RegisterVote' in cmd) {
      if (!engine) return fail(ErrorType.InvalidCommand, 'RegisterVote is not available yet.');
      const [proposal] = cmd.RegisterVote.proposal;
      if (!proposal) return fail(ErrorType.InvalidCommand, 'Invalid proposal id.');
      await engine.registerVote(ctx, n, proposal.id, cmd.RegisterVote.vote as Vote);
      return { RegisterVote: {} };
    }
    if ('MakeProposal' in cmd) {
      if (!engine) return fail(ErrorType.InvalidCommand, 'MakeProposal is not available yet.');
      const id = await engine.makeProposal(ctx, n, cmd.MakeProposal);
      return { MakeProposal: { proposal_id: [{ id }], message: [] } };
    }
    return fail(ErrorType.InvalidCommand, 'Unknown command.');
  }

  // ---- Configure ------------------------------------------------------------------------------

  private configure(caller: Principal, n: Neuron, op: Operation, now: bigint) {
    if ('JoinCommunityFund' in op || 'LeaveCommunityFund' in op) this.requireControllerOrHotKey(n, caller);
    else if ('RemoveHotKey' in op && op.RemoveHotKey.hot_key_to_remove[0]?.compareTo(caller) === 'eq') {
      // As mainnet: a hotkey may remove itself.
      this.requireControllerOrHotKey(n, caller);
    } else this.requireController(n, caller);
    this.requireUnlocked(n);

    if ('IncreaseDissolveDelay' in op) {
      const add = BigInt(op.IncreaseDissolveDelay.additional_dissolve_delay_seconds);
      if (add === 0n) fail(ErrorType.InvalidCommand, 'Additional delay is 0.');
      this.requireNotSpawning(n, now);
      const state = neuronState(n, now);
      if (state === NeuronState.Dissolved) {
        n.dissolve = { kind: 'delay', seconds: min(add, MAX_DISSOLVE_DELAY_SECONDS) };
        n.agingSinceSeconds = now;
      } else if (n.dissolve.kind === 'delay') {
        n.dissolve = { kind: 'delay', seconds: min(n.dissolve.seconds + add, MAX_DISSOLVE_DELAY_SECONDS) };
      } else {
        n.dissolve = { kind: 'when', timestamp: min(n.dissolve.timestamp + add, now + MAX_DISSOLVE_DELAY_SECONDS) };
      }
    } else if ('SetDissolveTimestamp' in op) {
      const ts = op.SetDissolveTimestamp.dissolve_timestamp_seconds;
      this.requireNotSpawning(n, now);
      if (ts <= now) fail(ErrorType.InvalidCommand, 'The dissolve delay timestamp must be in the future.');
      const delay = ts - now;
      if (delay > MAX_DISSOLVE_DELAY_SECONDS) fail(ErrorType.InvalidCommand, `The resulting dissolve delay cannot exceed ${MAX_DISSOLVE_DELAY_SECONDS} seconds.`);
      if (delay <= dissolveDelaySeconds(n, now)) fail(ErrorType.InvalidCommand, "Can't set a dissolve delay that is smaller than the current dissolve delay.");
      const state = neuronState(n, now);
      if (state === NeuronState.Dissolving) n.dissolve = { kind: 'when', timestamp: ts };
      else {
        if (state === NeuronState.Dissolved) n.agingSinceSeconds = now;
        n.dissolve = { kind: 'delay', seconds: delay };
      }
    } else if ('StartDissolving' in op) {
      if (neuronState(n, now) !== NeuronState.NotDissolving || n.dissolve.kind !== 'delay') {
        fail(ErrorType.RequiresNotDissolving, `Neuron ${n.id} is not in state NotDissolving.`);
      }
      n.dissolve = { kind: 'when', timestamp: now + (n.dissolve as { seconds: bigint }).seconds };
      n.agingSinceSeconds = U64_MAX;
    } else if ('StopDissolving' in op) {
      if (neuronState(n, now) !== NeuronState.Dissolving || n.dissolve.kind !== 'when') {
        fail(ErrorType.RequiresDissolving, `Neuron ${n.id} is not in state Dissolving.`);
      }
      n.dissolve = { kind: 'delay', seconds: (n.dissolve as { timestamp: bigint }).timestamp - now };
      n.agingSinceSeconds = now;
    } else if ('AddHotKey' in op) {
      const [key] = op.AddHotKey.new_hot_key;
      if (!key) return fail(ErrorType.InvalidCommand, 'Operation AddHotKey requires the hot key to add to be specified in the input');
      if (n.hotKeys.some((h) => h.compareTo(key) === 'eq')) fail(ErrorType.HotKey, 'Hot key duplicated.');
      if (n.hotKeys.length >= MAX_HOT_KEYS) fail(ErrorType.ResourceExhausted, `Reached the maximum number of hotkeys: ${MAX_HOT_KEYS}`);
      this.state.addHotKey(n, key);
    } else if ('RemoveHotKey' in op) {
      const [key] = op.RemoveHotKey.hot_key_to_remove;
      if (!key) return fail(ErrorType.InvalidCommand, 'Operation RemoveHotKey requires the hot key to remove to be specified in the input');
      if (!n.hotKeys.some((h) => h.compareTo(key) === 'eq')) fail(ErrorType.NotFound, 'Remove failed: Hot key not found.');
      this.state.removeHotKey(n, key);
    } else if ('SetVisibility' in op) {
      const [v] = op.SetVisibility.visibility;
      if (v !== Visibility.Private && v !== Visibility.Public) return fail(ErrorType.InvalidCommand, `Invalid visibility: ${v}`);
      if (v === Visibility.Private && n.knownNeuron) fail(ErrorType.PreconditionFailed, 'Known neurons must be public.');
      n.visibility = v;
    } else if ('ChangeAutoStakeMaturity' in op) {
      n.autoStakeMaturity = op.ChangeAutoStakeMaturity.requested_setting_for_auto_stake_maturity;
    } else if ('JoinCommunityFund' in op) {
      if (n.joinedCommunityFundSeconds !== undefined) fail(ErrorType.AlreadyJoinedCommunityFund, 'The neuron has already joined the Neurons\' Fund.');
      n.joinedCommunityFundSeconds = now;
    } else if ('LeaveCommunityFund' in op) {
      if (n.joinedCommunityFundSeconds === undefined) fail(ErrorType.NotInTheCommunityFund, 'The neuron is not in the Neurons\' Fund.');
      n.joinedCommunityFundSeconds = undefined;
    } else {
      fail(ErrorType.InvalidCommand, 'Unknown operation.');
    }
  }

  // ---- Following ------------------------------------------------------------------------------

  private requireFollowPermission(n: Neuron, caller: Principal, topic: number) {
    if (topic === Topic.NeuronManagement) this.requireController(n, caller);
    else this.requireControllerOrHotKey(n, caller);
  }

  /**
   * Follow rules: a known topic, at most 15 followees. On topics other than NeuronManagement, each
   * new followee must exist and be public (or known), or share the follower's controller, or have
   * the follower's controller as a hotkey.
   */
  private validateFollowees(n: Neuron, topic: number, list: bigint[], followerController: Principal) {
    if (!TOPICS.includes(topic)) fail(ErrorType.InvalidCommand, `Not a known topic number: ${topic}.`);
    if (list.length > MAX_FOLLOWEES_PER_TOPIC) fail(ErrorType.InvalidCommand, `Too many followees: at most ${MAX_FOLLOWEES_PER_TOPIC} per topic.`);
    if (topic === Topic.NeuronManagement) return;
    const old = new Set(n.followees.get(topic) ?? []);
    for (const id of list) {
      if (old.has(id)) continue;
      const f = this.state.neuron(id);
      if (!f) fail(ErrorType.PreconditionFailed, `Followee ${id} does not exist.`);
      const ok =
        f!.visibility === Visibility.Public ||
        f!.knownNeuron !== undefined ||
        f!.controller.compareTo(followerController) === 'eq' ||
        f!.hotKeys.some((h) => h.compareTo(followerController) === 'eq');
      if (!ok) {
        fail(ErrorType.PreconditionFailed, `Neuron ${id} is private: only neurons of its controller or of one of its hotkeys may follow it.`);
      }
    }
  }

  /** SetFollowing's topics, validated all before any is applied. */
  private validateSetFollowing(n: Neuron, items: FolloweesForTopic[], followerController: Principal): [number, bigint[]][] {
    const seen = new Set<number>();
    const out: [number, bigint[]][] = [];
    for (const item of items) {
      const [topic] = item.topic;
      if (topic === undefined) return fail(ErrorType.InvalidCommand, 'Each FolloweesForTopic needs a topic.');
      if (seen.has(topic)) fail(ErrorType.InvalidCommand, `Topic ${topic} appears more than once.`);
      seen.add(topic);
      const list = (item.followees[0] ?? []).map((f) => f.id);
      this.validateFollowees(n, topic, list, followerController);
      out.push([topic, list]);
    }
    return out;
  }

  // ---- Split / Merge --------------------------------------------------------------------------

  private async split(ctx: CallContext, parent: Neuron, s: Split): Promise<bigint> {
    const now = secondsOf(ctx.time);
    this.requireController(parent, ctx.caller);
    this.requireUnlocked(parent);
    this.requireNotSpawning(parent, now);
    const min = this.minStake;
    const fee = this.fee;
    if (s.amount_e8s < min + fee) {
      fail(ErrorType.InsufficientFunds, `Trying to split a neuron with argument ${s.amount_e8s} e8s. This is too little: the minimum split amount is ${min + fee} e8s (minimum stake plus the transaction fee).`);
    }
    const minted = mintedStake(parent);
    if (minted < min + s.amount_e8s) {
      fail(ErrorType.InsufficientFunds, `Trying to split ${s.amount_e8s} e8s out of neuron ${parent.id}, which has stake ${minted} e8s: less than the minimum stake of ${min} e8s would remain.`);
    }
    const sub = this.childSubaccount(parent.controller, s.memo[0]);
    const key = hexOf(sub);
    this.locks.add(parent.id);
    this.pendingSubaccounts.add(key);
    try {
      await transferFromNeuron(ctx, parent.subaccount, neuronAccount(sub), s.amount_e8s - fee);
    } finally {
      this.locks.delete(parent.id);
      this.pendingSubaccounts.delete(key);
    }
    const p = this.byId(parent.id);
    const stakeBefore = mintedStake(p);
    const maturityShare = stakeBefore > 0n ? (p.maturityE8s * s.amount_e8s) / stakeBefore : 0n;
    const stakedShare = stakeBefore > 0n ? (p.stakedMaturityE8s * s.amount_e8s) / stakeBefore : 0n;
    const child = this.newNeuron({
      controller: p.controller,
      subaccount: sub,
      now,
      stake: s.amount_e8s - fee,
      dissolve: { ...p.dissolve },
      agingSince: p.agingSinceSeconds,
      followees: p.followees,
    });
    child.hotKeys = [...p.hotKeys];
    child.maturityE8s = maturityShare;
    child.stakedMaturityE8s = stakedShare;
    child.votingPowerRefreshedSeconds = p.votingPowerRefreshedSeconds;
    child.visibility = p.visibility;
    child.autoStakeMaturity = p.autoStakeMaturity;
    child.kycVerified = p.kycVerified;
    child.notForProfit = p.notForProfit;
    child.neuronType = p.neuronType;
    child.joinedCommunityFundSeconds = p.joinedCommunityFundSeconds;
    p.cachedStakeE8s -= s.amount_e8s;
    p.maturityE8s -= maturityShare;
    p.stakedMaturityE8s -= stakedShare;
    this.addNeuron(child);
    return child.id;
  }

  /** Merge's checks (shared with simulate_manage_neuron). Returns the source neuron. */
  private checkMerge(caller: Principal, target: Neuron, m: Merge, now: bigint): Neuron {
    const [sid] = m.source_neuron_id;
    if (!sid) return fail(ErrorType.InvalidCommand, 'There was no source neuron id.');
    if (sid.id === target.id) fail(ErrorType.InvalidCommand, 'Cannot merge a neuron into itself.');
    const source = this.byId(sid.id);
    this.requireController(target, caller);
    this.requireController(source, caller);
    this.requireUnlocked(target);
    this.requireUnlocked(source);
    for (const n of [target, source]) {
      if (neuronState(n, now) !== NeuronState.NotDissolving) {
        fail(ErrorType.RequiresNotDissolving, `Neuron ${n.id} must be not dissolving with a positive dissolve delay to be merged.`);
      }
      if (n.joinedCommunityFundSeconds !== undefined) fail(ErrorType.PreconditionFailed, `Neuron ${n.id} is in the Neurons' Fund: it cannot be merged.`);
    }
    if (target.kycVerified !== source.kycVerified) fail(ErrorType.PreconditionFailed, 'Cannot merge neurons with different KYC status.');
    if (target.notForProfit !== source.notForProfit) fail(ErrorType.PreconditionFailed, 'Cannot merge neurons with different not_for_profit status.');
    if (target.neuronType !== source.neuronType) fail(ErrorType.PreconditionFailed, 'Cannot merge neurons of different types.');
    const a = [...(target.followees.get(Topic.NeuronManagement) ?? [])].sort();
    const b = [...(source.followees.get(Topic.NeuronManagement) ?? [])].sort();
    if (a.length !== b.length || a.some((x, i) => x !== b[i])) {
      fail(ErrorType.PreconditionFailed, 'Cannot merge neurons that have different followees on the NeuronManagement topic.');
    }
    if (this.hasOpenProposal(target.id) || this.hasOpenProposal(source.id)) {
      fail(ErrorType.PreconditionFailed, 'Cannot merge a neuron that is the proposer of an open proposal.');
    }
    return source;
  }

  /**
   * Whether the neuron proposed a proposal that is still open. A scan of the undecided proposals:
   * only merges ask, and mainnet scans too (its proposals are far fewer than its neurons).
   */
  private hasOpenProposal(id: bigint): boolean {
    for (const p of this.state.proposals.values()) if (p.decidedSeconds === 0n && p.proposer === id) return true;
    return false;
  }

  /**
   * The merge's effect: the source's fees (above the fee) are burned and its stake minus fees minus
   * one transaction fee moves to the target; maturity and staked maturity move; the target's delay
   * becomes the larger, its age the stake-weighted average.
   */
  private mergeOutcome(target: Neuron, source: Neuron, now: bigint): MergeOutcome {
    const fee = this.fee;
    const burn = source.feesE8s > fee ? source.feesE8s : 0n;
    const minted = mintedStake(source);
    const move = minted > fee ? minted - fee : 0n;
    const tStake = mintedStake(target);
    const tAge = ageSeconds(target, now);
    const sAge = ageSeconds(source, now);
    const newAge = tStake + move > 0n ? (tStake * tAge + move * sAge) / (tStake + move) : tAge;
    const tDelay = dissolveDelaySeconds(target, now);
    const sDelay = dissolveDelaySeconds(source, now);
    return {
      burn,
      move,
      target: {
        cachedStakeE8s: target.cachedStakeE8s + move,
        agingSinceSeconds: now - newAge,
        dissolve: { kind: 'delay', seconds: tDelay > sDelay ? tDelay : sDelay },
        maturityE8s: target.maturityE8s + source.maturityE8s,
        stakedMaturityE8s: target.stakedMaturityE8s + source.stakedMaturityE8s,
      },
      source: {
        cachedStakeE8s: source.cachedStakeE8s - burn - (move > 0n ? move + fee : 0n),
        feesE8s: source.feesE8s - burn,
        maturityE8s: 0n,
        stakedMaturityE8s: 0n,
        agingSinceSeconds: now,
      },
    };
  }

  private mergeResponse(source: Neuron, target: Neuron, now: bigint): MergeResponse {
    return {
      source_neuron: [toCandidNeuron(this.state, source, now)],
      target_neuron: [toCandidNeuron(this.state, target, now)],
      source_neuron_info: [toNeuronInfo(this.state, source, now, source.controller)],
      target_neuron_info: [toNeuronInfo(this.state, target, now, target.controller)],
    };
  }

  private async merge(ctx: CallContext, target: Neuron, m: Merge): Promise<MergeResponse> {
    const now = secondsOf(ctx.time);
    const source = this.checkMerge(ctx.caller, target, m, now);
    const { burn, move } = this.mergeOutcome(target, source, now);
    this.locks.add(target.id);
    this.locks.add(source.id);
    let burned = false;
    try {
      if (burn > 0n) {
        await burnFromNeuron(ctx, source.subaccount, burn);
        burned = true;
      }
      if (move > 0n) await transferFromNeuron(ctx, source.subaccount, neuronAccount(target.subaccount), move);
    } catch (e) {
      if (burned) {
        source.cachedStakeE8s -= burn;
        source.feesE8s -= burn;
      }
      throw e;
    } finally {
      this.locks.delete(target.id);
      this.locks.delete(source.id);
    }
    const outcome = this.mergeOutcome(target, source, now);
    Object.assign(target, outcome.target);
    Object.assign(source, outcome.source);
    return this.mergeResponse(source, target, now);
  }

  // ---- Maturity -------------------------------------------------------------------------------

  private spawn(caller: Principal, parent: Neuron, s: Spawn, now: bigint): bigint {
    this.requireController(parent, caller);
    this.requireUnlocked(parent);
    this.requireNotSpawning(parent, now);
    const pct = clampPct(s.percentage_to_spawn[0], 'spawn');
    const amount = (parent.maturityE8s * pct) / 100n;
    const worst = (amount * (100n - WORST_CASE_MATURITY_MODULATION_PERCENT)) / 100n;
    if (worst < this.minStake) {
      fail(ErrorType.InsufficientFunds, `There isn't enough maturity to spawn a new neuron: ${amount} e8s of maturity is ${worst} e8s in the worst case, less than the minimum stake of ${this.minStake} e8s.`);
    }
    const controller = s.new_controller[0] ?? caller;
    const sub = this.childSubaccount(controller, s.nonce[0]);
    const delay = this.state.economics.neuronSpawnDissolveDelaySeconds;
    const child = this.newNeuron({
      controller,
      subaccount: sub,
      now,
      stake: 0n,
      dissolve: { kind: 'when', timestamp: now + delay },
      followees: parent.followees,
    });
    child.maturityE8s = amount;
    child.spawnAtSeconds = now + delay;
    child.kycVerified = parent.kycVerified;
    child.notForProfit = parent.notForProfit;
    parent.maturityE8s -= amount;
    this.addNeuron(child);
    return child.id;
  }

  private stakeMaturity(caller: Principal, n: Neuron, s: StakeMaturity, now: bigint) {
    this.requireController(n, caller);
    this.requireUnlocked(n);
    this.requireNotSpawning(n, now);
    const pct = clampPct(s.percentage_to_stake[0], 'stake');
    const amount = (n.maturityE8s * pct) / 100n;
    n.maturityE8s -= amount;
    n.stakedMaturityE8s += amount;
    return { maturity_e8s: n.maturityE8s, staked_maturity_e8s: n.stakedMaturityE8s };
  }

  private disburseMaturity(caller: Principal, n: Neuron, d: DisburseMaturity, now: bigint): bigint {
    this.requireController(n, caller);
    this.requireUnlocked(n);
    this.requireNotSpawning(n, now);
    const pct = clampPct(d.percentage_to_disburse, 'disburse');
    const [account] = d.to_account;
    const [identifier] = d.to_account_identifier;
    if (account && identifier) fail(ErrorType.InvalidCommand, 'Specify either to_account or to_account_identifier, not both.');
    let to: MaturityDisbursement['toAccount'];
    let toId: Uint8Array;
    if (identifier) {
      toId = parseAccountIdentifier(identifier.hash);
    } else {
      const owner = account ? account.owner[0] : caller;
      if (!owner) return fail(ErrorType.InvalidCommand, 'to_account needs an owner.');
      const [sub] = account?.subaccount ?? [];
      if (sub !== undefined && sub.length !== 32) fail(ErrorType.InvalidCommand, 'A subaccount is 32 bytes.');
      to = { owner, subaccount: sub };
      toId = accountIdentifier(owner, sub);
    }
    const amount = (n.maturityE8s * pct) / 100n;
    const worst = (amount * (100n - WORST_CASE_MATURITY_MODULATION_PERCENT)) / 100n;
    if (worst < MINIMUM_DISBURSEMENT_E8S) {
      fail(ErrorType.PreconditionFailed, `The amount to disburse (${amount} e8s, ${worst} e8s in the worst case) must be at least ${MINIMUM_DISBURSEMENT_E8S} e8s.`);
    }
    if (n.maturityDisbursements.length >= MAX_PENDING_MATURITY_DISBURSEMENTS) {
      fail(ErrorType.PreconditionFailed, `A neuron can have at most ${MAX_PENDING_MATURITY_DISBURSEMENTS} maturity disbursements in progress.`);
    }
    n.maturityE8s -= amount;
    n.maturityDisbursements = [...n.maturityDisbursements, { amountE8s: amount, timestampSeconds: now, toAccountIdentifier: toId, toAccount: to }];
    this.scheduleNeuron(n);
    return amount;
  }

  // ---- Disburse -------------------------------------------------------------------------------

  private requireDissolved(n: Neuron, now: bigint) {
    const state = neuronState(n, now);
    if (state !== NeuronState.Dissolved) fail(ErrorType.RequiresDissolved, `Neuron ${n.id} has NOT been dissolved. It is in state ${NeuronState[state]}`);
  }

  private async disburse(ctx: CallContext, n: Neuron, d: Disburse): Promise<bigint> {
    const now = secondsOf(ctx.time);
    this.requireController(n, ctx.caller);
    this.requireUnlocked(n);
    this.requireDissolved(n, now);
    const to = d.to_account[0] ? parseAccountIdentifier(d.to_account[0].hash) : accountIdentifier(ctx.caller);
    const fee = this.fee;
    const burn = n.feesE8s > fee ? n.feesE8s : 0n;
    const minted = mintedStake(n);
    const amount = d.amount[0]?.e8s ?? minted;
    if (amount > minted) fail(ErrorType.InsufficientFunds, `Trying to disburse ${amount} e8s, but the neuron's stake is ${minted} e8s.`);
    if (amount <= fee) fail(ErrorType.InsufficientFunds, `The amount to disburse (${amount} e8s) must exceed the transaction fee of ${fee} e8s.`);
    this.locks.add(n.id);
    try {
      if (burn > 0n) {
        await burnFromNeuron(ctx, n.subaccount, burn);
        n.cachedStakeE8s -= burn;
        n.feesE8s -= burn;
      }
      const block = await transferFromNeuron(ctx, n.subaccount, to, amount - fee);
      n.cachedStakeE8s = n.cachedStakeE8s > amount ? n.cachedStakeE8s - amount : 0n;
      return block;
    } finally {
      this.locks.delete(n.id);
    }
  }

  private async disburseToNeuron(ctx: CallContext, parent: Neuron, d: DisburseToNeuron): Promise<bigint> {
    const now = secondsOf(ctx.time);
    this.requireController(parent, ctx.caller);
    this.requireUnlocked(parent);
    this.requireDissolved(parent, now);
    const [controller] = d.new_controller;
    if (!controller) return fail(ErrorType.InvalidCommand, 'Must specify a new controller for disburse to neuron.');
    const min = this.minStake;
    const fee = this.fee;
    if (d.amount_e8s < min + fee) fail(ErrorType.InsufficientFunds, `The amount must be at least ${min + fee} e8s (minimum stake plus the transaction fee).`);
    if (d.amount_e8s > mintedStake(parent)) fail(ErrorType.InsufficientFunds, `Trying to disburse ${d.amount_e8s} e8s, but the neuron's stake is ${mintedStake(parent)} e8s.`);
    if (d.dissolve_delay_seconds > MAX_DISSOLVE_DELAY_SECONDS) fail(ErrorType.InvalidCommand, `The dissolve delay cannot exceed ${MAX_DISSOLVE_DELAY_SECONDS} seconds.`);
    const sub = this.childSubaccount(controller, d.nonce);
    const key = hexOf(sub);
    this.locks.add(parent.id);
    this.pendingSubaccounts.add(key);
    try {
      await transferFromNeuron(ctx, parent.subaccount, neuronAccount(sub), d.amount_e8s - fee);
    } finally {
      this.locks.delete(parent.id);
      this.pendingSubaccounts.delete(key);
    }
    const p = this.byId(parent.id);
    const child = this.newNeuron({
      controller,
      subaccount: sub,
      now,
      stake: d.amount_e8s - fee,
      dissolve: { kind: 'delay', seconds: d.dissolve_delay_seconds },
      followees: p.followees,
    });
    child.kycVerified = d.kyc_verified;
    p.cachedStakeE8s -= d.amount_e8s;
    this.addNeuron(child);
    return child.id;
  }

  // ---- Timers ---------------------------------------------------------------------------------

  /** Nanoseconds, for Canister.nextTimer. */
  nextTimer(): bigint | undefined {
    const at = this.timers.peek();
    return at === undefined ? undefined : at * NS;
  }

  /**
   * Runs what is due: all synchronous work and the start of every ledger call happen before the
   * first await, so nextTimer() is past ctx.time when this returns its promise.
   */
  onTimer(ctx: CallContext): Promise<unknown> | undefined {
    const now = secondsOf(ctx.time);
    const tasks: Promise<unknown>[] = [];
    for (let e = this.timers.takeDue(now); e; e = this.timers.takeDue(now)) {
      if (e.kind === 'metrics') {
        this.extras.metrics = this.computeMetrics(now);
        this.timers.schedule('metrics', 0n, now + METRICS_EVERY_SECONDS);
        continue;
      }
      if (e.kind === 'follow-scan') {
        const next = now + FOLLOW_SCAN_HORIZON_SECONDS;
        this.scheduleFollowingDueBefore(next);
        this.extras.followScanAt = next;
        this.timers.schedule('follow-scan', 0n, next);
        continue;
      }
      const n = this.state.neuron(e.id);
      if (!n) continue;
      if (e.kind === 'follow') this.clearStaleFollowing(n, now);
      else if (e.kind === 'spawn') {
        const task = this.finishSpawn(ctx, n, now);
        if (task) tasks.push(task);
      } else tasks.push(...this.finishDisbursements(ctx, n, now));
    }
    return tasks.length > 0 ? Promise.allSettled(tasks) : undefined;
  }

  /** Timers for the neurons whose following is to be cleared by `horizon` (seconds). */
  private scheduleFollowingDueBefore(horizon: bigint) {
    const e = this.state.economics;
    const delay = Number(e.startReducingVotingPowerAfterSeconds + e.clearFollowingAfterSeconds);
    const limit = Number(horizon);
    const { store } = this.state;
    for (let slot = 0; slot < store.size; slot++) {
      if (!store.followees.has(slot)) continue;
      const r = store.refreshed.num(slot);
      if (r >= 0 && r + delay > limit) continue;
      const n = this.state.neuronsBySlot[slot];
      if (n && hasFollowingToClear(n)) this.timers.schedule('follow', n.id, this.followingClearedAt(n));
    }
  }

  /** After start_reducing + clear_following without a refresh, all following but topic 1 goes. */
  private clearStaleFollowing(n: Neuron, now: bigint) {
    if (!hasFollowingToClear(n)) return;
    const at = this.followingClearedAt(n);
    if (at > now) {
      this.timers.schedule('follow', n.id, at); // refreshed since (e.g. by a direct vote)
      return;
    }
    for (const topic of [...n.followees.keys()]) if (topic !== Topic.NeuronManagement) this.state.setFollowees(n, topic, []);
  }

  private modulated(e8s: bigint): bigint {
    const m = BigInt(this.state.maturityModulationPermyriad);
    return (e8s * (10_000n + m)) / 10_000n;
  }

  private nextMemo(): bigint {
    const memo = this.extras.nextMintMemo;
    this.extras.nextMintMemo += 1n;
    return memo;
  }

  /** A spawning neuron's maturity is minted (modulated) into its account. */
  private finishSpawn(ctx: CallContext, n: Neuron, now: bigint): Promise<void> | undefined {
    if (n.spawnAtSeconds === undefined) return undefined;
    if (n.spawnAtSeconds > now) {
      this.timers.schedule('spawn', n.id, n.spawnAtSeconds);
      return undefined;
    }
    if (this.locks.has(n.id)) {
      this.timers.schedule('spawn', n.id, now + TIMER_RETRY_SECONDS);
      return undefined;
    }
    const maturity = n.maturityE8s;
    const amount = this.modulated(maturity);
    this.locks.add(n.id);
    return (async () => {
      try {
        await mintToAccountIdentifier(ctx, neuronAccount(n.subaccount), amount, this.nextMemo());
        n.cachedStakeE8s += amount;
        n.maturityE8s -= maturity;
        n.spawnAtSeconds = undefined;
      } catch {
        this.timers.schedule('spawn', n.id, now + TIMER_RETRY_SECONDS);
      } finally {
        this.locks.delete(n.id);
      }
    })();
  }

  /** Maturity disbursements 7 days old are minted (modulated) to their destination. */
  private finishDisbursements(ctx: CallContext, n: Neuron, now: bigint): Promise<void>[] {
    const pending = n.maturityDisbursements;
    const due: MaturityDisbursement[] = [];
    while (pending[0] && pending[0].timestampSeconds + MATURITY_DISBURSEMENT_DELAY_SECONDS <= now) due.push(pending.shift()!);
    n.maturityDisbursements = pending;
    this.scheduleNeuron(n);
    return due.map(async (d) => {
      const amount = this.modulated(d.amountE8s);
      const memo = this.nextMemo();
      try {
        if (d.toAccount) await mintToAccount(ctx, d.toAccount, amount, memo);
        else await mintToAccountIdentifier(ctx, d.toAccountIdentifier, amount, memo);
      } catch {
        // Put it back (in time order) and try again later.
        const list = n.maturityDisbursements;
        let i = 0;
        while (i < list.length && list[i].timestampSeconds <= d.timestampSeconds) i++;
        list.splice(i, 0, d);
        this.timers.schedule('disburse', n.id, now + TIMER_RETRY_SECONDS);
      }
    });
  }

  // ---- Metrics --------------------------------------------------------------------------------

  /**
   * The metrics this simulation can fill honestly (sums and counts over the neurons). Fields about
   * seed/ECT neurons, total supply (a ledger figure), buckets and subset metrics stay zero/empty.
   * Computed by a daily timer (mainnet also caches them), so get_metrics is not a scan.
   */
  computeMetrics(now: bigint): GovernanceCachedMetrics {
    // A loop over the columns (neuron-store.ts) with exact sums: at 400k neurons, reading every
    // field through the neuron views would allocate millions of bigints a day.
    const sum = () => {
      let acc = 0;
      let big = 0n;
      return {
        add(x: number | bigint) {
          if (typeof x === 'bigint') big += x;
          else if (acc + x > Number.MAX_SAFE_INTEGER) {
            big += BigInt(acc) + BigInt(x);
            acc = 0;
          } else acc += x;
        },
        get value() {
          return big + BigInt(acc);
        },
      };
    };
    const totalStakedS = sum(), totalMaturityS = sum(), totalStakedMaturityS = sum(), lockedS = sum(), dissolvedS = sum();
    const lt6mS = sum(), cfStakedS = sum(), cfMaturityS = sum(), notDissolvingSMS = sum(), dissolvingSMS = sum(), disbursingS = sum();
    let notDissolving = 0, dissolving = 0, dissolved = 0, spawning = 0, lt6m = 0, cfCount = 0, garbage = 0;
    const st = this.state.store;
    const nowN = Number(now);
    const sixMonths = Number(SIX_MONTHS);
    const neurons = this.state.neuronsBySlot;
    for (let slot = 0; slot < neurons.length; slot++) {
      const n = neurons[slot];
      if (!n) continue;
      const cached = st.cachedStake.num(slot);
      const fees = st.fees.num(slot);
      const maturity = st.maturity.num(slot);
      const staked = st.stakedMaturity.num(slot);
      const dv = st.dissolveValue.num(slot);
      const plain = cached >= 0 && fees >= 0 && maturity >= 0 && staked >= 0 && dv >= 0;
      const stake: number | bigint = plain ? (cached > fees ? cached - fees : 0) : mintedStake(n);
      const maturityV: number | bigint = plain ? maturity : n.maturityE8s;
      const stakedV: number | bigint = plain ? staked : n.stakedMaturityE8s;
      totalStakedS.add(stake);
      totalMaturityS.add(maturityV);
      totalStakedMaturityS.add(stakedV);
      const s = plain
        ? !Number.isNaN(st.spawnAt.data[slot])
          ? NeuronState.Spawning
          : st.dissolveKind[slot] === 0
            ? dv > 0
              ? NeuronState.NotDissolving
              : NeuronState.Dissolved
            : nowN >= dv
              ? NeuronState.Dissolved
              : NeuronState.Dissolving
        : neuronState(n, now);
      if (s === NeuronState.NotDissolving) {
        notDissolving++;
        lockedS.add(stake);
        notDissolvingSMS.add(stakedV);
      } else if (s === NeuronState.Dissolving) {
        dissolving++;
        lockedS.add(stake);
        dissolvingSMS.add(stakedV);
      } else if (s === NeuronState.Dissolved) {
        dissolved++;
        dissolvedS.add(stake);
        if (stake == 0 && maturityV == 0 && stakedV == 0) garbage++;
      } else spawning++;
      const delay = plain ? (st.dissolveKind[slot] === 0 ? dv : dv > nowN ? dv - nowN : 0) : Number(dissolveDelaySeconds(n, now));
      if (s !== NeuronState.Spawning && delay < sixMonths) {
        lt6m++;
        lt6mS.add(stake);
      }
      if (!Number.isNaN(st.joinedCommunityFund.data[slot])) {
        cfCount++;
        cfStakedS.add(stake);
        cfMaturityS.add(maturityV);
      }
    }
    for (const [slot, list] of st.disbursements) if (neurons[slot]) for (const d of list) disbursingS.add(d.amountE8s);
    const totalStaked = totalStakedS.value, totalMaturity = totalMaturityS.value, totalStakedMaturity = totalStakedMaturityS.value;
    const locked = lockedS.value, dissolvedE8s = dissolvedS.value, lt6mE8s = lt6mS.value, cfStaked = cfStakedS.value, cfMaturity = cfMaturityS.value;
    const notDissolvingStakedMaturity = notDissolvingSMS.value, dissolvingStakedMaturity = dissolvingSMS.value, disbursing = disbursingS.value;
    return {
      total_maturity_e8s_equivalent: totalMaturity,
      not_dissolving_neurons_e8s_buckets: [],
      dissolving_neurons_staked_maturity_e8s_equivalent_sum: dissolvingStakedMaturity,
      garbage_collectable_neurons_count: BigInt(garbage),
      dissolving_neurons_staked_maturity_e8s_equivalent_buckets: [],
      neurons_with_invalid_stake_count: 0n,
      not_dissolving_neurons_count_buckets: [],
      ect_neuron_count: 0n,
      total_supply_icp: 0n, // a ledger figure; not fetched by the simulation
      neurons_with_less_than_6_months_dissolve_delay_count: BigInt(lt6m),
      dissolved_neurons_count: BigInt(dissolved),
      community_fund_total_maturity_e8s_equivalent: cfMaturity,
      total_staked_e8s_seed: 0n,
      total_staked_maturity_e8s_equivalent_ect: 0n,
      total_staked_e8s: totalStaked,
      not_dissolving_neurons_count: BigInt(notDissolving),
      total_locked_e8s: locked,
      neurons_fund_total_active_neurons: BigInt(cfCount),
      total_voting_power_non_self_authenticating_controller: [],
      total_staked_maturity_e8s_equivalent: totalStakedMaturity,
      not_dissolving_neurons_e8s_buckets_ect: [],
      total_staked_e8s_ect: 0n,
      not_dissolving_neurons_staked_maturity_e8s_equivalent_sum: notDissolvingStakedMaturity,
      dissolved_neurons_e8s: dissolvedE8s,
      total_staked_e8s_non_self_authenticating_controller: [],
      dissolving_neurons_e8s_buckets_seed: [],
      neurons_with_less_than_6_months_dissolve_delay_e8s: lt6mE8s,
      not_dissolving_neurons_staked_maturity_e8s_equivalent_buckets: [],
      dissolving_neurons_count_buckets: [],
      dissolving_neurons_e8s_buckets_ect: [],
      dissolving_neurons_count: BigInt(dissolving),
      dissolving_neurons_e8s_buckets: [],
      total_staked_maturity_e8s_equivalent_seed: 0n,
      community_fund_total_staked_e8s: cfStaked,
      not_dissolving_neurons_e8s_buckets_seed: [],
      timestamp_seconds: now,
      seed_neuron_count: 0n,
      spawning_neurons_count: BigInt(spawning),
      total_maturity_disbursements_in_progress_e8s_equivalent: [disbursing],
      non_self_authenticating_controller_neuron_subset_metrics: [],
      public_neuron_subset_metrics: [],
      declining_voting_power_neuron_subset_metrics: [],
      fully_lost_voting_power_neuron_subset_metrics: [],
    };
  }

  // ---- Reads used by queries ------------------------------------------------------------------

  /** Potential and deciding voting power as reported (for tests and the proposal engine). */
  votingPower(n: Neuron, now: bigint) {
    const potential = reportedPotentialVotingPower(this.state, n, now);
    return { potential, deciding: reportedDecidingVotingPower(this.state, n, now, potential), stake: votingStakeE8s(n) };
  }
}

/** cached stake minus fees: what the neuron's account holds for it. */
export function mintedStake(n: Neuron): bigint {
  return n.cachedStakeE8s > n.feesE8s ? n.cachedStakeE8s - n.feesE8s : 0n;
}

function hasFollowingToClear(n: Neuron): boolean {
  for (const t of n.followees.keys()) if (t !== Topic.NeuronManagement) return true;
  return false;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
