// The NNS proposal engine on a hand-built GovernanceState: ballots, following, decisions,
// wait-for-quiet, execution, queries and the daily voting rewards.
import { describe, expect, it } from 'vitest';
import { Principal } from '@icp-sdk/core/principal';
import type { GovernanceTypes } from '../../../subnet/candid/index.ts';
import type { CallContext } from '../../../subnet/canisters/canister.ts';
import { Ballots } from '../../../subnet/canisters/governance/ballots.ts';
import { castAndCascade } from '../../../subnet/canisters/governance/following.ts';
import {
  DAY,
  E8S_PER_ICP,
  ErrorType,
  GovernanceError,
  GovernanceState,
  MONTH,
  ProposalStatus,
  RewardStatus,
  SIX_MONTHS,
  Topic,
  TWO_YEARS,
  Visibility,
  Vote,
  decidingVotingPower,
  potentialVotingPower,
  type Neuron,
  type ProposalData,
} from '../../../subnet/canisters/governance/model.ts';
import { ProposalEngine } from '../../../subnet/canisters/governance/proposals.ts';
import { M70_REWARD_POOL_MULTIPLIER_PERMYRIAD } from '../../../subnet/canisters/governance/rewards.ts';

type Proposal = GovernanceTypes.Proposal;
type ListReq = GovernanceTypes.ListProposalInfoRequest;

const ICP = E8S_PER_ICP;
const REJECT_COST = 25n * ICP;
const T0 = 1_775_001_600n; // 2026-04-01, seconds
const NS = 1_000_000_000n;
const HOUR = 3_600n;

const alice = Principal.selfAuthenticating(new Uint8Array(32).fill(1));
const bob = Principal.selfAuthenticating(new Uint8Array(32).fill(2));
const carol = Principal.selfAuthenticating(new Uint8Array(32).fill(3));
const dave = Principal.selfAuthenticating(new Uint8Array(32).fill(4));
const GOV = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');

function ctxAt(seconds: bigint, caller = alice): CallContext {
  return {
    self: GOV,
    caller,
    time: seconds * NS,
    cycles: 0n,
    call: () => Promise.reject(new Error('the proposal engine makes no calls')),
    dataCertificate: () => undefined,
  };
}

interface NeuronOpts {
  stake?: bigint;
  delay?: bigint;
  controller?: Principal;
  hotKeys?: Principal[];
  followees?: Record<number, bigint[]>;
  refreshed?: bigint;
  agingSince?: bigint;
  autoStake?: boolean;
}

function mkNeuron(id: bigint, o: NeuronOpts = {}): Neuron {
  const sub = new Uint8Array(32);
  new DataView(sub.buffer).setBigUint64(24, id);
  return {
    id,
    controller: o.controller ?? alice,
    hotKeys: o.hotKeys ?? [],
    subaccount: sub,
    cachedStakeE8s: o.stake ?? 100n * ICP,
    feesE8s: 0n,
    maturityE8s: 0n,
    stakedMaturityE8s: 0n,
    createdSeconds: T0,
    agingSinceSeconds: o.agingSince ?? T0,
    dissolve: { kind: 'delay', seconds: o.delay ?? TWO_YEARS },
    followees: new Map(Object.entries(o.followees ?? {}).map(([t, l]) => [Number(t), l])),
    votingPowerRefreshedSeconds: o.refreshed ?? T0,
    autoStakeMaturity: o.autoStake ?? false,
    visibility: Visibility.Private,
    maturityDisbursements: [],
    kycVerified: true,
    notForProfit: false,
  };
}

function world(neurons: Array<[bigint, NeuronOpts?]>) {
  const state = new GovernanceState();
  state.genesisTimestampSeconds = T0;
  for (const [id, o] of neurons) state.addNeuron(mkNeuron(id, o));
  const engine = new ProposalEngine(state);
  const n = (id: bigint) => state.neuron(id)!;
  return { state, engine, n };
}

const motion = (text = 'Let it be.', title = 'A motion'): Proposal => ({
  url: '',
  title: [title],
  summary: 'Why we should do it.',
  action: [{ Motion: { motion_text: text } }],
  self_describing_action: [],
});

function economicsProposal(e: Partial<GovernanceTypes.NetworkEconomics>): Proposal {
  const base: GovernanceTypes.NetworkEconomics = {
    neuron_minimum_stake_e8s: 0n,
    voting_power_economics: [],
    max_proposals_to_keep_per_topic: 0,
    neuron_management_fee_per_proposal_e8s: 0n,
    reject_cost_e8s: 0n,
    transaction_fee_e8s: 0n,
    neuron_spawn_dissolve_delay_seconds: 0n,
    minimum_icp_xdr_rate: 0n,
    maximum_node_provider_rewards_e8s: 0n,
    neurons_fund_economics: [],
  };
  return {
    url: 'https://forum.dfinity.org/t/economics',
    title: ['Change the economics'],
    summary: 'Economics.',
    action: [{ ManageNetworkEconomics: { ...base, ...e } }],
    self_describing_action: [],
  };
}

function knownNeuronProposal(id: bigint, name: string): Proposal {
  return {
    url: '',
    title: [`Register ${name}`],
    summary: 'A known neuron.',
    action: [
      {
        RegisterKnownNeuron: {
          id: [{ id }],
          known_neuron_data: [{ name, description: ['votes a lot'], links: [['https://example.org']], committed_topics: [[[{ Governance: null }], [{ CatchAll: null }]]] }],
        },
      },
    ],
    self_describing_action: [],
  };
}

function manageNeuronProposal(managed: bigint): Proposal {
  return {
    url: '',
    title: ['Manage my neuron'],
    summary: '',
    action: [{ ManageNeuron: { id: [], neuron_id_or_subaccount: [{ NeuronId: { id: managed } }], command: [{ RefreshVotingPower: {} }] } }],
    self_describing_action: [],
  };
}

function expectError(f: () => unknown, type: ErrorType): GovernanceError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(GovernanceError);
    expect(ErrorType[(e as GovernanceError).errorType]).toBe(ErrorType[type]);
    return e as GovernanceError;
  }
  throw new Error(`expected a GovernanceError ${ErrorType[type]}`);
}

const listReq = (r: Partial<ListReq> = {}): ListReq => ({
  return_self_describing_action: [],
  include_reward_status: new Int32Array(),
  omit_large_fields: [],
  before_proposal: [],
  limit: 0,
  exclude_topic: new Int32Array(),
  include_all_manage_neuron_proposals: [],
  include_status: new Int32Array(),
  ...r,
});

const prop = (state: GovernanceState, id: bigint) => state.proposals.get(id)!;
const vote = (state: GovernanceState, pid: bigint, nid: bigint) => prop(state, pid).ballots.get(nid)?.vote;

// ------------------------------------------------------------------------------------------------

