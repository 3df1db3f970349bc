// The NNS governance canister (rrkah-fqaaa-aaaaa-aaaaq-cai): the neuron side (neurons.ts), the
// queries over neurons, the snapshot of the whole GovernanceState, the admin operations, and the
// hook for the proposal engine (proposals.ts, written separately). It is the ICP ledger's minting
// account and moves ICP only through the ledger's Candid interface (ctx.call).
import { Principal } from '@icp-sdk/core/principal';
import type {
  _SERVICE,
  GovernanceError as CandidGovernanceError,
  ListNeurons,
  ListNeuronsResponse,
  ManageNeuronRequest,
  ListNeuronVotesRequest,
  ListNeuronVotesResponse,
  NetworkEconomics,
  NeuronIdOrSubaccount,
  Result_2,
  Result_5,
} from '../../candid/generated/governance.did.ts';
import { candid } from '../../candid/index.ts';
import type { CallContext, Canister, CanisterInfo, MethodDef } from '../canister.ts';
import { buildMetadataOf, moduleHashOf } from '../common/module.ts';
import { methodTable, type Handlers } from '../common/methods.ts';
import { natArg } from '../common/args.ts';
import { toHex } from '../common/accounts.ts';
import { GOVERNANCE_ID, LEDGER_ID, ROOT_ID } from '../ids.ts';
import {
  DEFAULT_ECONOMICS,
  ErrorType,
  GovernanceError,
  GovernanceState,
  INITIAL_DISSOLVE_DELAY_SECONDS,
  MAX_DISSOLVE_DELAY_SECONDS,
  TOPICS,
  Visibility,
  Vote,
  fail,
  type Economics,
  type KnownNeuronData,
  type Neuron,
  type NeuronIndexes,
  type ProposalData,
  type RewardEvent,
} from './model.ts';
import { NeuronManager, governanceErrorOf, secondsOf, type NeuronExtras, type ProposalEngine as NeuronSideEngine } from './neurons.ts';
import { decodeProposals, encodeProposals } from './snapshot.ts';
import { FIXTURE_KNOWN_NEURONS, loadFixture } from './fixture.ts';
import { ProposalEngine } from './proposals.ts';
import { AutoVoters, makeMotionProposal, type AutoVotersSnapshot } from './auto-voters.ts';
import { neuronAccount, neuronStakeSubaccount } from './staking.ts';
import { canReadFullNeuron, listedNeuron, toCandidKnownNeuronData, toCandidNeuron, toNeuronInfo } from './views.ts';

const MODULE_VERSION = 'neuron-desk simulated NNS governance v1 (dfinity/ic rs/nns/governance, release-2026-04-10, Mission 70)';
const MODULE_HASH = moduleHashOf(MODULE_VERSION);
const BUILD_METADATA = buildMetadataOf('dfinity/ic rs/nns/governance');

/** list_neurons: mainnet's MAX_LIST_NEURONS_RESULTS (the page size cap and default). */
export const MAX_LIST_NEURONS_RESULTS = 500n;
/** list_neuron_votes: at most 500 per call. */
const MAX_LIST_NEURON_VOTES = 500n;

/** The proposal side: the engine manage_neuron calls, plus its own methods and timers. */
export interface ProposalSide {
  engine: ProposalEngine & NeuronSideEngine;
  /** Handlers of the proposal methods (list_proposals, get_proposal_info, ...). */
  handlers?: Partial<Handlers<_SERVICE>>;
}

/**
 * The proposal side: the engine (proposals.ts) that MakeProposal and RegisterVote reach, its
 * timers (deadlines, daily rewards: the total supply comes from the ledger) and its queries.
 * Adopted ManageNeuron proposals are not executed yet (they end Failed with a clear reason):
 * neuron commands are asynchronous (ledger calls) and the engine executes synchronously.
 */
