// The binary form of governance's proposals in a checkpoint, with their ballots (the neurons have
// their own: NeuronStore.encode). At mainnet size (400k neurons, 150k proposals) JSON with a
// reviver took tens of seconds and gigabytes; this takes well under a second each way.
//
// A proposal's content (title, summary, action: the Candid record as submitted) stays encoded
// after a restore and is decoded on first use: list_proposals reads a page of 100, execution one.
import { BinReader, BinWriter } from '../../runtime/binary.ts';
import { AmountColumn, WideColumn } from './neuron-store.ts';
import { decodeData, encodeData } from '../../runtime/codec.ts';
import { Ballots } from './ballots.ts';
import type { ErrorType, GovernanceState, ProposalData, Tally, Topic } from './model.ts';

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

// ---- Proposals ----------------------------------------------------------------------------------

/**
 * The restored proposals' fields, by column (like the neurons': see neuron-store.ts), with their
 * contents still encoded: 150k proposals as a few arrays instead of millions of small objects.
 * Proposals made after the restore are plain objects.
 */
class ProposalColumns {
  readonly ids: BigUint64Array;
  readonly proposer: BigUint64Array;
  readonly topic: Uint8Array;
  readonly created: AmountColumn;
  readonly deadline: AmountColumn;
  readonly rejectCost: AmountColumn;
  readonly totalPotential: WideColumn;
  readonly decided: AmountColumn;
  readonly executed: AmountColumn;
  readonly failed: AmountColumn;
  readonly rewardRound: AmountColumn;
  readonly tallyYes: WideColumn;
  readonly tallyNo: WideColumn;
  readonly tallyTotal: WideColumn;
  readonly tallyAt: AmountColumn;
  /** Tallies read since the restore (the engine changes them in place). */
  readonly tallies = new Map<number, Tally>();
  readonly failures = new Map<number, { errorType: ErrorType; message: string }>();
  readonly ballots = new Map<number, Ballots>();
  readonly decoded = new Map<number, unknown>();
  /** Content i is contents[contentAt[i] .. contentAt[i + 1]). */
  readonly contentAt: Float64Array;

  constructor(
    count: number,
    readonly contents: Uint8Array,
    /** What a proposal without ballots reads (empty; never given ballots). */
    readonly noBallots: Ballots,
  ) {
    this.ids = new BigUint64Array(count);
    this.proposer = new BigUint64Array(count);
    this.topic = new Uint8Array(count);
    const col = () => new AmountColumn(count);
    this.created = col();
    this.deadline = col();
    this.rejectCost = col();
    this.totalPotential = new WideColumn(count);
    this.decided = col();
    this.executed = col();
    this.failed = col();
    this.rewardRound = col();
    this.tallyYes = new WideColumn(count);
    this.tallyNo = new WideColumn(count);
    this.tallyTotal = new WideColumn(count);
    this.tallyAt = col();
    this.contentAt = new Float64Array(count + 1);
  }
}

/** A restored proposal: a view of its index in the columns. */
class RestoredProposal implements ProposalData {
  constructor(
    private readonly c: ProposalColumns,
    private readonly i: number,
    readonly id: bigint,
  ) {}

  get topic(): Topic {
    return this.c.topic[this.i] as Topic;
  }
  get proposer(): bigint {
    return this.c.proposer[this.i];
  }
  get createdSeconds(): bigint {
    return this.c.created.get(this.i);
  }
  get deadlineSeconds(): bigint {
    return this.c.deadline.get(this.i);
  }
  set deadlineSeconds(v: bigint) {
    this.c.deadline.set(this.i, v);
  }
  get rejectCostE8s(): bigint {
    return this.c.rejectCost.get(this.i);
  }
  get totalPotentialVotingPower(): bigint {
    return this.c.totalPotential.get(this.i);
  }
  get decidedSeconds(): bigint {
    return this.c.decided.get(this.i);
  }
  set decidedSeconds(v: bigint) {
    this.c.decided.set(this.i, v);
  }
  get executedSeconds(): bigint {
    return this.c.executed.get(this.i);
  }
  set executedSeconds(v: bigint) {
    this.c.executed.set(this.i, v);
  }
  get failedSeconds(): bigint {
    return this.c.failed.get(this.i);
  }
  set failedSeconds(v: bigint) {
    this.c.failed.set(this.i, v);
  }
  get rewardEventRound(): bigint {
    return this.c.rewardRound.get(this.i);
  }
  set rewardEventRound(v: bigint) {
    this.c.rewardRound.set(this.i, v);
  }
  get failureReason(): { errorType: ErrorType; message: string } | undefined {
    return this.c.failures.get(this.i);
  }
  set failureReason(v: { errorType: ErrorType; message: string } | undefined) {
    if (v) this.c.failures.set(this.i, v);
    else this.c.failures.delete(this.i);
  }

  /** The same object on every read (the engine adds votes to it). */
  get tally(): Tally {
    let t = this.c.tallies.get(this.i);
    if (!t) {
      const { c, i } = this;
      t = { yes: c.tallyYes.get(i), no: c.tallyNo.get(i), total: c.tallyTotal.get(i), timestampSeconds: c.tallyAt.get(i) };
      c.tallies.set(i, t);
    }
    return t;
  }
  set tally(t: Tally) {
    this.c.tallies.set(this.i, t);
  }