describe('makeProposal: validation, fee and ballots', () => {
  it('snapshots ballots with deciding power, sums potential power, charges the fee, proposer votes Yes', () => {
    const { state, engine, n } = world([
      [1n, { stake: 200n * ICP, agingSince: T0 + DAY }], // no age bonus
      [2n, { stake: 50n * ICP, delay: SIX_MONTHS, agingSince: T0 - 365n * DAY }],
      [3n, { stake: 50n * ICP, delay: 7n * DAY }], // below the 14-day minimum: no ballot
      [4n, { stake: 50n * ICP, refreshed: T0 - SIX_MONTHS - MONTH / 2n }], // half decayed
      [5n, { stake: 1_000n * ICP, delay: 14n * DAY }], // exactly the minimum: a ballot
    ]);
    const now = T0 + HOUR;
    const id = engine.makeProposal(ctxAt(now), n(1n), motion());
    expect(id).toBe(1n);
    expect(state.nextProposalId).toBe(2n);
    const p = prop(state, id);
    expect([...p.ballots.keys()].sort()).toEqual([1n, 2n, 4n, 5n]);
    expect(p.topic).toBe(Topic.Governance);
    expect(p.deadlineSeconds).toBe(now + 4n * DAY);
    expect(n(1n).feesE8s).toBe(REJECT_COST);
    expect(p.rejectCostE8s).toBe(REJECT_COST);
    expect(n(1n).votingPowerRefreshedSeconds).toBe(now);

    const econ = { startReducingAfterSeconds: SIX_MONTHS, clearFollowingAfterSeconds: MONTH };
    let total = 0n;
    let potential = 0n;
    for (const id of [1n, 2n, 4n, 5n]) {
      const pot = potentialVotingPower(n(id), now);
      const dec = decidingVotingPower(n(id), now, econ);
      expect(p.ballots.get(id)!.votingPower).toBe(dec);
      total += dec;
      potential += pot;
    }
    // Neuron 4 lost about half its power (6.5 months without refresh); 2 got an age bonus.
    expect(p.ballots.get(4n)!.votingPower).toBeLessThan(potentialVotingPower(n(4n), now));
    // proposer: (200 - 25) ICP at 2 years = 3x
    expect(p.ballots.get(1n)!.votingPower).toBe(175n * ICP * 3n);
    expect(p.totalPotentialVotingPower).toBe(potential);
    expect(p.tally.total).toBe(total);
    expect(p.ballots.get(1n)!.vote).toBe(Vote.Yes);
    expect(p.tally.yes).toBe(p.ballots.get(1n)!.votingPower);
    expect(state.recentBallots(n(1n))).toEqual([{ proposalId: 1n, vote: Vote.Yes }]);

    // A neuron created later has no ballot on it.
    state.addNeuron(mkNeuron(6n));
    expectError(() => engine.registerVote(ctxAt(now + 1n), n(6n), id, Vote.Yes), ErrorType.NotAuthorized);
    expectError(() => engine.registerVote(ctxAt(now + 1n), n(3n), id, Vote.Yes), ErrorType.NotAuthorized);
    expect(engine.makeProposal(ctxAt(now + 2n), n(1n), motion())).toBe(2n);
  });

  it('rejects short dissolve delays, missing funds and invalid proposals without charging', () => {
    const { engine, n, state } = world([
      [1n, { stake: 100n * ICP }],
      [2n, { stake: 100n * ICP, delay: SIX_MONTHS - 1n }],
      [3n, { stake: 30n * ICP }],
    ]);
    const c = ctxAt(T0);
    expectError(() => engine.makeProposal(c, n(2n), motion()), ErrorType.InsufficientFunds);
    n(3n).feesE8s = 6n * ICP; // 24 ICP left < 25
    expectError(() => engine.makeProposal(c, n(3n), motion()), ErrorType.InsufficientFunds);
    expect(n(3n).feesE8s).toBe(6n * ICP);

    const bad: Proposal[] = [
      { ...motion(), title: [] },
      { ...motion(), title: ['abc'] },
      { ...motion(), title: ['x'.repeat(257)] },
      { ...motion(), summary: 'x'.repeat(30_001) },
      { ...motion(), url: 'http://forum.dfinity.org/t/1' },
      { ...motion(), url: 'https://x.org/' + 'a'.repeat(2048) },
      motion('x'.repeat(10_001)),
      { ...motion(), action: [] },
      { ...motion(), action: [{ ExecuteNnsFunction: { nns_function: 1, payload: new Uint8Array(4) } }] },
      { ...knownNeuronProposal(1n, ''), title: ['Register nobody'] },
    ];
    for (const p of bad) expectError(() => engine.makeProposal(c, n(1n), p), ErrorType.InvalidProposal);
    expect(n(1n).feesE8s).toBe(0n);
    expect(state.proposals.size).toBe(0);
    // Limits are inclusive.
    engine.makeProposal(c, n(1n), { ...motion('x'.repeat(10_000)), title: ['t'.repeat(256)], summary: 's'.repeat(30_000), url: 'https://forum.dfinity.org/t/1' });
    expect(state.proposals.size).toBe(1);
  });

  it('accepts the MakeProposalRequest form', () => {
    const { engine, n, state } = world([[1n]]);
    const req: GovernanceTypes.MakeProposalRequest = { url: '', title: ['Request form'], summary: '', action: [{ Motion: { motion_text: 'hi' } }] };
    const id = engine.makeProposal(ctxAt(T0), n(1n), req);
    expect((prop(state, id).proposal as Proposal).self_describing_action).toEqual([]);
  });
});

describe('registerVote', () => {
  it('checks in order: NotFound, InvalidCommand, PreconditionFailed, NotAuthorized, NeuronAlreadyVoted', () => {
    const { engine, n, state } = world([[1n, { stake: 100n * ICP }], [2n, { stake: 10_000n * ICP }], [3n, { stake: 10n * ICP, delay: DAY }]]);
    const id = engine.makeProposal(ctxAt(T0), n(1n), motion());
    const c = ctxAt(T0 + HOUR);
    expectError(() => engine.registerVote(c, n(2n), 99n, Vote.Yes), ErrorType.NotFound);
    expectError(() => engine.registerVote(c, n(2n), id, Vote.Unspecified), ErrorType.InvalidCommand);
    expectError(() => engine.registerVote(c, n(2n), id, 7 as Vote), ErrorType.InvalidCommand);
    expectError(() => engine.registerVote(ctxAt(prop(state, id).deadlineSeconds), n(2n), id, Vote.Yes), ErrorType.PreconditionFailed);
    expectError(() => engine.registerVote(c, n(3n), id, Vote.Yes), ErrorType.NotAuthorized);
    expectError(() => engine.registerVote(c, n(1n), id, Vote.No), ErrorType.NeuronAlreadyVoted);
    engine.registerVote(c, n(2n), id, Vote.No);
    expect(n(2n).votingPowerRefreshedSeconds).toBe(T0 + HOUR);
    expect(vote(state, id, 2n)).toBe(Vote.No);
    expectError(() => engine.registerVote(c, n(2n), id, Vote.Yes), ErrorType.NeuronAlreadyVoted);
  });

  it('keeps at most 100 recent ballots, newest first', () => {
    const { engine, n, state } = world([[1n, { stake: 100_000n * ICP }], [2n, { stake: 1_000_000n * ICP }]]);
    for (let i = 0; i < 105; i++) {
      const id = engine.makeProposal(ctxAt(T0 + BigInt(i)), n(1n), motion());
      engine.registerVote(ctxAt(T0 + BigInt(i)), n(2n), id, i % 2 ? Vote.Yes : Vote.No);
    }
    expect(state.recentBallots(n(2n)).length).toBe(100);
    expect(state.recentBallots(n(2n))[0]).toEqual({ proposalId: 105n, vote: Vote.No });
    expect(state.recentBallots(n(2n))[99].proposalId).toBe(6n);
  });
});

