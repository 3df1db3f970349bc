// Auto-voters: simulated participants that keep a demo world's governance alive without anyone at
// the keyboard. Configured by the admin operation `set_auto_voters` (the demo genesis does it);
// off by default, so a governance canister without that configuration behaves exactly as before.
//
// Policy (deterministic: a function of the proposal id and the neuron id only):
// - Every proposal except NeuronManagement ones gets a lean from SHA-256("auto-vote" || id): it is
//   "favoured" with probability favouredPermille / 1000.
// - Each configured voter neuron votes on it once, at created + a delay in [minDelay, maxDelay]
//   picked by SHA-256("auto-vote" || proposal id || neuron id), rounded up to the next quarter of an
//   hour (VOTE_SLOT_SECONDS: the voters "run every 15 minutes", which keeps a history cheap to
//   build). It abstains with probability 1 - participationPermille / 1000. On a favoured proposal
//   it votes Yes with probability yesPermille / 1000 (else No); on the others the reverse.
// - The vote goes through the proposal engine's registerVote, as a RegisterVote from the neuron's
//   controller would: it refreshes the neuron's voting power, its followers follow, the proposal
//   may be decided. A vote that is no longer possible (already voted, no ballot, past the
//   deadline, neuron gone) is skipped.
// The planned votes are derived data: rebuilt from the proposals on restore, never stored. Only the
// configuration is part of the governance snapshot.
//
// The configuration also names the neuron that opens the admin endpoint's Motion proposals
// (POST /_/proposals -> the admin operation `make_motion_proposal`).
import { createHash } from 'node:crypto';
import { MinHeap } from '../common/min-heap.ts';
import { natArg } from '../common/args.ts';
import type { CallContext } from '../canister.ts';
import type { MakeProposalRequest } from '../../candid/generated/governance.did.ts';
import { GovernanceError, Topic, Vote, type GovernanceState, type Neuron, type ProposalData } from './model.ts';

/** Votes are cast at whole quarter hours. */
export const VOTE_SLOT_SECONDS = 900n;
const NS = 1_000_000_000n;

export interface AutoVoter {
  neuronId: bigint;
  minDelaySeconds: bigint;
  maxDelaySeconds: bigint;
  /** Permille: the chance of Yes on a favoured proposal (and of No on the others). */
  yesPermille: number;
  /** Permille: the chance of voting at all on a proposal. */
  participationPermille: number;
}

export interface AutoVotersConfig {
  voters: AutoVoter[];
  /** Permille of proposals the voters lean towards. */
  favouredPermille: number;
  /** The neuron that opens the admin endpoint's proposals (make_motion_proposal). */
  proposerNeuronId?: bigint;
}

/** The snapshot form (plain data). */
export type AutoVotersSnapshot = AutoVotersConfig;

interface PlannedVote {
  at: bigint; // seconds
  proposalId: bigint;
  neuronId: bigint;
  vote: Vote;
}

/** The proposal engine's registerVote (synchronous; throws GovernanceError). */
export type RegisterVote = (ctx: CallContext, neuron: Neuron, proposalId: bigint, vote: Vote) => void;
/** The proposal engine's makeProposal (synchronous; throws GovernanceError). */
export type MakeProposal = (ctx: CallContext, neuron: Neuron, request: MakeProposalRequest) => bigint;

const before = (a: PlannedVote, b: PlannedVote) =>
  a.at !== b.at ? a.at < b.at : a.proposalId !== b.proposalId ? a.proposalId < b.proposalId : a.neuronId < b.neuronId;

/** Up to this many voters (a demo world has a handful of known neurons). */
export const MAX_AUTO_VOTERS = 50;
/** Delays stay within a normal voting period (4 days). */
export const MAX_AUTO_VOTE_DELAY_SECONDS = 4n * 86_400n - VOTE_SLOT_SECONDS;

export class AutoVoters {
  private config: AutoVotersConfig | undefined;
  /** Planned votes, earliest first. */
  /** By (at, proposal id, neuron id). */
  private readonly queue = new MinHeap<PlannedVote>(before);
  /** Proposals with an id below this one are planned. */
  private plannedBelow = 1n;

  constructor(
    private readonly state: GovernanceState,
    snapshot?: AutoVotersSnapshot,
  ) {
    if (snapshot) this.config = cloneConfig(snapshot);
    this.replan();
  }

  get enabled(): boolean {
    return (this.config?.voters.length ?? 0) > 0;
  }

  get proposerNeuronId(): bigint | undefined {
    return this.config?.proposerNeuronId;
  }

