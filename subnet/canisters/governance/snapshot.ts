// The binary form of governance's large collections in a checkpoint: every neuron (in slot order)
// and every proposal with its ballots. At mainnet size (400k neurons, 150k proposals) JSON with a
// reviver took tens of seconds and gigabytes; this takes well under a second each way.
//
// A proposal's content (title, summary, action: the Candid record as submitted) stays encoded
// after a restore and is decoded on first use: list_proposals reads a page of 100, execution one.
import { Principal } from '@icp-sdk/core/principal';
import { BinReader, BinWriter } from '../../runtime/binary.ts';
import { decodeData, encodeData } from '../../runtime/codec.ts';
import { Ballots } from './ballots.ts';
import {
  type ErrorType,
  type GovernanceState,
  type KnownNeuronData,
  type MaturityDisbursement,
  type Neuron,
  type ProposalData,
  type Tally,
  type Topic,
} from './model.ts';

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

// ---- Neurons ------------------------------------------------------------------------------------

const F_AUTO_STAKE = 1;
const F_KYC = 2;
const F_NOT_FOR_PROFIT = 4;
const F_JOINED_CF = 8;
const F_KNOWN = 16;
const F_SPAWN_AT = 32;
const F_GANG = 64;
const F_TYPE = 128;

function writePrincipal(w: BinWriter, p: Principal) {
  const b = p.toUint8Array();
  w.u8(b.byteLength);
  w.raw(b);
}

function readPrincipal(r: BinReader): Principal {
  return Principal.fromUint8Array(r.raw(r.u8()));
}

/** Every slot in order: a removed neuron leaves its id (ballots still name it). */
export function encodeNeurons(state: GovernanceState): Uint8Array {
  const w = new BinWriter(1 << 24);
  const slots = state.neuronsBySlot;
  w.u32(slots.length);
  for (let slot = 0; slot < slots.length; slot++) {
    const n = slots[slot];
    if (!n) {
      w.u8(0);
      w.u64(state.idAt(slot) < 0n ? 0n : state.idAt(slot));
      continue;
    }
    w.u8(1);
    w.u64(n.id);
    writePrincipal(w, n.controller);
    w.u8(n.hotKeys.length);
    for (const h of n.hotKeys) writePrincipal(w, h);
    w.raw(n.subaccount);
    w.u64(n.cachedStakeE8s);
    w.u64(n.feesE8s);
    w.u64(n.maturityE8s);
    w.u64(n.stakedMaturityE8s);
    w.u64(n.createdSeconds);
    w.u64(n.agingSinceSeconds);
    if (n.dissolve.kind === 'delay') {
      w.u8(0);
      w.u64(n.dissolve.seconds);
    } else {
      w.u8(1);
      w.u64(n.dissolve.timestamp);
    }
    w.u8(n.followees.size);
    for (const [topic, list] of n.followees) {
      w.u8(topic);
      w.u8(list.length);
      for (const f of list) w.u64(f);
    }
    w.u64(n.votingPowerRefreshedSeconds);
    const flags =
      (n.autoStakeMaturity ? F_AUTO_STAKE : 0) |
      (n.kycVerified ? F_KYC : 0) |
      (n.notForProfit ? F_NOT_FOR_PROFIT : 0) |
      (n.joinedCommunityFundSeconds !== undefined ? F_JOINED_CF : 0) |
      (n.knownNeuron ? F_KNOWN : 0) |
      (n.spawnAtSeconds !== undefined ? F_SPAWN_AT : 0) |
      (n.eightYearGangBonusBaseE8s !== undefined ? F_GANG : 0) |
      (n.neuronType !== undefined ? F_TYPE : 0);
    w.u8(flags);
    w.u8(n.visibility);
    if (n.joinedCommunityFundSeconds !== undefined) w.u64(n.joinedCommunityFundSeconds);
    if (n.knownNeuron) w.str(JSON.stringify(n.knownNeuron));
    if (n.spawnAtSeconds !== undefined) w.u64(n.spawnAtSeconds);
    if (n.eightYearGangBonusBaseE8s !== undefined) w.u64(n.eightYearGangBonusBaseE8s);
    if (n.neuronType !== undefined) w.u32(n.neuronType);
    w.u8(n.maturityDisbursements.length);
    for (const d of n.maturityDisbursements) {
      w.u64(d.amountE8s);
      w.u64(d.timestampSeconds);
      w.raw(d.toAccountIdentifier);
      if (!d.toAccount) w.u8(0);
      else {
        w.u8(d.toAccount.subaccount ? 2 : 1);
        writePrincipal(w, d.toAccount.owner);
        if (d.toAccount.subaccount) w.raw(d.toAccount.subaccount);
      }
    }
  }
  return w.finish();
}