describe('following cascade', () => {
  // Neuron 10 proposes (nobody follows it); 1 is the voter everybody follows.
  function graph() {
    return world([
      [10n, { stake: 100n * ICP }],
      [99n, { stake: 1_000_000n * ICP }], // silent whale: no early decisions
      [1n, { followees: { 0: [9n] } }], // 1 follows 9 (a cycle through 2 -> 9)
      [2n, { followees: { 0: [1n] } }], // catch-all follower of 1
      [9n, { followees: { 0: [2n] } }], // follows 2: 1 -> 2 -> 9 -> (1 already voted)
      [3n, { followees: { 3: [1n, 4n] } }], // 1 of 2 followees
      [4n, {}],
      [5n, { followees: { 3: [2n], 0: [4n] } }], // topic list wins over catch-all
      [6n, { followees: { 3: [4n], 0: [1n] } }], // topic list (4, silent) wins: stays unspecified
      [7n, { followees: { 4: [1n] } }], // Governance follower
      [8n, { followees: { 0: [1n], 4: [] } }],
      [11n, { followees: { 0: [1n] }, delay: DAY }], // no ballot: not visited
    ]);
  }

  it('topic 3: topic lists, catch-all, cycles, majority rules (Yes)', () => {
    const { engine, n, state } = graph();
    const id = engine.makeProposal(ctxAt(T0), n(10n), economicsProposal({ minimum_icp_xdr_rate: 200n }));
    engine.registerVote(ctxAt(T0 + 1n), n(1n), id, Vote.Yes);
    expect(vote(state, id, 1n)).toBe(Vote.Yes);
    expect(vote(state, id, 2n)).toBe(Vote.Yes); // catch-all
    expect(vote(state, id, 9n)).toBe(Vote.Yes); // through 2; the cycle back to 1 stops
    expect(vote(state, id, 3n)).toBe(Vote.Unspecified); // 1 Yes of 2: not more than half
    expect(vote(state, id, 5n)).toBe(Vote.Yes); // its topic-3 list (2)
    expect(vote(state, id, 6n)).toBe(Vote.Unspecified); // topic-3 list is 4, silent
    expect(vote(state, id, 7n)).toBe(Vote.Unspecified); // follows on Governance only
    expect(vote(state, id, 8n)).toBe(Vote.Yes);
    expect(state.recentBallots(state.neuron(11n)!)).toEqual([]);
    // Following votes do not refresh voting power; recent ballots are recorded.
    expect(n(2n).votingPowerRefreshedSeconds).toBe(T0);
    expect(state.recentBallots(n(9n))).toEqual([{ proposalId: id, vote: Vote.Yes }]);
    // 4 votes Yes now: 3 (2 of 2) and 6 follow.
    engine.registerVote(ctxAt(T0 + 2n), n(4n), id, Vote.Yes);
    expect(vote(state, id, 3n)).toBe(Vote.Yes);
    expect(vote(state, id, 6n)).toBe(Vote.Yes);
    const p = prop(state, id);
    const yes = [...p.ballots.values()].filter((b) => b.vote === Vote.Yes).reduce((s, b) => s + b.votingPower, 0n);
    expect(p.tally.yes).toBe(yes);
  });

  it('topic 3: half No is enough for No', () => {
    const { engine, n, state } = graph();
    const id = engine.makeProposal(ctxAt(T0), n(10n), economicsProposal({ minimum_icp_xdr_rate: 200n }));
    engine.registerVote(ctxAt(T0 + 1n), n(1n), id, Vote.No);
    expect(vote(state, id, 3n)).toBe(Vote.No); // 1 No of 2 followees
    expect(vote(state, id, 2n)).toBe(Vote.No);
    expect(vote(state, id, 9n)).toBe(Vote.No);
    expect(prop(state, id).tally.no).toBeGreaterThan(0n);
  });

  it('topic 4 (Governance): no catch-all following', () => {
    const { engine, n, state } = graph();
    const id = engine.makeProposal(ctxAt(T0), n(10n), motion());
    engine.registerVote(ctxAt(T0 + 1n), n(1n), id, Vote.Yes);
    expect(vote(state, id, 7n)).toBe(Vote.Yes);
    expect(vote(state, id, 2n)).toBe(Vote.Unspecified);
    expect(vote(state, id, 8n)).toBe(Vote.Unspecified);
    expect(vote(state, id, 9n)).toBe(Vote.Unspecified);
  });

  it('topic 14 (SnsAndCommunityFund): no catch-all; other topics use it', () => {
    const state = new GovernanceState();
    state.addNeuron(mkNeuron(1n));
    state.addNeuron(mkNeuron(2n, { followees: { 0: [1n] } }));
    state.addNeuron(mkNeuron(3n, { followees: { 14: [1n] } }));
    for (const [topic, catchAll] of [
      [Topic.SnsAndCommunityFund, false],
      [Topic.ExchangeRate, true],
      [Topic.SubnetManagement, true],
    ] as const) {
      const ballots = new Ballots(state, 3);
      for (const id of [1n, 2n, 3n]) ballots.add(state.slotOf(id)!, 1);
      const cast: bigint[] = [];
      castAndCascade(state, topic, ballots, 1n, Vote.Yes, (slot) => cast.push(state.idAt(slot)));
      expect(ballots.get(2n)!.vote).toBe(catchAll ? Vote.Yes : Vote.Unspecified);
      expect(ballots.get(3n)!.vote).toBe(topic === Topic.SnsAndCommunityFund ? Vote.Yes : Vote.Unspecified);
      expect(cast[0]).toBe(1n);
    }
  });

  it('scale: 100k catch-all followers of one neuron all follow one vote', () => {
    const state = new GovernanceState();
    state.genesisTimestampSeconds = T0;
    state.addNeuron(mkNeuron(1n, { stake: 1_000n * ICP }));
    state.addNeuron(mkNeuron(2n, { stake: 100_000_000n * ICP })); // the proposer: no early decision
    const N = 100_000;
    for (let i = 0; i < N; i++) state.addNeuron(mkNeuron(1_000n + BigInt(i), { stake: ICP, followees: { 0: [1n] } }));
    const engine = new ProposalEngine(state);
    const id = engine.makeProposal(ctxAt(T0), state.neuron(2n)!, economicsProposal({ minimum_icp_xdr_rate: 300n }));
    const p = prop(state, id);
    expect(p.ballots.size).toBe(N + 2);
    engine.registerVote(ctxAt(T0 + 1n), state.neuron(1n)!, id, Vote.No);
    let no = 0n;
    let count = 0;
    for (const b of p.ballots.values()) {
      if (b.vote === Vote.No) {
        no += b.votingPower;
        count++;
      }
    }
    expect(count).toBe(N + 1);
    expect(p.tally.no).toBe(no);
    expect(no).toBe(3_000n * ICP + BigInt(N) * 3n * ICP);
    expect(state.recentBallots(state.neuron(1_000n + BigInt(N - 1))!)[0]).toEqual({ proposalId: id, vote: Vote.No });
  });
});