  /** Undefined while never configured (the snapshot then looks as before this module existed). */
  snapshot(): AutoVotersSnapshot | undefined {
    return this.config ? cloneConfig(this.config) : undefined;
  }

  /**
   * The admin operation set_auto_voters: {voters: [{neuron_id, min_delay_seconds,
   * max_delay_seconds, yes_permille?, participation_permille?}], favoured_permille?,
   * proposer_neuron_id?}. An empty list of voters turns voting off. Throws on invalid input
   * before changing anything.
   */
  configure(args: unknown): { voters: number; proposer_neuron_id?: bigint } {
    const a = (args ?? {}) as Record<string, unknown>;
    if (!Array.isArray(a.voters)) throw new Error('set_auto_voters: voters must be a list');
    if (a.voters.length > MAX_AUTO_VOTERS) throw new Error(`set_auto_voters: at most ${MAX_AUTO_VOTERS} voters`);
    const seen = new Set<bigint>();
    const voters = a.voters.map((v: Record<string, unknown>, i: number): AutoVoter => {
      const what = `set_auto_voters: voters[${i}]`;
      if (typeof v !== 'object' || v === null) throw new Error(`${what} must be an object`);
      const neuronId = natArg(v.neuron_id, `${what}.neuron_id`);
      if (!this.state.neuron(neuronId)) throw new Error(`${what}: no neuron ${neuronId}`);
      if (seen.has(neuronId)) throw new Error(`${what}: neuron ${neuronId} is listed twice`);
      seen.add(neuronId);
      const minDelaySeconds = natArg(v.min_delay_seconds ?? 0, `${what}.min_delay_seconds`);
      const maxDelaySeconds = natArg(v.max_delay_seconds ?? minDelaySeconds, `${what}.max_delay_seconds`);
      if (minDelaySeconds > maxDelaySeconds || maxDelaySeconds > MAX_AUTO_VOTE_DELAY_SECONDS) {
        throw new Error(`${what}: need min_delay_seconds <= max_delay_seconds <= ${MAX_AUTO_VOTE_DELAY_SECONDS}`);
      }
      return {
        neuronId,
        minDelaySeconds,
        maxDelaySeconds,
        yesPermille: permille(v.yes_permille ?? 800, `${what}.yes_permille`),
        participationPermille: permille(v.participation_permille ?? 1000, `${what}.participation_permille`),
      };
    });
    const favouredPermille = permille(a.favoured_permille ?? 750, 'set_auto_voters: favoured_permille');
    let proposerNeuronId: bigint | undefined;
    if (a.proposer_neuron_id !== undefined && a.proposer_neuron_id !== null) {
      proposerNeuronId = natArg(a.proposer_neuron_id, 'set_auto_voters: proposer_neuron_id');
      if (!this.state.neuron(proposerNeuronId)) throw new Error(`set_auto_voters: no neuron ${proposerNeuronId}`);
    }
    this.config = { voters, favouredPermille, proposerNeuronId };
    this.replan();
    return { voters: voters.length, ...(proposerNeuronId === undefined ? {} : { proposer_neuron_id: proposerNeuronId }) };
  }

  // ---- Timers ----------------------------------------------------------------------------------

  /** When (ns) the next planned vote is due. */
  nextTimer(): bigint | undefined {
    this.planNew();
    const next = this.queue.peek();
    return next === undefined ? undefined : next.at * NS;
  }

  /**
   * Casts the votes due at ctx.time through `registerVote` (the proposal engine's). Synchronous:
   * nextTimer() is past ctx.time when this returns.
   */
  onTimer(ctx: CallContext, registerVote: RegisterVote): number {
    this.planNew();
    const now = ctx.time / NS;
    let cast = 0;
    for (let next = this.queue.peek(); next && next.at <= now; next = this.queue.peek()) {
      const v = this.queue.pop()!;
      const neuron = this.state.neuron(v.neuronId);
      const p = this.state.proposals.get(v.proposalId);
      if (!neuron || !p || now >= p.deadlineSeconds || p.ballots.get(v.neuronId)?.vote !== Vote.Unspecified) continue;
      try {
        registerVote(ctx, neuron, v.proposalId, v.vote);
        cast++;
      } catch (e) {
        if (!(e instanceof GovernanceError)) throw e; // a vote that is no longer possible is skipped
      }
    }
    return cast;
  }

  // ---- Planning --------------------------------------------------------------------------------

  /** Plans every proposal not yet settled (after a restore or a new configuration). */
  private replan(): void {
    this.queue.clear();
    if (this.enabled) for (const p of this.state.proposals.values()) this.plan(p);
    this.plannedBelow = this.state.nextProposalId;
  }