  get ballots(): Ballots {
    return this.c.ballots.get(this.i) ?? this.c.noBallots;
  }
  set ballots(b: Ballots) {
    if (b.size > 0) this.c.ballots.set(this.i, b);
    else this.c.ballots.delete(this.i);
  }

  get proposal(): unknown {
    const { c, i } = this;
    if (!c.decoded.has(i)) c.decoded.set(i, decodeData(textDecoder.decode(this.encodedContent())));
    return c.decoded.get(i);
  }
  set proposal(_v: unknown) {
    throw new Error("a proposal's content does not change once it is made");
  }

  /** The content as restored (a checkpoint copies it as is unless it was replaced). */
  encodedContent(): Uint8Array {
    return this.c.contents.subarray(this.c.contentAt[this.i], this.c.contentAt[this.i + 1]);
  }
}

function writeBallots(w: BinWriter, b: Ballots) {
  const { codes, power, big } = b.stored();
  w.u32(codes.length);
  w.raw(codes);
  w.u32(power.length);
  w.raw(new Uint8Array(power.buffer, power.byteOffset, power.byteLength));
  w.u32(big.length);
  for (const [slot, v] of big) {
    w.u32(slot);
    w.nat(v);
  }
}

function readBallots(r: BinReader, state: GovernanceState): Ballots | undefined {
  const codesLength = r.u32();
  const codes = codesLength === 0 ? undefined : r.raw(codesLength);
  const powers = r.u32();
  const power = powers === 0 ? undefined : new Float64Array(powers);
  if (power) new Uint8Array(power.buffer).set(r.span(power.byteLength));
  const big: [number, bigint][] = [];
  for (let i = r.u32(); i > 0; i--) big.push([r.u32(), r.nat()]);
  // Settled proposals have no ballots.
  if (!codes && !power && big.length === 0) return undefined;
  return Ballots.restore(state, { codes: codes ?? new Uint8Array(0), power: power ?? new Float64Array(0), big });
}

/**
 * Two parts: the proposals' fields and ballots, then one store of their encoded contents (the
 * reader copies the store once and every restored proposal points into it).
 */
export function encodeProposals(state: GovernanceState): { proposals: Uint8Array; contents: Uint8Array } {
  const w = new BinWriter(1 << 24);
  const c = new BinWriter(1 << 24);
  w.u32(state.proposals.size);
  for (const p of state.proposals.values()) {
    // Content is never changed once made: a restored proposal's is copied as it was.
    const content = p instanceof RestoredProposal ? p.encodedContent() : textEncoder.encode(encodeData(p.proposal));
    c.raw(content);
    w.u64(p.id);
    w.u32(content.byteLength);
    w.u8(p.topic);
    w.u64(p.proposer);
    w.u64(p.createdSeconds);
    w.u64(p.deadlineSeconds);
    w.u64(p.rejectCostE8s);
    w.nat(p.totalPotentialVotingPower);
    w.nat(p.tally.yes);
    w.nat(p.tally.no);
    w.nat(p.tally.total);
    w.u64(p.tally.timestampSeconds);
    w.u64(p.decidedSeconds);
    w.u64(p.executedSeconds);
    w.u64(p.failedSeconds);
    w.u64(p.rewardEventRound);
    if (p.failureReason) {
      w.u8(1);
      w.u32(p.failureReason.errorType);
      w.str(p.failureReason.message);
    } else w.u8(0);
    writeBallots(w, p.ballots);
  }
  return { proposals: w.finish(), contents: c.finish() };
}

export function decodeProposals(bytes: Uint8Array, contents: Uint8Array, state: GovernanceState): void {
  const r = new BinReader(bytes);
  const count = r.u32();
  const c = new ProposalColumns(count, contents.slice() /* the checkpoint's buffer is not kept */, new Ballots(state, 0));
  let at = 0;
  for (let i = 0; i < count; i++) {
    const id = r.u64();
    c.ids[i] = id;
    c.contentAt[i] = at;
    at += r.u32();
    c.contentAt[i + 1] = at;
    c.topic[i] = r.u8();
    c.proposer[i] = r.u64();
    c.created.readFrom(r, i);
    c.deadline.readFrom(r, i);
    c.rejectCost.readFrom(r, i);
    c.totalPotential.set(i, r.nat());
    c.tallyYes.set(i, r.nat());
    c.tallyNo.set(i, r.nat());
    c.tallyTotal.set(i, r.nat());
    c.tallyAt.readFrom(r, i);
    c.decided.readFrom(r, i);
    c.executed.readFrom(r, i);
    c.failed.readFrom(r, i);
    c.rewardRound.readFrom(r, i);
    if (r.u8() === 1) c.failures.set(i, { errorType: r.u32() as ErrorType, message: r.str() });
    const ballots = readBallots(r, state);
    if (ballots) c.ballots.set(i, ballots);
    state.proposals.set(id, new RestoredProposal(c, i, id));
  }
  if (at !== contents.byteLength) throw new Error('governance snapshot: proposal contents do not match');
}
