// Every neuron command governance offers, each prepared into a review (checked first against the
// neuron's state and the network's limits) and run when confirmed. This class is the one entry
// point; the commands that move stake or maturity live in neuron-split-merge.ts, neuron-maturity.ts
// and neuron-disburse.ts, staking in neuron-stake.ts.
import { NeuronVisibility, Topic } from '@icp-sdk/canisters/nns';
import { invalidInput } from '../api/errors.ts';
import type { Review } from '../api/review.ts';
import type { ServiceContext } from './context.ts';
import { manageNeuronCall } from './neuron-calls.ts';
import { days, done, prepareCommand, ran, refuseWhen, requireFresh, target, type CommandResult, type Target } from './neuron-command-kit.ts';
import { prepareDisburse, prepareDisburseToNeuron, type DisburseArgs, type DisburseToNeuronArgs } from './neuron-disburse.ts';
import { checkFollowees, type FollowingArgs } from './neuron-following.ts';
import { parsePrincipal, parseSeconds } from './neuron-input.ts';
import {
  prepareDisburseMaturity,
  prepareSpawn,
  prepareStakeMaturity,
  type DisburseMaturityArgs,
  type SpawnArgs,
  type StakeMaturityArgs,
} from './neuron-maturity.ts';
import { prepareMerge, prepareSplit, type MergeArgs, type MergeReview, type SplitArgs } from './neuron-split-merge.ts';
import { topicName } from './neuron-view.ts';

type Id = bigint | string;

export type { CommandResult };

export class NeuronCommands {
  constructor(private readonly ctx: ServiceContext) {}

  // ---- Dissolve delay and state -------------------------------------------------------------

  /** Raises the dissolve delay to `dissolveDelaySeconds` (the new total, as a slider chooses it). */
  async prepareIncreaseDissolveDelay(a: { neuronId: Id; dissolveDelaySeconds: bigint | number | string }): Promise<Review> {
    const t = await target(this.ctx, a.neuronId, 'controller', 'change its dissolve delay');
    const wanted = parseSeconds(a.dissolveDelaySeconds, 'dissolve delay');
    const { view, loaded } = t;
    const max = loaded.limits.maximumDissolveDelaySeconds;
    refuseWhen(view.state === 'spawning', `Neuron ${t.id} is spawning: its dissolve delay cannot change.`);
    refuseWhen(wanted > max, `The dissolve delay can be at most ${days(max)}.`);
    refuseWhen(wanted <= view.dissolveDelaySeconds, `Neuron ${t.id} already has a dissolve delay of ${days(view.dissolveDelaySeconds)}: choose a longer one.`);
    const additional = wanted - view.dissolveDelaySeconds;
    // A dissolving neuron's delay shrinks every second: the target is its dissolve date.
    const targetWhen = view.state === 'dissolving' ? view.dissolveAtSeconds! + additional : undefined;
    const action = 'increase-dissolve-delay';
    return prepareCommand(
      t,
      {
        action,
        title: `Increase the dissolve delay of neuron ${t.id} to ${days(wanted)}`,
        calls: [manageNeuronCall(t.id, { Configure: { operation: { IncreaseDissolveDelay: { additional_dissolve_delay_seconds: additional } } } })],
        notes: [
          'A dissolve delay can only be increased: the stake stays locked at least this long once the neuron starts dissolving.',
          ...(view.state === 'dissolved' ? ['The neuron is dissolved: it will be locked again, and its age starts from zero.'] : []),
          ...votingNote(wanted, loaded.limits.minimumDissolveDelayToVoteSeconds),
        ],
      },
      async () => {
        const now = await requireFresh(t);
        let add: bigint;
        if (now.state === 'dissolving' && targetWhen !== undefined) add = targetWhen - now.dissolveAtSeconds!;
        else add = wanted - now.dissolveDelaySeconds;
        if (add <= 0n) return done(action, t.id);
        await t.conn.governance.increaseDissolveDelay({ neuronId: t.id, additionalDissolveDelaySeconds: Number(add) });
        return ran(action, t.id);
      },
    );
  }