function createProposalSide(state: GovernanceState): ProposalSide {
  const engine = new ProposalEngine(state, {
    totalSupplyE8s: (ctx) => ctx.call<bigint>(LEDGER_ID, 'icrc1_total_supply', []),
  });
  return {
    engine,
    handlers: {
      list_proposals: (ctx, req) => engine.listProposals(ctx.caller, req, ctx.time),
      get_proposal_info: (ctx, id) => {
        const info = engine.getProposalInfo(ctx.caller, id, ctx.time);
        return info ? [info] : [];
      },
      get_pending_proposals: (ctx) => engine.getPendingProposals(ctx.caller, ctx.time),
      get_latest_reward_event: () => engine.latestRewardEvent(),
    },
  };
}

export interface GovernanceGenesis {
  economics?: Partial<Economics>;
  genesisTimestampSeconds?: bigint;
  /** topic -> neuron ids, for new neurons. */
  defaultFollowees?: [number, bigint[]][];
}

// ---- Snapshot ---------------------------------------------------------------------------------

interface GovernanceSnapshot {
  version: 2;
  /** Every neuron in slot order, and the proposals with their ballots (snapshot.ts). */
  neurons: Uint8Array;
  /** The neurons' hash tables (rebuilt when absent or not fitting). */
  neuronIndexes?: NeuronIndexes;
  proposals: Uint8Array;
  proposalContents: Uint8Array;
  /** GovernanceState's recent-ballot words (u32, platform byte order) of every slot. */
  recentBallots: Uint8Array;
  nextProposalId: bigint;
  economics: Economics;
  genesisTimestampSeconds: bigint;
  latestRewardEvent?: RewardEvent;
  maturityModulationPermyriad: number;
  defaultFollowees: [number, bigint[]][];
  extras: NeuronExtras;
  engine?: unknown;
  /** The auto-voters' configuration (auto-voters.ts); absent when never configured. */
  autoVoters?: AutoVotersSnapshot;
}

