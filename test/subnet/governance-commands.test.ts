// The rest of governance over HTTP with the real clients (reference, "Neurons", "manage_neuron",
// "Proposals: list_proposals"): list_proposals filters and paging, known neurons, neuron votes,
// Split, Merge with simulate_manage_neuron, DisburseToNeuron, StakeMaturity, SetVisibility,
// Join/LeaveCommunityFund, SetFollowing, ChangeAutoStakeMaturity, create_neuron over ICRC-2,
// claim_or_refresh_neuron_from_account (claim, minimum, refresh with the age scaled),
// get_neuron_ids and get_metrics. Ledger balances are checked wherever ICP moves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NeuronVisibility, type ProposalInfo } from '@dfinity/nns';
import { GOVERNANCE_ID } from '../../subnet/canisters/ids.ts';
import type { Subnet } from '../../subnet/subnet.ts';
import { admin } from './support/nns.ts';
import {
  DAY,
  Err,
  FEE,
  ICP,
  NeuronState,
  RewardStatus,
  SIX_MONTHS,
  Status,
  TWO_YEARS,
  Topic,
  Vote,
  YEAR,
  advance,
  economicsProposal,
  expectGovError,
  motion,
  neuronAccount,
  staker,
  stakingSubaccount,
  startGovernanceSubnet,
  votingPowerOf,
  type Gov,
  type Staker,
} from './support/governance.ts';

let subnet: Subnet;
let demo: Staker;
let alice: Staker;
let bob: Staker;
let carol: Staker;
let K: bigint; // demo's whale: decides every proposal it votes on; becomes a known neuron
let Q: bigint; // demo's proposer without a majority
let M: bigint; // bob's, managed by Q on NeuronManagement

const all = () => [demo, alice, bob, carol];
const nowSeconds = async () => BigInt((await admin(subnet.url, '/_/status')).json.time_ns) / 1_000_000_000n;
const setMaturity = (neuron_id: bigint, maturity_e8s: bigint, staked_maturity_e8s = 0n) =>
  subnet.runtime.admin(GOVERNANCE_ID, 'set_maturity', { neuron_id, maturity_e8s, staked_maturity_e8s });
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

beforeAll(async () => {
  subnet = await startGovernanceSubnet();
  [demo, alice, bob, carol] = await Promise.all(['demo', 'alice', 'bob', 'carol'].map((n) => staker(subnet.url, n)));
  K = await demo.stake(1_000n * ICP, YEAR);
  Q = await demo.stake(100n * ICP, YEAR);
  M = await bob.stake(5n * ICP, 7n * DAY); // no ballots (delay below 14 days)
  await bob.governance.setFollowees({ neuronId: M, topic: Topic.NeuronManagement, followees: [Q] });
});
afterAll(async () => subnet?.stop());

