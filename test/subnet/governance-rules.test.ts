// The rules and error types of each neuron command over HTTP with the real clients (reference,
// "Neurons" and "manage_neuron"), where the other governance-*.test.ts files only take the happy
// path: claim_or_refresh by each `by` form and the minimum stake; create_neuron over ICRC-2 with the
// ICRC ledger class (allowance, minimum, delay bounds); IncreaseDissolveDelay, SetDissolveTimestamp,
// Start/StopDissolving with their states, the age and the voting power; hotkey limits; Follow's
// rules; RegisterVote's errors; Spawn / DisburseMaturity thresholds and limits; Disburse with fees
// burned first (checked on the ledger and in the index), a ledger refusal as External; Merge's
// preconditions; MakeProposal's errors. Every number is
// computed here from the reference's formulas (support/governance.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { IcrcLedgerCanister } from '@icp-sdk/canisters/ledger/icrc';
import { NeuronVisibility } from '@dfinity/nns';
import { AccountIdentifier } from '@dfinity/ledger-icp';
import { GOVERNANCE_ID, LEDGER_ID } from '../../subnet/canisters/ids.ts';
import type { Subnet } from '../../subnet/subnet.ts';
import {
  DAY,
  Err,
  FEE,
  ICP,
  MIN_DELAY_TO_VOTE,
  NeuronState,
  SIX_MONTHS,
  Status,
  TWO_YEARS,
  Topic,
  U64_MAX,
  Vote,
  YEAR,
  advance,
  expectGovError,
  motion,
  neuronAccount,
  nowSeconds,
  potentialVotingPower,
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

const all = () => [demo, alice, bob, carol];
const now = () => nowSeconds(subnet.url);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const setMaturity = (neuron_id: bigint, maturity_e8s: bigint, staked_maturity_e8s = 0n) =>
  subnet.runtime.admin(GOVERNANCE_ID, 'set_maturity', { neuron_id, maturity_e8s, staked_maturity_e8s });
/** The dissolve state of a full neuron as [kind, value]. */
const dissolve = (n: Gov.Neuron): ['delay' | 'when', bigint] => {
  const d = n.dissolve_state[0]!;
  return 'DissolveDelaySeconds' in d ? ['delay', d.DissolveDelaySeconds] : ['when', d.WhenDissolvedTimestampSeconds];
};

/** Checks the reported voting power of a neuron against the formula at the time of the query. */
async function checkVotingPower(s: Staker, id: bigint) {
  const info = await s.info(id);
  const full = await s.full(id);
  const expected = votingPowerOf(full, info.retrieved_at_timestamp_seconds);
  expect(info.potential_voting_power[0]).toBe(expected.potential);
  expect(info.deciding_voting_power[0]).toBe(expected.deciding);
  return { info, full, ...expected };
}

beforeAll(async () => {
  subnet = await startGovernanceSubnet();
  [demo, alice, bob, carol] = await Promise.all(['demo', 'alice', 'bob', 'carol'].map((n) => staker(subnet.url, n)));
});
afterAll(async () => subnet?.stop());

describe('staking', () => {
  const claim = async (s: Staker, by: Gov.By, which: [] | [Gov.NeuronIdOrSubaccount] = []) => {
    const r = await s.raw.manage_neuron({ id: [], neuron_id_or_subaccount: which, command: [{ ClaimOrRefresh: { by: [by] } }] });
    return r.command[0]!;
  };
  const claimedId = (c: Gov.Command_1) => {
    if (!('ClaimOrRefresh' in c)) throw new Error(JSON.stringify(c, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
    return c.ClaimOrRefresh.refreshed_neuron_id[0]!.id;
  };

  it('claim_or_refresh: MemoAndController by anyone, Memo by the controller, a refresh by subaccount with the age scaled; the minimum stake; errors', async () => {
    const memo = 0x7e57_0000_0000_0001n;
    const sub = stakingSubaccount(demo.principal, memo);
    await demo.ledger.transfer({ to: neuronAccount(sub), amount: 3n * ICP, memo });
    // Carol claims it for demo (anyone may, naming the controller).
    const t0 = await now();
    const id = claimedId(await claim(carol, { MemoAndController: { memo, controller: [demo.principal] } }));
    const t1 = await now();
    const n = await demo.full(id);
    // A new neuron (reference): NotDissolving, 7 days, aging since now, Private, no hotkeys, no followees.
    expect(n.controller[0]?.toText()).toBe(demo.principal.toText());
    expect(hex(n.account)).toBe(hex(sub));
    expect(n.cached_neuron_stake_e8s).toBe(3n * ICP);
    expect(n.neuron_fees_e8s).toBe(0n);
    expect(n.maturity_e8s_equivalent).toBe(0n);
    expect(n.dissolve_state).toEqual([{ DissolveDelaySeconds: 7n * DAY }]);
    expect(n.created_timestamp_seconds).toBeGreaterThanOrEqual(t0);
    expect(n.created_timestamp_seconds).toBeLessThanOrEqual(t1);
    expect(n.aging_since_timestamp_seconds).toBe(n.created_timestamp_seconds);
    expect(n.voting_power_refreshed_timestamp_seconds).toEqual([n.created_timestamp_seconds]);
    expect(n.visibility).toEqual([NeuronVisibility.Private]);
    expect(n.hot_keys).toEqual([]);
    expect(n.followees).toEqual([]);
    expect((await demo.info(id)).state).toBe(NeuronState.NotDissolving);
    expect([...(await carol.raw.get_neuron_ids())]).toEqual([]);
    // 7 days is below the minimum delay to vote: no voting power (reported as 0).
    expect((await demo.info(id)).potential_voting_power).toEqual([0n]);
    // Claiming again by Memo (the caller is the controller) finds the same neuron.
    expect(claimedId(await claim(demo, { Memo: memo }))).toBe(id);
    expect((await demo.full(id)).cached_neuron_stake_e8s).toBe(3n * ICP);

    // Five days later a top-up of 2 ICP; Bob refreshes it naming its subaccount.
    await advance(subnet.url, 5n * DAY, ...all());
    await bob.ledger.transfer({ to: neuronAccount(sub), amount: 2n * ICP });
    const t2 = await now();
    expect(claimedId(await claim(bob, { NeuronIdOrSubaccount: {} }, [{ Subaccount: sub }]))).toBe(id);
    const t3 = await now();
    const r = await demo.full(id);
    expect(r.cached_neuron_stake_e8s).toBe(5n * ICP);
    // new_age = floor(old_stake * old_age / new_stake), at the refresh time t in [t2, t3].
    const agingSince = (t: bigint) => t - (3n * ICP * (t - n.aging_since_timestamp_seconds)) / (5n * ICP);
    expect(r.aging_since_timestamp_seconds).toBeGreaterThanOrEqual(agingSince(t2));
    expect(r.aging_since_timestamp_seconds).toBeLessThanOrEqual(agingSince(t3));
    expect(r.voting_power_refreshed_timestamp_seconds).toEqual(n.voting_power_refreshed_timestamp_seconds); // not a refresh of voting power
    expect(await demo.balance(neuronAccount(sub))).toBe(5n * ICP);

    // One e8 short of the minimum stake: InsufficientFunds and no neuron; at exactly 1 ICP: a neuron.
    const small = memo + 1n;
    const smallSub = stakingSubaccount(demo.principal, small);
    await demo.ledger.transfer({ to: neuronAccount(smallSub), amount: ICP - 1n, memo: small });
    expect(await claim(demo, { Memo: small })).toMatchObject({ Error: { error_type: Err.InsufficientFunds } });
    expect(await demo.raw.get_neuron_info_by_id_or_subaccount({ Subaccount: smallSub })).toMatchObject({ Err: { error_type: Err.NotFound } });
    await demo.ledger.transfer({ to: neuronAccount(smallSub), amount: 1n });
    const smallId = claimedId(await claim(demo, { Memo: small }));
    expect((await demo.full(smallId)).cached_neuron_stake_e8s).toBe(ICP);

    // No `by`: InvalidCommand. A subaccount without a neuron: NotFound.
    expect(await demo.raw.manage_neuron({ id: [], neuron_id_or_subaccount: [], command: [{ ClaimOrRefresh: { by: [] } }] })).toMatchObject({
      command: [{ Error: { error_type: Err.InvalidCommand } }],
    });
    expect(await claim(demo, { NeuronIdOrSubaccount: {} }, [{ Subaccount: stakingSubaccount(demo.principal, memo + 2n) }])).toMatchObject({
      Error: { error_type: Err.NotFound },
    });
  });

  it('create_neuron (ICRC-2, with the ICRC ledger class): pulls amount + fee from the allowance; below the minimum or beyond the allowance InsufficientFunds; delay bounds inclusive', async () => {
    const icrc = IcrcLedgerCanister.create({ agent: alice.agent, canisterId: LEDGER_ID });
    const spender = { owner: GOVERNANCE_ID, subaccount: [] as [] };
    const owner = { owner: alice.principal, subaccount: [] as [] };
    const allowance = async () => (await icrc.allowance({ account: owner, spender, certified: true })).allowance;
    const balance = () => icrc.balance({ owner: alice.principal, certified: true });
    const create = (amount: bigint, delay: [] | [bigint] = []) =>
      alice.raw.create_neuron({ controller: [], source_subaccount: [], dissolve_delay_seconds: delay, auto_stake_maturity: [], amount_e8s: [amount], followees: [], dissolving: [] });

    const b0 = await balance();
    await icrc.approve({ spender, amount: 10n * ICP });
    expect(await allowance()).toBe(10n * ICP);
    expect(await balance()).toBe(b0 - FEE); // the approval's fee
    // One e8 below the minimum stake; the whole allowance (the fee does not fit).
    expect(await create(ICP - 1n)).toMatchObject({ Err: { error_type: Err.InsufficientFunds } });
    expect(await create(10n * ICP)).toMatchObject({ Err: { error_type: Err.InsufficientFunds } });
    expect(await balance()).toBe(b0 - FEE);
    expect(await allowance()).toBe(10n * ICP);

    // The default delay is 7 days; the allowance shrinks by amount + fee.
    const a = await create(4n * ICP);
    if (!('Ok' in a)) throw new Error(a.Err.error_message);
    const n = await alice.full(a.Ok.neuron_id[0]!.id);
    expect(n.cached_neuron_stake_e8s).toBe(4n * ICP);
    expect(n.dissolve_state).toEqual([{ DissolveDelaySeconds: 7n * DAY }]);
    expect(n.auto_stake_maturity[0] ?? false).toBe(false);
    expect(n.controller[0]?.toText()).toBe(alice.principal.toText());
    expect(await alice.balance(neuronAccount(n.account))).toBe(4n * ICP);
    expect(await allowance()).toBe(10n * ICP - 4n * ICP - FEE);
    expect(await balance()).toBe(b0 - FEE - 4n * ICP - FEE);

    // Exactly 2 years is allowed, one second more is not.
    expect(await create(ICP, [TWO_YEARS + 1n])).toMatchObject({ Err: { error_type: Err.InvalidCommand } });
    expect(await create(ICP, [7n * DAY - 1n])).toMatchObject({ Err: { error_type: Err.InvalidCommand } });
    const b = await create(ICP, [TWO_YEARS]);
    if (!('Ok' in b)) throw new Error(b.Err.error_message);
    expect((await alice.full(b.Ok.neuron_id[0]!.id)).dissolve_state).toEqual([{ DissolveDelaySeconds: TWO_YEARS }]);
    expect(await allowance()).toBe(10n * ICP - 5n * ICP - 2n * FEE);
  });
});

describe('dissolve commands', () => {
  it('IncreaseDissolveDelay: 0 is InvalidCommand; the delay grows, silently capped at 2 years; the age is kept', async () => {
    const N = await demo.stake(2n * ICP, 30n * DAY);
    await advance(subnet.url, 10n * DAY, ...all());
    const before = await demo.full(N);
    await expectGovError(demo.governance.increaseDissolveDelay({ neuronId: N, additionalDissolveDelaySeconds: 0 }), Err.InvalidCommand);
    await demo.governance.increaseDissolveDelay({ neuronId: N, additionalDissolveDelaySeconds: Number(60n * DAY) });
    let n = await demo.full(N);
    expect(n.dissolve_state).toEqual([{ DissolveDelaySeconds: 90n * DAY }]);
    expect(n.aging_since_timestamp_seconds).toBe(before.aging_since_timestamp_seconds);
    await demo.governance.increaseDissolveDelay({ neuronId: N, additionalDissolveDelaySeconds: Number(3n * YEAR) });
    n = await demo.full(N);
    expect(n.dissolve_state).toEqual([{ DissolveDelaySeconds: TWO_YEARS }]);
    await demo.governance.increaseDissolveDelay({ neuronId: N, additionalDissolveDelaySeconds: 1 }); // at the cap: no error, no change
    expect((await demo.full(N)).dissolve_state).toEqual([{ DissolveDelaySeconds: TWO_YEARS }]);
    const v = await checkVotingPower(demo, N);
    expect(v.info.age_seconds).toBe(v.info.retrieved_at_timestamp_seconds - before.aging_since_timestamp_seconds);
    expect(v.info.age_seconds).toBeGreaterThanOrEqual(10n * DAY);
    expect(v.potential).toBe(potentialVotingPower(2n * ICP, TWO_YEARS, v.info.age_seconds));
    expect(v.info.dissolve_delay_seconds).toBe(TWO_YEARS);
  });

  it('StartDissolving / StopDissolving: each only from its state; dissolving loses the age; stopping keeps the remaining delay and restarts aging', async () => {
    const N = await demo.stake(2n * ICP, 60n * DAY);
    await advance(subnet.url, 10n * DAY, ...all());
    await expectGovError(demo.governance.stopDissolving(N), Err.RequiresDissolving);
    const t0 = await now();
    await demo.governance.startDissolving(N);
    const t1 = await now();
    let n = await demo.full(N);
    const [kind, when] = dissolve(n);
    expect(kind).toBe('when');
    expect(when).toBeGreaterThanOrEqual(t0 + 60n * DAY);
    expect(when).toBeLessThanOrEqual(t1 + 60n * DAY);
    expect(n.aging_since_timestamp_seconds).toBe(U64_MAX);
    let v = await checkVotingPower(demo, N);
    expect(v.info.state).toBe(NeuronState.Dissolving);
    expect(v.info.age_seconds).toBe(0n);
    expect(v.info.dissolve_delay_seconds).toBe(when - v.info.retrieved_at_timestamp_seconds);
    expect(v.potential).toBe(potentialVotingPower(2n * ICP, when - v.info.retrieved_at_timestamp_seconds, 0n));
    await expectGovError(demo.governance.startDissolving(N), Err.RequiresNotDissolving);

    await advance(subnet.url, 20n * DAY, ...all());
    const t2 = await now();
    await demo.governance.stopDissolving(N);
    const t3 = await now();
    n = await demo.full(N);
    const [kind2, delay] = dissolve(n);
    expect(kind2).toBe('delay');
    expect(delay).toBeGreaterThanOrEqual(when - t3);
    expect(delay).toBeLessThanOrEqual(when - t2);
    // NotDissolving{remaining, aging_since = now}: both from the same now.
    expect(n.aging_since_timestamp_seconds + delay).toBe(when);
    expect(n.aging_since_timestamp_seconds).toBeGreaterThanOrEqual(t2);
    v = await checkVotingPower(demo, N);
    expect(v.info.state).toBe(NeuronState.NotDissolving);
    await expectGovError(demo.governance.stopDissolving(N), Err.RequiresDissolving);
  });

  it('SetDissolveTimestamp: in the future, beyond the current delay, at most 2 years away; on a dissolving neuron it moves the dissolve time (as IncreaseDissolveDelay does)', async () => {
    const N = await demo.stake(2n * ICP, 30n * DAY);
    // The client's setDissolveDelay sends its argument as dissolve_timestamp_seconds.
    const setTimestamp = (ts: bigint) => demo.governance.setDissolveDelay({ neuronId: N, dissolveDelaySeconds: Number(ts) });
    const t = await now();
    await expectGovError(setTimestamp(t - 1n), Err.InvalidCommand);
    await expectGovError(setTimestamp(t + 20n * DAY), Err.InvalidCommand); // shorter than the 30 days it has
    await expectGovError(setTimestamp(t + TWO_YEARS + DAY), Err.InvalidCommand);
    expect((await demo.full(N)).dissolve_state).toEqual([{ DissolveDelaySeconds: 30n * DAY }]);
    const ts = t + 100n * DAY;
    await setTimestamp(ts);
    const t1 = await now();
    const [kind, delay] = dissolve(await demo.full(N));
    expect(kind).toBe('delay');
    expect(delay).toBeGreaterThanOrEqual(ts - t1);
    expect(delay).toBeLessThanOrEqual(ts - t);

    await demo.governance.startDissolving(N);
    const [, when] = dissolve(await demo.full(N));
    await setTimestamp(when + 10n * DAY);
    expect((await demo.full(N)).dissolve_state).toEqual([{ WhenDissolvedTimestampSeconds: when + 10n * DAY }]);
    await expectGovError(setTimestamp(when), Err.InvalidCommand); // earlier than the current dissolve time
    await demo.governance.increaseDissolveDelay({ neuronId: N, additionalDissolveDelaySeconds: Number(5n * DAY) });
    expect((await demo.full(N)).dissolve_state).toEqual([{ WhenDissolvedTimestampSeconds: when + 15n * DAY }]);
    expect((await demo.info(N)).state).toBe(NeuronState.Dissolving);
  });

  it('a dissolved neuron cannot start or stop dissolving; IncreaseDissolveDelay locks it again with its age restarted', async () => {
    const D = await demo.stake(3n * ICP / 2n);
    await demo.governance.startDissolving(D);
    await advance(subnet.url, 7n * DAY + 60n, ...all());
    let info = await demo.info(D);
    expect(info.state).toBe(NeuronState.Dissolved);
    expect(info.dissolve_delay_seconds).toBe(0n);
    expect(info.potential_voting_power).toEqual([0n]);
    await expectGovError(demo.governance.startDissolving(D), Err.RequiresNotDissolving);
    await expectGovError(demo.governance.stopDissolving(D), Err.RequiresDissolving);
    const t0 = await now();
    await demo.governance.increaseDissolveDelay({ neuronId: D, additionalDissolveDelaySeconds: Number(30n * DAY) });
    const t1 = await now();
    const n = await demo.full(D);
    expect(n.dissolve_state).toEqual([{ DissolveDelaySeconds: 30n * DAY }]);
    expect(n.aging_since_timestamp_seconds).toBeGreaterThanOrEqual(t0);
    expect(n.aging_since_timestamp_seconds).toBeLessThanOrEqual(t1);
    const v = await checkVotingPower(demo, D);
    info = v.info;
    expect(info.state).toBe(NeuronState.NotDissolving);
    expect(v.potential).toBe(potentialVotingPower(3n * ICP / 2n, 30n * DAY, info.age_seconds));
  });
});

describe('hotkeys and following', () => {
  it('hotkeys: a duplicate is HotKey, an 11th ResourceExhausted, removing an absent one NotFound', async () => {
    const N = await demo.stake(ICP);
    const others = Array.from({ length: 9 }, () => Ed25519KeyIdentity.generate().getPrincipal());
    await demo.governance.addHotkey({ neuronId: N, principal: alice.principal });
    await expectGovError(demo.governance.addHotkey({ neuronId: N, principal: alice.principal }), Err.HotKey);
    for (const p of others) await demo.governance.addHotkey({ neuronId: N, principal: p });
    const keys = [alice.principal, ...others].map((p) => p.toText());
    expect((await demo.full(N)).hot_keys.map((p) => p.toText())).toEqual(keys);
    await expectGovError(demo.governance.addHotkey({ neuronId: N, principal: bob.principal }), Err.ResourceExhausted);
    await expectGovError(demo.governance.removeHotkey({ neuronId: N, principal: bob.principal }), Err.NotFound);
    expect((await demo.full(N)).hot_keys.map((p) => p.toText())).toEqual(keys);
    await demo.governance.removeHotkey({ neuronId: N, principal: others[3] });
    await demo.governance.addHotkey({ neuronId: N, principal: bob.principal });
    expect((await demo.full(N)).hot_keys.map((p) => p.toText())).toEqual([...keys.filter((k) => k !== others[3].toText()), bob.principal.toText()]);
    // Each hotkey reads the full neuron and lists it.
    expect((await bob.full(N)).id[0]?.id).toBe(N);
    expect([...(await alice.raw.get_neuron_ids())]).toContain(N);
    await expectGovError(carol.full(N), Err.NotAuthorized);
  });

  it('Follow: a known topic; at most 15 followees, existing and public, or ours, or with our controller as hotkey (NeuronManagement exempt); a list replaces, an empty list clears; Follow and SetFollowing refresh voting power', async () => {
    const F = await demo.stake(ICP);
    const mine = await demo.stake(ICP);
    const pub = await bob.stake(ICP);
    await bob.governance.setVisibility(pub, NeuronVisibility.Public);
    const priv = await bob.stake(ICP);
    const viaHotkey = await bob.stake(ICP);
    await bob.governance.addHotkey({ neuronId: viaHotkey, principal: demo.principal });
    const follow = (topic: number, followees: bigint[]) => demo.governance.setFollowees({ neuronId: F, topic, followees });

    await expectGovError(follow(99, [mine]), Err.InvalidCommand);
    await expectGovError(follow(Topic.Governance, Array(16).fill(mine)), Err.InvalidCommand);
    await expectGovError(follow(Topic.Governance, [424242n]), Err.PreconditionFailed);
    await expectGovError(follow(Topic.Governance, [pub, priv]), Err.PreconditionFailed);
    expect((await demo.full(F)).followees).toEqual([]);

    await advance(subnet.url, DAY, ...all());
    const created = (await demo.full(F)).voting_power_refreshed_timestamp_seconds[0]!;
    const t0 = await now();
    await follow(Topic.Governance, [mine, pub, viaHotkey]);
    const t1 = await now();
    let n = await demo.full(F);
    expect(n.followees).toEqual([[Topic.Governance, { followees: [{ id: mine }, { id: pub }, { id: viaHotkey }] }]]);
    const refreshed = n.voting_power_refreshed_timestamp_seconds[0]!;
    expect(refreshed).toBeGreaterThanOrEqual(t0);
    expect(refreshed).toBeLessThanOrEqual(t1);
    expect(refreshed).toBeGreaterThan(created);
    await follow(Topic.Governance, [pub]); // replaces
    await follow(Topic.NeuronManagement, [priv]); // private, but NeuronManagement is exempt
    n = await demo.full(F);
    expect(n.followees).toEqual([
      [Topic.NeuronManagement, { followees: [{ id: priv }] }],
      [Topic.Governance, { followees: [{ id: pub }] }],
    ]);
    await follow(Topic.Governance, []); // clears
    expect((await demo.full(F)).followees).toEqual([[Topic.NeuronManagement, { followees: [{ id: priv }] }]]);

    await advance(subnet.url, DAY, ...all());
    const t2 = await now();
    await demo.governance.setFollowing({ neuronId: F, topicFollowing: [{ topic: Topic.NetworkEconomics, followees: [mine] }] });
    const r = (await demo.full(F)).voting_power_refreshed_timestamp_seconds[0]!;
    expect(r).toBeGreaterThanOrEqual(t2);
    expect(r).toBeGreaterThan(refreshed + DAY - 1n);
  });
});

describe('votes and proposals', () => {
  it('RegisterVote: unknown proposal NotFound, a vote other than Yes/No InvalidCommand, no ballot NotAuthorized (under 14 days, or created after the proposal)', async () => {
    const P = await demo.stake(100n * ICP, YEAR);
    const V = await demo.stake(2n * ICP, MIN_DELAY_TO_VOTE); // exactly the minimum: a ballot
    const S = await demo.stake(2n * ICP, MIN_DELAY_TO_VOTE - 1n); // a second short: none
    const p = await motion(demo, P, 'Who may vote on this');
    const later = await demo.stake(2n * ICP, YEAR);
    const vote = (neuronId: bigint, v: number, proposal: bigint) => demo.manage(neuronId, { RegisterVote: { vote: v, proposal: [{ id: proposal }] } });
    await expectGovError(vote(V, Vote.Yes, 424242n), Err.NotFound);
    await expectGovError(vote(V, Vote.Unspecified, p), Err.InvalidCommand);
    await expectGovError(vote(V, 3, p), Err.InvalidCommand);
    await expectGovError(vote(S, Vote.Yes, p), Err.NotAuthorized);
    await expectGovError(vote(later, Vote.Yes, p), Err.NotAuthorized);
    const info = await demo.proposal(p);
    const ballots = new Map(info.ballots.map(([id, b]) => [id, b]));
    expect(ballots.has(S)).toBe(false);
    expect(ballots.has(later)).toBe(false);
    const v = await demo.full(V);
    expect(ballots.get(V)).toEqual({ vote: Vote.Unspecified, voting_power: votingPowerOf(v, info.proposal_timestamp_seconds).deciding });
    expect(ballots.get(V)!.voting_power).toBe(potentialVotingPower(2n * ICP, MIN_DELAY_TO_VOTE, info.proposal_timestamp_seconds - v.aging_since_timestamp_seconds));
    await vote(V, Vote.No, p);
    expect(new Map((await demo.proposal(p)).ballots.map(([id, b]) => [id, b.vote])).get(V)).toBe(Vote.No);
  });

  it('MakeProposal: under 6 months of delay or less stake than the reject cost InsufficientFunds, an invalid proposal InvalidProposal, NeuronManagement by a non-followee NotAuthorized; nothing charged, no id used', async () => {
    const short = await demo.stake(30n * ICP, SIX_MONTHS - 1n);
    const poor = await demo.stake(25n * ICP - 1n, SIX_MONTHS);
    const exact = await demo.stake(25n * ICP, SIX_MONTHS);
    const economics = await demo.raw.get_network_economics_parameters();
    expect(economics.reject_cost_e8s).toBe(25n * ICP);
    const last = async () => (await demo.governance.listProposals({
      request: { limit: 1, beforeProposal: undefined, includeRewardStatus: [], excludeTopic: [], includeAllManageNeuronProposals: true, includeStatus: [] },
      certified: true,
    })).proposals[0]?.id ?? 0n;
    const before = await last();
    await expectGovError(motion(demo, short, 'Too short a delay'), Err.InsufficientFunds);
    await expectGovError(motion(demo, poor, 'Too little stake'), Err.InsufficientFunds);
    const make = (title: string, url: string, action: [] | [Gov.ProposalActionRequest]) =>
      demo.manage(exact, { MakeProposal: { title: [title], url, summary: 'Invalid.', action } });
    const motionAction: [Gov.ProposalActionRequest] = [{ Motion: { motion_text: 'text' } }];
    await expectGovError(make('abc', '', motionAction), Err.InvalidProposal); // title under 5 bytes
    await expectGovError(make('No action here', '', []), Err.InvalidProposal);
    await expectGovError(make('A bad url', 'http://example.com', motionAction), Err.InvalidProposal);
    await expectGovError(
      make('Manage a stranger', '', [{ ManageNeuron: { id: [], neuron_id_or_subaccount: [{ NeuronId: { id: short } }], command: [{ Configure: { operation: [{ StartDissolving: {} }] } }] } }]),
      Err.NotAuthorized,
    );
    for (const id of [short, poor, exact]) expect((await demo.full(id)).neuron_fees_e8s).toBe(0n);
    expect(await last()).toBe(before);
    // Exactly the reject cost is enough; the next id is the next number.
    const id = await motion(demo, exact, 'Exactly enough stake');
    expect(id).toBe(before + 1n);
    expect((await demo.full(exact)).neuron_fees_e8s).toBe(25n * ICP);
    expect((await demo.info(exact)).stake_e8s).toBe(0n);
    expect((await demo.proposal(id)).status).toBe(Status.Open);
  });
});

describe('merge', () => {
  it('Merge: refused (PreconditionFailed) for a neuron in the Neurons\' Fund, with other NeuronManagement followees, or proposer of an open proposal; simulate_manage_neuron only simulates Merge', async () => {
    const T = await demo.stake(3n * ICP, 30n * DAY);
    const S = await demo.stake(2n * ICP, 60n * DAY);
    const X = await demo.stake(ICP);
    const merge = (source: bigint, target = T) => demo.governance.mergeNeurons({ sourceNeuronId: source, targetNeuronId: target });
    const simulate = (command: Gov.ManageNeuronCommandRequest) =>
      demo.raw.simulate_manage_neuron({ id: [], neuron_id_or_subaccount: [{ NeuronId: { id: T } }], command: [command] });

    await demo.governance.joinCommunityFund(S);
    await expectGovError(merge(S), Err.PreconditionFailed);
    await demo.governance.leaveCommunityFund(S);
    await demo.governance.joinCommunityFund(T);
    await expectGovError(merge(S), Err.PreconditionFailed);
    await demo.governance.leaveCommunityFund(T);

    await demo.governance.setFollowees({ neuronId: S, topic: Topic.NeuronManagement, followees: [X] });
    await expectGovError(merge(S), Err.PreconditionFailed);
    expect((await simulate({ Merge: { source_neuron_id: [{ id: S }] } })).command[0]).toMatchObject({ Error: { error_type: Err.PreconditionFailed } });
    await demo.governance.setFollowees({ neuronId: T, topic: Topic.NeuronManagement, followees: [X] });

    // A proposer with an open proposal (the large neurons of the other tests keep it open).
    const Pr = await demo.stake(30n * ICP, SIX_MONTHS);
    await demo.governance.setFollowees({ neuronId: Pr, topic: Topic.NeuronManagement, followees: [X] });
    const open = await motion(demo, Pr, 'Keeps its proposer busy');
    expect((await demo.proposal(open)).status).toBe(Status.Open);
    await expectGovError(merge(Pr), Err.PreconditionFailed);
    await expectGovError(merge(S, Pr), Err.PreconditionFailed);

    expect((await simulate({ Configure: { operation: [{ StartDissolving: {} }] } })).command[0]).toMatchObject({ Error: { error_type: Err.InvalidCommand } });
    expect((await demo.full(T)).dissolve_state).toEqual([{ DissolveDelaySeconds: 30n * DAY }]);

    // Same NeuronManagement followees, neither in the Fund nor proposing: merged.
    const t0 = await demo.full(T);
    await merge(S);
    const t = await demo.full(T);
    expect(t.cached_neuron_stake_e8s).toBe(t0.cached_neuron_stake_e8s + 2n * ICP - FEE);
    expect(t.dissolve_state).toEqual([{ DissolveDelaySeconds: 60n * DAY }]);
    expect((await demo.full(S)).cached_neuron_stake_e8s).toBe(0n);
  });
});

describe('maturity', () => {
  it('Spawn and DisburseMaturity need >= 1 ICP after the 5% worst case; percentages 1..100; at most 10 disbursements pending', async () => {
    const N = await demo.stake(5n * ICP, 30n * DAY);
    // The least maturity m with floor(m * 95 / 100) >= 1 ICP.
    let least = (ICP * 100n) / 95n;
    while ((least * 95n) / 100n < ICP) least++;
    expect(((least - 1n) * 95n) / 100n).toBeLessThan(ICP);
    await setMaturity(N, least - 1n);
    await expectGovError(demo.governance.spawnNeuron({ neuronId: N, percentageToSpawn: 100 }), Err.InsufficientFunds);
    await expectGovError(demo.governance.disburseMaturity({ neuronId: N, percentageToDisburse: 100 }), Err.PreconditionFailed);
    expect((await demo.full(N)).maturity_e8s_equivalent).toBe(least - 1n);
    await setMaturity(N, least);
    for (const pct of [0, 101]) {
      await expectGovError(demo.manage(N, { Spawn: { percentage_to_spawn: [pct], new_controller: [], nonce: [] } }), Err.InvalidCommand);
      await expectGovError(demo.manage(N, { DisburseMaturity: { percentage_to_disburse: pct, to_account: [], to_account_identifier: [] } }), Err.InvalidCommand);
      await expectGovError(demo.manage(N, { StakeMaturity: { percentage_to_stake: [pct] } }), Err.InvalidCommand);
    }
    expect((await demo.full(N)).maturity_e8s_equivalent).toBe(least);
    // At the threshold: a spawned child with the given nonce's subaccount.
    const r = await demo.manage(N, { Spawn: { percentage_to_spawn: [100], new_controller: [], nonce: [77n] } });
    if (!('Spawn' in r)) throw new Error('no spawn');
    const child = await demo.full(r.Spawn.created_neuron_id[0]!.id);
    expect(hex(child.account)).toBe(hex(stakingSubaccount(demo.principal, 77n)));
    expect(child.maturity_e8s_equivalent).toBe(least);
    expect((await demo.info(child.id[0]!.id)).state).toBe(NeuronState.Spawning);
    expect((await demo.full(N)).maturity_e8s_equivalent).toBe(0n);

    // Ten disbursements of 10% of what is left; the eleventh is refused.
    await setMaturity(N, 100n * ICP);
    let left = 100n * ICP;
    const amounts: bigint[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await demo.manage(N, { DisburseMaturity: { percentage_to_disburse: 10, to_account: [], to_account_identifier: [] } });
      const amount = (left * 10n) / 100n;
      expect(res).toEqual({ DisburseMaturity: { amount_disbursed_e8s: [amount] } });
      amounts.push(amount);
      left -= amount;
    }
    await expectGovError(demo.governance.disburseMaturity({ neuronId: N, percentageToDisburse: 10 }), Err.PreconditionFailed);
    const n = await demo.full(N);
    expect(n.maturity_e8s_equivalent).toBe(left);
    const pending = n.maturity_disbursements_in_progress[0]!;
    expect(pending.map((d) => d.amount_e8s[0])).toEqual(amounts);
    for (const d of pending) {
      expect(d.finalize_disbursement_timestamp_seconds[0]).toBe(d.timestamp_of_disbursement_seconds[0]! + 7n * DAY);
      expect(d.account_to_disburse_to[0]?.owner[0]?.toText()).toBe(demo.principal.toText()); // the caller, by default
    }
  });
});

describe('disburse', () => {
  it('burns the fees first, then sends the stake less the transfer fee; partial amounts; too much or too little is InsufficientFunds; the index shows it all', async () => {
    // Q earns fees with a rejected NeuronManagement proposal (its reject cost is the management fee):
    // M follows Q and R on NeuronManagement; Q proposes (1 vote of 2), R votes No (half: rejected).
    const Q = await demo.stake(3n * ICP);
    const R = await demo.stake(ICP);
    const M = await demo.stake(ICP);
    const D = await demo.stake(5n * ICP);
    await demo.governance.setFollowees({ neuronId: M, topic: Topic.NeuronManagement, followees: [Q, R] });
    const cmd = await demo.manage(Q, {
      MakeProposal: {
        title: ['Make M dissolve'],
        url: '',
        summary: 'Q proposes, R refuses.',
        action: [{ ManageNeuron: { id: [], neuron_id_or_subaccount: [{ NeuronId: { id: M } }], command: [{ Configure: { operation: [{ StartDissolving: {} }] } }] } }],
      },
    });
    if (!('MakeProposal' in cmd)) throw new Error('no proposal');
    const p = cmd.MakeProposal.proposal_id[0]!.id;
    const fee = (await demo.raw.get_network_economics_parameters()).neuron_management_fee_per_proposal_e8s;
    expect(fee).toBe(1_000_000n);
    expect((await demo.proposal(p)).status).toBe(Status.Open);
    await demo.governance.registerVote({ neuronId: R, vote: Vote.No, proposalId: p });
    const rejected = await demo.proposal(p);
    expect(rejected.status).toBe(Status.Rejected);
    expect(rejected.latest_tally[0]).toMatchObject({ yes: 1n, no: 1n, total: 2n });
    expect((await demo.full(Q)).neuron_fees_e8s).toBe(fee);
    expect((await demo.info(M)).state).toBe(NeuronState.NotDissolving);

    await demo.governance.startDissolving(Q);
    await demo.governance.startDissolving(D);
    await advance(subnet.url, 7n * DAY + 60n, ...all());
    expect((await demo.info(Q)).state).toBe(NeuronState.Dissolved);
    const supply0 = await demo.rawLedger.icrc1_total_supply();
    const demo0 = await demo.balance(demo.account);
    const qAccount = neuronAccount((await demo.full(Q)).account);
    await expectGovError(alice.governance.disburse({ neuronId: Q }), Err.NotAuthorized);
    await demo.governance.disburse({ neuronId: Q });
    expect(await demo.balance(demo.account)).toBe(demo0 + 3n * ICP - fee - FEE);
    expect(await demo.balance(qAccount)).toBe(0n);
    expect(await demo.rawLedger.icrc1_total_supply()).toBe(supply0 - fee - FEE); // the fees burned, the transfer fee too
    const q = await demo.full(Q);
    expect(q.cached_neuron_stake_e8s).toBe(0n);
    expect(q.neuron_fees_e8s).toBe(0n);
    // The neuron account's history: stake in, the burn, the disbursement (newest first).
    const history = await demo.index.getTransactions({ accountIdentifier: qAccount.toHex(), maxResults: 10n, certified: true });
    expect(history.balance).toBe(0n);
    const ops = history.transactions.map((t) => t.transaction.operation);
    expect(ops).toHaveLength(3);
    expect(ops[0]).toMatchObject({ Transfer: { from: qAccount.toHex(), to: demo.account.toHex(), amount: { e8s: 3n * ICP - fee - FEE }, fee: { e8s: FEE } } });
    expect(ops[1]).toMatchObject({ Burn: { from: qAccount.toHex(), amount: { e8s: fee } } });
    expect(ops[2]).toMatchObject({ Transfer: { to: qAccount.toHex(), amount: { e8s: 3n * ICP } } });

    // A ledger refusal is External: to the minting account (governance's default account) the
    // transfer would be a burn, which takes no fee; nothing changes, and D is not left locked.
    const minting = AccountIdentifier.fromPrincipal({ principal: GOVERNANCE_ID });
    await expectGovError(demo.governance.disburse({ neuronId: D, toAccountId: minting.toHex() }), Err.External);
    expect((await demo.full(D)).cached_neuron_stake_e8s).toBe(5n * ICP);
    expect(await demo.balance(neuronAccount((await demo.full(D)).account))).toBe(5n * ICP);
    // D: 2 ICP to Bob, then too much, too little, then the rest to the caller.
    const bob0 = await bob.balance(bob.account);
    await demo.governance.disburse({ neuronId: D, amount: 2n * ICP, toAccountId: bob.account.toHex() });
    expect(await bob.balance(bob.account)).toBe(bob0 + 2n * ICP - FEE);
    expect((await demo.full(D)).cached_neuron_stake_e8s).toBe(3n * ICP);
    await expectGovError(demo.governance.disburse({ neuronId: D, amount: 3n * ICP + 1n }), Err.InsufficientFunds);
    await expectGovError(demo.governance.disburse({ neuronId: D, amount: FEE }), Err.InsufficientFunds);
    const demo1 = await demo.balance(demo.account);
    await demo.governance.disburse({ neuronId: D });
    expect(await demo.balance(demo.account)).toBe(demo1 + 3n * ICP - FEE);
    expect((await demo.full(D)).cached_neuron_stake_e8s).toBe(0n);

    // Empty neurons: left out of list_neurons when asked to, still in get_neuron_ids.
    const listed = async (empty: [] | [boolean]) =>
      (
        await demo.raw.list_neurons({
          neuron_ids: new BigUint64Array(),
          include_neurons_readable_by_caller: true,
          include_empty_neurons_readable_by_caller: empty,
          include_public_neurons_in_full_neurons: [],
          neuron_subaccounts: [],
          page_number: [],
          page_size: [],
        })
      ).neuron_infos.map(([id]) => id);
    const ids = [...(await demo.raw.get_neuron_ids())];
    expect(ids).toEqual(expect.arrayContaining([Q, D]));
    // Empty: no stake left after fees, no maturity, no staked maturity.
    const isEmpty = (n: Gov.Neuron) =>
      n.cached_neuron_stake_e8s <= n.neuron_fees_e8s && n.maturity_e8s_equivalent === 0n && (n.staked_maturity_e8s_equivalent[0] ?? 0n) === 0n;
    const fulls = await Promise.all(ids.map((id) => demo.full(id)));
    const nonEmpty = ids.filter((_, i) => !isEmpty(fulls[i]));
    expect(nonEmpty).not.toContain(Q);
    expect(nonEmpty).not.toContain(D);
    expect(await listed([false])).toEqual(nonEmpty);
    expect(await listed([true])).toEqual(ids);
    expect(await listed([])).toEqual(ids); // the default includes them
  });
});