export class GovernanceCanister implements Canister {
  readonly id = GOVERNANCE_ID;
  readonly name = 'governance';
  readonly candid = candid.governance;
  readonly methods: Record<string, MethodDef>;
  readonly admin = {
    /** {neuron_id, maturity_e8s?, staked_maturity_e8s?}: sets a neuron's maturity (tests, demo). */
    set_maturity: (_ctx: CallContext, a: { neuron_id: unknown; maturity_e8s?: unknown; staked_maturity_e8s?: unknown }) => {
      const n = this.adminNeuron(a.neuron_id);
      const m = a.maturity_e8s === undefined ? undefined : natArg(a.maturity_e8s, 'maturity_e8s');
      const s = a.staked_maturity_e8s === undefined ? undefined : natArg(a.staked_maturity_e8s, 'staked_maturity_e8s');
      if (m !== undefined) n.maturityE8s = m;
      if (s !== undefined) n.stakedMaturityE8s = s;
      return { maturity_e8s: n.maturityE8s, staked_maturity_e8s: n.stakedMaturityE8s };
    },
    /** {neuron_id, fees_e8s}: sets a neuron's fees (as a rejected proposal would). */
    set_neuron_fees: (_ctx: CallContext, a: { neuron_id: unknown; fees_e8s: unknown }) => {
      const n = this.adminNeuron(a.neuron_id);
      const fees = natArg(a.fees_e8s, 'fees_e8s');
      if (fees > n.cachedStakeE8s) throw new Error('set_neuron_fees: fees exceed the stake');
      n.feesE8s = fees;
      return { fees_e8s: fees };
    },
    /** {permyriad}: the maturity modulation, within [-1000, 200] (M70). */
    set_maturity_modulation: (_ctx: CallContext, a: { permyriad: unknown }) => {
      const p = Number(a?.permyriad);
      if (!Number.isInteger(p) || p < -1000 || p > 200) throw new Error('set_maturity_modulation: permyriad must be an integer in [-1000, 200]');
      this.state.maturityModulationPermyriad = p;
      return { permyriad: p };
    },
    /** {neuron_id, name, description?, links?, committed_topics?}: makes a neuron known (and public). */
    set_known_neuron: (_ctx: CallContext, a: { neuron_id: unknown; name: unknown; description?: unknown; links?: unknown; committed_topics?: unknown }) => {
      const n = this.adminNeuron(a.neuron_id);
      if (typeof a.name !== 'string' || a.name.length === 0) throw new Error('set_known_neuron: name must be a non-empty string');
      const data: KnownNeuronData = {
        name: a.name,
        description: typeof a.description === 'string' ? a.description : undefined,
        links: Array.isArray(a.links) ? a.links.map(String) : [],
        committedTopics: Array.isArray(a.committed_topics) ? a.committed_topics.map(Number).filter((t) => TOPICS.includes(t)) : [],
      };
      this.state.setKnownNeuron(n, data);
      n.visibility = Visibility.Public;
      return { neuron_id: n.id };
    },
    /**
     * {neurons, proposals, owner?, owner_neurons?}: fills an empty governance with the mainnet-sized
     * fixture (fixture.ts); `owner` (principal text) controls `owner_neurons` of them.
     */
    load_fixture: (ctx: CallContext, a: { neurons: unknown; proposals: unknown; owner?: unknown; owner_neurons?: unknown }) => {
      const neurons = Number(a?.neurons);
      const proposals = Number(a?.proposals);
      if (!Number.isInteger(neurons) || neurons < FIXTURE_KNOWN_NEURONS || neurons > 2_000_000) throw new Error(`load_fixture: neurons must be an integer in [${FIXTURE_KNOWN_NEURONS}, 2000000]`);
      if (!Number.isInteger(proposals) || proposals < 0 || proposals > 1_000_000) throw new Error('load_fixture: proposals must be an integer in [0, 1000000]');
      if (a.owner !== undefined && typeof a.owner !== 'string') throw new Error('load_fixture: owner must be a principal (text)');
      const ownerNeurons = a.owner_neurons === undefined ? undefined : Number(a.owner_neurons);
      const { known } = loadFixture(this.state, this.proposalSide!.engine, ctx, { neurons, proposals, owner: a.owner, ownerNeurons });
      return { neurons: this.state.neurons.size, proposals: this.state.proposals.size, known_neurons: known };
    },
    /** {followees: [[topic, [neuron ids]]]}: default followees of new neurons. */
    set_default_followees: (_ctx: CallContext, a: { followees: unknown }) => {
      if (!Array.isArray(a?.followees)) throw new Error('set_default_followees: followees must be [[topic, ids]]');
      const map = new Map<number, bigint[]>();
      for (const [t, ids] of a.followees as [unknown, unknown[]][]) {
        const topic = Number(t);
        if (!TOPICS.includes(topic)) throw new Error(`set_default_followees: unknown topic ${t}`);
        map.set(topic, ids.map((x) => natArg(x, 'neuron id')));
      }
      this.state.defaultFollowees = map;
      return { topics: map.size };
    },
    /**
     * {voters: [{neuron_id, min_delay_seconds, max_delay_seconds, yes_permille?,
     * participation_permille?}], favoured_permille?, proposer_neuron_id?}: neurons that vote by a
     * deterministic policy and the proposer of make_motion_proposal (auto-voters.ts). Off by default.
     */
    set_auto_voters: (_ctx: CallContext, a: unknown) => this.autoVoters.configure(a),
    /**
     * {caller, request}: manage_neuron from `caller` with the request as plain (already decoded)
     * data: the same checks and effects as the method, without the Candid round trip, which costs
     * milliseconds for this interface (the demo genesis issues about a thousand).
     */
    manage_neuron_as: (ctx: CallContext, a: { caller: unknown; request: ManageNeuronRequest }) =>
      this.neurons.manageNeuron({ ...ctx, caller: principal(a.caller, 'caller') }, a.request),
    /** {title, summary, url, motion_text?, neuron_id?}: a Motion proposal -> {proposal_id} | {error, message}. */
    make_motion_proposal: (ctx: CallContext, a: unknown) =>
      makeMotionProposal(ctx, this.autoVoters, this.state, (c, n, req) => this.proposalSide!.engine.makeProposal(c, n, req), a),
    /**
     * {controller, e8s, memo?, dissolve_delay_seconds?}: genesis staking. Mints e8s to the
     * controller's staking subaccount (memo, default 0), claims the neuron and sets its delay.
     */
    stake_neuron: async (ctx: CallContext, a: { controller: unknown; e8s: unknown; memo?: unknown; dissolve_delay_seconds?: unknown }) => {
      const controller = principal(a.controller, 'controller');
      const e8s = natArg(a.e8s, 'e8s');
      const memo = a.memo === undefined ? 0n : natArg(a.memo, 'memo');
      const delay = a.dissolve_delay_seconds === undefined ? INITIAL_DISSOLVE_DELAY_SECONDS : natArg(a.dissolve_delay_seconds, 'dissolve_delay_seconds');
      if (delay === 0n || delay > MAX_DISSOLVE_DELAY_SECONDS) throw new Error('stake_neuron: dissolve_delay_seconds must be in (0, max]');
      const sub = neuronStakeSubaccount(controller, memo);
      const r = await ctx.call<{ Ok: bigint } | { Err: unknown }>(LEDGER_ID, 'transfer', [
        { to: neuronAccount(sub), fee: { e8s: 0n }, memo, from_subaccount: [], created_at_time: [], amount: { e8s } },
      ]);
      if (!('Ok' in r)) throw new Error('stake_neuron: the mint failed');
      try {
        const id = await this.neurons.claimOrRefreshAccount(ctx, controller, memo);
        const n = this.state.neuron(id)!;
        if (n.dissolve.kind === 'delay' && delay > n.dissolve.seconds) n.dissolve = { kind: 'delay', seconds: delay };
        return { neuron_id: id, account: toHex(neuronAccount(sub)) };
      } catch (e) {
        if (e instanceof GovernanceError) throw new Error(`stake_neuron: ${e.message}`);
        throw e;
      }
    },
  };