describe('proposals, known neurons and votes', () => {
  const ids: Record<string, bigint> = {};
  const list = async (s: Staker, req: Partial<Parameters<Staker['governance']['listProposals']>[0]['request']> = {}) => {
    const res = await s.governance.listProposals({
      request: { limit: 100, beforeProposal: undefined, includeRewardStatus: [], excludeTopic: [], includeAllManageNeuronProposals: false, includeStatus: [], ...req },
      certified: true,
    });
    return res.proposals.map((p: ProposalInfo) => p.id!);
  };

  it('builds proposals in every state: executed, open, rejected, known-neuron registrations, neuron management', async () => {
    ids.p1 = await motion(demo, K, 'Executed motion'); // K is a majority: executed at once
    ids.p2 = await economicsProposal(demo, K, 'Executed economics');
    // Past the first two deadlines, before the next daily reward event settles them.
    await advance(subnet.url, 4n * DAY + 3600n, ...all());
    ids.p3 = await motion(demo, Q, 'Open motion');
    ids.p4 = await economicsProposal(demo, Q, 'Rejected economics');
    await demo.governance.registerVote({ neuronId: K, vote: Vote.No, proposalId: ids.p4 });
    const register = async (id: bigint, name: string, description: string) => {
      const cmd = await demo.manage(K, {
        MakeProposal: {
          url: 'https://example.com/known',
          title: [`Register ${name}`],
          summary: 'A known neuron.',
          action: [
            {
              RegisterKnownNeuron: {
                id: [{ id }],
                known_neuron_data: [{ name, description: [description], links: [['https://example.org/' + name]], committed_topics: [[[{ Governance: null }]]] }],
              },
            },
          ],
        },
      });
      if (!('MakeProposal' in cmd)) throw new Error('no proposal');
      return cmd.MakeProposal.proposal_id[0]!.id;
    };
    ids.p5 = await register(K, 'Kappa', 'The whale of the tests');
    ids.p6 = await register(Q, 'Quebec', 'The proposer of the tests');
    // Neuron management: Q, M's NeuronManagement followee, proposes for M (one ballot: Q's).
    const cmd = await demo.manage(Q, {
      MakeProposal: {
        url: '',
        title: ['Manage M'],
        summary: 'Q makes M follow Q on Governance.',
        action: [{ ManageNeuron: { id: [], neuron_id_or_subaccount: [{ NeuronId: { id: M } }], command: [{ Follow: { topic: Topic.Governance, followees: [{ id: Q }] } }] } }],
      },
    });
    if (!('MakeProposal' in cmd)) throw new Error('no proposal');
    ids.p7 = cmd.MakeProposal.proposal_id[0]!.id;
    ids.p8 = await motion(demo, Q, 'Another open motion');
    expect(Object.values(ids)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]); // sequential

    const status = async (id: bigint) => (await demo.proposal(id)).status;
    expect(await status(ids.p1)).toBe(Status.Executed);
    expect(await status(ids.p2)).toBe(Status.Executed);
    expect(await status(ids.p3)).toBe(Status.Open);
    expect(await status(ids.p4)).toBe(Status.Rejected);
    expect(await status(ids.p5)).toBe(Status.Executed);
    expect(await status(ids.p6)).toBe(Status.Executed);
    expect(await status(ids.p8)).toBe(Status.Open);
    const p7 = await demo.proposal(ids.p7);
    expect(p7.topic).toBe(Topic.NeuronManagement);
    expect(p7.reject_cost_e8s).toBe(1_000_000n);
    expect(p7.ballots.map(([id, b]) => [id, b.vote, b.voting_power])).toEqual([[Q, Vote.Yes, 1n]]);
    expect(p7.reward_status).toBe(RewardStatus.Ineligible);
    // Adopted by its only ballot, but ManageNeuron proposals are not executed by the simulation.
    expect(p7.status).toBe(Status.Failed);
    expect(p7.failure_reason[0]?.error_type).toBe(2); // Unavailable
    expect(p7.deadline_timestamp_seconds[0]).toBe(p7.proposal_timestamp_seconds + 2n * DAY);
  });

  it('list_proposals: newest first; before_proposal pages exclusively; limit 0 means 100', async () => {
    expect(await list(alice)).toEqual([8n, 6n, 5n, 4n, 3n, 2n, 1n]); // neuron management hidden from alice
    expect(await list(alice, { limit: 0 })).toEqual([8n, 6n, 5n, 4n, 3n, 2n, 1n]);
    const pages: bigint[][] = [];
    let before: bigint | undefined;
    for (;;) {
      const page = await list(alice, { limit: 3, beforeProposal: before });
      if (page.length === 0) break;
      pages.push(page);
      before = page[page.length - 1];
    }
    expect(pages).toEqual([[8n, 6n, 5n], [4n, 3n, 2n], [1n]]);
    expect(await list(alice, { beforeProposal: 4n })).toEqual([3n, 2n, 1n]);
  });

  it('list_proposals: neuron management only for its voters or when asked for', async () => {
    expect(await list(demo)).toEqual([8n, 7n, 6n, 5n, 4n, 3n, 2n, 1n]); // demo controls Q, which has a ballot
    expect(await list(bob)).toEqual([8n, 6n, 5n, 4n, 3n, 2n, 1n]); // M is managed, but has no ballot
    expect(await list(alice, { includeAllManageNeuronProposals: true })).toEqual([8n, 7n, 6n, 5n, 4n, 3n, 2n, 1n]);
  });

  it('list_proposals: exclude_topic, include_status, include_reward_status, combined', async () => {
    expect(await list(alice, { excludeTopic: [Topic.Governance] })).toEqual([4n, 2n]);
    expect(await list(alice, { excludeTopic: [Topic.Governance, Topic.NetworkEconomics] })).toEqual([]);
    expect(await list(alice, { excludeTopic: [Topic.Governance, Topic.NetworkEconomics], includeAllManageNeuronProposals: true })).toEqual([7n]);
    expect(await list(alice, { includeStatus: [Status.Open] })).toEqual([8n, 3n]);
    expect(await list(alice, { includeStatus: [Status.Rejected] })).toEqual([4n]);
    expect(await list(alice, { includeStatus: [Status.Executed] })).toEqual([6n, 5n, 2n, 1n]);
    expect(await list(alice, { includeStatus: [Status.Open, Status.Rejected] })).toEqual([8n, 4n, 3n]);
    expect(await list(alice, { includeStatus: [Status.Open], limit: 1 })).toEqual([8n]);
    expect(await list(alice, { includeStatus: [Status.Open], beforeProposal: 8n })).toEqual([3n]);
    expect(await list(alice, { includeRewardStatus: [RewardStatus.ReadyToSettle] })).toEqual([2n, 1n]);
    expect(await list(alice, { includeRewardStatus: [RewardStatus.AcceptVotes] })).toEqual([8n, 6n, 5n, 4n, 3n]);
    expect(await list(alice, { includeRewardStatus: [RewardStatus.Ineligible], includeAllManageNeuronProposals: true })).toEqual([7n]);
    expect(await list(alice, { excludeTopic: [Topic.NetworkEconomics], includeStatus: [Status.Executed] })).toEqual([6n, 5n, 1n]);
    expect(await list(alice, { excludeTopic: [Topic.NetworkEconomics], includeStatus: [Status.Executed], limit: 2, beforeProposal: 6n })).toEqual([5n, 1n]);
    // The next daily reward event settles the first two.
    await advance(subnet.url, DAY, ...all());
    expect(await list(alice, { includeRewardStatus: [RewardStatus.Settled] })).toEqual([2n, 1n]);
    expect(await list(alice, { includeRewardStatus: [RewardStatus.ReadyToSettle] })).toEqual([]);
  });

  it('list_known_neurons: the registered neurons in id order, public; a known neuron cannot go private', async () => {
    const known = await carol.governance.listKnownNeurons(true);
    const expected = [
      { id: K, name: 'Kappa', description: 'The whale of the tests' },
      { id: Q, name: 'Quebec', description: 'The proposer of the tests' },
    ].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(known.map((k) => ({ id: k.id, name: k.name, description: k.description }))).toEqual(expected);
    for (const k of known) {
      expect(k.links).toEqual(['https://example.org/' + k.name]);
      expect(k.committed_topics).toEqual([[{ Governance: null }]]);
      expect((await carol.info(k.id)).visibility).toEqual([NeuronVisibility.Public]);
      expect((await carol.info(k.id)).known_neuron_data[0]?.name).toBe(k.name);
    }
    await expectGovError(demo.governance.setVisibility(K, NeuronVisibility.Private), Err.PreconditionFailed);
  });

  it('list_neuron_votes: newest first, before_proposal exclusive, limit; NotFound for an unknown neuron', async () => {
    const votes = async (req: { before?: bigint; limit?: bigint; id?: bigint }) => {
      const r = await carol.raw.list_neuron_votes({
        neuron_id: [{ id: req.id ?? K }],
        before_proposal: req.before === undefined ? [] : [{ id: req.before }],
        limit: req.limit === undefined ? [] : [req.limit],
      });
      if ('Err' in r) return r.Err;
      return r.Ok.votes[0]!.map((v) => [v.proposal_id[0]!.id, 'Yes' in v.vote[0]! ? 'Yes' : 'No' in v.vote[0]! ? 'No' : '?']);
    };
    // K proposed 1, 2, 5, 6 (voting Yes) and voted No on 4; it did not vote on 3 and 8, and has no ballot on 7.
    expect(await votes({})).toEqual([[6n, 'Yes'], [5n, 'Yes'], [4n, 'No'], [2n, 'Yes'], [1n, 'Yes']]);
    expect(await votes({ before: 5n })).toEqual([[4n, 'No'], [2n, 'Yes'], [1n, 'Yes']]);
    expect(await votes({ limit: 2n })).toEqual([[6n, 'Yes'], [5n, 'Yes']]);
    expect(await votes({ id: 424242n })).toMatchObject({ error_type: Err.NotFound });
  });
});

