// Early decisions, execution and the proposal queries over HTTP with the real clients (reference,
// "Proposals"): a proposal with Yes at exactly half of the total stays open and one with No at
// exactly half is rejected at once (two neurons of equal power, made equal by Split); an absolute
// Yes majority adopts and executes at once and refunds the reject cost; votes still count after a
// decision; the vote that decides does not move the deadline (wait-for-quiet only applies while
// there is no majority); a ManageNeuron proposal (2-day period, management fee, its followees'
// ballots only) that cannot be executed is Failed with the reason; RegisterKnownNeuron failing at
// execution; ManageNetworkEconomics changing what get_network_economics_parameters reports and what
// the next claim, create_neuron and proposal see; get_pending_proposals; list_proposals' limit
// above 100 and omit_large_fields; the neuron queries by subaccount and list_neurons paging.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NeuronVisibility } from '@dfinity/nns';
import { GOVERNANCE_ID } from '../../subnet/canisters/ids.ts';
import type { Subnet } from '../../subnet/subnet.ts';
import {
  DAY,
  Err,
  FEE,
  ICP,
  MONTH,
  NeuronState,
  RewardStatus,
  SIX_MONTHS,
  Status,
  Topic,
  VOTING_PERIOD,
  Vote,
  YEAR,
  advance,
  expectGovError,
  motion,
  neuronAccount,
  potentialVotingPower,
  staker,
  stakingSubaccount,
  startGovernanceSubnet,
  votingPowerOf,
  waitForQuietDeadline,
  type Gov,
  type Staker,
} from './support/governance.ts';

let subnet: Subnet;
let demo: Staker;
let alice: Staker;
let bob: Staker;
let carol: Staker;
let P: bigint; // demo's proposer (6 months)
let C: bigint; // split from P: P's twin in voting power once P has paid a reject cost
let W: bigint; // alice's whale (1000 ICP): any proposal it votes Yes on is adopted
let N: bigint; // bob's, enough to flip P's lead

const all = () => [demo, alice, bob, carol];

/** Every ballot of a proposal (each owner sees only its own), by neuron id. */
async function allBallots(id: bigint): Promise<Map<bigint, Gov.Ballot>> {
  const out = new Map<bigint, Gov.Ballot>();
  for (const s of all()) for (const [n, b] of (await s.proposal(id)).ballots) out.set(n, b);
  return out;
}

/** The full neurons as a proposal saw them (snapshot right after its creation). */
async function fullNeurons(ids: [Staker, bigint][]): Promise<Map<bigint, Gov.Neuron>> {
  return new Map(await Promise.all(ids.map(async ([s, id]) => [id, await s.full(id)] as [bigint, Gov.Neuron])));
}

/** Checks each ballot's power against the formula at creation and the tally as the sum of the votes. */
async function checkTally(id: bigint, neurons: Map<bigint, Gov.Neuron>) {
  const p = await demo.proposal(id);
  const ballots = await allBallots(id);
  expect([...ballots.keys()].sort()).toEqual([...neurons.keys()].sort());
  let yes = 0n;
  let no = 0n;
  let total = 0n;
  for (const [n, b] of ballots) {
    const power = votingPowerOf(neurons.get(n)!, p.proposal_timestamp_seconds).deciding;
    expect(b.voting_power).toBe(power);
    total += power;
    if (b.vote === Vote.Yes) yes += power;
    if (b.vote === Vote.No) no += power;
  }
  expect(p.latest_tally[0]).toMatchObject({ yes, no, total });
  return { p, yes, no, total };
}

beforeAll(async () => {
  subnet = await startGovernanceSubnet();
  [demo, alice, bob, carol] = await Promise.all(['demo', 'alice', 'bob', 'carol'].map((n) => staker(subnet.url, n)));
});
afterAll(async () => subnet?.stop());