  private state: GovernanceState;
  private neurons: NeuronManager;
  private proposalSide: ProposalSide | undefined;
  private autoVoters: AutoVoters;

  constructor(private readonly genesis: GovernanceGenesis = {}) {
    this.state = GovernanceCanister.initialState(genesis);
    this.proposalSide = createProposalSide(this.state);
    this.autoVoters = new AutoVoters(this.state);
    this.neurons = this.manager({ nextNonce: 0n, nextMintMemo: 0n });
    this.methods = methodTable<_SERVICE>(candid.governance.idlFactory, { ...this.handlers(), ...(this.proposalSide?.handlers ?? {}) });
  }

  private static initialState(g: GovernanceGenesis): GovernanceState {
    const s = new GovernanceState();
    s.economics = { ...DEFAULT_ECONOMICS, ...(g.economics ?? {}) };
    s.genesisTimestampSeconds = g.genesisTimestampSeconds ?? 0n;
    s.defaultFollowees = new Map((g.defaultFollowees ?? []).map(([t, l]) => [t, [...l]]));
    return s;
  }

  private manager(extras: NeuronExtras): NeuronManager {
    return new NeuronManager(this.state, extras, () => this.proposalSide?.engine);
  }

  /** The state (for the proposal engine and tests). Read-only by convention outside governance/. */
  get governanceState(): GovernanceState {
    return this.state;
  }

  info(): CanisterInfo {
    return { controllers: [ROOT_ID], moduleHash: MODULE_HASH };
  }

  // ---- Timers: the neuron timers and the proposal engine's -------------------------------------

  nextTimer(): bigint | undefined {
    let t: bigint | undefined;
    for (const x of [this.neurons.nextTimer(), this.proposalSide?.engine.nextTimer?.(), this.autoVoters.nextTimer()]) {
      if (x !== undefined && (t === undefined || x < t)) t = x;
    }
    return t;
  }