  /** Sets when the neuron dissolves (a timestamp in seconds; must lengthen the current delay). */
  async prepareSetDissolveTimestamp(a: { neuronId: Id; timestampSeconds: bigint | number | string }): Promise<Review> {
    const t = await target(this.ctx, a.neuronId, 'controller', 'change its dissolve delay');
    const ts = parseSeconds(a.timestampSeconds, 'dissolve date');
    const { view, loaded } = t;
    const now = view.retrievedAtSeconds;
    const max = loaded.limits.maximumDissolveDelaySeconds;
    refuseWhen(view.state === 'spawning', `Neuron ${t.id} is spawning: its dissolve delay cannot change.`);
    refuseWhen(ts <= now, 'The dissolve date must be in the future.');
    refuseWhen(ts - now > max, `The dissolve date can be at most ${days(max)} from now.`);
    refuseWhen(ts - now <= view.dissolveDelaySeconds, `That date is earlier than neuron ${t.id} can dissolve already: choose a later one.`);
    const action = 'set-dissolve-timestamp';
    return prepareCommand(
      t,
      {
        action,
        title: `Set the dissolve date of neuron ${t.id} to ${new Date(Number(ts) * 1000).toISOString().slice(0, 10)}`,
        calls: [manageNeuronCall(t.id, { Configure: { operation: { SetDissolveTimestamp: { dissolve_timestamp_seconds: ts } } } })],
        notes: ['A dissolve delay can only be increased.', ...votingNote(ts - now, loaded.limits.minimumDissolveDelayToVoteSeconds)],
      },
      async () => {
        const fresh = await requireFresh(t);
        // Done when the neuron cannot dissolve before `ts` any more (locked: now + delay).
        if ((fresh.dissolveAtSeconds ?? 0n) >= ts && fresh.state !== 'dissolved') return done(action, t.id);
        await t.conn.governance.setDissolveDelay({ neuronId: t.id, dissolveDelaySeconds: Number(ts) });
        return ran(action, t.id);
      },
    );
  }

  async prepareStartDissolving(a: { neuronId: Id }): Promise<Review> {
    const t = await target(this.ctx, a.neuronId, 'controller', 'start dissolving it');
    refuseWhen(t.view.state !== 'locked', `Neuron ${t.id} is ${t.view.state}: only a locked neuron can start dissolving.`);
    const action = 'start-dissolving';
    return prepareCommand(
      t,
      {
        action,
        title: `Start dissolving neuron ${t.id}`,
        calls: [manageNeuronCall(t.id, { Configure: { operation: { StartDissolving: {} } } })],
        notes: [
          `The stake can be disbursed after ${days(t.view.dissolveDelaySeconds)}.`,
          'The neuron loses its age bonus; its voting power falls as the delay runs down.',
        ],
      },
      async () => {
        const fresh = await requireFresh(t);
        if (fresh.state === 'dissolving' || fresh.state === 'dissolved') return done(action, t.id);
        await t.conn.governance.startDissolving(t.id);
        return ran(action, t.id);
      },
    );
  }

  async prepareStopDissolving(a: { neuronId: Id }): Promise<Review> {
    const t = await target(this.ctx, a.neuronId, 'controller', 'stop dissolving it');
    refuseWhen(t.view.state !== 'dissolving', `Neuron ${t.id} is ${t.view.state}: only a dissolving neuron can stop dissolving.`);
    const action = 'stop-dissolving';
    return prepareCommand(
      t,
      {
        action,
        title: `Stop dissolving neuron ${t.id}`,
        calls: [manageNeuronCall(t.id, { Configure: { operation: { StopDissolving: {} } } })],
        notes: [`The neuron will be locked with its remaining dissolve delay (${days(t.view.dissolveDelaySeconds)}) and start aging.`],
      },
      async () => {
        const fresh = await requireFresh(t);
        if (fresh.state === 'locked') return done(action, t.id);
        await t.conn.governance.stopDissolving(t.id);
        return ran(action, t.id);
      },
    );
  }

  // ---- Hotkeys --------------------------------------------------------------------------------

