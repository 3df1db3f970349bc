// Cycles: the ICP/XDR rate and conversions, topping up a canister and creating one with ICP (a
// legacy transfer with memo TPUP / CREA to the CMC, then notify), each reviewed first and safe to
// confirm again after a lost answer; the status of the user's canisters; their labelled list.
import { Principal } from '@icp-sdk/core/principal';
import { formatIcp } from '../api/amounts.ts';
import { DeskError, invalidInput, type DeskErrorData } from '../api/errors.ts';
import { checkPrincipalText } from '../api/ids.ts';
import type { Review, ReviewCall } from '../api/review.ts';
import { CANISTER_IDS, describeNetwork } from '../network/networks.ts';
import { Accounts, type AccountRef } from './accounts.ts';
import { signingConnection, type ServiceContext } from './context.ts';
import { toDeskError } from './errors.ts';
import {
  MEMO_CREATE_CANISTER,
  MEMO_TOP_UP,
  cmcAccountIdOf,
  cyclesForE8s,
  e8sForCycles,
  fromHex,
  isCanisterId,
  scopeKey,
  toHex,
} from './ledger-accounts.ts';
import { notifyCreateCanister, notifyTopUp } from './ledger-cmc.ts';
import type { CanisterRecord, LedgerStore } from './ledger-store.ts';
import { checkFunds, parseAmountE8s, runTransfer, transferCall, type TransferPlan } from './ledger-transfer.ts';

/**
 * What creating a canister costs on a 13-node application subnet (the management canister takes it
 * from the cycles the CMC mints); a payment that buys less is refused before anything is sent.
 */
export const CANISTER_CREATION_FEE_CYCLES = 500_000_000_000n;
/** How many recently topped-up canisters are remembered for recovery. */
const TOP_UP_TARGETS_KEPT = 20;
const MAX_NAME = 48;
const SECONDS_PER_DAY = 86_400n;

export interface ConversionRate {
  /** XDR per ICP, in ten-thousandths. */
  xdrPermyriadPerIcp: bigint;
  cyclesPerIcp: bigint;
}

export interface CyclesPreview {
  /** ICP converted (what the CMC receives). */
  amountE8s: bigint;
  feeE8s: bigint;
  /** What leaves the account: amount + fee. */
  totalE8s: bigint;
  cycles: bigint;
  xdrPermyriadPerIcp: bigint;
}

export interface CanisterEntry {
  canisterId: string;
  /** '' when the user gave none. */
  name: string;
}

export interface CanisterStatus {
  canisterId: string;
  status: 'running' | 'stopping' | 'stopped';
  cycles: bigint;
  memorySizeBytes: bigint;
  controllers: string[];
  idleCyclesBurnedPerDay: bigint | null;
  freezingThresholdSeconds: bigint;
  /** Days until the canister freezes at its idle burn rate (null when it burns nothing). */
  daysLeft: number | null;
  moduleHash: string | null;
}

export interface CanisterWithStatus extends CanisterEntry {
  status?: CanisterStatus;
  error?: DeskErrorData;
}

export interface TopUpRequest {
  canisterId: string;
  amount: string | bigint;
  from?: AccountRef;
}

export interface TopUpResult {
  blockIndex: bigint;
  canisterId: string;
  cycles: bigint;
  amountE8s: bigint;
  feeE8s: bigint;
}

export interface CreateCanisterRequest {
  amount: string | bigint;
  from?: AccountRef;
  name?: string;
}

export interface CreateCanisterResult {
  blockIndex: bigint;
  canisterId: string;
  name: string;
  amountE8s: bigint;
  feeE8s: bigint;
}

/** A canister id typed by the user: a valid principal that is a canister's, canonical text. */
export function checkCanisterId(text: unknown): string {
  if (typeof text !== 'string') throw invalidInput('Enter a canister id.');
  const id = checkPrincipalText(text, 'canister id');
  if (!isCanisterId(Principal.fromText(id))) throw invalidInput(`${id} is not a canister id (it looks like a user's principal).`);
  return id;
}

function checkCanisterName(name: unknown): string {
  const t = typeof name === 'string' ? name.trim() : '';
  if (t.length > MAX_NAME) throw invalidInput(`A canister name is at most ${MAX_NAME} characters.`);
  return t;
}

