// The binary form of governance's proposals in a checkpoint, with their ballots (the neurons have
// their own: NeuronStore.encode). At mainnet size (400k neurons, 150k proposals) JSON with a
// reviver took tens of seconds and gigabytes; this takes well under a second each way.
//
// A proposal's content (title, summary, action: the Candid record as submitted) stays encoded
// after a restore and is decoded on first use: list_proposals reads a page of 100, execution one.
import { BinReader, BinWriter } from '../../runtime/binary.ts';
import { decodeData, encodeData } from '../../runtime/codec.ts';
import { Ballots } from './ballots.ts';
import type { ErrorType, GovernanceState, ProposalData, Tally, Topic } from './model.ts';

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

// ---- Proposals ----------------------------------------------------------------------------------

/**
 * A restored proposal: its content stays as the encoded text (in a store shared by all restored
 * proposals) until something reads `proposal`.
 */
class RestoredProposal implements ProposalData {
  id!: bigint;
  topic!: Topic;
  proposer!: bigint;
  createdSeconds!: bigint;
  deadlineSeconds!: bigint;
  rejectCostE8s!: bigint;
  ballots!: Ballots;
  totalPotentialVotingPower!: bigint;
  tally!: Tally;
  decidedSeconds!: bigint;
  executedSeconds!: bigint;
  failedSeconds!: bigint;
  failureReason?: { errorType: ErrorType; message: string };
  rewardEventRound!: bigint;
  private content: unknown;
  private decoded = false;

  constructor(
    private readonly store: Uint8Array,
    private readonly start: number,
    private readonly end: number,
  ) {}

  get proposal(): unknown {
    if (!this.decoded) {
      this.content = decodeData(textDecoder.decode(this.store.subarray(this.start, this.end)));
      this.decoded = true;
    }
    return this.content;
  }

  set proposal(v: unknown) {
    this.content = v;
    this.decoded = true;
  }

  /** The encoded content while it is untouched (a checkpoint copies it as is). */
  encodedContent(): Uint8Array | undefined {
    return this.decoded ? undefined : this.store.subarray(this.start, this.end);
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

function readBallots(r: BinReader, state: GovernanceState): Ballots {
  const codesLength = r.u32();
  const codes = codesLength === 0 ? undefined : r.raw(codesLength);
  const powers = r.u32();
  const power = powers === 0 ? undefined : new Float64Array(powers);
  if (power) new Uint8Array(power.buffer).set(r.span(power.byteLength));
  const big: [number, bigint][] = [];
  for (let i = r.u32(); i > 0; i--) big.push([r.u32(), r.nat()]);
  // Settled proposals have no ballots: the shared empty form.
  if (!codes && !power && big.length === 0) return new Ballots(state, 0);
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
    const encoded = p instanceof RestoredProposal ? p.encodedContent() : undefined;
    const content = encoded ?? textEncoder.encode(encodeData(p.proposal));
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
  const store = contents.slice(); // the checkpoint's buffer is not kept
  const r = new BinReader(bytes);
  let at = 0;
  for (let i = r.u32(); i > 0; i--) {
    const id = r.u64();
    const length = r.u32();
    const p = new RestoredProposal(store, at, at + length);
    at += length;
    p.id = id;
    p.topic = r.u8() as Topic;
    p.proposer = r.u64();
    p.createdSeconds = r.u64();
    p.deadlineSeconds = r.u64();
    p.rejectCostE8s = r.u64();
    p.totalPotentialVotingPower = r.nat();
    p.tally = { yes: r.nat(), no: r.nat(), total: r.nat(), timestampSeconds: r.u64() };
    p.decidedSeconds = r.u64();
    p.executedSeconds = r.u64();
    p.failedSeconds = r.u64();
    p.rewardEventRound = r.u64();
    if (r.u8() === 1) p.failureReason = { errorType: r.u32() as ErrorType, message: r.str() };
    p.ballots = readBallots(r, state);
    state.proposals.set(p.id, p);
  }
  if (at !== store.byteLength) throw new Error('governance snapshot: proposal contents do not match');
}
