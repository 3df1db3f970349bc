// The user's neurons and their computed fields, against the demo world of a live subnet: every
// field checked against numbers computed here from the raw neuron data and the formulas of
// shared/reference/nns-canisters.md, then time travel (rewards, dissolving, voting power decay).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NeuronInfo } from '@icp-sdk/canisters/nns';
import { DeskError } from '../../../electron/api/errors.ts';
import { NeuronCommands } from '../../../electron/services/neuron-commands.ts';
import { MAX_DISSOLVE_DELAY_SECONDS } from '../../../electron/services/neuron-limits.ts';
import type { NeuronView } from '../../../electron/services/neuron-view.ts';
import { Neurons } from '../../../electron/services/neurons.ts';
import type { Subnet } from '../../../subnet/subnet.ts';
import { advance, deskFor, demoIdentity, startDeskSubnet, type TestDesk } from '../support/desk.ts';

const ICP = 100_000_000n;
const DAY = 86_400n;
const TWO_YEARS = 63_115_200n;
const FOUR_YEARS = 126_230_400n;

let subnet: Subnet;
let demo: TestDesk;
let neurons: Neurons;

beforeAll(async () => {
  subnet = await startDeskSubnet('demo');
  demo = await deskFor(subnet.url, demoIdentity('demo'));
  neurons = new Neurons(demo.ctx);
});
afterAll(async () => subnet?.stop());

const raw = async (d: TestDesk = demo): Promise<NeuronInfo[]> => d.connection.governance.listNeurons({ certified: true, includeEmptyNeurons: false });
const byId = <T extends { id: bigint }>(list: T[], id: bigint) => list.find((n) => n.id === id)!;

/**
 * Mission 70 potential voting power, from nns-canisters.md, in exact integers, from the raw neuron
 * at time `now` (0 below the minimum dissolve delay to vote, as governance reports it).
 */
function potentialOf(n: NeuronInfo, now: bigint, minDelayToVote: bigint): bigint {
  const f = n.fullNeuron!;
  const own = f.cachedNeuronStake > f.neuronFees ? f.cachedNeuronStake - f.neuronFees : 0n;
  const stake = own + (f.stakedMaturityE8sEquivalent ?? 0n);
  const delay = delayOf(n, now);
  if (delay < minDelayToVote) return 0n;
  const d = delay < TWO_YEARS ? delay : TWO_YEARS;
  const age = ageOf(n, now);
  const a = age < FOUR_YEARS ? age : FOUR_YEARS;
  // stake * (1 + 2 (d/T)^2) * (1 + a/A/4)
  return (stake * (TWO_YEARS * TWO_YEARS + 2n * d * d) * (4n * FOUR_YEARS + a)) / (TWO_YEARS * TWO_YEARS * 4n * FOUR_YEARS);
}

function delayOf(n: NeuronInfo, now: bigint): bigint {
  const ds = n.fullNeuron!.dissolveState!;
  if ('DissolveDelaySeconds' in ds) return ds.DissolveDelaySeconds;
  return ds.WhenDissolvedTimestampSeconds > now ? ds.WhenDissolvedTimestampSeconds - now : 0n;
}

function ageOf(n: NeuronInfo, now: bigint): bigint {
  const f = n.fullNeuron!;
  return 'DissolveDelaySeconds' in f.dissolveState! && f.agingSinceTimestampSeconds <= now ? now - f.agingSinceTimestampSeconds : 0n;
}

/** Deciding power: full for 6 months after a refresh, then down linearly to 0 over one month. */
function decidingOf(potential: bigint, now: bigint, refreshed: bigint, startReducing: bigint, clearAfter: bigint): bigint {
  const since = now - refreshed;
  if (since <= startReducing) return potential;
  const over = since - startReducing;
  return over >= clearAfter ? 0n : (potential * (clearAfter - over)) / clearAfter;
}

