// Split (part of a neuron's stake into a new neuron) and merge (one neuron into another, previewed
// with simulate_manage_neuron). A split's child is made with a memo fixed when the review is
// prepared, so confirming again after a lost answer finds the child instead of splitting twice.
import { Principal } from '@icp-sdk/core/principal';
import { formatIcp } from '../api/amounts.ts';
import type { Review } from '../api/review.ts';
import type { ServiceContext } from './context.ts';
import { toDeskError } from './errors.ts';
import { manageNeuronCall, randomNonce } from './neuron-calls.ts';
import { childNeuronId, days, done, freshNeuron, prepareCommand, ran, refuseWhen, target, type CommandDraft } from './neuron-command-kit.ts';
import { parseAmount, parseNeuronId } from './neuron-input.ts';
import { toNeuronView, type NeuronView } from './neuron-view.ts';
import { findNeuron } from './neurons.ts';

export interface SplitArgs {
  neuronId: bigint | string;
  /** The new neuron's share: it receives this minus the transaction fee. */
  amount: bigint | string;
}

export interface MergeArgs {
  targetNeuronId: bigint | string;
  sourceNeuronId: bigint | string;
}

/** A merge's review, with governance's simulation of the merged neuron. */
export type MergeReview = Review & { preview: NeuronView };

export async function prepareSplit(ctx: ServiceContext, a: SplitArgs): Promise<Review> {
  const t = await target(ctx, a.neuronId, 'controller', 'split it');
  const amount = parseAmount(a.amount);
  const { minimumStakeE8s: min, transactionFeeE8s: fee } = t.loaded.limits;
  refuseWhen(t.view.state === 'spawning', `Neuron ${t.id} is spawning: it cannot be split.`);
  refuseWhen(amount < min + fee, `A split needs at least ${formatIcp(min + fee)} ICP: the minimum stake of a neuron plus the transaction fee.`);
  refuseWhen(t.view.stakeE8s < amount + min, `Neuron ${t.id} has ${formatIcp(t.view.stakeE8s)} ICP: it must keep at least ${formatIcp(min)} ICP after the split.`);
  const memo = randomNonce();
  const controller = Principal.fromText(t.view.controller!);
  const action = 'split-neuron';
  return prepareCommand(
    t,
    {
      action,
      title: `Split ${formatIcp(amount)} ICP off neuron ${t.id}`,
      calls: [manageNeuronCall(t.id, { Split: { amount_e8s: amount, memo } })],
      amountE8s: amount - fee,
      feeE8s: fee,
      from: t.view.accountId,
      destination: 'A new neuron of the same controller',
      notes: [
        `The new neuron gets ${formatIcp(amount - fee)} ICP, a proportional share of the maturity, and the same dissolve state, age, hotkeys and following.`,
        `Neuron ${t.id} keeps ${formatIcp(t.view.stakeE8s - amount)} ICP.`,
      ],
    },
    async () => {
      const existing = await childNeuronId(t.conn, controller, memo);
      if (existing !== undefined) return done(action, t.id, { createdNeuronId: existing });
      const created = await t.conn.governance.splitNeuron({ neuronId: t.id, amount, memo });
      return ran(action, t.id, { createdNeuronId: created });
    },
  );
}

export async function prepareMerge(ctx: ServiceContext, a: MergeArgs): Promise<MergeReview> {
  const t = await target(ctx, a.targetNeuronId, 'controller', 'merge another neuron into it');
  const sourceId = parseNeuronId(a.sourceNeuronId);
  refuseWhen(sourceId === t.id, 'A neuron cannot be merged into itself.');
  const source = findNeuron(t.loaded, sourceId).view;
  refuseWhen(!source.isController, `Only the controller of neuron ${sourceId} can merge it; this identity is one of its hotkeys.`);
  for (const n of [t.view, source]) {
    refuseWhen(n.state !== 'locked', `Neuron ${n.id} is ${n.state}: only locked (not dissolving) neurons can be merged.`);
    refuseWhen(n.neuronsFund, `Neuron ${n.id} is in the Neurons' Fund: leave it first to merge.`);
  }
  const managers = (v: NeuronView) => (v.following.find((f) => f.topic === 1)?.followees ?? []).map((f) => f.id).sort().join(',');
  refuseWhen(managers(t.view) !== managers(source), 'Both neurons must follow the same neurons on the neuron management topic to be merged.');
  let preview: NeuronView;
  try {
    const info = await t.conn.governance.simulateMergeNeurons({ sourceNeuronId: sourceId, targetNeuronId: t.id });
    preview = toNeuronView(info, { principal: t.loaded.principal, limits: t.loaded.limits, knownNeurons: t.loaded.knownNeurons });
  } catch (e) {
    throw toDeskError(e, 'Previewing the merge');
  }
  const fee = t.loaded.limits.transactionFeeE8s;
  const action = 'merge-neurons';
  const draft: CommandDraft = {
    action,
    title: `Merge neuron ${sourceId} into neuron ${t.id}`,
    calls: [manageNeuronCall(t.id, { Merge: { source_neuron_id: sourceId } })],
    amountE8s: source.stakeE8s > fee ? source.stakeE8s - fee : 0n,
    feeE8s: fee,
    from: source.accountId,
    destination: `Neuron ${t.id}`,
    notes: [
      `After the merge (governance's simulation): neuron ${t.id} has ${formatIcp(preview.stakeE8s)} ICP staked, ${formatIcp(preview.maturityE8s)} maturity and ${formatIcp(preview.stakedMaturityE8s)} staked maturity, a dissolve delay of ${days(preview.dissolveDelaySeconds)}, an age of ${days(preview.ageSeconds)} and a voting power of ${formatIcp(preview.potentialVotingPower)}.`,
      `Neuron ${sourceId} is left empty. This cannot be undone.`,
    ],
  };
  const review = prepareCommand(t, draft, async () => {
    const now = await freshNeuron(t, sourceId);
    if (!now || (now.stakeE8s <= fee && now.maturityE8s === 0n && now.stakedMaturityE8s === 0n)) return done(action, t.id);
    await t.conn.governance.mergeNeurons({ sourceNeuronId: sourceId, targetNeuronId: t.id });
    return ran(action, t.id);
  });
  return { ...review, preview };
}