describe('early decisions', () => {
  it('Yes at exactly half of the total is not yet a decision; No at exactly half rejects at once, keeps the fee, and does not move the deadline', async () => {
    // Before any reward event: the latest one is empty.
    expect(await demo.governance.getLatestRewardEvent(true)).toMatchObject({ day_after_genesis: 0n, settled_proposals: [], distributed_e8s_equivalent: 0n });
    // P pays a 25 ICP reject cost; C = 50 ICP - fee split from P: equal stakes, delays, ages, refresh times.
    P = await demo.stake(125n * ICP - FEE, SIX_MONTHS);
    C = await demo.governance.splitNeuron({ neuronId: P, amount: 50n * ICP });
    const [p0, c0] = [await demo.full(P), await demo.full(C)];
    expect(p0.cached_neuron_stake_e8s).toBe(75n * ICP - FEE);
    expect(c0.cached_neuron_stake_e8s).toBe(50n * ICP - FEE);
    expect(c0.aging_since_timestamp_seconds).toBe(p0.aging_since_timestamp_seconds);
    expect(c0.dissolve_state).toEqual(p0.dissolve_state);

    const id = await motion(demo, P, 'Half and half');
    const neurons = await fullNeurons([[demo, P], [demo, C]]);
    expect(neurons.get(P)!.neuron_fees_e8s).toBe(25n * ICP);
    let { p, yes, total } = await checkTally(id, neurons);
    const x = potentialVotingPower(50n * ICP - FEE, SIX_MONTHS, p.proposal_timestamp_seconds - p0.aging_since_timestamp_seconds);
    expect(yes).toBe(x);
    expect(total).toBe(2n * x);
    expect(p.status).toBe(Status.Open); // yes = total / 2 is no absolute majority
    expect(p.deadline_timestamp_seconds[0]).toBe(p.proposal_timestamp_seconds + VOTING_PERIOD);

    await advance(subnet.url, DAY, ...all());
    await demo.governance.registerVote({ neuronId: C, vote: Vote.No, proposalId: id });
    ({ p } = await checkTally(id, neurons));
    expect(p.latest_tally[0]).toMatchObject({ yes: x, no: x, total: 2n * x });
    expect(p.status).toBe(Status.Rejected);
    expect(p.decided_timestamp_seconds).toBe(p.latest_tally[0]!.timestamp_seconds);
    // The vote turned the lead but also decided: wait-for-quiet does not apply to it.
    expect(p.deadline_timestamp_seconds[0]).toBe(p.proposal_timestamp_seconds + VOTING_PERIOD);
    expect(p.reward_status).toBe(RewardStatus.AcceptVotes);
    expect((await demo.full(P)).neuron_fees_e8s).toBe(25n * ICP); // the reject cost is kept
  });

  it('an absolute Yes majority adopts and executes at once and refunds the reject cost; a flip before it extends the deadline, the deciding flip does not; votes after the decision still count', async () => {
    W = await alice.stake(1_000n * ICP, YEAR);
    N = await bob.stake(30n * ICP, YEAR);
    const id = await motion(demo, P, 'Adopted by the whale');
    const neurons = await fullNeurons([[demo, P], [demo, C], [alice, W], [bob, N]]);
    expect(neurons.get(P)!.neuron_fees_e8s).toBe(50n * ICP);
    let { p, yes, no, total } = await checkTally(id, neurons);
    expect(p.status).toBe(Status.Open);
    const deadline0 = p.deadline_timestamp_seconds[0]!;

    // A day later N's No takes the lead (no majority): the deadline moves by the formula.
    await advance(subnet.url, DAY, ...all());
    await bob.governance.registerVote({ neuronId: N, vote: Vote.No, proposalId: id });
    ({ p, yes, no, total } = await checkTally(id, neurons));
    expect(no).toBeGreaterThan(yes);
    expect(2n * no).toBeLessThan(total);
    const deadline1 = waitForQuietDeadline({ created: p.proposal_timestamp_seconds, deadline: deadline0, period: VOTING_PERIOD }, p.latest_tally[0]!.timestamp_seconds);
    expect(deadline1).toBeGreaterThan(deadline0);
    expect(p.deadline_timestamp_seconds[0]).toBe(deadline1);
    expect(p.status).toBe(Status.Open);

    // Another day: W's Yes turns the lead back and is an absolute majority: decided, not extended.
    await advance(subnet.url, DAY, ...all());
    await alice.governance.registerVote({ neuronId: W, vote: Vote.Yes, proposalId: id });
    ({ p, yes, no, total } = await checkTally(id, neurons));
    expect(2n * yes).toBeGreaterThan(total);
    expect(p.status).toBe(Status.Executed);
    expect(p.decided_timestamp_seconds).toBe(p.latest_tally[0]!.timestamp_seconds);
    expect(p.executed_timestamp_seconds).toBe(p.decided_timestamp_seconds);
    expect(p.deadline_timestamp_seconds[0]).toBe(deadline1);
    expect((await demo.full(P)).neuron_fees_e8s).toBe(25n * ICP); // this proposal's reject cost refunded

    // C votes No after the decision: counted, the decision and the deadline stay.
    await demo.governance.registerVote({ neuronId: C, vote: Vote.No, proposalId: id });
    const after = await checkTally(id, neurons);
    expect(after.no).toBe(no + votingPowerOf(neurons.get(C)!, p.proposal_timestamp_seconds).deciding);
    expect(after.p.status).toBe(Status.Executed);
    expect(after.p.decided_timestamp_seconds).toBe(p.decided_timestamp_seconds);
    expect(after.p.deadline_timestamp_seconds[0]).toBe(deadline1);
    expect(after.p.reward_status).toBe(RewardStatus.AcceptVotes);
    expect((await demo.full(C)).recent_ballots.map((b) => [b.proposal_id[0]?.id, b.vote])[0]).toEqual([id, Vote.No]);
  });
});