describe('tally, decisions, wait-for-quiet', () => {
  // VP = 3 x stake (2-year delay, no age). Proposer 1 has 100 ICP (75 after the fee: 225 VP).
  it('adopts early on an absolute Yes majority, refunds the fee and executes', () => {
    const { engine, n, state } = world([[1n, { stake: 100n * ICP }], [2n, { stake: 1_000n * ICP }], [3n, { stake: 800n * ICP }]]);
    const id = engine.makeProposal(ctxAt(T0), n(1n), motion());
    expect(engine.getProposalInfo(alice, id)!.status).toBe(ProposalStatus.Open);
    engine.registerVote(ctxAt(T0 + HOUR), n(2n), id, Vote.Yes);
    const p = prop(state, id);
    expect(p.decidedSeconds).toBe(T0 + HOUR);
    expect(p.executedSeconds).toBe(T0 + HOUR);
    expect(engine.getProposalInfo(alice, id)!.status).toBe(ProposalStatus.Executed);
    expect(n(1n).feesE8s).toBe(0n);
    // Votes still count after the decision, until the deadline.
    engine.registerVote(ctxAt(T0 + 2n * HOUR), n(3n), id, Vote.No);
    expect(p.tally.no).toBe(2_400n * ICP);
    expect(engine.getProposalInfo(alice, id)!.status).toBe(ProposalStatus.Executed);
    expect(engine.getProposalInfo(alice, id)!.reward_status).toBe(RewardStatus.AcceptVotes);
  });

  it('rejects early when No reaches half, keeping the fee', () => {
    const { engine, n, state } = world([[1n, { stake: 100n * ICP }], [2n, { stake: 75n * ICP }]]);
    const id = engine.makeProposal(ctxAt(T0), n(1n), motion());
    engine.registerVote(ctxAt(T0 + HOUR), n(2n), id, Vote.No); // exactly half
    expect(prop(state, id).decidedSeconds).toBe(T0 + HOUR);
    expect(engine.getProposalInfo(alice, id)!.status).toBe(ProposalStatus.Rejected);
    expect(n(1n).feesE8s).toBe(REJECT_COST);
  });

  it('decides at the deadline with the 3% rule', () => {
    // total = 3 * (75 + 10_000 + 100 + 40) ICP-equivalents; proposer share ~0.73%.
    const cases: Array<{ yes: bigint[]; no: bigint[]; adopted: boolean }> = [
      { yes: [], no: [], adopted: false }, // 0.73% yes: below 3%
      { yes: [3n], no: [4n], adopted: false }, // 1.7% yes
      { yes: [3n, 5n], no: [], adopted: true }, // yes 75+100+300 of 10_515: 4.5%, yes > no
      { yes: [5n], no: [3n, 6n], adopted: false }, // yes > 3% but no > yes
    ];
    for (const c of cases) {
      const { engine, n, state } = world([
        [1n, { stake: 100n * ICP }],
        [2n, { stake: 10_000n * ICP }],
        [3n, { stake: 100n * ICP }],
        [4n, { stake: 40n * ICP }],
        [5n, { stake: 300n * ICP }],
        [6n, { stake: 400n * ICP }],
      ]);
      state.genesisTimestampSeconds = T0 + 30n * DAY; // no reward event in the way of the timer
      const id = engine.makeProposal(ctxAt(T0), n(1n), motion());
      const p = prop(state, id);
      expect(engine.nextTimer()).toBe(p.deadlineSeconds * NS);
      // Votes late enough that wait-for-quiet cannot move the deadline (cap reached by the formula
      // only at the deadline): vote at the deadline minus one second.
      for (const v of c.yes) engine.registerVote(ctxAt(T0 + HOUR), n(v), id, Vote.Yes);
      for (const v of c.no) engine.registerVote(ctxAt(T0 + HOUR), n(v), id, Vote.No);
      expect(p.decidedSeconds).toBe(0n);
      const deadline = p.deadlineSeconds;
      expect(engine.nextTimer()).toBe(deadline * NS);
      engine.onTimer(ctxAt(deadline - 1n));
      expect(p.decidedSeconds).toBe(0n);
      engine.onTimer(ctxAt(deadline));
      expect(p.decidedSeconds).toBe(deadline);
      expect(engine.getProposalInfo(alice, id)!.status).toBe(c.adopted ? ProposalStatus.Executed : ProposalStatus.Rejected);
      expect(n(1n).feesE8s).toBe(c.adopted ? 0n : REJECT_COST);
      expect(engine.nextTimer()! > deadline * NS).toBe(true);
      const info = engine.getProposalInfo(alice, id, deadline * NS)!;
      expect(info.reward_status).toBe(RewardStatus.ReadyToSettle);
    }
  });

  it('wait-for-quiet: a flipped lead pushes the deadline out, never past created + period + 4 days', () => {
    const { engine, n, state } = world([
      [1n, { stake: 100n * ICP }], // 225 VP yes
      [2n, { stake: 100_000n * ICP }], // silent
      [3n, { stake: 100n * ICP }], // 300
      [4n, { stake: 100n * ICP }], // 300
      [5n, { stake: 100n * ICP }],
      [6n, { stake: 100n * ICP }],
      [7n, { stake: 100n * ICP }],
      [8n, { stake: 100n * ICP }],
      [9n, { stake: 100n * ICP }],
    ]);
    const id = engine.makeProposal(ctxAt(T0), n(1n), motion());
    const p = prop(state, id);
    const P = 4n * DAY;
    const W = 2n * DAY;
    expect(p.deadlineSeconds).toBe(T0 + P);
    // Day 1: No takes the lead (300 > 225): deadline = max(T0+4d, T0+1d + 2d + 2d - 0.5d) = T0+4.5d.
    engine.registerVote(ctxAt(T0 + DAY), n(3n), id, Vote.No);
    expect(p.deadlineSeconds).toBe(T0 + DAY + W + P / 2n - DAY / 2n);
    expect(p.deadlineSeconds).toBe(T0 + 9n * DAY / 2n);
    // A vote that does not flip the lead changes nothing.
    engine.registerVote(ctxAt(T0 + DAY + 1n), n(4n), id, Vote.No); // no 600 vs yes 225
    expect(p.deadlineSeconds).toBe(T0 + 9n * DAY / 2n);
    // Day 2: Yes back in the lead (225+600 > 600): T0+2d + 2d + 2d - 1d = T0+5d.
    engine.registerVote(ctxAt(T0 + 2n * DAY), n(5n), id, Vote.Yes);
    engine.registerVote(ctxAt(T0 + 2n * DAY), n(6n), id, Vote.Yes);
    expect(p.deadlineSeconds).toBe(T0 + 5n * DAY); // the first of the two flipped it
    // Late flips: the deadline approaches but never passes T0 + P + 2W.
    let t = T0 + 5n * DAY - 10n;
    let voter = 7n;
    let lead = Vote.No;
    engine.registerVote(ctxAt(t), n(voter++), id, lead); // 825 yes vs 900 no: flip
    const expected = t + W + P / 2n - (t - T0) / 2n;
    expect(p.deadlineSeconds).toBe(expected);
    for (; voter <= 9n; voter++) {
      t = p.deadlineSeconds - 1n;
      lead = lead === Vote.No ? Vote.Yes : Vote.No;
      engine.registerVote(ctxAt(t), n(voter), id, lead === Vote.Yes ? Vote.Yes : Vote.No);
      expect(p.deadlineSeconds).toBeLessThanOrEqual(T0 + P + 2n * W);
    }
    expect(p.decidedSeconds).toBe(0n);
    engine.onTimer(ctxAt(p.deadlineSeconds));
    expect(p.decidedSeconds).toBe(p.deadlineSeconds);
  });

  it('wait-for-quiet does not apply to the flip that decides (mainnet: not once the new tally is decisive)', () => {
    const { engine, n, state } = world([
      [1n, { stake: 100n * ICP }],
      [2n, { stake: 1_000n * ICP }],
      [3n, { stake: 2_000n * ICP }],
    ]);
    const id = engine.makeProposal(ctxAt(T0), n(1n), motion());
    engine.registerVote(ctxAt(T0 + DAY), n(2n), id, Vote.No); // 3000 of 9225: no early decision
    expect(prop(state, id).deadlineSeconds).toBe(T0 + 9n * DAY / 2n);
    engine.registerVote(ctxAt(T0 + 2n * DAY), n(3n), id, Vote.Yes); // absolute yes: adopted
    expect(prop(state, id).decidedSeconds).toBe(T0 + 2n * DAY);
    // The vote turned the lead and made a majority: the deadline stays where it was.
    expect(prop(state, id).deadlineSeconds).toBe(T0 + 9n * DAY / 2n);
  });
});