  async prepareAddHotkey(a: { neuronId: Id; principal: string }): Promise<Review> {
    const t = await target(this.ctx, a.neuronId, 'controller', 'add a hotkey');
    const key = parsePrincipal(a.principal, 'principal for the hotkey');
    const text = key.toText();
    refuseWhen(key.isAnonymous(), 'The anonymous principal cannot be a hotkey.');
    refuseWhen(text === t.view.controller, 'The controller does not need to be a hotkey of its own neuron.');
    refuseWhen(t.view.hotkeys.includes(text), `${text} is already a hotkey of neuron ${t.id}.`);
    refuseWhen(t.view.hotkeys.length >= t.loaded.limits.maxHotkeys, `Neuron ${t.id} already has ${t.loaded.limits.maxHotkeys} hotkeys, the most it can have.`);
    const action = 'add-hotkey';
    return prepareCommand(
      t,
      {
        action,
        title: `Add hotkey ${text} to neuron ${t.id}`,
        calls: [manageNeuronCall(t.id, { Configure: { operation: { AddHotKey: { new_hot_key: text } } } })],
        notes: ['A hotkey can vote, follow, make proposals and see the neuron; it cannot disburse, split or change the dissolve delay.'],
      },
      async () => {
        const fresh = await requireFresh(t);
        if (fresh.hotkeys.includes(text)) return done(action, t.id);
        await t.conn.governance.addHotkey({ neuronId: t.id, principal: key });
        return ran(action, t.id);
      },
    );
  }

  /** Removes a hotkey (the controller may remove any; a hotkey may remove itself). */
  async prepareRemoveHotkey(a: { neuronId: Id; principal: string }): Promise<Review> {
    const key = parsePrincipal(a.principal, 'principal of the hotkey');
    const text = key.toText();
    const t = await target(this.ctx, a.neuronId, 'controller-or-hotkey', 'remove a hotkey');
    const self = text === t.conn.principal.toText();
    refuseWhen(!t.view.isController && !self, `Only the controller of neuron ${t.id} can remove other hotkeys; this identity is one of its hotkeys.`);
    refuseWhen(!t.view.hotkeys.includes(text), `${text} is not a hotkey of neuron ${t.id}.`);
    const action = 'remove-hotkey';
    return prepareCommand(
      t,
      {
        action,
        title: `Remove hotkey ${text} from neuron ${t.id}`,
        calls: [manageNeuronCall(t.id, { Configure: { operation: { RemoveHotKey: { hot_key_to_remove: text } } } })],
        notes: self
          ? [`${text} is this identity: after this it loses access to neuron ${t.id} (it will no longer see it, vote or follow with it). Only the controller can add it back.`]
          : [`${text} will no longer be able to vote or follow with neuron ${t.id}.`],
      },
      async () => {
        const fresh = await requireFresh(t).catch(() => undefined);
        if (!fresh || !fresh.hotkeys.includes(text)) return done(action, t.id);
        await t.conn.governance.removeHotkey({ neuronId: t.id, principal: key });
        return ran(action, t.id);
      },
    );
  }

  // ---- Following ------------------------------------------------------------------------------

  /** Follows `followees` on `topic` (an empty list stops following on that topic). */
  prepareFollow(a: { neuronId: Id; topic: number; followees: Id[] }): Promise<Review> {
    return this.following({ neuronId: a.neuronId, topics: [{ topic: a.topic, followees: a.followees }] }, 'follow');
  }

  /** Sets the followees of several topics at once (SetFollowing); other topics are left as they are. */
  prepareSetFollowing(a: FollowingArgs): Promise<Review> {
    return this.following(a, 'set-following');
  }

