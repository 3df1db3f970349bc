// What every neuron command shares: finding the user's neuron and checking the identity may run the
// command (controller, or controller or hotkey), preparing the review, and, when it is confirmed,
// re-reading the neuron first so that a command whose answer was lost is recognised as done when it
// is confirmed again (instead of being applied twice).
import { memoToNeuronSubaccount, type NeuronInfo } from '@icp-sdk/canisters/nns';
import type { Principal } from '@icp-sdk/core/principal';
import { DeskError, invalidInput } from '../api/errors.ts';
import type { Review, ReviewDraft } from '../api/review.ts';
import type { Connection } from '../network/agents.ts';
import { signingConnection, type ServiceContext } from './context.ts';
import type { Progress } from './reviews.ts';
import { networkName } from './neuron-calls.ts';
import { parseNeuronId } from './neuron-input.ts';
import { toNeuronView, type NeuronView } from './neuron-view.ts';
import { findNeuron, loadNeurons, type LoadedNeurons } from './neurons.ts';

export interface CommandResult {
  action: string;
  neuronId: bigint;
  /** The effect was already there when confirmed (a repeated confirm after a lost answer). */
  alreadyDone: boolean;
  /** Split, spawn, disburse to neuron: the new neuron. */
  createdNeuronId?: bigint;
}

export interface Target {
  ctx: ServiceContext;
  conn: Connection;
  loaded: LoadedNeurons;
  id: bigint;
  raw: NeuronInfo;
  view: NeuronView;
}

export type Permission = 'controller' | 'controller-or-hotkey';

/** The user's neuron `neuronId`, checked for the permission a command needs. `what`: "disburse it". */
export async function target(ctx: ServiceContext, neuronId: bigint | string, permission: Permission, what: string): Promise<Target> {
  const conn = signingConnection(ctx);
  const id = parseNeuronId(neuronId);
  const loaded = await loadNeurons(conn);
  const { raw, view } = findNeuron(loaded, id);
  if (permission === 'controller' && !view.isController) {
    throw invalidInput(`Only the controller of neuron ${id} can ${what}; this identity is one of its hotkeys.`);
  }
  return { ctx, conn, loaded, id, raw, view };
}

export type CommandDraft = Omit<ReviewDraft, 'network' | 'signer'>;

export function prepareCommand<R>(t: { ctx: ServiceContext; conn: Connection }, draft: CommandDraft, run: (progress: Progress) => Promise<R>): Review {
  return t.ctx.reviews.prepare({ ...draft, network: networkName(t.conn), signer: t.conn.principal.toText() }, run);
}

/** The neuron as governance has it now (an update call, so a retry never acts on a stale replica). */
export async function freshNeuron(t: Target, id: bigint = t.id): Promise<NeuronView | undefined> {
  const [info] = await t.conn.governance.listNeurons({ certified: true, neuronIds: [id], includeEmptyNeurons: true });
  if (!info) return undefined;
  return toNeuronView(info, { principal: t.loaded.principal, limits: t.loaded.limits, knownNeurons: t.loaded.knownNeurons });
}

export async function requireFresh(t: Target, id: bigint = t.id): Promise<NeuronView> {
  const n = await freshNeuron(t, id);
  if (!n) throw new DeskError('not-found', `Neuron ${id} no longer exists.`);
  return n;
}

/** The id of the neuron of `controller` made with `nonce` (a split, spawn or disburse-to-neuron child), if it exists. */
export async function childNeuronId(conn: Connection, controller: Principal, nonce: bigint): Promise<bigint | undefined> {
  const subaccount = memoToNeuronSubaccount({ controller, memo: nonce }).toUint8Array();
  const [info] = await conn.governance.listNeurons({ certified: true, neuronIds: [], neuronSubaccounts: [{ subaccount }], includeEmptyNeurons: true });
  return info?.neuronId;
}

export function done(action: string, neuronId: bigint, extra: Partial<CommandResult> = {}): CommandResult {
  return { action, neuronId, alreadyDone: true, ...extra };
}

export function ran(action: string, neuronId: bigint, extra: Partial<CommandResult> = {}): CommandResult {
  return { action, neuronId, alreadyDone: false, ...extra };
}

export function refuseWhen(cond: boolean, message: string): void {
  if (cond) throw invalidInput(message);
}

/** A duration in words for reviews: "14 days", "1.5 years". */
export function days(seconds: bigint): string {
  const d = Number(seconds) / 86_400;
  if (d >= 365.25) {
    const y = +(d / 365.25).toFixed(2);
    return `${y} year${y === 1 ? '' : 's'}`;
  }
  const n = +d.toFixed(2);
  return `${n} day${n === 1 ? '' : 's'}`;
}