describe('execution', () => {
  it('ManageNetworkEconomics updates the set fields; the new reject cost applies next', () => {
    const { engine, n, state } = world([[1n, { stake: 1_000n * ICP }]]);
    const before = { ...state.economics };
    const id = engine.makeProposal(
      ctxAt(T0),
      n(1n),
      economicsProposal({
        reject_cost_e8s: 10n * ICP,
        neuron_minimum_stake_e8s: 2n * ICP,
        voting_power_economics: [{ start_reducing_voting_power_after_seconds: [], clear_following_after_seconds: [], neuron_minimum_dissolve_delay_to_vote_seconds: [30n * DAY] }],
      }),
    );
    expect(engine.getProposalInfo(alice, id)!.status).toBe(ProposalStatus.Executed); // sole voter
    expect(engine.getProposalInfo(alice, id)!.topic).toBe(Topic.NetworkEconomics);
    expect(state.economics).toEqual({
      ...before,
      rejectCostE8s: 10n * ICP,
      neuronMinimumStakeE8s: 2n * ICP,
      neuronMinimumDissolveDelayToVoteSeconds: 30n * DAY,
    });
    state.addNeuron(mkNeuron(2n, { stake: 1_000_000n * ICP }));
    state.addNeuron(mkNeuron(3n, { delay: 20n * DAY }));
    const id2 = engine.makeProposal(ctxAt(T0 + 1n), n(1n), motion());
    expect(n(1n).feesE8s).toBe(10n * ICP);
    expect(prop(state, id2).ballots.has(3n)).toBe(false); // 20 days < the new 30-day minimum
  });

  it('RegisterKnownNeuron sets the known neuron; duplicate names and missing neurons fail', () => {
    const { engine, n, state } = world([[1n, { stake: 1_000n * ICP }], [2n], [3n]]);
    const id = engine.makeProposal(ctxAt(T0), n(1n), knownNeuronProposal(2n, 'Alpha'));
    // 1 has 975 of 1175 ICP: adopted at once.
    expect(engine.getProposalInfo(alice, id)!.status).toBe(ProposalStatus.Executed);
    expect(n(2n).knownNeuron).toEqual({ name: 'Alpha', description: 'votes a lot', links: ['https://example.org'], committedTopics: [Topic.Governance, Topic.Unspecified] });
    expect(n(2n).visibility).toBe(Visibility.Public);
    expect([...state.knownNeuronIds]).toEqual([2n]);

    const dup = engine.makeProposal(ctxAt(T0 + 1n), n(1n), knownNeuronProposal(3n, 'Alpha'));
    const info = engine.getProposalInfo(alice, dup)!;
    expect(info.status).toBe(ProposalStatus.Failed);
    expect(info.failure_reason[0]!.error_type).toBe(ErrorType.PreconditionFailed);
    expect(info.failure_reason[0]!.error_message).toMatch(/already used/);
    expect(prop(state, dup).failedSeconds).toBe(T0 + 1n);
    expect(n(3n).knownNeuron).toBeUndefined();
    expect(n(1n).feesE8s).toBe(0n); // adopted: refunded even though execution failed

    const missing = engine.makeProposal(ctxAt(T0 + 2n), n(1n), knownNeuronProposal(77n, 'Ghost'));
    expect(engine.getProposalInfo(alice, missing)!.status).toBe(ProposalStatus.Failed);
    expect(engine.getProposalInfo(alice, missing)!.failure_reason[0]!.error_type).toBe(ErrorType.NotFound);
  });

  it('ManageNeuron (topic 1): followees vote one each, neuron-management fee, executor, no rewards', () => {
    const { engine, n, state } = world([
      [1n, { delay: 0n, stake: 10n * ICP }], // no dissolve delay needed for topic 1
      [2n],
      [3n],
      [5n, { stake: 1_000n * ICP, followees: { 1: [1n, 2n], 0: [3n] } }], // managed
    ]);
    expectError(() => engine.makeProposal(ctxAt(T0), n(3n), manageNeuronProposal(5n)), ErrorType.NotAuthorized);
    expectError(() => engine.makeProposal(ctxAt(T0), n(1n), manageNeuronProposal(42n)), ErrorType.NotFound);
    const id = engine.makeProposal(ctxAt(T0), n(1n), manageNeuronProposal(5n));
    const p = prop(state, id);
    expect(p.topic).toBe(Topic.NeuronManagement);
    expect([...p.ballots.entries()]).toEqual([
      [1n, { vote: Vote.Yes, votingPower: 1n }],
      [2n, { vote: Vote.Unspecified, votingPower: 1n }],
    ]);
    expect(n(1n).feesE8s).toBe(state.economics.neuronManagementFeePerProposalE8s);
    expect(p.deadlineSeconds).toBe(T0 + 2n * DAY);
    expect(state.recentBallots(n(1n))).toEqual([]);
    expect(engine.getProposalInfo(alice, id)!.reward_status).toBe(RewardStatus.Ineligible);
    // 2 votes No: 1 of 2 is half: rejected. The lead flipped, but no wait-for-quiet on topic 1.
    engine.registerVote(ctxAt(T0 + DAY), n(2n), id, Vote.No);
    expect(engine.getProposalInfo(alice, id)!.status).toBe(ProposalStatus.Rejected);
    expect(p.deadlineSeconds).toBe(T0 + 2n * DAY);

    // Adopted without an executor: Failed. With one: Executed and the executor got the command.
    const id2 = engine.makeProposal(ctxAt(T0 + 2n), n(1n), manageNeuronProposal(5n));
    engine.registerVote(ctxAt(T0 + 3n), n(2n), id2, Vote.Yes);
    expect(engine.getProposalInfo(alice, id2)!.status).toBe(ProposalStatus.Failed);
    const calls: Array<[bigint, unknown]> = [];
    engine.executeManageNeuron = (_ctx, managed, command) => calls.push([managed, command]);
    const id3 = engine.makeProposal(ctxAt(T0 + 4n), n(1n), manageNeuronProposal(5n));
    const deadline = prop(state, id3).deadlineSeconds;
    engine.registerVote(ctxAt(T0 + 5n), n(2n), id3, Vote.Yes);
    expect(engine.getProposalInfo(alice, id3)!.status).toBe(ProposalStatus.Executed);
    expect(prop(state, id3).deadlineSeconds).toBe(deadline);
    expect(calls).toEqual([[5n, { RefreshVotingPower: {} }]]);
  });
});