  private async following(a: FollowingArgs, kind: 'follow' | 'set-following'): Promise<Review> {
    const topics = (a.topics ?? []).map((x) => x.topic);
    const needsController = topics.includes(Topic.NeuronManagement);
    const t = await target(this.ctx, a.neuronId, needsController ? 'controller' : 'controller-or-hotkey', 'change its following on the neuron management topic');
    const following = await checkFollowees(t, a.topics);
    const describe = following.map((f) => `${topicName(f.topic)}: ${f.followees.length === 0 ? 'no one' : f.followees.map((id) => nameOf(t, id)).join(', ')}`);
    const single = kind === 'follow' && following.length === 1;
    const action = single ? 'follow' : 'set-following';
    const call = single
      ? manageNeuronCall(t.id, { Follow: { topic: following[0].topic, followees: following[0].followees } })
      : manageNeuronCall(t.id, { SetFollowing: { topic_following: following.map((f) => ({ topic: f.topic, followees: f.followees })) } });
    return prepareCommand(
      t,
      {
        action,
        title: single ? `Neuron ${t.id} follows on ${topicName(following[0].topic)}` : `Set the following of neuron ${t.id}`,
        calls: [call],
        notes: [...describe, 'Changing the following also refreshes the neuron\'s voting power.'],
      },
      async () => {
        // Follow and SetFollowing replace lists: sending them again changes nothing.
        if (single) await t.conn.governance.setFollowees({ neuronId: t.id, topic: following[0].topic, followees: following[0].followees });
        else await t.conn.governance.setFollowing({ neuronId: t.id, topicFollowing: following });
        return ran(action, t.id);
      },
    );
  }

  // ---- Settings -------------------------------------------------------------------------------

  async prepareSetVisibility(a: { neuronId: Id; visibility: 'public' | 'private' }): Promise<Review> {
    const t = await target(this.ctx, a.neuronId, 'controller', 'change its visibility');
    if (a.visibility !== 'public' && a.visibility !== 'private') throw invalidInput('The visibility is either "public" or "private".');
    refuseWhen(t.view.visibility === a.visibility, `Neuron ${t.id} is already ${a.visibility}.`);
    refuseWhen(a.visibility === 'private' && t.view.knownNeuronName !== undefined, `Neuron ${t.id} is a known neuron: known neurons are always public.`);
    const v = a.visibility === 'public' ? NeuronVisibility.Public : NeuronVisibility.Private;
    const action = 'set-visibility';
    return prepareCommand(
      t,
      {
        action,
        title: `Make neuron ${t.id} ${a.visibility}`,
        calls: [manageNeuronCall(t.id, { Configure: { operation: { SetVisibility: { visibility: v } } } })],
        notes: [
          a.visibility === 'public'
            ? 'Anyone will see the neuron\'s votes, followees and stake; any neuron will be able to follow it.'
            : 'Its votes and followees will be visible only to its controller and hotkeys.',
        ],
      },
      async () => {
        const fresh = await requireFresh(t);
        if (fresh.visibility === a.visibility) return done(action, t.id);
        await t.conn.governance.setVisibility(t.id, v);
        return ran(action, t.id);
      },
    );
  }

  async prepareSetAutoStakeMaturity(a: { neuronId: Id; enabled: boolean }): Promise<Review> {
    const t = await target(this.ctx, a.neuronId, 'controller', 'change its auto-stake setting');
    const on = a.enabled === true;
    refuseWhen(t.view.autoStakeMaturity === on, `Auto-stake maturity is already ${on ? 'on' : 'off'} for neuron ${t.id}.`);
    const action = 'set-auto-stake-maturity';
    return prepareCommand(
      t,
      {
        action,
        title: `Turn ${on ? 'on' : 'off'} auto-stake maturity for neuron ${t.id}`,
        calls: [manageNeuronCall(t.id, { Configure: { operation: { ChangeAutoStakeMaturity: { requested_setting_for_auto_stake_maturity: on } } } })],
        notes: [on ? 'New rewards will be staked (adding voting power) instead of accumulating as maturity.' : 'New rewards will accumulate as maturity.'],
      },
      async () => {
        const fresh = await requireFresh(t);
        if (fresh.autoStakeMaturity === on) return done(action, t.id);
        await t.conn.governance.autoStakeMaturity({ neuronId: t.id, autoStake: on });
        return ran(action, t.id);
      },
    );
  }