  onTimer(ctx: CallContext): unknown {
    // Rewards count days from genesis; a world built without a genesis time starts it now.
    if (this.state.genesisTimestampSeconds === 0n) this.state.genesisTimestampSeconds = secondsOf(ctx.time);
    // Votes of the auto-voters that are due (synchronous: decisions and cascades happen here).
    if (this.proposalSide && this.due(this.autoVoters.nextTimer(), ctx)) {
      const engine = this.proposalSide.engine;
      this.autoVoters.onTimer(ctx, (c, n, id, vote) => engine.registerVote(c, n, id, vote));
    }
    // Each part moves its own next timer past ctx.time before its first await.
    const a = this.due(this.neurons.nextTimer(), ctx) ? this.neurons.onTimer(ctx) : undefined;
    const engine = this.proposalSide?.engine;
    const b = engine?.onTimer && this.due(engine.nextTimer?.(), ctx) ? engine.onTimer(ctx) : undefined;
    if (a instanceof Promise || b instanceof Promise) return Promise.all([a, b]);
    return undefined;
  }

  private due(t: bigint | undefined, ctx: CallContext): boolean {
    return t !== undefined && t <= ctx.time;
  }

  // ---- Handlers ---------------------------------------------------------------------------------

  private handlers(): Partial<Handlers<_SERVICE>> {
    return {
      manage_neuron: (ctx, req) => this.neurons.manageNeuron(ctx, req),
      simulate_manage_neuron: (ctx, req) => this.neurons.simulateManageNeuron(ctx, req),
      claim_or_refresh_neuron_from_account: async (ctx, { controller, memo }) => {
        try {
          const id = await this.neurons.claimOrRefreshAccount(ctx, controller[0] ?? ctx.caller, memo);
          return { result: [{ NeuronId: { id } }] };
        } catch (e) {
          return { result: [{ Error: governanceErrorOf(e) }] };
        }
      },
      create_neuron: (ctx, req) => this.neurons.createNeuron(ctx, req),
      list_neurons: (ctx, req) => this.listNeurons(ctx, req),
      get_full_neuron: (ctx, id) => this.fullNeuron(ctx, { NeuronId: { id } }),
      get_full_neuron_by_id_or_subaccount: (ctx, which) => this.fullNeuron(ctx, which),
      get_neuron_info: (ctx, id) => this.neuronInfo(ctx, { NeuronId: { id } }),
      get_neuron_info_by_id_or_subaccount: (ctx, which) => this.neuronInfo(ctx, which),
      get_neuron_ids: (ctx) => BigUint64Array.from([...this.state.neuronIdsOf(ctx.caller)].sort(cmp)),
      get_network_economics_parameters: () => this.networkEconomics(),
      list_known_neurons: () => ({
        known_neurons: [...this.state.knownNeuronIds].sort(cmp).map((id) => {
          const data = this.state.neuron(id)!.knownNeuron!;
          return { id: [{ id }], known_neuron_data: [toCandidKnownNeuronData(data)] };
        }),
      }),
      get_metrics: (ctx) => ({ Ok: this.neurons.extras.metrics ?? this.neurons.computeMetrics(secondsOf(ctx.time)) }),
      list_neuron_votes: (_ctx, req) => this.listNeuronVotes(req),
      get_build_metadata: () => BUILD_METADATA,
    };
  }

  private listNeurons(ctx: CallContext, req: ListNeurons): ListNeuronsResponse {
    const now = secondsOf(ctx.time);
    const caller = ctx.caller;
    const ids = new Set<bigint>();
    for (const id of req.neuron_ids) if (this.state.neurons.has(id)) ids.add(id);
    for (const { subaccount } of req.neuron_subaccounts[0] ?? []) {
      const n = this.state.neuronBySubaccount(subaccount);
      if (n) ids.add(n.id);
    }
    if (req.include_neurons_readable_by_caller) {
      const includeEmpty = req.include_empty_neurons_readable_by_caller[0] ?? true;
      for (const id of this.state.neuronIdsOf(caller)) {
        const n = this.state.neuron(id);
        if (n && (includeEmpty || !isEmpty(n))) ids.add(id);
      }
    }
    const sorted = BigUint64Array.from(ids).sort(); // neuron ids are u64: a numeric sort, no comparator calls
    const requested = req.page_size[0];
    const pageSize = requested === undefined || requested === 0n || requested > MAX_LIST_NEURONS_RESULTS ? MAX_LIST_NEURONS_RESULTS : requested;
    const page = req.page_number[0] ?? 0n;
    const total = BigInt(sorted.length);
    const pages = (total + pageSize - 1n) / pageSize;
    const start = page * pageSize;
    const slice = start >= total ? [] : sorted.slice(Number(start), Number(start + pageSize));
    const includePublic = req.include_public_neurons_in_full_neurons[0] ?? false;
    const neuron_infos: [bigint, ReturnType<typeof toNeuronInfo>][] = [];
    const full_neurons = [];
    for (const id of slice) {
      const { info, full } = listedNeuron(this.state, this.state.neuron(id)!, now, caller, includePublic);
      neuron_infos.push([id, info]);
      if (full) full_neurons.push(full);
    }
    return { neuron_infos, full_neurons, total_pages_available: [pages] };
  }