describe('queries', () => {
  function listed() {
    const w = world([
      [1n, { stake: 100_000n * ICP, controller: alice, agingSince: T0 + DAY }], // no age bonus
      [2n, { stake: 10_000_000n * ICP, controller: carol, hotKeys: [bob] }], // silent whale
      [3n, { controller: bob }],
      [4n, { controller: carol, followees: { 1: [3n, 5n] } }],
      [5n, { controller: dave }],
    ]);
    const { engine, n } = w;
    for (let i = 0; i < 5; i++) engine.makeProposal(ctxAt(T0 + BigInt(i)), n(1n), motion(`motion ${i}`)); // 1..5
    engine.makeProposal(ctxAt(T0 + 10n), n(1n), economicsProposal({ minimum_icp_xdr_rate: 1n })); // 6
    engine.makeProposal(ctxAt(T0 + 11n), n(3n), manageNeuronProposal(4n)); // 7, topic 1
    engine.registerVote(ctxAt(T0 + 12n), n(2n), 2n, Vote.No); // 2 rejected
    engine.registerVote(ctxAt(T0 + 12n), n(2n), 3n, Vote.Yes); // 3 executed
    return w;
  }
  const ids = (r: GovernanceTypes.ListProposalInfoResponse) => r.proposal_info.map((p) => p.id[0]!.id);

  it('newest first, paging with before_proposal, limits', () => {
    const { engine } = listed();
    expect(ids(engine.listProposals(alice, listReq()))).toEqual([6n, 5n, 4n, 3n, 2n, 1n]);
    expect(ids(engine.listProposals(alice, listReq({ limit: 2 })))).toEqual([6n, 5n]);
    expect(ids(engine.listProposals(alice, listReq({ limit: 2, before_proposal: [{ id: 5n }] })))).toEqual([4n, 3n]);
    expect(ids(engine.listProposals(alice, listReq({ limit: 2, before_proposal: [{ id: 2n }] })))).toEqual([1n]);
    expect(ids(engine.listProposals(alice, listReq({ before_proposal: [{ id: 1000n }] })))).toEqual([6n, 5n, 4n, 3n, 2n, 1n]);
    expect(ids(engine.listProposals(alice, listReq({ before_proposal: [{ id: 1n }] })))).toEqual([]);
  });

  it('limit 0 or above 100 means 100', () => {
    const { engine, n } = world([[1n, { stake: 100_000n * ICP }], [2n, { stake: 100_000_000n * ICP }]]);
    for (let i = 0; i < 120; i++) engine.makeProposal(ctxAt(T0 + BigInt(i)), n(1n), motion());
    expect(engine.listProposals(alice, listReq({ limit: 0 })).proposal_info.length).toBe(100);
    expect(engine.listProposals(alice, listReq({ limit: 500 })).proposal_info.length).toBe(100);
    expect(engine.listProposals(alice, listReq({ limit: 100 })).proposal_info[99].id[0]!.id).toBe(21n);
  });

  it('filters: exclude_topic, include_status, include_reward_status, neuron management visibility', () => {
    const { engine } = listed();
    expect(ids(engine.listProposals(alice, listReq({ exclude_topic: Int32Array.from([Topic.Governance]) })))).toEqual([6n]);
    expect(ids(engine.listProposals(alice, listReq({ include_status: Int32Array.from([ProposalStatus.Rejected, ProposalStatus.Executed]) })))).toEqual([3n, 2n]);
    expect(ids(engine.listProposals(alice, listReq({ include_status: Int32Array.from([ProposalStatus.Open]) })))).toEqual([6n, 5n, 4n, 1n]);
    expect(ids(engine.listProposals(bob, listReq({ include_status: Int32Array.from([ProposalStatus.Open]) })))).toEqual([7n, 6n, 5n, 4n, 1n]);
    expect(ids(engine.listProposals(bob, listReq({ include_status: Int32Array.from([ProposalStatus.Open]), before_proposal: [{ id: 6n }], limit: 2 })))).toEqual([5n, 4n]);
    expect(ids(engine.listProposals(carol, listReq({ include_status: Int32Array.from([ProposalStatus.Open]) })))).toEqual([6n, 5n, 4n, 1n]);
    // Proposals i = 1..5 were created at T0 + i - 1 with deadlines 4 days later; the whale's No on 2
    // at T0+12 flipped the lead but also decided it, so wait-for-quiet left its deadline alone.
    expect(engine.getProposalInfo(alice, 2n)!.deadline_timestamp_seconds).toEqual([T0 + 4n * DAY + 1n]);
    const rs = (now: bigint) =>
      ids(engine.listProposals(alice, listReq({ include_reward_status: Int32Array.from([RewardStatus.ReadyToSettle]) }), now * NS));
    expect(rs(T0 + 4n * DAY)).toEqual([1n]);
    expect(rs(T0 + 4n * DAY + 1n)).toEqual([2n, 1n]);
    expect(rs(T0 + 4n * DAY + 4n)).toEqual([5n, 4n, 3n, 2n, 1n]);
    expect(ids(engine.listProposals(alice, listReq({ include_reward_status: Int32Array.from([RewardStatus.AcceptVotes]) }), (T0 + 4n * DAY + 4n) * NS))).toEqual([6n]);
    // Neuron management: visible to voters (bob controls 3, dave 5; carol's 4 is the managed one).
    expect(ids(engine.listProposals(dave, listReq({ limit: 1 })))).toEqual([7n]);
    expect(ids(engine.listProposals(bob, listReq({ limit: 1 })))).toEqual([7n]);
    expect(ids(engine.listProposals(carol, listReq({ limit: 1 })))).toEqual([6n]);
    expect(ids(engine.listProposals(carol, listReq({ limit: 1, include_all_manage_neuron_proposals: [true] })))).toEqual([7n]);
    expect(engine.listProposals(carol, listReq({ limit: 1, include_all_manage_neuron_proposals: [true] })).proposal_info[0].reward_status).toBe(
      RewardStatus.Ineligible,
    );
  });

  it('ballots only for the caller’s neurons (controller or hotkey)', () => {
    const { engine } = listed();
    const forAlice = engine.getProposalInfo(alice, 2n)!;
    expect(forAlice.ballots).toEqual([[1n, { vote: Vote.Yes, voting_power: (100_000n - 50n) * ICP * 3n }]]);
    const forBob = engine.getProposalInfo(bob, 2n)!; // bob: controller of 3, hotkey of 2
    expect(forBob.ballots.map(([id, b]) => [id, b.vote])).toEqual([
      [2n, Vote.No],
      [3n, Vote.Unspecified],
    ]);
    const anon = Principal.anonymous();
    expect(engine.getProposalInfo(anon, 2n)!.ballots).toEqual([]);
    expect(engine.listProposals(bob, listReq({ limit: 1, before_proposal: [{ id: 3n }] })).proposal_info[0].ballots.length).toBe(2);
    expect(engine.getProposalInfo(alice, 99n)).toBeUndefined();
    const info = engine.getProposalInfo(alice, 6n)!;
    expect(info.proposer).toEqual([{ id: 1n }]);
    expect(info.topic).toBe(Topic.NetworkEconomics);
    expect(info.latest_tally[0]!.yes).toBe((100_000n - 6n * 25n) * ICP * 3n);
    expect(info.total_potential_voting_power[0]).toBeGreaterThan(0n);
    expect(info.deadline_timestamp_seconds).toEqual([T0 + 10n + 4n * DAY]);
  });

  it('omit_large_fields drops payloads', () => {
    const { engine, state } = listed();
    const big: ProposalData = {
      ...prop(state, 6n),
      id: 100n,
      ballots: new Ballots(state, 0),
      proposal: {
        url: '',
        title: ['Upgrade'],
        summary: 'big',
        action: [{ ExecuteNnsFunction: { nns_function: 4, payload: new Uint8Array(100_000) } }],
        self_describing_action: [],
      } satisfies Proposal,
    };
    state.proposals.set(100n, big);
    engine.reindex();
    const full = engine.listProposals(alice, listReq({ limit: 1 })).proposal_info[0];
    const small = engine.listProposals(alice, listReq({ limit: 1, omit_large_fields: [true] })).proposal_info[0];
    expect(full.id[0]!.id).toBe(100n);
    const payload = (p: GovernanceTypes.ProposalInfo) => (p.proposal[0]!.action[0] as { ExecuteNnsFunction: GovernanceTypes.ExecuteNnsFunction }).ExecuteNnsFunction.payload.length;
    expect(payload(full)).toBe(100_000);
    expect(payload(small)).toBe(0);
    expect(payload(engine.getProposalInfo(alice, 100n)!)).toBe(100_000); // stored proposal intact
  });

  it('pending proposals', () => {
    const { engine } = listed();
    expect(engine.getPendingProposals(alice).map((p) => p.id[0]!.id)).toEqual([1n, 4n, 5n, 6n]);
    expect(engine.getPendingProposals(bob).map((p) => p.id[0]!.id)).toEqual([1n, 4n, 5n, 6n, 7n]);
  });
});