describe('split and merge', () => {
  it('Split: limits, then a child with the parent\'s state, a proportional share of maturity, funded on the ledger', async () => {
    const N = await demo.stake(20n * ICP, YEAR);
    await setMaturity(N, 10n * ICP, 4n * ICP);
    await demo.governance.addHotkey({ neuronId: N, principal: alice.principal });
    await demo.governance.setFollowing({ neuronId: N, topicFollowing: [{ topic: Topic.Governance, followees: [Q] }, { topic: Topic.CatchAll, followees: [K] }] });
    await expectGovError(demo.governance.splitNeuron({ neuronId: N, amount: ICP + FEE - 1n }), Err.InsufficientFunds);
    await expectGovError(demo.governance.splitNeuron({ neuronId: N, amount: 19n * ICP + 1n }), Err.InsufficientFunds); // parent would keep < 1 ICP
    const parent = await demo.full(N);

    const memo = 0x5911_7000_0000_0077n;
    const child = await demo.governance.splitNeuron({ neuronId: N, amount: 5n * ICP, memo });
    const c = await demo.full(child);
    const p = await demo.full(N);
    expect(hex(c.account)).toBe(hex(stakingSubaccount(demo.principal, memo)));
    expect(c.controller[0]?.toText()).toBe(demo.principal.toText());
    expect(c.cached_neuron_stake_e8s).toBe(5n * ICP - FEE);
    expect(c.maturity_e8s_equivalent).toBe((10n * ICP * 5n * ICP) / (20n * ICP));
    expect(c.staked_maturity_e8s_equivalent).toEqual([(4n * ICP * 5n * ICP) / (20n * ICP)]);
    expect(c.dissolve_state).toEqual(parent.dissolve_state);
    expect(c.aging_since_timestamp_seconds).toBe(parent.aging_since_timestamp_seconds);
    expect(c.hot_keys.map((h) => h.toText())).toEqual([alice.principal.toText()]);
    expect(c.followees).toEqual(parent.followees);
    expect(c.visibility).toEqual(parent.visibility);
    expect(p.cached_neuron_stake_e8s).toBe(15n * ICP);
    expect(p.maturity_e8s_equivalent).toBe(10n * ICP - c.maturity_e8s_equivalent);
    expect(p.staked_maturity_e8s_equivalent).toEqual([4n * ICP - c.staked_maturity_e8s_equivalent[0]!]);
    expect(await demo.balance(neuronAccount(c.account))).toBe(5n * ICP - FEE);
    expect(await demo.balance(neuronAccount(p.account))).toBe(15n * ICP);
    // The hotkey reads and lists both.
    expect([...(await alice.raw.get_neuron_ids())]).toEqual(expect.arrayContaining([N, child]));
  });

  it('Merge: simulate_manage_neuron previews exactly what Merge then does (stake - fee and maturity move, max delay, weighted age)', async () => {
    const T = await demo.stake(10n * ICP, YEAR);
    await setMaturity(T, ICP / 2n, 0n);
    await advance(subnet.url, 10n * DAY, ...all());
    const S = await demo.stake(6n * ICP, TWO_YEARS);
    await setMaturity(S, 2n * ICP, ICP);
    const t0 = await demo.full(T);
    const s0 = await demo.full(S);

    // The expected outcome at time `now` (reference: merge).
    const expected = (now: bigint) => {
      const move = s0.cached_neuron_stake_e8s - FEE;
      const tAge = now - t0.aging_since_timestamp_seconds;
      const sAge = now - s0.aging_since_timestamp_seconds;
      const age = (t0.cached_neuron_stake_e8s * tAge + move * sAge) / (t0.cached_neuron_stake_e8s + move);
      return {
        stake: t0.cached_neuron_stake_e8s + move,
        agingSince: now - age,
        delay: TWO_YEARS,
        maturity: t0.maturity_e8s_equivalent + s0.maturity_e8s_equivalent,
        staked: ICP,
      };
    };
    const check = (r: Gov.MergeResponse) => {
      const now = r.target_neuron_info[0]!.retrieved_at_timestamp_seconds;
      const e = expected(now);
      const target = r.target_neuron[0]!;
      const source = r.source_neuron[0]!;
      expect(target.id[0]?.id).toBe(T);
      expect(target.cached_neuron_stake_e8s).toBe(e.stake);
      expect(target.aging_since_timestamp_seconds).toBe(e.agingSince);
      expect(target.dissolve_state).toEqual([{ DissolveDelaySeconds: e.delay }]);
      expect(target.maturity_e8s_equivalent).toBe(e.maturity);
      expect(target.staked_maturity_e8s_equivalent).toEqual([e.staked]);
      expect(r.target_neuron_info[0]!.stake_e8s).toBe(e.stake + e.staked);
      const vp = votingPowerOf(target, now);
      expect(target.potential_voting_power).toEqual([vp.potential]);
      expect(source.id[0]?.id).toBe(S);
      expect(source.cached_neuron_stake_e8s).toBe(0n);
      expect(source.maturity_e8s_equivalent).toBe(0n);
      expect(source.staked_maturity_e8s_equivalent[0] ?? 0n).toBe(0n);
      return target;
    };

    const simulate = () =>
      demo.raw.simulate_manage_neuron({ id: [], neuron_id_or_subaccount: [{ NeuronId: { id: T } }], command: [{ Merge: { source_neuron_id: [{ id: S }] } }] });
    const sim = (await simulate()).command[0]!;
    if (!('Merge' in sim)) throw new Error(JSON.stringify(sim, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
    check(sim.Merge);
    // The preview changed nothing.
    const still = (n: Gov.Neuron) => ({ ...n, potential_voting_power: [], deciding_voting_power: [] });
    expect(still(await demo.full(T))).toEqual(still(t0));
    expect(still(await demo.full(S))).toEqual(still(s0));
    const simInfo = await demo.governance.simulateMergeNeurons({ sourceNeuronId: S, targetNeuronId: T });
    expect(simInfo.neuronId).toBe(T);
    expect(simInfo.fullNeuron?.cachedNeuronStake).toBe(expected(0n).stake);

    // Errors: into itself, another controller's neuron, a dissolving neuron.
    await expectGovError(demo.governance.mergeNeurons({ sourceNeuronId: T, targetNeuronId: T }), Err.InvalidCommand);
    await expectGovError(demo.governance.mergeNeurons({ sourceNeuronId: M, targetNeuronId: T }), Err.NotAuthorized);
    const dissolving = await demo.stake(2n * ICP, 30n * DAY);
    await demo.governance.startDissolving(dissolving);
    await expectGovError(demo.governance.mergeNeurons({ sourceNeuronId: dissolving, targetNeuronId: T }), Err.RequiresNotDissolving);
    const simErr = (
      await demo.raw.simulate_manage_neuron({ id: [], neuron_id_or_subaccount: [{ NeuronId: { id: T } }], command: [{ Merge: { source_neuron_id: [{ id: dissolving }] } }] })
    ).command[0]!;
    expect(simErr).toMatchObject({ Error: { error_type: Err.RequiresNotDissolving } });

    const res = (await demo.manage(T, { Merge: { source_neuron_id: [{ id: S }] } })) as { Merge: Gov.MergeResponse };
    const target = check(res.Merge);
    const after = await demo.full(T);
    expect({ ...after, potential_voting_power: [], deciding_voting_power: [] }).toEqual({ ...target, potential_voting_power: [], deciding_voting_power: [] });
    expect(await demo.balance(neuronAccount(t0.account))).toBe(expected(0n).stake);
    expect(await demo.balance(neuronAccount(s0.account))).toBe(0n);
  });
});

describe('dissolved neurons, maturity and configuration', () => {
  it('DisburseToNeuron: only when dissolved; a new neuron for the new controller, funded from the parent', async () => {
    const D = await demo.stake(10n * ICP);
    const cmd = (amount: bigint): Gov.ManageNeuronCommandRequest => ({
      DisburseToNeuron: { dissolve_delay_seconds: 30n * DAY, kyc_verified: true, amount_e8s: amount, new_controller: [bob.principal], nonce: 42n },
    });
    await expectGovError(demo.manage(D, cmd(4n * ICP)), Err.RequiresDissolved);
    await demo.governance.startDissolving(D);
    await advance(subnet.url, 7n * DAY + 60n, ...all());
    expect((await demo.info(D)).state).toBe(NeuronState.Dissolved);
    await expectGovError(demo.manage(D, cmd(ICP + FEE - 1n)), Err.InsufficientFunds);
    await expectGovError(bob.manage(D, cmd(4n * ICP)), Err.NotAuthorized);
    const before = await nowSeconds();
    const r = await demo.manage(D, cmd(4n * ICP));
    if (!('DisburseToNeuron' in r)) throw new Error('unexpected');
    const child = r.DisburseToNeuron.created_neuron_id[0]!.id;
    const c = await bob.full(child);
    expect(c.controller[0]?.toText()).toBe(bob.principal.toText());
    expect(hex(c.account)).toBe(hex(stakingSubaccount(bob.principal, 42n)));
    expect(c.cached_neuron_stake_e8s).toBe(4n * ICP - FEE);
    expect(c.dissolve_state).toEqual([{ DissolveDelaySeconds: 30n * DAY }]);
    expect(c.aging_since_timestamp_seconds).toBeGreaterThanOrEqual(before);
    expect(c.kyc_verified).toBe(true);
    expect((await demo.full(D)).cached_neuron_stake_e8s).toBe(6n * ICP);
    expect(await bob.balance(neuronAccount(c.account))).toBe(4n * ICP - FEE);
    expect(await demo.balance(neuronAccount((await demo.full(D)).account))).toBe(6n * ICP);
    expect([...(await bob.raw.get_neuron_ids())]).toContain(child);
  });

  it('StakeMaturity: maturity becomes staked maturity, which votes', async () => {
    const N = await demo.stake(10n * ICP, YEAR);
    await setMaturity(N, 3n * ICP);
    await expectGovError(demo.manage(N, { StakeMaturity: { percentage_to_stake: [0] } }), Err.InvalidCommand);
    await expectGovError(alice.manage(N, { StakeMaturity: { percentage_to_stake: [40] } }), Err.NotAuthorized);
    const r = await demo.manage(N, { StakeMaturity: { percentage_to_stake: [40] } });
    expect(r).toEqual({ StakeMaturity: { maturity_e8s: 3n * ICP - (3n * ICP * 40n) / 100n, staked_maturity_e8s: (3n * ICP * 40n) / 100n } });
    await demo.governance.stakeMaturity({ neuronId: N }); // all the rest
    const full = await demo.full(N);
    expect(full.maturity_e8s_equivalent).toBe(0n);
    expect(full.staked_maturity_e8s_equivalent).toEqual([3n * ICP]);
    const info = await demo.info(N);
    expect(info.stake_e8s).toBe(13n * ICP);
    expect(info.potential_voting_power[0]).toBe(votingPowerOf(full, info.retrieved_at_timestamp_seconds).potential);
  });

  it('SetVisibility, Join/LeaveCommunityFund, ChangeAutoStakeMaturity: effects, errors, what a stranger sees', async () => {
    const N = await demo.stake(3n * ICP, 30n * DAY);
    const p = await motion(demo, Q, 'Something to vote on');
    await demo.governance.registerVote({ neuronId: N, vote: Vote.Yes, proposalId: p });
    expect((await demo.full(N)).visibility).toEqual([NeuronVisibility.Private]);

    await demo.governance.joinCommunityFund(N);
    const joined = (await demo.full(N)).joined_community_fund_timestamp_seconds;
    expect(joined).toHaveLength(1);
    await expectGovError(demo.governance.joinCommunityFund(N), Err.AlreadyJoinedCommunityFund);
    // Private: a stranger sees neither the membership nor the ballots.
    let seen = await carol.info(N);
    expect(seen.joined_community_fund_timestamp_seconds).toEqual([]);
    expect(seen.recent_ballots).toEqual([]);
    await demo.governance.setVisibility(N, NeuronVisibility.Public);
    expect((await demo.full(N)).visibility).toEqual([NeuronVisibility.Public]);
    seen = await carol.info(N);
    expect(seen.visibility).toEqual([NeuronVisibility.Public]);
    expect(seen.joined_community_fund_timestamp_seconds).toEqual(joined);
    expect(seen.recent_ballots.map((b) => [b.proposal_id[0]?.id, b.vote])).toEqual([[p, Vote.Yes]]);
    // A public neuron's full neuron, when asked for, in list_neurons.
    const listed = await carol.governance.listNeurons({ certified: true, neuronIds: [N], includePublicNeurons: true });
    expect(listed[0].fullNeuron?.cachedNeuronStake).toBe(3n * ICP);
    await demo.governance.leaveCommunityFund(N);
    expect((await demo.full(N)).joined_community_fund_timestamp_seconds).toEqual([]);
    await expectGovError(demo.governance.leaveCommunityFund(N), Err.NotInTheCommunityFund);
    await demo.governance.setVisibility(N, NeuronVisibility.Private);
    expect((await carol.info(N)).recent_ballots).toEqual([]);

    await demo.governance.autoStakeMaturity({ neuronId: N, autoStake: true });
    expect((await demo.full(N)).auto_stake_maturity).toEqual([true]);
    await demo.governance.autoStakeMaturity({ neuronId: N, autoStake: false });
    expect((await demo.full(N)).auto_stake_maturity[0] ?? false).toBe(false);
  });

  it('SetFollowing: several topics at once, replace, clear; validated as a whole (nothing applied on an error)', async () => {
    const N = await demo.stake(2n * ICP, 30n * DAY);
    const followees = async () => (await demo.full(N)).followees.map(([t, f]) => [t, f.followees.map((x) => x.id)]);
    await demo.governance.setFollowing({
      neuronId: N,
      topicFollowing: [
        { topic: Topic.CatchAll, followees: [K] },
        { topic: Topic.Governance, followees: [K, Q] },
        { topic: Topic.NetworkEconomics, followees: [Q] },
      ],
    });
    expect(await followees()).toEqual([[Topic.CatchAll, [K]], [Topic.NetworkEconomics, [Q]], [Topic.Governance, [K, Q]]]);
    await demo.governance.setFollowing({ neuronId: N, topicFollowing: [{ topic: Topic.Governance, followees: [Q] }, { topic: Topic.CatchAll, followees: [] }] });
    expect(await followees()).toEqual([[Topic.NetworkEconomics, [Q]], [Topic.Governance, [Q]]]);

    const before = await followees();
    const setFollowing = (items: Gov.FolloweesForTopic[]) => demo.manage(N, { SetFollowing: { topic_following: [items] } });
    const t = (topic: number, ids: bigint[]): Gov.FolloweesForTopic => ({ topic: [topic], followees: [ids.map((id) => ({ id }))] });
    await expectGovError(setFollowing([t(Topic.Governance, [K]), t(Topic.Governance, [Q])]), Err.InvalidCommand); // a topic twice
    await expectGovError(setFollowing([t(Topic.NetworkEconomics, [K]), t(99, [Q])]), Err.InvalidCommand); // unknown topic
    await expectGovError(setFollowing([t(Topic.NetworkEconomics, [K]), t(Topic.Governance, Array(16).fill(Q))]), Err.InvalidCommand); // > 15
    await expectGovError(setFollowing([t(Topic.NetworkEconomics, [K]), t(Topic.Governance, [424242n])]), Err.PreconditionFailed); // no such neuron
    await expectGovError(setFollowing([t(Topic.NetworkEconomics, [K]), t(Topic.Governance, [M])]), Err.PreconditionFailed); // private, not ours
    expect(await followees()).toEqual(before);
    // NeuronManagement is exempt from the public rule.
    await setFollowing([t(Topic.NeuronManagement, [M])]);
    expect(await followees()).toEqual([[Topic.NeuronManagement, [M]], ...before]);
  });
});

describe('staking paths', () => {
  it('create_neuron over ICRC-2: pulls the approved amount; options; errors move nothing', async () => {
    const balance0 = await alice.balance(alice.account);
    const request = (o: Partial<Gov.CreateNeuronRequest> = {}): Gov.CreateNeuronRequest => ({
      controller: [],
      source_subaccount: [],
      dissolve_delay_seconds: [30n * DAY],
      auto_stake_maturity: [true],
      amount_e8s: [5n * ICP],
      followees: [{ topic_following: [[{ topic: [Topic.Governance], followees: [[{ id: K }]] }]] }],
      dissolving: [],
      ...o,
    });
    // No allowance yet: refused, nothing moves.
    const refused = await alice.raw.create_neuron(request());
    expect(refused).toMatchObject({ Err: { error_type: Err.InsufficientFunds } }); // no allowance
    expect(await alice.balance(alice.account)).toBe(balance0);

    await alice.ledger.icrc2Approve({ spender: { owner: GOVERNANCE_ID, subaccount: [] }, amount: 5n * ICP + FEE });
    // Outside [7 days, max]: InvalidCommand, nothing pulled.
    expect(await alice.raw.create_neuron(request({ dissolve_delay_seconds: [DAY] }))).toMatchObject({ Err: { error_type: Err.InvalidCommand } });
    const tooLong = await alice.raw.create_neuron(request({ dissolve_delay_seconds: [TWO_YEARS + 1n] }));
    expect(tooLong).toMatchObject({ Err: { error_type: Err.InvalidCommand } });
    expect(await alice.balance(alice.account)).toBe(balance0 - FEE); // only the approval's fee
    const created = await alice.raw.create_neuron(request());
    if (!('Ok' in created)) throw new Error(created.Err.error_message);
    const id = created.Ok.neuron_id[0]!.id;
    const n = await alice.full(id);
    expect(n.controller[0]?.toText()).toBe(alice.principal.toText());
    expect(n.cached_neuron_stake_e8s).toBe(5n * ICP);
    expect(n.dissolve_state).toEqual([{ DissolveDelaySeconds: 30n * DAY }]);
    expect(n.auto_stake_maturity).toEqual([true]);
    expect(n.followees).toEqual([[Topic.Governance, { followees: [{ id: K }] }]]);
    expect(await alice.balance(neuronAccount(n.account))).toBe(5n * ICP);
    // The approval fee, the amount and the transfer fee.
    expect(await alice.balance(alice.account)).toBe(balance0 - FEE - 5n * ICP - FEE);

    // For another controller, dissolving from the start.
    await alice.ledger.icrc2Approve({ spender: { owner: GOVERNANCE_ID, subaccount: [] }, amount: 2n * ICP + FEE });
    const forBob = await alice.raw.create_neuron(request({ controller: [bob.principal], amount_e8s: [2n * ICP], dissolving: [true], followees: [], auto_stake_maturity: [] }));
    if (!('Ok' in forBob)) throw new Error(forBob.Err.error_message);
    const b = await bob.full(forBob.Ok.neuron_id[0]!.id);
    const bInfo = await bob.info(forBob.Ok.neuron_id[0]!.id);
    expect(b.controller[0]?.toText()).toBe(bob.principal.toText());
    expect(bInfo.state).toBe(NeuronState.Dissolving);
    const when = (b.dissolve_state[0] as { WhenDissolvedTimestampSeconds: bigint }).WhenDissolvedTimestampSeconds;
    expect(when - 30n * DAY).toBeLessThanOrEqual(bInfo.retrieved_at_timestamp_seconds);
    expect(when - 30n * DAY).toBeGreaterThanOrEqual(b.created_timestamp_seconds);
    expect(await alice.balance(alice.account)).toBe(balance0 - 2n * FEE - 5n * ICP - FEE - 2n * ICP - FEE);
  });

  it('claim_or_refresh_neuron_from_account: claims by memo, refuses below 1 ICP, refreshes a top-up with the age scaled', async () => {
    const claim = async (s: Staker, memo: bigint, controller?: Staker) => {
      const r = await s.raw.claim_or_refresh_neuron_from_account({ controller: controller ? [controller.principal] : [], memo });
      const [res] = r.result;
      if (!res) throw new Error('empty result');
      return res;
    };
    const memo = 0x00c1_a1a0_0000_0001n;
    const account = neuronAccount(stakingSubaccount(demo.principal, memo));
    await demo.ledger.transfer({ to: account, amount: 4n * ICP, memo });
    const claimed = await claim(demo, memo);
    if (!('NeuronId' in claimed)) throw new Error(claimed.Error.error_message);
    const id = claimed.NeuronId.id;
    const n0 = await demo.full(id);
    expect(n0.cached_neuron_stake_e8s).toBe(4n * ICP);
    expect(n0.dissolve_state).toEqual([{ DissolveDelaySeconds: 7n * DAY }]);

    // Below the minimum stake: no neuron.
    const small = 0x00c1_a1a0_0000_0002n;
    await demo.ledger.transfer({ to: neuronAccount(stakingSubaccount(demo.principal, small)), amount: ICP / 2n, memo: small });
    const idsBefore = [...(await demo.raw.get_neuron_ids())];
    expect(await claim(demo, small)).toMatchObject({ Error: { error_type: Err.InsufficientFunds } });
    expect([...(await demo.raw.get_neuron_ids())]).toEqual(idsBefore);

    // Ten days of age, a top-up of 6 ICP, refreshed by Bob (anyone may, naming the controller).
    await advance(subnet.url, 10n * DAY, ...all());
    await demo.ledger.transfer({ to: account, amount: 6n * ICP });
    const t0 = await nowSeconds();
    expect(await claim(bob, memo, demo)).toEqual({ NeuronId: { id } });
    const t1 = (await demo.info(id)).retrieved_at_timestamp_seconds;
    const n1 = await demo.full(id);
    expect(n1.cached_neuron_stake_e8s).toBe(10n * ICP);
    // new_age = floor(old_stake * old_age / new_stake) at the refresh time t in [t0, t1].
    const agingSince = (t: bigint) => t - (4n * ICP * (t - n0.aging_since_timestamp_seconds)) / (10n * ICP);
    expect(n1.aging_since_timestamp_seconds).toBeGreaterThanOrEqual(agingSince(t0));
    expect(n1.aging_since_timestamp_seconds).toBeLessThanOrEqual(agingSince(t1));
    expect(n1.aging_since_timestamp_seconds).toBeGreaterThan(n0.aging_since_timestamp_seconds);
    // Claiming again changes nothing.
    expect(await claim(demo, memo)).toEqual({ NeuronId: { id } });
    expect((await demo.full(id)).cached_neuron_stake_e8s).toBe(10n * ICP);
  });
});

describe('queries over all neurons', () => {
  it('get_neuron_ids: the caller\'s neurons (controlled or hotkey), ascending', async () => {
    for (const s of all()) {
      const ids = [...(await s.raw.get_neuron_ids())];
      expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      const listed = (await s.governance.listNeurons({ certified: true, includeEmptyNeurons: true })).map((n) => n.neuronId);
      expect(ids).toEqual([...listed].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    expect([...(await carol.raw.get_neuron_ids())]).toEqual([]);
  });

  it('get_metrics: the daily metrics sum and count over every neuron', async () => {
    await advance(subnet.url, DAY + 60n, ...all());
    const r = await carol.raw.get_metrics();
    if (!('Ok' in r)) throw new Error(r.Err.error_message);
    const m = r.Ok;
    const now = await nowSeconds();
    expect(m.timestamp_seconds).toBeGreaterThan(now - DAY - 60n);
    const T = m.timestamp_seconds;
    // Every neuron of this subnet belongs to demo, alice or bob (union of what they can read).
    const neurons = new Map<bigint, Gov.Neuron>();
    for (const s of all()) for (const id of await s.raw.get_neuron_ids()) neurons.set(id, await s.full(id));
    let staked = 0n, maturity = 0n, stakedMaturity = 0n, notDissolving = 0n, dissolving = 0n, dissolved = 0n, spawning = 0n, cf = 0n, short = 0n;
    for (const n of neurons.values()) {
      staked += n.cached_neuron_stake_e8s - n.neuron_fees_e8s;
      maturity += n.maturity_e8s_equivalent;
      stakedMaturity += n.staked_maturity_e8s_equivalent[0] ?? 0n;
      if (n.joined_community_fund_timestamp_seconds.length > 0) cf++;
      const ds = n.dissolve_state[0]!;
      const delay = 'DissolveDelaySeconds' in ds ? ds.DissolveDelaySeconds : ds.WhenDissolvedTimestampSeconds > T ? ds.WhenDissolvedTimestampSeconds - T : 0n;
      if (n.spawn_at_timestamp_seconds.length > 0) spawning++;
      else if ('DissolveDelaySeconds' in ds && delay > 0n) notDissolving++;
      else if (delay > 0n) dissolving++;
      else dissolved++;
      if (n.spawn_at_timestamp_seconds.length === 0 && delay < SIX_MONTHS) short++;
    }
    expect(neurons.size).toBeGreaterThan(15);
    expect(m.total_staked_e8s).toBe(staked);
    expect(m.total_maturity_e8s_equivalent).toBe(maturity);
    expect(m.total_staked_maturity_e8s_equivalent).toBe(stakedMaturity);
    expect(m.not_dissolving_neurons_count).toBe(notDissolving);
    expect(m.dissolving_neurons_count).toBe(dissolving);
    expect(m.dissolved_neurons_count).toBe(dissolved);
    expect(m.spawning_neurons_count).toBe(spawning);
    expect(m.neurons_fund_total_active_neurons).toBe(cf);
    expect(m.neurons_with_less_than_6_months_dissolve_delay_count).toBe(short);
    expect(dissolving).toBeGreaterThan(0n);
    expect(dissolved).toBeGreaterThan(0n);
    // The client class reads the same figures.
    const viaClass = await demo.governance.getMetrics({ certified: true });
    expect(viaClass.totalStakedE8s).toBe(staked);
    expect(viaClass.notDissolvingNeuronsCount).toBe(notDissolving);
  });
});