  /** Plans the proposals made since the last look. */
  private planNew(): void {
    const next = this.state.nextProposalId;
    if (this.plannedBelow >= next) return;
    if (this.enabled) {
      for (let id = this.plannedBelow; id < next; id++) {
        const p = this.state.proposals.get(id);
        if (p) this.plan(p);
      }
    }
    this.plannedBelow = next;
  }

  private plan(p: ProposalData): void {
    if (!this.config || p.topic === Topic.NeuronManagement || p.rewardEventRound !== 0n) return;
    const favoured = draw(hash(p.id), 0) < this.config.favouredPermille;
    for (const voter of this.config.voters) {
      if (p.ballots.get(voter.neuronId)?.vote !== Vote.Unspecified) continue; // no ballot, or voted
      const h = hash(p.id, voter.neuronId);
      if (draw(h, 0) >= voter.participationPermille) continue;
      const yes = draw(h, 4) < voter.yesPermille;
      const span = voter.maxDelaySeconds - voter.minDelaySeconds + 1n;
      const delay = voter.minDelaySeconds + (h.readBigUInt64BE(8) % span);
      const at = ceilTo(p.createdSeconds + delay, VOTE_SLOT_SECONDS);
      if (at >= p.deadlineSeconds) continue;
      this.queue.push({ at, proposalId: p.id, neuronId: voter.neuronId, vote: yes === favoured ? Vote.Yes : Vote.No });
    }
  }
}

// ---- The admin endpoint's proposals ------------------------------------------------------------

export type MotionProposalResult =
  | { proposal_id: bigint }
  | { error: 'no_proposer' | 'invalid' | 'rejected'; message: string };

/**
 * The admin operation make_motion_proposal: {title, summary, url, motion_text?, neuron_id?}. Opens
 * a Motion proposal (Governance topic) from neuron_id, or from the configured proposer, exactly as
 * a MakeProposal from its controller would (the proposer votes Yes and pays the reject cost if it
 * is rejected). Never throws for bad input: the reason comes back as an error.
 */
export function makeMotionProposal(ctx: CallContext, voters: AutoVoters, state: GovernanceState, makeProposal: MakeProposal, args: unknown): MotionProposalResult {
  const a = (typeof args === 'object' && args !== null ? args : {}) as Record<string, unknown>;
  for (const field of ['title', 'summary', 'url'] as const) {
    if (typeof a[field] !== 'string') return { error: 'invalid', message: `${field} must be a string` };
  }
  if (a.motion_text !== undefined && typeof a.motion_text !== 'string') return { error: 'invalid', message: 'motion_text must be a string' };
  let neuronId: bigint | undefined;
  try {
    neuronId = a.neuron_id === undefined ? voters.proposerNeuronId : natArg(a.neuron_id, 'neuron_id');
  } catch (e) {
    return { error: 'invalid', message: (e as Error).message };
  }
  if (neuronId === undefined) return { error: 'no_proposer', message: 'this world has no proposer neuron for admin proposals (see set_auto_voters)' };
  const neuron = state.neuron(neuronId);
  if (!neuron) return { error: 'no_proposer', message: `the proposer neuron ${neuronId} does not exist` };
  const title = a.title as string;
  try {
    const id = makeProposal(ctx, neuron, {
      title: [title],
      summary: a.summary as string,
      url: a.url as string,
      action: [{ Motion: { motion_text: (a.motion_text as string | undefined) ?? title } }],
    });
    return { proposal_id: id };
  } catch (e) {
    if (e instanceof GovernanceError) return { error: 'rejected', message: e.message };
    throw e;
  }
}

// ---- Helpers ------------------------------------------------------------------------------------

function hash(proposalId: bigint, neuronId?: bigint): Buffer {
  const h = createHash('sha256').update('auto-vote').update(u64(proposalId));
  if (neuronId !== undefined) h.update(u64(neuronId));
  return h.digest();
}

function u64(v: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), false);
  return b;
}

/** A number in [0, 1000) from 4 bytes of a hash. */
function draw(h: Buffer, offset: number): number {
  return h.readUInt32BE(offset) % 1000;
}

function ceilTo(v: bigint, step: bigint): bigint {
  return ((v + step - 1n) / step) * step;
}

function cloneConfig(c: AutoVotersConfig): AutoVotersConfig {
  return { ...c, voters: c.voters.map((v) => ({ ...v })) };
}

function permille(v: unknown, name: string): number {
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 1000) throw new Error(`${name} must be an integer in [0, 1000]`);
  return n;
}