// ---- Rewards, computed independently: exact rationals straight from the reference's formula ------

/** A non-negative rational n/d with bigint parts. */
class Q {
  constructor(
    readonly n: bigint,
    readonly d: bigint,
  ) {}
  static int(n: bigint) {
    return new Q(n, 1n);
  }
  add(o: Q) {
    return new Q(this.n * o.d + o.n * this.d, this.d * o.d).norm();
  }
  mul(o: Q) {
    return new Q(this.n * o.n, this.d * o.d).norm();
  }
  div(o: Q) {
    return new Q(this.n * o.d, this.d * o.n).norm();
  }
  floor() {
    return this.n / this.d;
  }
  norm() {
    const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
    const g = gcd(this.n, this.d);
    return new Q(this.n / g, this.d / g);
  }
}
/** rate(d) = 0.05 + 0.05 * ((2922 - d) / 2922)^2 for d <= 2922, else 0.05; daily = rate / 365.25. */
function dailyFraction(d: bigint): Q {
  const pct5 = new Q(5n, 100n);
  const rate = d <= 2922n ? pct5.add(pct5.mul(new Q(2922n - d, 2922n).mul(new Q(2922n - d, 2922n)))) : pct5;
  return rate.div(new Q(36525n, 100n));
}
function expectedPool(supply: bigint, fromDay: bigint, toDay: bigint): bigint {
  let sum = Q.int(0n);
  for (let d = fromDay + 1n; d <= toDay; d++) sum = sum.add(dailyFraction(d));
  return Q.int(supply).mul(sum).mul(new Q(6329n, 10_000n)).floor();
}

