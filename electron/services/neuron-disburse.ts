// Taking the stake out of a dissolved neuron: to an account (Disburse) or into a new neuron
// (DisburseToNeuron, its child made with a nonce fixed at prepare time). A repeated confirm after a
// lost answer sees the stake already gone (or the child already there) and does not disburse twice.
import { formatIcp } from '../api/amounts.ts';
import type { Review } from '../api/review.ts';
import type { ServiceContext } from './context.ts';
import { accountIdOf, disburseToNeuron, manageNeuronCall, randomNonce } from './neuron-calls.ts';
import { childNeuronId, days, done, freshNeuron, prepareCommand, ran, refuseWhen, target } from './neuron-command-kit.ts';
import { parseAmount, parseDestination, parsePrincipal, parseSeconds } from './neuron-input.ts';

export interface DisburseArgs {
  neuronId: bigint | string;
  /** Account id or principal (its main account); default: this identity's main account. */
  to?: string;
  /** Default: the whole stake. */
  amount?: bigint | string;
}

export interface DisburseToNeuronArgs {
  neuronId: bigint | string;
  amount: bigint | string;
  dissolveDelaySeconds: bigint | number | string;
  /** Default: this identity. */
  newController?: string;
}

export async function prepareDisburse(ctx: ServiceContext, a: DisburseArgs): Promise<Review> {
  const t = await target(ctx, a.neuronId, 'controller', 'disburse it');
  const to = a.to === undefined ? accountIdOf(t.conn.principal) : parseDestination(a.to);
  const fee = t.loaded.limits.transactionFeeE8s;
  const { view } = t;
  refuseWhen(view.state !== 'dissolved', `Neuron ${t.id} is ${view.state}: only a dissolved neuron can be disbursed.`);
  refuseWhen(view.stakeE8s <= fee, `Neuron ${t.id} has no stake left to disburse.`);
  const amount = a.amount === undefined ? view.stakeE8s : parseAmount(a.amount);
  refuseWhen(amount > view.stakeE8s, `Neuron ${t.id} has only ${formatIcp(view.stakeE8s)} ICP to disburse.`);
  refuseWhen(amount <= fee, `The amount must be more than the transaction fee of ${formatIcp(fee)} ICP.`);
  const before = view.stakeE8s;
  const action = 'disburse-neuron';
  return prepareCommand(
    t,
    {
      action,
      title: `Disburse ${formatIcp(amount)} ICP from neuron ${t.id}`,
      calls: [manageNeuronCall(t.id, { Disburse: { to_account: to, amount: a.amount === undefined ? null : { e8s: amount } } })],
      amountE8s: amount - fee,
      feeE8s: fee,
      from: view.accountId,
      destination: to,
      notes: [
        `${formatIcp(amount - fee)} ICP arrive in ${to} (the amount minus the transaction fee).`,
        ...(view.maturityE8s > 0n ? [`The neuron's maturity (${formatIcp(view.maturityE8s)}) stays with it.`] : []),
      ],
    },
    async () => {
      const now = await freshNeuron(t);
      if (!now || now.stakeE8s + amount <= before) return done(action, t.id);
      await t.conn.governance.disburse({ neuronId: t.id, toAccountId: to, ...(a.amount === undefined ? {} : { amount }) });
      return ran(action, t.id);
    },
  );
}

export async function prepareDisburseToNeuron(ctx: ServiceContext, a: DisburseToNeuronArgs): Promise<Review> {
  const t = await target(ctx, a.neuronId, 'controller', 'disburse it');
  const amount = parseAmount(a.amount);
  const delay = parseSeconds(a.dissolveDelaySeconds, 'dissolve delay');
  const controller = a.newController === undefined ? t.conn.principal : parsePrincipal(a.newController, 'new controller');
  refuseWhen(controller.isAnonymous(), 'The anonymous principal cannot control a neuron.');
  const { minimumStakeE8s: min, transactionFeeE8s: fee, maximumDissolveDelaySeconds: max } = t.loaded.limits;
  const { view } = t;
  refuseWhen(view.state !== 'dissolved', `Neuron ${t.id} is ${view.state}: only a dissolved neuron can be disbursed.`);
  refuseWhen(amount < min + fee, `The new neuron needs at least ${formatIcp(min + fee)} ICP: the minimum stake plus the transaction fee.`);
  refuseWhen(amount > view.stakeE8s, `Neuron ${t.id} has only ${formatIcp(view.stakeE8s)} ICP to disburse.`);
  refuseWhen(delay > max, `The dissolve delay can be at most ${days(max)}.`);
  const nonce = randomNonce();
  const action = 'disburse-to-neuron';
  return prepareCommand(
    t,
    {
      action,
      title: `Disburse ${formatIcp(amount)} ICP from neuron ${t.id} into a new neuron`,
      calls: [
        manageNeuronCall(t.id, {
          DisburseToNeuron: { amount_e8s: amount, dissolve_delay_seconds: delay, new_controller: controller.toText(), nonce, kyc_verified: true },
        }),
      ],
      amountE8s: amount - fee,
      feeE8s: fee,
      from: view.accountId,
      destination: `A new neuron controlled by ${controller.toText()}`,
      notes: [`The new neuron holds ${formatIcp(amount - fee)} ICP, locked with a dissolve delay of ${days(delay)}.`],
    },
    async () => {
      const existing = await childNeuronId(t.conn, controller, nonce);
      if (existing !== undefined) return done(action, t.id, { createdNeuronId: existing });
      const created = await disburseToNeuron(t.conn, { neuronId: t.id, amountE8s: amount, dissolveDelaySeconds: delay, newController: controller, nonce });
      return ran(action, t.id, { createdNeuronId: created });
    },
  );
}