/** Adds the encoded neurons to an empty state, in their slots. */
export function decodeNeurons(bytes: Uint8Array, state: GovernanceState): void {
  const r = new BinReader(bytes);
  const count = r.u32();
  state.reserveSlots(count);
  // One buffer holds every subaccount: 400k separate 32-byte arrays cost far more memory.
  const subaccounts = new Uint8Array(count * 32);
  const controllers = new Uint8Array(count * 29); // a principal has at most 29 bytes
  let controllersAt = 0;
  for (let slot = 0; slot < count; slot++) {
    if (r.u8() === 0) {
      state.addRemovedSlot(r.u64());
      continue;
    }
    const id = r.u64();
    const len = r.u8();
    const controllerBytes = controllers.subarray(controllersAt, controllersAt + len);
    controllerBytes.set(r.span(len));
    controllersAt += len;
    const controller = Principal.fromUint8Array(controllerBytes);
    const nHot = r.u8();
    const hotKeys: Principal[] = [];
    for (let i = 0; i < nHot; i++) hotKeys.push(readPrincipal(r));
    const subaccount = subaccounts.subarray(slot * 32, slot * 32 + 32);
    subaccount.set(r.span(32));
    const cachedStakeE8s = r.u64();
    const feesE8s = r.u64();
    const maturityE8s = r.u64();
    const stakedMaturityE8s = r.u64();
    const createdSeconds = r.u64();
    const agingSinceSeconds = r.u64();
    const dissolve = r.u8() === 0 ? { kind: 'delay' as const, seconds: r.u64() } : { kind: 'when' as const, timestamp: r.u64() };
    const followees = new Map<number, bigint[]>();
    const nTopics = r.u8();
    for (let t = 0; t < nTopics; t++) {
      const topic = r.u8();
      const len = r.u8();
      const list: bigint[] = [];
      for (let i = 0; i < len; i++) list.push(r.u64());
      followees.set(topic, list);
    }
    const votingPowerRefreshedSeconds = r.u64();
    const flags = r.u8();
    const visibility = r.u8() as Neuron['visibility'];
    const n: Neuron = {
      id,
      controller,
      hotKeys,
      subaccount,
      cachedStakeE8s,
      feesE8s,
      maturityE8s,
      stakedMaturityE8s,
      createdSeconds,
      agingSinceSeconds,
      dissolve,
      followees,
      votingPowerRefreshedSeconds,
      autoStakeMaturity: (flags & F_AUTO_STAKE) !== 0,
      visibility,
      maturityDisbursements: [],
      kycVerified: (flags & F_KYC) !== 0,
      notForProfit: (flags & F_NOT_FOR_PROFIT) !== 0,
    };
    if (flags & F_JOINED_CF) n.joinedCommunityFundSeconds = r.u64();
    if (flags & F_KNOWN) n.knownNeuron = JSON.parse(r.str()) as KnownNeuronData;
    if (flags & F_SPAWN_AT) n.spawnAtSeconds = r.u64();
    if (flags & F_GANG) n.eightYearGangBonusBaseE8s = r.u64();
    if (flags & F_TYPE) n.neuronType = r.u32();
    const nDisb = r.u8();
    for (let i = 0; i < nDisb; i++) {
      const d: MaturityDisbursement = { amountE8s: r.u64(), timestampSeconds: r.u64(), toAccountIdentifier: r.raw(32) };
      const kind = r.u8();
      if (kind !== 0) {
        const owner = readPrincipal(r);
        d.toAccount = kind === 2 ? { owner, subaccount: r.raw(32) } : { owner };
      }
      n.maturityDisbursements.push(d);
    }
    state.addNeuron(n);
  }
}

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
  const codes = r.raw(r.u32());
  const power = new Float64Array(r.u32());
  new Uint8Array(power.buffer).set(r.span(power.byteLength));
  const big: [number, bigint][] = [];
  for (let i = r.u32(); i > 0; i--) big.push([r.u32(), r.nat()]);
  return Ballots.restore(state, { codes, power, big });
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