  private fullNeuron(ctx: CallContext, which: NeuronIdOrSubaccount): Result_2 {
    try {
      const n = this.neurons.byIdOrSubaccount(which);
      if (!canReadFullNeuron(this.state, n, ctx.caller)) {
        fail(ErrorType.NotAuthorized, `Caller '${ctx.caller.toText()}' is not authorized to read the full neuron ${n.id}.`);
      }
      return { Ok: toCandidNeuron(this.state, n, secondsOf(ctx.time)) };
    } catch (e) {
      return { Err: governanceErrorOf(e) };
    }
  }

  private neuronInfo(ctx: CallContext, which: NeuronIdOrSubaccount): Result_5 {
    try {
      const n = this.neurons.byIdOrSubaccount(which);
      return { Ok: toNeuronInfo(this.state, n, secondsOf(ctx.time), ctx.caller) };
    } catch (e) {
      return { Err: governanceErrorOf(e) };
    }
  }

  private networkEconomics(): NetworkEconomics {
    const e = this.state.economics;
    return {
      neuron_minimum_stake_e8s: e.neuronMinimumStakeE8s,
      max_proposals_to_keep_per_topic: e.maxProposalsToKeepPerTopic,
      neuron_management_fee_per_proposal_e8s: e.neuronManagementFeePerProposalE8s,
      reject_cost_e8s: e.rejectCostE8s,
      transaction_fee_e8s: e.transactionFeeE8s,
      neuron_spawn_dissolve_delay_seconds: e.neuronSpawnDissolveDelaySeconds,
      minimum_icp_xdr_rate: e.minimumIcpXdrRate,
      maximum_node_provider_rewards_e8s: e.maximumNodeProviderRewardsE8s,
      neurons_fund_economics: [], // the Neurons' Fund matching is not simulated
      voting_power_economics: [
        {
          start_reducing_voting_power_after_seconds: [e.startReducingVotingPowerAfterSeconds],
          clear_following_after_seconds: [e.clearFollowingAfterSeconds],
          neuron_minimum_dissolve_delay_to_vote_seconds: [e.neuronMinimumDissolveDelayToVoteSeconds],
        },
      ],
    };
  }

  /** From the neuron's recent ballots (newest first); the full history is not kept. */
  private listNeuronVotes(req: ListNeuronVotesRequest): ListNeuronVotesResponse {
    const [nid] = req.neuron_id;
    if (!nid) return { Err: err(ErrorType.InvalidCommand, 'neuron_id is required.') };
    const n = this.state.neuron(nid.id);
    if (!n) return { Err: err(ErrorType.NotFound, `Neuron not found: ${nid.id}`) };
    const before = req.before_proposal[0]?.id;
    const limitArg = req.limit[0];
    const limit = limitArg === undefined || limitArg > MAX_LIST_NEURON_VOTES ? MAX_LIST_NEURON_VOTES : limitArg;
    const votes = this.state.recentBallots(n)
      .filter((b) => before === undefined || b.proposalId < before)
      .slice(0, Number(limit))
      .map((b) => ({
        proposal_id: [{ id: b.proposalId }] as [{ id: bigint }],
        vote: [b.vote === Vote.Yes ? { Yes: null } : b.vote === Vote.No ? { No: null } : { Unspecified: null }] as [{ Yes: null } | { No: null } | { Unspecified: null }],
      }));
    return { Ok: { votes: [votes], all_finalized_before_proposal: [] } };
  }