describe('voting rewards', () => {
  it('daily fraction of day 1 is about 10%/365.25 and the M70 factor is 0.6329', () => {
    expect(M70_REWARD_POOL_MULTIPLIER_PERMYRIAD).toBe(6_329n);
    const f = dailyFraction(1n);
    expect(Number(f.n) / Number(f.d)).toBeCloseTo((0.05 + 0.05 * (2921 / 2922) ** 2) / 365.25, 12);
    const late = dailyFraction(3000n);
    expect(late.n * 36525n * 20n).toBe(late.d * 100n); // 0.05/365.25
  });

  function rewardWorld() {
    const w = world([
      [1n, { stake: 1_000n * ICP }], // proposer
      [2n, { stake: 500n * ICP, followees: { 0: [3n] } }], // follows 3 on the catch-all
      [3n, { stake: 300n * ICP, autoStake: true }],
      [4n, { stake: 200n * ICP }], // never votes
      [5n, { stake: 50_000n * ICP }], // whale, votes No on the motion only
    ]);
    return w;
  }
  const SUPPLY = 500_000_000n * ICP;

  it('settles ready proposals with topic weights, credits maturity or staked maturity, drops ballots', () => {
    const { engine, n, state } = rewardWorld();
    // Day 0 (genesis = T0): two proposals.
    const gov = engine.makeProposal(ctxAt(T0 + HOUR), n(1n), motion()); // Governance, weight 20
    const eco = engine.makeProposal(ctxAt(T0 + HOUR), n(1n), economicsProposal({ minimum_icp_xdr_rate: 5n })); // weight 1
    engine.registerVote(ctxAt(T0 + 2n * HOUR), n(3n), gov, Vote.Yes); // 2 does not follow on Governance
    engine.registerVote(ctxAt(T0 + 2n * HOUR), n(3n), eco, Vote.No); // 2 follows (catch-all)
    engine.registerVote(ctxAt(T0 + 2n * HOUR), n(5n), gov, Vote.No);
    const G = prop(state, gov);
    const E = prop(state, eco);
    const ballots = (p: ProposalData) => new Map([...p.ballots].map(([id, b]) => [id, { ...b }]));
    const gb = ballots(G);
    const eb = ballots(E);

    // Day 1..4: rewards due daily; the proposals are not ready (deadline T0 + 1h + 4d).
    const day1 = T0 + DAY;
    expect(engine.nextTimer()).toBe(day1 * NS);
    expect(engine.onTimer(ctxAt(day1))).toBe(true); // due: governance.ts fetches the supply
    expect(engine.nextTimer()).toBe((T0 + HOUR + 4n * DAY) * NS); // past now while in flight
    const e1 = engine.distributeRewards(ctxAt(day1), SUPPLY)!;
    expect(e1.dayAfterGenesis).toBe(1n);
    expect(e1.settledProposals).toEqual([]);
    expect(e1.distributedE8sEquivalent).toBe(0n);
    expect(e1.totalAvailableE8sEquivalent).toBe(expectedPool(SUPPLY, 0n, 1n));
    expect(e1.roundsSinceLastDistribution).toBe(1n);
    expect(engine.nextTimer()).toBe((T0 + 2n * DAY) * NS);

    // Skip to day 5: days 2..5 at once, plus the rollover of day 1 (it settled nothing).
    const day5 = T0 + 5n * DAY;
    expect(G.decidedSeconds).toBe(T0 + 2n * HOUR); // the whale rejected it early
    expect(E.decidedSeconds).toBe(0n);
    expect(engine.onTimer(ctxAt(day5))).toBe(true); // also decides E at its deadline
    expect(E.decidedSeconds).toBe(day5);
    const e5 = engine.distributeRewards(ctxAt(day5), SUPPLY)!;
    const fresh = expectedPool(SUPPLY, 1n, 5n);
    const pool = fresh + e1.totalAvailableE8sEquivalent;
    expect(e5.latestRoundAvailableE8sEquivalent).toBe(fresh);
    expect(e5.totalAvailableE8sEquivalent).toBe(pool);
    expect(e5.roundsSinceLastDistribution).toBe(5n);
    expect(e5.settledProposals).toEqual([gov, eco]);
    expect(e5.actualTimestampSeconds).toBe(day5);

    const denominator = 20n * G.totalPotentialVotingPower + 1n * E.totalPotentialVotingPower;
    const used = (id: bigint) => {
      let u = 0n;
      for (const [w, b] of [
        [20n, gb.get(id)],
        [1n, eb.get(id)],
      ] as const)
        if (b && b.vote !== Vote.Unspecified) u += w * b.votingPower;
      return u;
    };
    const reward = (id: bigint) => (used(id) * pool) / denominator;
    expect(reward(2n)).toBeGreaterThan(0n);
    expect(n(1n).maturityE8s).toBe(reward(1n));
    expect(n(2n).maturityE8s).toBe(reward(2n)); // only the economics proposal (by following)
    expect(used(2n)).toBe(eb.get(2n)!.votingPower);
    expect(n(3n).maturityE8s).toBe(0n); // auto-stake
    expect(n(3n).stakedMaturityE8s).toBe(reward(3n));
    expect(n(4n).maturityE8s).toBe(0n);
    expect(n(5n).maturityE8s).toBe(reward(5n));
    expect(e5.distributedE8sEquivalent).toBe(reward(1n) + reward(2n) + reward(3n) + reward(5n));
    expect(e5.distributedE8sEquivalent).toBeLessThanOrEqual(pool);

    expect(G.ballots.size).toBe(0);
    expect(G.rewardEventRound).toBe(5n);
    expect(engine.getProposalInfo(alice, gov)!.reward_status).toBe(RewardStatus.Settled);
    expect(engine.latestRewardEvent()).toEqual({
      day_after_genesis: 5n,
      actual_timestamp_seconds: day5,
      settled_proposals: [{ id: gov }, { id: eco }],
      distributed_e8s_equivalent: e5.distributedE8sEquivalent,
      total_available_e8s_equivalent: pool,
      rounds_since_last_distribution: [5n],
      latest_round_available_e8s_equivalent: [fresh],
    });

    // Day 6: nothing to settle, no rollover from day 5 (it settled proposals).
    const e6 = engine.distributeRewards(ctxAt(T0 + 6n * DAY + 5n), SUPPLY)!;
    expect(e6.totalAvailableE8sEquivalent).toBe(expectedPool(SUPPLY, 5n, 6n));
    expect(e6.roundsSinceLastDistribution).toBe(1n);
    // Not due again the same day.
    expect(engine.distributeRewards(ctxAt(T0 + 6n * DAY + 100n), SUPPLY)).toBeUndefined();
    expect(engine.onTimer(ctxAt(T0 + 6n * DAY + 100n))).toBe(false);
  });

  it('a failed supply fetch retries after a minute; onTimer with the supply distributes at once', () => {
    const { engine, state } = rewardWorld();
    expect(engine.onTimer(ctxAt(T0 + DAY))).toBe(true);
    engine.rewardDistributionFailed(ctxAt(T0 + DAY));
    expect(engine.nextTimer()).toBe((T0 + DAY + 60n) * NS);
    expect(engine.onTimer(ctxAt(T0 + DAY + 30n))).toBe(false);
    expect(engine.onTimer(ctxAt(T0 + DAY + 60n), SUPPLY)).toBe(false);
    expect(state.latestRewardEvent!.dayAfterGenesis).toBe(1n);
    expect(engine.nextTimer()).toBe((T0 + 2n * DAY) * NS);
  });

  it('with a totalSupplyE8s hook, onTimer fetches the supply and distributes (or retries)', async () => {
    const { engine, state } = rewardWorld();
    let calls = 0;
    engine.totalSupplyE8s = async () => {
      if (calls++ === 0) throw new Error('ledger unavailable');
      return SUPPLY;
    };
    const first = engine.onTimer(ctxAt(T0 + DAY));
    expect(first).toBeInstanceOf(Promise);
    expect(engine.nextTimer()).toBeUndefined(); // synchronously past now (no proposals pending)
    await first;
    expect(state.latestRewardEvent).toBeUndefined();
    expect(engine.nextTimer()).toBe((T0 + DAY + 60n) * NS);
    await engine.onTimer(ctxAt(T0 + DAY + 60n));
    expect(state.latestRewardEvent!.dayAfterGenesis).toBe(1n);
    expect(state.latestRewardEvent!.totalAvailableE8sEquivalent).toBe(expectedPool(SUPPLY, 0n, 1n));
  });

  it('the rate falls to 5% after 2922 days', () => {
    const { engine, state } = rewardWorld();
    state.genesisTimestampSeconds = T0 - 3_000n * DAY;
    state.latestRewardEvent = {
      dayAfterGenesis: 2_999n,
      actualTimestampSeconds: T0 - DAY,
      settledProposals: [1n],
      distributedE8sEquivalent: 0n,
      totalAvailableE8sEquivalent: 0n,
      roundsSinceLastDistribution: 1n,
      latestRoundAvailableE8sEquivalent: 0n,
    };
    const e = engine.distributeRewards(ctxAt(T0), SUPPLY)!;
    expect(e.dayAfterGenesis).toBe(3_000n);
    // supply * 0.05 / 365.25 * 0.6329
    expect(e.totalAvailableE8sEquivalent).toBe((SUPPLY * 5n * 100n * 6329n) / (100n * 36525n * 10_000n));
  });
});