export class Cycles {
  private readonly accounts: Accounts;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly store: LedgerStore,
  ) {
    this.accounts = new Accounts(ctx, store);
  }

  // ---- Rate and conversions ------------------------------------------------------------------

  async conversionRate(): Promise<ConversionRate> {
    try {
      const xdrPermyriadPerIcp = await this.ctx.connection().cmc.getIcpToCyclesConversionRate({ certified: true });
      return { xdrPermyriadPerIcp, cyclesPerIcp: cyclesForE8s(100_000_000n, xdrPermyriadPerIcp) };
    } catch (e) {
      throw toDeskError(e, 'Reading the ICP to cycles rate');
    }
  }

  /** ICP -> cycles (give `icp`), or the ICP needed for at least N cycles (give `cycles`). */
  async preview(input: { icp?: string | bigint; cycles?: string | bigint }): Promise<CyclesPreview> {
    const hasIcp = input?.icp !== undefined && input.icp !== '';
    const hasCycles = input?.cycles !== undefined && input.cycles !== '';
    if (hasIcp === hasCycles) throw invalidInput('Give either an amount of ICP or a number of cycles.');
    const wanted = hasCycles ? parseCycles(input.cycles!) : undefined;
    const icp = hasIcp ? parseAmountE8s(input.icp!) : undefined;
    const [{ xdrPermyriadPerIcp }, feeE8s] = await Promise.all([this.conversionRate(), this.accounts.fee()]);
    const amountE8s = icp ?? e8sForCycles(wanted!, xdrPermyriadPerIcp);
    return { amountE8s, feeE8s, totalE8s: amountE8s + feeE8s, cycles: cyclesForE8s(amountE8s, xdrPermyriadPerIcp), xdrPermyriadPerIcp };
  }

  // ---- Top up and create ---------------------------------------------------------------------

  /** Reviews a top-up; the confirm resolves to a TopUpResult. */
  async prepareTopUp(req: TopUpRequest): Promise<Review> {
    const conn = signingConnection(this.ctx);
    const canisterId = checkCanisterId(req?.canisterId);
    const p = await this.payment(req, MEMO_TOP_UP, Principal.fromText(canisterId));
    const scope = scopeKey(conn);
    const label = this.listCanisters().find((c) => c.canisterId === canisterId)?.name;
    const notify: ReviewCall = {
      canisterId: CANISTER_IDS.cmc,
      canisterName: 'Cycles minting canister',
      method: 'notify_top_up',
      args: { block_index: '(the block of the transfer above)', canister_id: canisterId },
    };
    let blockIndex: bigint | undefined;
    return this.ctx.reviews.prepare(
      {
        action: 'top-up-canister',
        title: `Top up ${label || canisterId} with ${formatIcp(p.amountE8s)} ICP`,
        network: describeNetwork(conn.network),
        signer: conn.principal.toText(),
        calls: [transferCall(p.plan), notify],
        amountE8s: p.amountE8s,
        feeE8s: p.feeE8s,
        from: p.from,
        destination: canisterId,
        notes: [
          `About ${formatCycles(p.cycles)} cycles at the current rate (the cycles minting canister converts at its rate when notified).`,
          'The ICP goes to the cycles minting canister; if it cannot add the cycles it refunds the ICP minus fees.',
        ],
      },
      async (): Promise<TopUpResult> => {
        if (blockIndex === undefined) {
          this.rememberTopUpTarget(scope, canisterId);
          blockIndex = await runTransfer(conn, p.plan);
        }
        const cycles = await notifyTopUp(conn, blockIndex, canisterId);
        return { blockIndex, canisterId, cycles, amountE8s: p.amountE8s, feeE8s: p.feeE8s };
      },
    );
  }

  /** Reviews creating a canister controlled by this identity; the confirm resolves to a CreateCanisterResult. */
  async prepareCreateCanister(req: CreateCanisterRequest): Promise<Review> {
    const conn = signingConnection(this.ctx);
    const name = checkCanisterName(req?.name);
    const p = await this.payment(req, MEMO_CREATE_CANISTER, conn.principal, CANISTER_CREATION_FEE_CYCLES);
    const scope = scopeKey(conn);
    const notify: ReviewCall = {
      canisterId: CANISTER_IDS.cmc,
      canisterName: 'Cycles minting canister',
      method: 'notify_create_canister',
      args: { block_index: '(the block of the transfer above)', controller: conn.principal.toText(), settings: null, subnet_selection: null, subnet_type: null },
    };
    let blockIndex: bigint | undefined;
    return this.ctx.reviews.prepare(
      {
        action: 'create-canister',
        title: `Create a canister${name ? ` "${name}"` : ''} with ${formatIcp(p.amountE8s)} ICP`,
        network: describeNetwork(conn.network),
        signer: conn.principal.toText(),
        calls: [transferCall(p.plan), notify],
        amountE8s: p.amountE8s,
        feeE8s: p.feeE8s,
        from: p.from,
        destination: 'A new canister controlled by this identity',
        notes: [
          `About ${formatCycles(p.cycles)} cycles at the current rate, of which ${formatCycles(CANISTER_CREATION_FEE_CYCLES)} pay the creation fee.`,
          'The ICP goes to the cycles minting canister; if it cannot create the canister it refunds the ICP minus fees.',
        ],
      },
      async (): Promise<CreateCanisterResult> => {
        blockIndex ??= await runTransfer(conn, p.plan);
        const canisterId = await notifyCreateCanister(conn, blockIndex);
        this.rememberCanister(scope, canisterId, name);
        return { blockIndex, canisterId, name, amountE8s: p.amountE8s, feeE8s: p.feeE8s };
      },
    );
  }

  /** The checked payment to the CMC account of `target`, with its transfer planned. */
  private async payment(req: { amount: string | bigint; from?: AccountRef }, memo: bigint, target: Principal, minCycles = 0n) {
    const from = this.accounts.account(req?.from ?? 0);
    const amountE8s = parseAmountE8s(req?.amount);
    const [{ balanceE8s, feeE8s }, { xdrPermyriadPerIcp }] = await Promise.all([this.accounts.maxAmount(from.index), this.conversionRate()]);
    const cycles = cyclesForE8s(amountE8s, xdrPermyriadPerIcp);
    if (cycles < minCycles) {
      const need = e8sForCycles(minCycles, xdrPermyriadPerIcp);
      throw invalidInput(`A new canister needs at least ${formatIcp(need)} ICP (${formatCycles(minCycles)} cycles pay the creation fee).`);
    }
    checkFunds(amountE8s, feeE8s, balanceE8s);
    const plan: TransferPlan = {
      method: 'transfer',
      to: cmcAccountIdOf(target),
      memo,
      amountE8s,
      feeE8s,
      fromSubaccount: from.subaccountHex ? fromHex(from.subaccountHex) : undefined,
      createdAtNs: this.ctx.nowNs(),
    };
    return { plan, amountE8s, feeE8s, cycles, from: from.accountId };
  }

  // ---- Status --------------------------------------------------------------------------------

  /** The canister's status from the management canister (only its controllers may read it). */
  async canisterStatus(canisterIdText: string): Promise<CanisterStatus> {
    const canisterId = checkCanisterId(canisterIdText);
    let s;
    try {
      s = await this.ctx.connection().management.canisterStatus({ canisterId: Principal.fromText(canisterId), certified: true });
    } catch (e) {
      const d = toDeskError(e, 'Reading the canister status');
      if (d.kind === 'rejected' && /controller/i.test(d.detail ?? ''))
        throw new DeskError('rejected', "Only the canister's controllers can read its status, and this identity is not one of them.", d.detail);
      if (d.kind === 'rejected' && /not found/i.test(d.detail ?? '')) throw new DeskError('not-found', 'That canister does not exist on this network.', d.detail);
      throw d;
    }
    const perDay = s.idle_cycles_burned_per_day;
    const threshold = s.settings.freezing_threshold;
    let daysLeft: number | null = null;
    if (perDay > 0n) {
      const usable = s.cycles - (perDay * threshold) / SECONDS_PER_DAY;
      daysLeft = usable <= 0n ? 0 : Number((usable * 100n) / perDay) / 100;
    }
    return {
      canisterId,
      status: 'running' in s.status ? 'running' : 'stopping' in s.status ? 'stopping' : 'stopped',
      cycles: s.cycles,
      memorySizeBytes: s.memory_size,
      controllers: s.settings.controllers.map((p) => p.toText()),
      idleCyclesBurnedPerDay: perDay,
      freezingThresholdSeconds: threshold,
      daysLeft,
      moduleHash: s.module_hash[0] ? toHex(s.module_hash[0]) : null,
    };
  }

  /** The user's canisters with their status where it can be read (an error per canister otherwise). */
  async canistersWithStatus(): Promise<CanisterWithStatus[]> {
    return Promise.all(
      this.listCanisters().map(async (c) => {
        try {
          return { ...c, status: await this.canisterStatus(c.canisterId) };
        } catch (e) {
          return { ...c, error: toDeskError(e, 'Reading the canister status').toData() };
        }
      }),
    );
  }

  // ---- The user's canisters (local labels) ---------------------------------------------------

  listCanisters(): CanisterEntry[] {
    return this.records(scopeKey(this.ctx.connection())).map(({ canisterId, name }) => ({ canisterId, name }));
  }

  addCanister(canisterIdText: string, name = ''): CanisterEntry {
    const canisterId = checkCanisterId(canisterIdText);
    const n = checkCanisterName(name);
    const scope = scopeKey(this.ctx.connection());
    const known = this.records(scope).find((c) => c.canisterId === canisterId);
    if (known) throw invalidInput(`That canister is already in the list${known.name ? ` as "${known.name}"` : ''}.`);
    this.rememberCanister(scope, canisterId, n);
    return { canisterId, name: n };
  }

  renameCanister(canisterIdText: string, name: string): CanisterEntry {
    const canisterId = checkCanisterId(canisterIdText);
    const n = checkCanisterName(name);
    this.writeCanisters(scopeKey(this.ctx.connection()), (list) => {
      const c = list.find((x) => x.canisterId === canisterId);
      if (!c) throw new DeskError('not-found', 'That canister is not in the list.');
      c.name = n;
    });
    return { canisterId, name: n };
  }

  removeCanister(canisterIdText: string): void {
    const canisterId = checkCanisterId(canisterIdText);
    this.writeCanisters(scopeKey(this.ctx.connection()), (list) => {
      const i = list.findIndex((x) => x.canisterId === canisterId);
      if (i < 0) throw new DeskError('not-found', 'That canister is not in the list.');
      list.splice(i, 1);
    });
  }

  /** Canisters whose CMC account a payment of this identity may have gone to: its list and its recent top-ups. */
  topUpCandidates(): string[] {
    const scope = scopeKey(this.ctx.connection());
    return [...new Set([...this.records(scope).map((c) => c.canisterId), ...(this.store.read().topUpTargets?.[scope] ?? [])])];
  }

  /** Adds a canister to the list unless it is there (a created or recovered canister). */
  rememberCanister(scope: string, canisterId: string, name: string): void {
    if (this.records(scope).some((c) => c.canisterId === canisterId)) return;
    this.writeCanisters(scope, (list) => list.push({ canisterId, name, addedAtMs: Date.now() }));
  }

  private rememberTopUpTarget(scope: string, canisterId: string) {
    if (this.store.read().topUpTargets?.[scope]?.includes(canisterId)) return;
    this.store.update((d) => {
      d.topUpTargets ??= {};
      const list = (d.topUpTargets[scope] ??= []);
      list.push(canisterId);
      list.splice(0, Math.max(0, list.length - TOP_UP_TARGETS_KEPT));
    });
  }

  private records(scope: string): CanisterRecord[] {
    return this.store.read().canisters?.[scope] ?? [];
  }

  private writeCanisters(scope: string, change: (list: CanisterRecord[]) => void) {
    this.store.update((d) => {
      d.canisters ??= {};
      change((d.canisters[scope] ??= []));
    });
  }
}

function parseCycles(v: string | bigint): bigint {
  const n = typeof v === 'bigint' ? v : /^\s*\d+\s*$/.test(String(v)) ? BigInt(String(v).trim()) : -1n;
  if (n <= 0n) throw invalidInput('A number of cycles is a whole number above zero.');
  return n;
}

/** 4_200_000_000_000 -> "4.2 T" (for notes; the renderer formats its own figures). */
export function formatCycles(c: bigint): string {
  const t = Number(c / 10_000_000_000n) / 100;
  return `${t} T`;
}
