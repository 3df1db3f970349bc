// The user's neurons: every page of list_neurons (controlled and hotkey neurons), turned into plain
// views with their computed fields (neuron-view.ts), the network's limits and the known neurons.
// Commands are in neuron-commands.ts, staking in neuron-stake.ts, recovery in neuron-recovery.ts.
import type { NeuronInfo } from '@icp-sdk/canisters/nns';
import { DeskError } from '../api/errors.ts';
import type { Connection } from '../network/agents.ts';
import type { ServiceContext } from './context.ts';
import { toDeskError } from './errors.ts';
import { loadRewardRate, type RewardRate } from './neuron-apy.ts';
import { parseNeuronId } from './neuron-input.ts';
import { loadNeuronLimits, type NeuronLimits } from './neuron-limits.ts';
import { recentBallotsOf, toNeuronView, type NeuronView } from './neuron-view.ts';
import { votingHistoryOf, type VotingHistoryEntry } from './neuron-votes.ts';

export interface KnownNeuronView {
  id: bigint;
  name: string;
  description?: string;
  links: string[];
}

export interface LoadedNeurons {
  principal: string;
  limits: NeuronLimits;
  knownNeurons: Map<bigint, string>;
  rewardRate?: RewardRate;
  raw: NeuronInfo[];
  views: NeuronView[];
}

export async function loadKnownNeurons(conn: Connection): Promise<KnownNeuronView[]> {
  const known = await conn.governance.listKnownNeurons(false);
  return known
    .map((k) => ({ id: k.id, name: k.name, ...(k.description ? { description: k.description } : {}), links: k.links ?? [] }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The user's neurons with everything a view needs. `rewards` adds the APY estimate (two more
 * queries). `ids` reads only those neurons (one page, however many the user has), as the whole list
 * would show them.
 */
export async function loadNeurons(conn: Connection, opts: { rewards?: boolean; ids?: bigint[] } = {}): Promise<LoadedNeurons> {
  try {
    const me = conn.principal.toText();
    // As the whole list: the user's own (controller or hotkey), and not empty (governance's rule).
    const listed = ({ fullNeuron: f }: NeuronInfo) =>
      f !== undefined &&
      (f.controller === me || f.hotKeys.includes(me)) &&
      (f.cachedNeuronStake - f.neuronFees > 0n || f.maturityE8sEquivalent > 0n || (f.stakedMaturityE8sEquivalent ?? 0n) > 0n);
    const [raw, limits, known, rewardRate] = await Promise.all([
      opts.ids
        ? conn.governance.listNeurons({ certified: false, neuronIds: opts.ids, includeEmptyNeurons: true }).then((ns) => ns.filter(listed))
        : // includeEmptyNeurons makes the library page through list_neurons (all pages, in parallel).
          conn.governance.listNeurons({ certified: false, includeEmptyNeurons: false }),
      loadNeuronLimits(conn),
      loadKnownNeurons(conn),
      opts.rewards ? loadRewardRate(conn) : Promise.resolve(undefined),
    ]);
    const principal = conn.principal.toText();
    const knownNeurons = new Map(known.map((k) => [k.id, k.name]));
    const views = raw.map((n) => toNeuronView(n, { principal, limits, knownNeurons, rewardRate })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { principal, limits, knownNeurons, rewardRate, raw, views };
  } catch (e) {
    throw toDeskError(e, 'Loading the neurons');
  }
}

/** One of the user's neurons (controlled or as a hotkey), or a 'not-found' DeskError. */
export function findNeuron(loaded: LoadedNeurons, id: bigint): { raw: NeuronInfo; view: NeuronView } {
  const i = loaded.raw.findIndex((n) => n.neuronId === id);
  if (i < 0) throw new DeskError('not-found', `Neuron ${id} is not one of this identity's neurons (neither controlled nor as a hotkey).`);
  return { raw: loaded.raw[i], view: loaded.views.find((v) => v.id === id)! };
}

export class Neurons {
  constructor(private readonly ctx: ServiceContext) {}

  /** The user's neurons, with computed fields and the APY estimate, by id. */
  async list(): Promise<NeuronView[]> {
    return (await loadNeurons(this.ctx.connection(), { rewards: true })).views;
  }

  async get(neuronId: bigint | string): Promise<NeuronView> {
    const id = parseNeuronId(neuronId);
    return findNeuron(await loadNeurons(this.ctx.connection(), { rewards: true, ids: [id] }), id).view;
  }

  /** The neuron's recent ballots (newest first, up to 100) with the proposals' titles, topics and outcomes. */
  async votingHistory(neuronId: bigint | string): Promise<VotingHistoryEntry[]> {
    const id = parseNeuronId(neuronId);
    const conn = this.ctx.connection();
    const { raw } = findNeuron(await loadNeurons(conn, { ids: [id] }), id);
    try {
      return await votingHistoryOf(conn, recentBallotsOf(raw));
    } catch (e) {
      throw toDeskError(e, 'Reading the voting history');
    }
  }

  /** The limits commands are validated against (from the network economics, plus documented constants). */
  limits(): Promise<NeuronLimits> {
    return loadNeuronLimits(this.ctx.connection());
  }

  async knownNeurons(): Promise<KnownNeuronView[]> {
    try {
      return await loadKnownNeurons(this.ctx.connection());
    } catch (e) {
      throw toDeskError(e, 'Loading the known neurons');
    }
  }

  /** The network's reward rate behind the APY estimates (undefined before any reward event). */
  async rewardRate(): Promise<RewardRate | undefined> {
    try {
      return await loadRewardRate(this.ctx.connection());
    } catch (e) {
      throw toDeskError(e, 'Reading the voting rewards');
    }
  }
}