describe('neurons', () => {
  it('lists the user\'s neurons in every state, with limits from the network economics', async () => {
    const list = await neurons.list();
    const states = list.map((n) => n.state).sort();
    expect(states).toEqual(['dissolved', 'dissolving', 'locked', 'locked', 'locked']);
    expect(list.filter((n) => !n.isController)).toHaveLength(1); // the hardware-wallet neuron, as a hotkey
    const hot = list.find((n) => !n.isController)!;
    expect(hot.hotkeys).toContain(demo.connection.principal.toText());
    expect(hot.stakeE8s).toBe(300n * ICP);
    expect(list.map((n) => n.stakeE8s).sort((a, b) => Number(a - b))).toEqual([75n, 150n, 300n, 500n, 1_200n].map((x) => x * ICP));
    // Plain data only: everything survives a structured clone and a JSON round trip with bigints as text.
    expect(structuredClone(list)).toEqual(list);
    expect(() => JSON.stringify(list, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).not.toThrow();

    const limits = await neurons.limits();
    const economics = await demo.connection.governance.getNetworkEconomicsParameters({ certified: true });
    expect(limits.minimumStakeE8s).toBe(economics.neuronMinimumStake);
    expect(limits.minimumDissolveDelayToVoteSeconds).toBe(economics.votingPowerEconomics!.neuronMinimumDissolveDelayToVoteSeconds);
    expect(limits.startReducingVotingPowerAfterSeconds).toBe(economics.votingPowerEconomics!.startReducingVotingPowerAfterSeconds);
    expect(limits.maximumDissolveDelaySeconds).toBe(MAX_DISSOLVE_DELAY_SECONDS);
    expect(limits.rejectCostE8s).toBe(economics.rejectCost);
  });

  it('computes every field as the formulas give it from the raw neuron', async () => {
    const [list, infos, limits, known] = await Promise.all([neurons.list(), raw(), neurons.limits(), demo.connection.governance.listKnownNeurons(true)]);
    const names = new Map(known.map((k) => [k.id, k.name]));
    const event = await demo.connection.governance.getLatestRewardEvent(true);
    const newest = (await demo.connection.governance.listProposals({ certified: true, request: { limit: 1, beforeProposal: undefined, includeRewardStatus: [], excludeTopic: [], includeAllManageNeuronProposals: false, includeStatus: [] } })).proposals[0];
    const yearlyPerPower = (Number(event.total_available_e8s_equivalent) / Number(event.rounds_since_last_distribution[0] ?? 1n)) * 365.25 / Number(newest.totalPotentialVotingPower!);
    expect(yearlyPerPower).toBeGreaterThan(0.01);
    expect(yearlyPerPower).toBeLessThan(0.2);
    expect(infos).toHaveLength(list.length);

    for (const info of infos) {
      const v = byId(list, info.neuronId);
      const f = info.fullNeuron!;
      // The view's own time (the raw neurons were read a moment apart).
      const now = v.retrievedAtSeconds;
      expect(v.stakeE8s).toBe(f.cachedNeuronStake - f.neuronFees);
      expect(v.maturityE8s).toBe(f.maturityE8sEquivalent);
      expect(v.stakedMaturityE8s).toBe(f.stakedMaturityE8sEquivalent ?? 0n);
      expect(v.votingStakeE8s).toBe(f.cachedNeuronStake - f.neuronFees + (f.stakedMaturityE8sEquivalent ?? 0n));
      expect(v.accountId).toBe(f.accountIdentifier);
      expect(v.controller).toBe(f.controller);
      expect(v.dissolveDelaySeconds).toBe(delayOf(info, now));
      expect(v.ageSeconds).toBe(ageOf(info, now));
      expect(v.createdAtSeconds).toBe(f.createdTimestampSeconds);
      // State and dissolve date from the dissolve state.
      const ds = f.dissolveState!;
      if ('WhenDissolvedTimestampSeconds' in ds) {
        expect(v.dissolveAtSeconds).toBe(ds.WhenDissolvedTimestampSeconds);
        expect(v.state).toBe(ds.WhenDissolvedTimestampSeconds <= now ? 'dissolved' : 'dissolving');
      } else {
        expect(v.state).toBe(ds.DissolveDelaySeconds > 0n ? 'locked' : 'dissolved');
        expect(v.dissolveAtSeconds).toBe(now + ds.DissolveDelaySeconds);
      }
      // Voting power (Mission 70) and its decay since the last refresh.
      const potential = potentialOf(info, now, limits.minimumDissolveDelayToVoteSeconds);
      expect(v.potentialVotingPower).toBe(potential);
      const refreshed = f.votingPowerRefreshedTimestampSeconds!;
      expect(v.decidingVotingPower).toBe(decidingOf(potential, now, refreshed, limits.startReducingVotingPowerAfterSeconds, limits.clearFollowingAfterSeconds));
      expect(v.canVote).toBe(delayOf(info, now) >= limits.minimumDissolveDelayToVoteSeconds);
      expect(v.votingPowerRefreshedAtSeconds).toBe(refreshed);
      expect(v.refreshNeededBySeconds).toBe(refreshed + limits.startReducingVotingPowerAfterSeconds);
      expect(v.refreshBannerFromSeconds).toBe(refreshed + limits.startReducingVotingPowerAfterSeconds - 30n * DAY);
      expect(v.refreshNeeded).toBe(now >= refreshed + limits.startReducingVotingPowerAfterSeconds - 30n * DAY);
      // Following with the known neurons' names.
      const following = f.followees.filter((x) => x.followees.length > 0);
      expect(v.following.map((x) => x.topic).sort()).toEqual(following.map((x) => x.topic).sort());
      for (const t of following) {
        const shown = v.following.find((x) => x.topic === t.topic)!;
        expect(shown.followees.map((x) => x.id)).toEqual(t.followees);
        for (const x of shown.followees) expect(x.name).toBe(names.get(x.id));
      }
      expect(v.hotkeys).toEqual(f.hotKeys);
      expect(v.autoStakeMaturity).toBe(f.autoStakeMaturity ?? false);
      expect(v.neuronsFund).toBe(f.joinedCommunityFundTimestampSeconds !== undefined);
      expect(v.visibility).toBe(f.visibility === 2 ? 'public' : 'private');
      // APY: the latest reward pool per day, a year of it, per unit of potential power, times this neuron's multiplier.
      const votingStake = Number(v.votingStakeE8s);
      const expected = votingStake > 0 ? (yearlyPerPower * Number(v.decidingVotingPower)) / votingStake : 0;
      expect(v.apy).toBeCloseTo(expected, 6);
    }
    const twoYears = list.find((n) => n.dissolveDelaySeconds === TWO_YEARS)!;
    const oneYear = list.find((n) => n.state === 'locked' && n.dissolveDelaySeconds === 31_557_600n)!;
    expect(twoYears.apy!).toBeGreaterThan(oneYear.apy!); // a longer delay earns more
    expect(twoYears.following.find((f) => f.topic === 4)!.followees).toHaveLength(3);
    expect(twoYears.following.find((f) => f.topic === 4)!.followees.every((f) => typeof f.name === 'string')).toBe(true);
    expect(byId(list, list.find((n) => n.state === 'dissolved')!.id).apy).toBe(0); // no voting power, no rewards
  });

  it('gets one neuron, and refuses ids that are not the user\'s', async () => {
    const list = await neurons.list();
    // Read alone (one neuron asked of governance), each is the view the list gives (hotkey ones too),
    // apart from what moves with the clock between the two reads.
    // (A locked neuron's "would dissolve on" is now plus its delay.)
    const still = ({ retrievedAtSeconds: _a, ageSeconds: _b, decidingVotingPower: _c, potentialVotingPower: _d, dissolveDelaySeconds: _e, apy: _f, dissolveAtSeconds, ...rest }: NeuronView) =>
      rest.state === 'locked' ? rest : { ...rest, dissolveAtSeconds };
    for (const n of list) expect(still(await neurons.get(String(n.id))), `neuron ${n.id}`).toEqual(still(n));
    expect(list.some((n) => !n.isController)).toBe(true);
    await expect(neurons.get('12x')).rejects.toMatchObject({ kind: 'invalid-input' });
    await expect(neurons.get('-1')).rejects.toMatchObject({ kind: 'invalid-input' });
    await expect(neurons.get(2n ** 64n)).rejects.toMatchObject({ kind: 'invalid-input' });
    const known = (await neurons.knownNeurons())[0];
    const e = await neurons.get(known.id).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DeskError);
    expect(e).toMatchObject({ kind: 'not-found' });
    expect((await neurons.knownNeurons()).map((k) => k.name)).toContain('Lantern Hill Collective');
  });

  it('follows time: rewards raise maturity, dissolving neurons dissolve, voting power decays until refreshed', async () => {
    const before = await neurons.list();
    const locked = before.filter((n) => n.state === 'locked' && n.isController);
    await advance(subnet.url, 2 * 86_400, demo);
    const later = await neurons.list();
    for (const n of locked) expect(byId(later, n.id).maturityE8s).toBeGreaterThan(n.maturityE8s);

    const dissolving = later.find((n) => n.state === 'dissolving')!;
    const wait = dissolving.dissolveAtSeconds! - dissolving.retrievedAtSeconds;
    await advance(subnet.url, Number(wait) - 3_600, demo);
    const almost = byId(await neurons.list(), dissolving.id);
    expect(almost.state).toBe('dissolving');
    expect(almost.dissolveDelaySeconds).toBeLessThanOrEqual(3_600n);
    await advance(subnet.url, 7_200, demo);
    const after = await neurons.list();
    const dissolved = byId(after, dissolving.id);
    expect(dissolved.state).toBe('dissolved');
    expect(dissolved.dissolveDelaySeconds).toBe(0n);
    expect(dissolved.potentialVotingPower).toBe(0n);

    // More than six months since the neurons last refreshed (at their setup): the banner shows and
    // the deciding power is reduced; a refresh restores it.
    const stale = after.find((n) => n.isController && n.state === 'locked' && n.refreshNeeded)!;
    expect(stale).toBeDefined();
    const limits = await neurons.limits();
    if (stale.retrievedAtSeconds > stale.refreshNeededBySeconds!) {
      expect(stale.decidingVotingPower).toBeLessThan(stale.potentialVotingPower);
    } else {
      await advance(subnet.url, Number(stale.refreshNeededBySeconds! - stale.retrievedAtSeconds) + 86_400, demo);
    }
    const decayed = byId(await neurons.list(), stale.id);
    expect(decayed.decidingVotingPower).toBeLessThan(decayed.potentialVotingPower);
    expect(decayed.decidingVotingPower).toBe(
      decidingOf(decayed.potentialVotingPower, decayed.retrievedAtSeconds, decayed.votingPowerRefreshedAtSeconds!, limits.startReducingVotingPowerAfterSeconds, limits.clearFollowingAfterSeconds),
    );
    const commands = new NeuronCommands(demo.ctx);
    const review = await commands.prepareRefreshVotingPower({ neuronId: stale.id });
    expect(review.calls[0]).toMatchObject({ method: 'manage_neuron', args: { neuron_id: stale.id, command: { RefreshVotingPower: {} } } });
    expect(await commands.confirm(review.id)).toMatchObject({ action: 'refresh-voting-power', neuronId: stale.id, alreadyDone: false });
    const refreshed: NeuronView = byId(await neurons.list(), stale.id);
    expect(refreshed.refreshNeeded).toBe(false);
    expect(refreshed.decidingVotingPower).toBe(refreshed.potentialVotingPower);
    expect(refreshed.votingPowerRefreshedAtSeconds).toBeGreaterThan(stale.votingPowerRefreshedAtSeconds!);
  });
});
