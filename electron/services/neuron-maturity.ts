// What can be done with a neuron's maturity: spawn a new neuron from it, stake it, or disburse it
// to an account (minted after 7 days, with the maturity modulation). A spawn's child is made with a
// nonce fixed at prepare time; staking and disbursing are recognised as done on a repeated confirm
// because maturity only grows by itself (rewards): if it went down, the command ran.
import { formatIcp } from '../api/amounts.ts';
import type { Review } from '../api/review.ts';
import type { ServiceContext } from './context.ts';
import { accountIdOf, manageNeuronCall, randomNonce } from './neuron-calls.ts';
import { childNeuronId, days, done, prepareCommand, ran, refuseWhen, requireFresh, target } from './neuron-command-kit.ts';
import { parseDestination, parsePercentage, parsePrincipal } from './neuron-input.ts';

export interface SpawnArgs {
  neuronId: bigint | string;
  /** 1..100, default 100. */
  percentage?: number;
  /** The new neuron's controller (default: this identity). */
  newController?: string;
}

export interface StakeMaturityArgs {
  neuronId: bigint | string;
  percentage?: number;
}

export interface DisburseMaturityArgs {
  neuronId: bigint | string;
  percentage?: number;
  /** Account id or principal (its main account); default: this identity's main account. */
  to?: string;
}

export async function prepareSpawn(ctx: ServiceContext, a: SpawnArgs): Promise<Review> {
  const t = await target(ctx, a.neuronId, 'controller', 'spawn from it');
  const pct = parsePercentage(a.percentage, 'spawn');
  const controller = a.newController === undefined ? t.conn.principal : parsePrincipal(a.newController, 'new controller');
  refuseWhen(controller.isAnonymous(), 'The anonymous principal cannot control a neuron.');
  const l = t.loaded.limits;
  refuseWhen(t.view.state === 'spawning', `Neuron ${t.id} is itself spawning.`);
  const amount = (t.view.maturityE8s * BigInt(pct)) / 100n;
  const worst = (amount * (100n - l.worstCaseMaturityModulationPercent)) / 100n;
  refuseWhen(
    worst < l.minimumStakeE8s,
    `Spawning needs maturity worth at least ${formatIcp(l.minimumStakeE8s)} ICP after a ${l.worstCaseMaturityModulationPercent}% worst case; ${pct}% of neuron ${t.id}'s maturity is ${formatIcp(amount)}.`,
  );
  const nonce = randomNonce();
  const action = 'spawn-neuron';
  const other = controller.toText() !== t.conn.principal.toText();
  return prepareCommand(
    t,
    {
      action,
      title: `Spawn a neuron from ${pct}% of the maturity of neuron ${t.id}`,
      calls: [manageNeuronCall(t.id, { Spawn: { percentage_to_spawn: pct, new_controller: controller.toText(), nonce } })],
      destination: `A new neuron controlled by ${controller.toText()}`,
      notes: [
        `The new neuron receives ${formatIcp(amount)} maturity, dissolves for ${days(l.spawnDissolveDelaySeconds)}, then its maturity is minted as ICP with the maturity modulation (a few percent up or down).`,
        ...(other ? [`The new neuron will belong to ${controller.toText()}, not to this identity.`] : []),
      ],
    },
    async () => {
      const existing = await childNeuronId(t.conn, controller, nonce);
      if (existing !== undefined) return done(action, t.id, { createdNeuronId: existing });
      const created = await t.conn.governance.spawnNeuron({ neuronId: t.id, percentageToSpawn: pct, newController: controller, nonce });
      return ran(action, t.id, { createdNeuronId: created });
    },
  );
}

export async function prepareStakeMaturity(ctx: ServiceContext, a: StakeMaturityArgs): Promise<Review> {
  const t = await target(ctx, a.neuronId, 'controller', 'stake its maturity');
  const pct = parsePercentage(a.percentage, 'stake');
  refuseWhen(t.view.state === 'spawning', `Neuron ${t.id} is spawning.`);
  const amount = (t.view.maturityE8s * BigInt(pct)) / 100n;
  refuseWhen(amount === 0n, `Neuron ${t.id} has no maturity to stake.`);
  const before = t.view.maturityE8s;
  const action = 'stake-maturity';
  return prepareCommand(
    t,
    {
      action,
      title: `Stake ${pct}% of the maturity of neuron ${t.id}`,
      calls: [manageNeuronCall(t.id, { StakeMaturity: { percentage_to_stake: pct } })],
      notes: [`${formatIcp(amount)} maturity becomes staked maturity: it adds voting power and stays locked with the neuron's stake.`],
    },
    async () => {
      const now = await requireFresh(t);
      if (now.maturityE8s < before) return done(action, t.id);
      await t.conn.governance.stakeMaturity({ neuronId: t.id, percentageToStake: pct });
      return ran(action, t.id);
    },
  );
}

export async function prepareDisburseMaturity(ctx: ServiceContext, a: DisburseMaturityArgs): Promise<Review> {
  const t = await target(ctx, a.neuronId, 'controller', 'disburse its maturity');
  const pct = parsePercentage(a.percentage, 'disburse');
  const to = a.to === undefined ? accountIdOf(t.conn.principal) : parseDestination(a.to);
  const l = t.loaded.limits;
  refuseWhen(t.view.state === 'spawning', `Neuron ${t.id} is spawning.`);
  const amount = (t.view.maturityE8s * BigInt(pct)) / 100n;
  const worst = (amount * (100n - l.worstCaseMaturityModulationPercent)) / 100n;
  refuseWhen(
    worst < l.minimumMaturityDisbursementE8s,
    `A maturity disbursement must be worth at least ${formatIcp(l.minimumMaturityDisbursementE8s)} ICP after a ${l.worstCaseMaturityModulationPercent}% worst case; ${pct}% of neuron ${t.id}'s maturity is ${formatIcp(amount)}.`,
  );
  const pending = t.view.maturityDisbursements.length;
  refuseWhen(pending >= l.maxPendingMaturityDisbursements, `Neuron ${t.id} already has ${pending} maturity disbursements in progress, the most it can have.`);
  const before = t.view.maturityE8s;
  const action = 'disburse-maturity';
  return prepareCommand(
    t,
    {
      action,
      title: `Disburse ${pct}% of the maturity of neuron ${t.id}`,
      calls: [manageNeuronCall(t.id, { DisburseMaturity: { percentage_to_disburse: pct, to_account_identifier: to } })],
      amountE8s: amount,
      destination: to,
      notes: ['The ICP arrives after 7 days; the maturity modulation then changes the amount by a few percent up or down.'],
    },
    async () => {
      const now = await requireFresh(t);
      if (now.maturityDisbursements.length > pending || now.maturityE8s < before) return done(action, t.id);
      await t.conn.governance.disburseMaturity({ neuronId: t.id, percentageToDisburse: pct, toAccountIdentifier: to });
      return ran(action, t.id);
    },
  );
}