describe('execution', () => {
  it('ManageNeuron (topic 1): 2-day period, the management fee, one ballot per followee; adopted, but not executable here: Failed with the reason, fee refunded, no reward, no recent ballot', async () => {
    const Mgr = await demo.stake(2n * ICP);
    const Managed = await bob.stake(2n * ICP, 30n * DAY);
    await bob.governance.setFollowees({ neuronId: Managed, topic: Topic.NeuronManagement, followees: [Mgr] });
    const cmd = await demo.manage(Mgr, {
      MakeProposal: {
        title: ['Managed follows W'],
        url: '',
        summary: 'By proposal.',
        action: [{ ManageNeuron: { id: [], neuron_id_or_subaccount: [{ NeuronId: { id: Managed } }], command: [{ Follow: { topic: Topic.Governance, followees: [{ id: W }] } }] } }],
      },
    });
    if (!('MakeProposal' in cmd)) throw new Error('no proposal');
    const id = cmd.MakeProposal.proposal_id[0]!.id;
    const p = await demo.proposal(id);
    expect(p.topic).toBe(Topic.NeuronManagement);
    expect(p.reject_cost_e8s).toBe((await demo.raw.get_network_economics_parameters()).neuron_management_fee_per_proposal_e8s);
    expect(p.deadline_timestamp_seconds[0]).toBe(p.proposal_timestamp_seconds + 2n * DAY);
    expect(p.ballots).toEqual([[Mgr, { vote: Vote.Yes, voting_power: 1n }]]);
    expect(p.latest_tally[0]).toMatchObject({ yes: 1n, no: 0n, total: 1n });
    expect(p.status).toBe(Status.Failed);
    expect(p.decided_timestamp_seconds).toBe(p.proposal_timestamp_seconds);
    expect(p.failed_timestamp_seconds).toBe(p.decided_timestamp_seconds);
    expect(p.executed_timestamp_seconds).toBe(0n);
    expect(p.failure_reason[0]?.error_type).toBe(Err.Unavailable);
    expect(p.reward_status).toBe(RewardStatus.Ineligible);
    expect((await demo.full(Mgr)).neuron_fees_e8s).toBe(0n); // adopted: refunded
    expect((await demo.full(Mgr)).recent_ballots).toEqual([]);
    expect((await bob.full(Managed)).followees).toEqual([[Topic.NeuronManagement, { followees: [{ id: Mgr }] }]]); // not executed
    expect((await bob.proposal(id)).ballots).toEqual([]); // the managed neuron's controller has no ballot
  });

  it('RegisterKnownNeuron: executed (the neuron becomes known and public); a duplicate name or a missing neuron Failed with the reason', async () => {
    const register = async (id: bigint, name: string) => {
      const cmd = await alice.manage(W, {
        MakeProposal: {
          title: [`Register ${name}`],
          url: '',
          summary: 'A known neuron.',
          action: [{ RegisterKnownNeuron: { id: [{ id }], known_neuron_data: [{ name, description: [], links: [], committed_topics: [] }] } }],
        },
      });
      if (!('MakeProposal' in cmd)) throw new Error('no proposal');
      return alice.proposal(cmd.MakeProposal.proposal_id[0]!.id);
    };
    const ok = await register(W, 'Whale');
    expect(ok.status).toBe(Status.Executed);
    expect((await carol.info(W)).known_neuron_data[0]?.name).toBe('Whale');
    expect((await carol.info(W)).visibility).toEqual([NeuronVisibility.Public]);
    const dup = await register(N, 'Whale');
    expect(dup.status).toBe(Status.Failed);
    expect(dup.failure_reason[0]?.error_type).toBe(Err.PreconditionFailed);
    const missing = await register(424242n, 'Nobody');
    expect(missing.status).toBe(Status.Failed);
    expect(missing.failure_reason[0]?.error_type).toBe(Err.NotFound);
    expect((await carol.governance.listKnownNeurons(true)).map((k) => [k.id, k.name])).toEqual([[W, 'Whale']]);
    expect((await alice.full(W)).neuron_fees_e8s).toBe(0n); // all three adopted: refunded
  });
});