  async prepareJoinNeuronsFund(a: { neuronId: Id }): Promise<Review> {
    return this.neuronsFund(a.neuronId, true);
  }

  async prepareLeaveNeuronsFund(a: { neuronId: Id }): Promise<Review> {
    return this.neuronsFund(a.neuronId, false);
  }

  private async neuronsFund(neuronId: Id, join: boolean): Promise<Review> {
    const t = await target(this.ctx, neuronId, 'controller-or-hotkey', join ? 'join the Neurons\' Fund' : 'leave the Neurons\' Fund');
    refuseWhen(t.view.neuronsFund === join, `Neuron ${t.id} is ${join ? 'already' : 'not'} in the Neurons' Fund.`);
    const action = join ? 'join-neurons-fund' : 'leave-neurons-fund';
    return prepareCommand(
      t,
      {
        action,
        title: `${join ? 'Join' : 'Leave'} the Neurons' Fund with neuron ${t.id}`,
        calls: [manageNeuronCall(t.id, { Configure: { operation: join ? { JoinCommunityFund: {} } : { LeaveCommunityFund: {} } } })],
        notes: join
          ? ['The neuron\'s maturity may be invested in SNS decentralization swaps the NNS approves.', 'A neuron in the Neurons\' Fund cannot be merged.']
          : ['Maturity already committed to a swap stays committed.'],
      },
      async () => {
        const fresh = await requireFresh(t);
        if (fresh.neuronsFund === join) return done(action, t.id);
        if (join) await t.conn.governance.joinCommunityFund(t.id);
        else await t.conn.governance.leaveCommunityFund(t.id);
        return ran(action, t.id);
      },
    );
  }

  async prepareRefreshVotingPower(a: { neuronId: Id }): Promise<Review> {
    const t = await target(this.ctx, a.neuronId, 'controller-or-hotkey', 'refresh its voting power');
    const action = 'refresh-voting-power';
    return prepareCommand(
      t,
      {
        action,
        title: `Confirm the following of neuron ${t.id} (refresh its voting power)`,
        calls: [manageNeuronCall(t.id, { RefreshVotingPower: {} })],
        notes: [`Rewards keep their full size for ${days(t.loaded.limits.startReducingVotingPowerAfterSeconds)} after a refresh.`],
      },
      async () => {
        await t.conn.governance.refreshVotingPower({ neuronId: t.id });
        return ran(action, t.id);
      },
    );
  }

  // ---- Commands that move stake or maturity (own modules) -------------------------------------

  prepareSplit(a: SplitArgs): Promise<Review> {
    return prepareSplit(this.ctx, a);
  }

  /** Merge `sourceNeuronId` into `targetNeuronId`; the review carries the simulated result. */
  prepareMerge(a: MergeArgs): Promise<MergeReview> {
    return prepareMerge(this.ctx, a);
  }

  prepareSpawn(a: SpawnArgs): Promise<Review> {
    return prepareSpawn(this.ctx, a);
  }

  prepareStakeMaturity(a: StakeMaturityArgs): Promise<Review> {
    return prepareStakeMaturity(this.ctx, a);
  }

  prepareDisburseMaturity(a: DisburseMaturityArgs): Promise<Review> {
    return prepareDisburseMaturity(this.ctx, a);
  }

  prepareDisburse(a: DisburseArgs): Promise<Review> {
    return prepareDisburse(this.ctx, a);
  }

  prepareDisburseToNeuron(a: DisburseToNeuronArgs): Promise<Review> {
    return prepareDisburseToNeuron(this.ctx, a);
  }

  /** Runs a prepared command (any review of this class). */
  confirm(reviewId: string): Promise<CommandResult> {
    return this.ctx.reviews.confirm<CommandResult>(reviewId);
  }
}

function votingNote(delay: bigint, minimum: bigint): string[] {
  return delay < minimum ? [`With a dissolve delay under ${days(minimum)} the neuron cannot vote and earns no rewards.`] : [];
}

function nameOf(t: Target, id: bigint): string {
  const name = t.loaded.knownNeurons.get(id);
  return name ? `${name} (${id})` : String(id);
}