  private adminNeuron(id: unknown): Neuron {
    const n = this.state.neuron(natArg(id, 'neuron_id'));
    if (!n) throw new Error(`no neuron ${String(id)}`);
    return n;
  }

  // ---- Snapshot -------------------------------------------------------------------------------

  snapshot(): GovernanceSnapshot {
    const s = this.state;
    const engine = this.proposalSide?.engine as { snapshot?: () => unknown } | undefined;
    const { proposals, contents } = encodeProposals(s);
    return {
      version: 2,
      neurons: s.store.encode(),
      neuronIndexes: s.dumpIndexes(),
      proposals,
      proposalContents: contents,
      recentBallots: bytesOf(s.recentBallotWords()),
      nextProposalId: s.nextProposalId,
      economics: { ...s.economics },
      genesisTimestampSeconds: s.genesisTimestampSeconds,
      latestRewardEvent: s.latestRewardEvent,
      maturityModulationPermyriad: s.maturityModulationPermyriad,
      defaultFollowees: [...s.defaultFollowees].map(([t, l]) => [t, [...l]]),
      extras: { ...this.neurons.extras },
      engine: engine?.snapshot?.(),
      autoVoters: this.autoVoters.snapshot(),
    };
  }

  restore(snapshot: unknown): void {
    const snap = snapshot as GovernanceSnapshot;
    if (snap?.version !== 2) throw new Error('governance: unsupported snapshot version (start this state afresh with --fresh)');
    const s = new GovernanceState();
    s.restoreNeurons(snap.neurons, snap.neuronIndexes);
    s.restoreRecentBallotBytes(snap.recentBallots);
    decodeProposals(snap.proposals, snap.proposalContents, s);
    s.nextProposalId = snap.nextProposalId;
    s.economics = { ...snap.economics };
    s.genesisTimestampSeconds = snap.genesisTimestampSeconds;
    s.latestRewardEvent = snap.latestRewardEvent;
    s.maturityModulationPermyriad = snap.maturityModulationPermyriad;
    s.defaultFollowees = new Map(snap.defaultFollowees.map(([t, l]) => [t, [...l]]));
    this.state = s;
    this.proposalSide = createProposalSide(s);
    const engine = this.proposalSide?.engine as { restore?: (x: unknown) => void } | undefined;
    if (snap.engine !== undefined) engine?.restore?.(snap.engine);
    this.neurons = this.manager({ ...snap.extras });
    this.autoVoters = new AutoVoters(this.state, snap.autoVoters);
    // The method table's handlers reach state through `this`, so they follow the new state; the
    // proposal side's own handlers are rebuilt with it.
    if (this.proposalSide?.handlers) {
      const table = methodTable<_SERVICE>(candid.governance.idlFactory, { ...this.handlers(), ...this.proposalSide.handlers });
      for (const [k, v] of Object.entries(table)) this.methods[k] = v;
    }
  }
}

// ---- Helpers ------------------------------------------------------------------------------------

/** The bytes of a typed array: a view, not a copy (a checkpoint writes a snapshot at once). */
function bytesOf(a: Uint32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

function err(type: ErrorType, message: string): CandidGovernanceError {
  return { error_type: type, error_message: message };
}

/** No stake, no maturity, no staked maturity (mainnet's "empty" neuron). */
function isEmpty(n: Neuron): boolean {
  return n.cachedStakeE8s - n.feesE8s <= 0n && n.maturityE8s === 0n && n.stakedMaturityE8s === 0n;
}

function principal(v: unknown, name: string): Principal {
  if (v instanceof Principal) return v;
  if (typeof v === 'string') return Principal.fromText(v);
  throw new Error(`${name} must be a principal (text)`);
}