describe('queries', () => {
  it('get_pending_proposals: the open ones with the caller\'s ballots; an open ManageNeuron proposal only for its voters', async () => {
    // P is topped up (anyone may refresh a neuron) to afford two more reject costs.
    const pAccount = neuronAccount((await demo.full(P)).account);
    await bob.ledger.transfer({ to: pAccount, amount: 100n * ICP });
    expect(await carol.governance.claimOrRefreshNeuron({ neuronId: P, by: { NeuronIdOrSubaccount: {} } })).toBe(P);
    expect((await demo.full(P)).cached_neuron_stake_e8s).toBe(175n * ICP - FEE);
    const o1 = await motion(demo, P, 'Open one');
    const o2 = await motion(demo, P, 'Open two');
    const Mgr2 = await demo.stake(ICP);
    const Other = await carol.stake(ICP);
    const Managed2 = await bob.stake(ICP);
    await bob.governance.setFollowees({ neuronId: Managed2, topic: Topic.NeuronManagement, followees: [Mgr2, Other] });
    const cmd = await demo.manage(Mgr2, {
      MakeProposal: {
        title: ['Managed2 starts dissolving'],
        url: '',
        summary: 'One of two.',
        action: [{ ManageNeuron: { id: [], neuron_id_or_subaccount: [{ NeuronId: { id: Managed2 } }], command: [{ Configure: { operation: [{ StartDissolving: {} }] } }] } }],
      },
    });
    if (!('MakeProposal' in cmd)) throw new Error('no proposal');
    const nm = cmd.MakeProposal.proposal_id[0]!.id;
    const sorted = (ids: bigint[]) => [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const pending = async (s: Staker) => (await s.raw.get_pending_proposals([])).map((p) => p.id[0]!.id);
    expect(sorted(await pending(demo))).toEqual([o1, o2, nm]);
    expect(sorted(await pending(carol))).toEqual([o1, o2, nm]); // Other is a followee with a ballot
    expect(sorted(await pending(alice))).toEqual([o1, o2]);
    expect(sorted(await pending(bob))).toEqual([o1, o2]);
    for (const p of await alice.raw.get_pending_proposals([])) {
      expect(p.status).toBe(Status.Open);
      expect(p.ballots).toEqual([[W, { vote: Vote.Unspecified, voting_power: p.ballots[0][1].voting_power }]]);
    }
    expect(await carol.raw.get_proposal_info(424242n)).toEqual([]); // an unknown proposal
    // demo's ballots: P (the proposer) and C; Mgr and Mgr2 have 7-day delays.
    const forDemo = (await demo.raw.get_pending_proposals([])).find((p) => p.id[0]!.id === o1)!;
    expect(new Map(forDemo.ballots.map(([id, b]) => [id, b.vote]))).toEqual(new Map([[P, Vote.Yes], [C, Vote.Unspecified]]));
    expect((await carol.raw.get_pending_proposals([])).find((p) => p.id[0]!.id === o1)!.ballots).toEqual([]);
    // Decided ones leave the list.
    await carol.governance.registerVote({ neuronId: Other, vote: Vote.No, proposalId: nm });
    expect(sorted(await pending(demo))).toEqual([o1, o2]);
  });

  it('list_proposals: a limit above 100 means 100, paging continues with before_proposal; omit_large_fields keeps a motion whole', async () => {
    // More than 100 proposals: W's motions, which pass at once (refunded). Made with the admin
    // operation the demo world uses (the same MakeProposal, without a hundred HTTP round trips).
    const count = (await demo.raw.list_proposals(request({ limit: 100, include_all_manage_neuron_proposals: [true] }))).proposal_info.length;
    const made = await Promise.all(
      Array.from({ length: 101 - count + 5 }, (_, i) =>
        subnet.runtime.admin<{ proposal_id?: bigint }>(GOVERNANCE_ID, 'make_motion_proposal', { title: `Filler ${i}`, summary: 'Filler.', url: '', neuron_id: W }),
      ),
    );
    for (const m of made) expect(m.proposal_id).toBeDefined();
    expect((await alice.full(W)).neuron_fees_e8s).toBe(0n);
    const everyId = async () => {
      const ids: bigint[] = [];
      let before: [] | [{ id: bigint }] = [];
      for (;;) {
        const page: Gov.ProposalInfo[] = (await demo.raw.list_proposals(request({ limit: 100, before_proposal: before, include_all_manage_neuron_proposals: [true] }))).proposal_info;
        ids.push(...page.map((p) => p.id[0]!.id));
        if (page.length < 100) return ids;
        before = [{ id: page[page.length - 1].id[0]!.id }];
      }
    };
    const ids = await everyId();
    expect(ids.length).toBeGreaterThan(100);
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
    expect(ids[ids.length - 1]).toBe(1n);
    for (const limit of [0, 101, 1_000]) {
      const page = (await demo.raw.list_proposals(request({ limit, include_all_manage_neuron_proposals: [true] }))).proposal_info;
      expect(page.map((p) => p.id[0]!.id), `limit ${limit}`).toEqual(ids.slice(0, 100));
    }
    expect((await demo.raw.list_proposals(request({ limit: 7 }))).proposal_info).toHaveLength(7);
    // omit_large_fields: a motion has no large field (the simulation accepts no proposal type that has one).
    const full = (await demo.raw.list_proposals(request({ limit: 3, omit_large_fields: [false] }))).proposal_info;
    const omitted = (await demo.raw.list_proposals(request({ limit: 3, omit_large_fields: [true] }))).proposal_info;
    expect(omitted.map((p) => p.proposal[0]?.action)).toEqual(full.map((p) => p.proposal[0]?.action));
    expect(omitted[0].proposal[0]?.action[0]).toEqual({ Motion: { motion_text: expect.stringMatching(/^Filler/) } });
    expect(omitted.map((p) => ({ ...p, proposal: [] }))).toEqual(full.map((p) => ({ ...p, proposal: [] })));
  });

  it('neurons by subaccount, list_neurons paging and public neurons in full_neurons', async () => {
    const pFull = await demo.full(P);
    const bySub = { Subaccount: pFull.account };
    const r = await demo.raw.get_full_neuron_by_id_or_subaccount(bySub);
    expect('Ok' in r && r.Ok.id[0]?.id).toBe(P);
    expect(await demo.raw.get_full_neuron_by_id_or_subaccount({ NeuronId: { id: P } })).toMatchObject({ Ok: { id: [{ id: P }] } });
    expect(await carol.raw.get_full_neuron_by_id_or_subaccount(bySub)).toMatchObject({ Err: { error_type: Err.NotAuthorized } });
    const unknown = { Subaccount: stakingSubaccount(demo.principal, 0xdead_beefn) };
    expect(await demo.raw.get_full_neuron_by_id_or_subaccount(unknown)).toMatchObject({ Err: { error_type: Err.NotFound } });
    expect(await carol.raw.get_neuron_info_by_id_or_subaccount(unknown)).toMatchObject({ Err: { error_type: Err.NotFound } });
    const info = await carol.raw.get_neuron_info_by_id_or_subaccount(bySub);
    if (!('Ok' in info)) throw new Error('no info');
    const i = info.Ok;
    const t = i.retrieved_at_timestamp_seconds;
    expect(i.id[0]?.id).toBe(P);
    expect(i.state).toBe(NeuronState.NotDissolving);
    expect(i.dissolve_delay_seconds).toBe(SIX_MONTHS);
    expect(i.age_seconds).toBe(t - pFull.aging_since_timestamp_seconds);
    expect(i.stake_e8s).toBe(pFull.cached_neuron_stake_e8s - pFull.neuron_fees_e8s);
    expect(i.created_timestamp_seconds).toBe(pFull.created_timestamp_seconds);
    expect(i.potential_voting_power[0]).toBe(votingPowerOf(pFull, t).potential);
    expect(i.recent_ballots).toEqual([]); // private: a stranger does not see them

    const list = (s: Staker, o: Partial<Gov.ListNeurons>) =>
      s.raw.list_neurons({
        neuron_ids: new BigUint64Array(),
        include_neurons_readable_by_caller: true,
        include_empty_neurons_readable_by_caller: [],
        include_public_neurons_in_full_neurons: [],
        neuron_subaccounts: [],
        page_number: [],
        page_size: [],
        ...o,
      });
    // Paging over the caller's neurons, ascending.
    const mine = [...(await demo.raw.get_neuron_ids())];
    expect(mine.length).toBeGreaterThanOrEqual(4);
    const pages: bigint[][] = [];
    for (let page = 0n; ; page++) {
      const res = await list(demo, { page_size: [2n], page_number: [page] });
      expect(res.total_pages_available).toEqual([BigInt(Math.ceil(mine.length / 2))]);
      if (res.neuron_infos.length === 0) break;
      expect(res.full_neurons.map((n) => n.id[0]!.id)).toEqual(res.neuron_infos.map(([id]) => id));
      pages.push(res.neuron_infos.map(([id]) => id));
    }
    expect(pages.length).toBe(Math.ceil(mine.length / 2));
    expect(pages.flat()).toEqual(mine);
    // Carol asks for W (public, known) and N (private): infos for both; the full neuron only for W, when asked.
    const others = (pub: [] | [boolean]) => list(carol, { include_neurons_readable_by_caller: false, neuron_ids: BigUint64Array.from([W, N]), include_public_neurons_in_full_neurons: pub });
    for (const pub of [[], [false], [true]] as ([] | [boolean])[]) {
      const res = await others(pub);
      expect(res.neuron_infos.map(([id]) => id).sort()).toEqual([W, N].sort());
      expect(res.full_neurons.map((n) => n.id[0]!.id)).toEqual(pub[0] ? [W] : []);
    }
    // By subaccount.
    const bySubaccount = await list(carol, { include_neurons_readable_by_caller: false, neuron_subaccounts: [[{ subaccount: pFull.account }]] });
    expect(bySubaccount.neuron_infos.map(([id]) => id)).toEqual([P]);
    expect(bySubaccount.full_neurons).toEqual([]);
  });
});

describe('network economics', () => {
  it('ManageNetworkEconomics changes the fields it sets: reported by get_network_economics_parameters, applied to the next proposal, claim and create_neuron', async () => {
    const before = await demo.raw.get_network_economics_parameters();
    expect(before).toMatchObject({
      neuron_minimum_stake_e8s: ICP,
      reject_cost_e8s: 25n * ICP,
      neuron_management_fee_per_proposal_e8s: 1_000_000n,
      transaction_fee_e8s: FEE,
      neuron_spawn_dissolve_delay_seconds: 7n * DAY,
      voting_power_economics: [
        { start_reducing_voting_power_after_seconds: [SIX_MONTHS], clear_following_after_seconds: [MONTH], neuron_minimum_dissolve_delay_to_vote_seconds: [14n * DAY] },
      ],
    });
    const viaClass = await demo.governance.getNetworkEconomicsParameters({ certified: true });
    expect(viaClass.rejectCost).toBe(25n * ICP);
    expect(viaClass.neuronMinimumStake).toBe(ICP);
    expect(viaClass.votingPowerEconomics?.neuronMinimumDissolveDelayToVoteSeconds).toBe(14n * DAY);

    const T20 = await demo.stake(2n * ICP, 20n * DAY); // votes under the old minimum, not under the new one
    const cmd = await alice.manage(W, {
      MakeProposal: {
        url: '',
        title: ['Cheaper rejections, a larger minimum stake, 30 days to vote'],
        summary: 'Three changes.',
        action: [
          {
            ManageNetworkEconomics: {
              neuron_minimum_stake_e8s: 2n * ICP,
              voting_power_economics: [{ start_reducing_voting_power_after_seconds: [], clear_following_after_seconds: [], neuron_minimum_dissolve_delay_to_vote_seconds: [30n * DAY] }],
              max_proposals_to_keep_per_topic: 0,
              neuron_management_fee_per_proposal_e8s: 0n,
              reject_cost_e8s: 10n * ICP,
              transaction_fee_e8s: 0n,
              neuron_spawn_dissolve_delay_seconds: 0n,
              minimum_icp_xdr_rate: 0n,
              maximum_node_provider_rewards_e8s: 0n,
              neurons_fund_economics: [],
            },
          },
        ],
      },
    });
    if (!('MakeProposal' in cmd)) throw new Error('no proposal');
    const adopted = await alice.proposal(cmd.MakeProposal.proposal_id[0]!.id);
    expect(adopted.topic).toBe(Topic.NetworkEconomics);
    expect(adopted.status).toBe(Status.Executed);
    expect(adopted.reject_cost_e8s).toBe(25n * ICP); // the cost when it was made

    const after = await demo.raw.get_network_economics_parameters();
    expect(after).toEqual({
      ...before,
      neuron_minimum_stake_e8s: 2n * ICP,
      reject_cost_e8s: 10n * ICP,
      voting_power_economics: [{ start_reducing_voting_power_after_seconds: [SIX_MONTHS], clear_following_after_seconds: [MONTH], neuron_minimum_dissolve_delay_to_vote_seconds: [30n * DAY] }],
    });
    expect((await carol.governance.getNetworkEconomicsParameters({ certified: true })).rejectCost).toBe(10n * ICP);

    // The next proposal costs 10 ICP; a 20-day neuron gets no ballot and reports no voting power.
    const feesBefore = (await demo.full(P)).neuron_fees_e8s;
    const id = await motion(demo, P, 'Under the new economics');
    const p = await demo.proposal(id);
    expect(p.reject_cost_e8s).toBe(10n * ICP);
    expect((await demo.full(P)).neuron_fees_e8s).toBe(feesBefore + 10n * ICP);
    expect(p.ballots.map(([n]) => n)).not.toContain(T20);
    expect(p.ballots.map(([n]) => n)).toContain(P);
    expect((await demo.info(T20)).potential_voting_power).toEqual([0n]);
    await expectGovError(demo.governance.registerVote({ neuronId: T20, vote: Vote.Yes, proposalId: id }), Err.NotAuthorized);

    // The minimum stake is 2 ICP now: a claim of 1.5 ICP and create_neuron of 1.5 ICP are refused.
    const memo = 0x0ec0_0000_0000_0001n;
    await demo.ledger.transfer({ to: neuronAccount(stakingSubaccount(demo.principal, memo)), amount: (3n * ICP) / 2n, memo });
    const claimed = await demo.raw.claim_or_refresh_neuron_from_account({ controller: [], memo });
    expect(claimed.result[0]).toMatchObject({ Error: { error_type: Err.InsufficientFunds } });
    await demo.ledger.icrc2Approve({ spender: { owner: GOVERNANCE_ID, subaccount: [] }, amount: 2n * ICP });
    const created = await demo.raw.create_neuron({
      controller: [],
      source_subaccount: [],
      dissolve_delay_seconds: [],
      auto_stake_maturity: [],
      amount_e8s: [(3n * ICP) / 2n],
      followees: [],
      dissolving: [],
    });
    expect(created).toMatchObject({ Err: { error_type: Err.InsufficientFunds } });
    // Topping the account up to 2 ICP makes it a neuron.
    await demo.ledger.transfer({ to: neuronAccount(stakingSubaccount(demo.principal, memo)), amount: ICP / 2n });
    const ok = await demo.raw.claim_or_refresh_neuron_from_account({ controller: [], memo });
    const r = ok.result[0]!;
    if (!('NeuronId' in r)) throw new Error(r.Error.error_message);
    expect((await demo.full(r.NeuronId.id)).cached_neuron_stake_e8s).toBe(2n * ICP);
  });
});

function request(o: Partial<Gov.ListProposalInfoRequest>): Gov.ListProposalInfoRequest {
  return {
    return_self_describing_action: [],
    include_reward_status: new Int32Array(),
    omit_large_fields: [],
    before_proposal: [],
    limit: 100,
    exclude_topic: new Int32Array(),
    include_all_manage_neuron_proposals: [],
    include_status: new Int32Array(),
    ...o,
  };
}
