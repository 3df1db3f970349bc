// The cycles minting canister: turns ICP paid into its subaccounts into cycles for a canister
// (top-up) or a new canister, at a fixed ICP/XDR rate. Behaviour follows dfinity/ic rs/nns/cmc.
//
// Every notification is keyed by its ledger block. The block is marked Processing before the first
// inter-canister call, so a concurrent notification of the same block answers Processing; when the
// work is done the reply is cached, so repeating the notification repeats the reply and never mints
// twice. Retryable errors clear the mark.
import type { Principal } from '@icp-sdk/core/principal';
import { candid } from '../../candid/index.ts';
import type { CmcTypes, ManagementTypes } from '../../candid/index.ts';
import { reject, trap, type CallContext, type Canister, type CanisterInfo, type Handler, type MethodDef } from '../canister.ts';
import { buildMetadataOf, moduleHashOf } from '../common/module.ts';
import { methodTable } from '../common/methods.ts';
import { toHex } from '../common/accounts.ts';
import { CMC_ID, GOVERNANCE_ID, MANAGEMENT_ID, ROOT_ID } from '../ids.ts';
import {
  CREATE_CANISTER_REFUND_FEE,
  ErrorCode,
  MEMO_CREATE_CANISTER,
  MEMO_MINT_CYCLES,
  MEMO_TOP_UP_CANISTER,
  MINT_CYCLES_REFUND_FEE,
  NotifyFailure,
  TOP_UP_CANISTER_REFUND_FEE,
  burn,
  fetchPayment,
  isMeaningfulMemo,
  memoMismatch,
  other,
  paymentAccount,
  refundIcp,
  refundReason,
  rejectText,
  type NotifyError,
  type Payment,
} from './payment.ts';
import { CertifiedRates, type IcpXdrConversionRate } from './rate.ts';

/** 3.5 XDR per ICP (about US$4.80): a plausible recent mainnet rate (unverified); genesis may pass another. */
export const DEFAULT_XDR_PERMYRIAD_PER_ICP = 35_000n;
/** 2026-04-01T00:00:00Z; genesis can stamp the rate with its own time (admin set_icp_xdr_conversion_rate). */
export const DEFAULT_RATE_TIMESTAMP_SECONDS = 1_775_001_600n;
/** 1 XDR buys 10^12 cycles. */
export const CYCLES_PER_XDR = 1_000_000_000_000n;
const E8S_PER_ICP = 100_000_000n;
const PERMYRIAD = 10_000n;
/** How many notification results the CMC keeps (mainnet: MAX_NOTIFY_HISTORY). */
export const MAX_NOTIFY_HISTORY = 1_000_000;
/** At most this many old results are dropped in one go (mainnet: MAX_NOTIFY_PURGE). */
const MAX_NOTIFY_PURGE = 100_000;
const MAX_DEPOSIT_MEMO_LENGTH = 32;
/** create_canister (cycles attached) refuses less than this outright. */
export const CREATE_CANISTER_MIN_CYCLES = 100_000_000_000n;
const BAD_REQUEST_CYCLES_PENALTY = 100_000_000n;

type Kind = 'top_up' | 'create' | 'mint';
type Result<T> = { Ok: T } | { Err: NotifyError };

/** A block's notification status: in flight, or finished with the reply given. */
interface Notification {
  status: 'processing' | Kind | 'refunded';
  /** The principal whose CMC subaccount was paid: canister (top-up), controller (create), caller (mint). */
  target: Principal;
  /** From the block, once fetched. */
  to?: Uint8Array;
  memo?: bigint;
  result?: Result<unknown>;
}

interface State {
  rate: IcpXdrConversionRate;
  average: IcpXdrConversionRate;
  defaultSubnets: Principal[];
  authorizedSubnets: [Principal, Principal[]][];
  subnetTypes: [string, Principal[]][];
  notifications: [bigint, Notification][];
  lastPurgedNotification: bigint;
  totalCyclesMinted: bigint;
}

export interface CmcOptions {
  /** The simulated subnet: the only (default) subnet for new canisters. */
  subnetId: Principal;
  xdrPermyriadPerIcp?: bigint;
  rateTimestampSeconds?: bigint;
  maxNotifyHistory?: number;
  /** Blocks up to this index count as too old (mainnet's CMC was installed with such a value). */
  lastPurgedNotification?: bigint;
}

const MEMO_OF: Record<Kind, bigint> = { top_up: MEMO_TOP_UP_CANISTER, create: MEMO_CREATE_CANISTER, mint: MEMO_MINT_CYCLES };

export class CyclesMintingCanister implements Canister {
  readonly id = CMC_ID;
  readonly name = 'cmc';
  readonly candid = candid.cmc;
  readonly methods: Record<string, MethodDef>;
  readonly admin = {
    /** Sets the rate (genesis uses it to stamp the rate with its own time). */
    set_icp_xdr_conversion_rate: (_ctx: CallContext, rate: IcpXdrConversionRate) => this.setRate(rate),
  };

  private readonly maxNotifyHistory: number;
  private rates: CertifiedRates;
  private defaultSubnets: Principal[];
  private authorizedSubnets: [Principal, Principal[]][] = [];
  private subnetTypes: [string, Principal[]][] = [];
  /** Keyed by the block index in decimal. */
  private notifications = new Map<string, Notification>();
  private lastPurgedNotification: bigint;
  private totalCyclesMinted = 0n;

  constructor(opts: CmcOptions) {
    this.maxNotifyHistory = opts.maxNotifyHistory ?? MAX_NOTIFY_HISTORY;
    this.lastPurgedNotification = opts.lastPurgedNotification ?? 0n;
    this.defaultSubnets = [opts.subnetId];
    const rate = {
      xdr_permyriad_per_icp: opts.xdrPermyriadPerIcp ?? DEFAULT_XDR_PERMYRIAD_PER_ICP,
      timestamp_seconds: opts.rateTimestampSeconds ?? DEFAULT_RATE_TIMESTAMP_SECONDS,
    };
    this.rates = ratesFor(rate);

    const handlers: Record<string, Handler> = {
      get_icp_xdr_conversion_rate: (ctx) => this.getRate(ctx),
      notify_top_up: (ctx, arg: CmcTypes.NotifyTopUpArg) => this.notifyTopUp(ctx, arg),
      notify_create_canister: (ctx, arg: CmcTypes.NotifyCreateCanisterArg) => this.notifyCreateCanister(ctx, arg),
      notify_mint_cycles: (ctx, arg: CmcTypes.NotifyMintCyclesArg) => this.notifyMintCycles(ctx, arg),
      create_canister: (ctx, arg: CmcTypes.CreateCanisterArg) => this.createCanister(ctx, arg),
      get_default_subnets: () => [...this.defaultSubnets],
      get_subnet_types_to_subnets: () => ({ data: this.subnetTypes.map(([t, s]) => [t, [...s]]) }),
      get_principals_authorized_to_create_canisters_to_subnets: () => ({
        data: this.authorizedSubnets.map(([p, s]) => [p, [...s]]),
      }),
      get_build_metadata: () => BUILD_METADATA,
      set_authorized_subnetwork_list: (ctx) =>
        governanceOnly(ctx, 'Only the governance canister and subnet rental canister can set authorized subnetwork lists.'),
      update_subnet_type: (ctx) => governanceOnly(ctx, 'Only the governance canister can update the available subnet types.'),
      change_subnet_type_assignment: (ctx) =>
        governanceOnly(ctx, 'Only the governance canister can change the assignment of subnets to subnet types.'),
    };
    this.methods = methodTable(candid.cmc.idlFactory, handlers);
  }

  info(): CanisterInfo {
    return { controllers: [ROOT_ID], moduleHash: MODULE_HASH };
  }

  certifiedData(): Uint8Array {
    return this.rates.rootHash();
  }

  /** cycles = amount_e8s * xdr_permyriad_per_icp * 10^12 / (10^8 * 10^4), floored. */
  tokensToCycles(e8s: bigint): bigint {
    return (e8s * this.rates.current.xdr_permyriad_per_icp * CYCLES_PER_XDR) / (E8S_PER_ICP * PERMYRIAD);
  }

  // ---- Conversion rate ----------------------------------------------------------------------

  private getRate(ctx: CallContext): CmcTypes.IcpXdrConversionRateResponse {
    return {
      data: { ...this.rates.current },
      hash_tree: this.rates.currentRateWitness(),
      certificate: ctx.dataCertificate() ?? new Uint8Array(),
    };
  }

  private setRate(rate: IcpXdrConversionRate): { ok: true } {
    if (typeof rate?.xdr_permyriad_per_icp !== 'bigint' || typeof rate.timestamp_seconds !== 'bigint') {
      throw new Error('set_icp_xdr_conversion_rate: xdr_permyriad_per_icp and timestamp_seconds must be bigints');
    }
    if (rate.xdr_permyriad_per_icp <= 0n) throw new Error('Proposed conversion rate must be greater than 0');
    this.rates = ratesFor({ xdr_permyriad_per_icp: rate.xdr_permyriad_per_icp, timestamp_seconds: rate.timestamp_seconds });
    return { ok: true };
  }

  // ---- Notifications ------------------------------------------------------------------------

  private notifyTopUp(ctx: CallContext, { block_index, canister_id }: CmcTypes.NotifyTopUpArg): Promise<CmcTypes.NotifyTopUpResult> {
    return this.notify(ctx, block_index, 'top_up', canister_id, async (p) => {
      const cycles = this.tokensToCycles(p.amount);
      try {
        await ctx.call(MANAGEMENT_ID, 'deposit_cycles', [{ canister_id }], cycles);
      } catch (e) {
        return this.refunded(ctx, p, TOP_UP_CANISTER_REFUND_FEE, `Depositing cycles failed with ${rejectText(e)}`);
      }
      await burn(ctx, p.subaccount, p.amount);
      this.totalCyclesMinted += cycles;
      return { Ok: cycles };
    });
  }

  private notifyCreateCanister(ctx: CallContext, arg: CmcTypes.NotifyCreateCanisterArg): Promise<CmcTypes.NotifyCreateCanisterResult> {
    const { block_index, controller } = arg;
    if (ctx.caller.compareTo(controller) !== 'eq') {
      return Promise.resolve(
        otherErr(
          ErrorCode.Unauthorized,
          `${ctx.caller.toText()} is not authorized to call notify_create_canister on behalf of ${controller.toText()}. ` +
            '(Do not retry, because the same result will occur.)',
        ),
      );
    }
    const selection = subnetSelection(arg.subnet_type, arg.subnet_selection);
    if ('error' in selection) return Promise.resolve(otherErr(ErrorCode.BadSubnetSelection, selection.error));

    return this.notify(ctx, block_index, 'create', controller, async (p) => {
      const cycles = this.tokensToCycles(p.amount);
      const created = await this.doCreateCanister(ctx, controller, cycles, selection.selection, arg.settings[0]);
      if ('error' in created) return this.refunded(ctx, p, CREATE_CANISTER_REFUND_FEE, created.error);
      await burn(ctx, p.subaccount, p.amount);
      this.totalCyclesMinted += cycles;
      return { Ok: created.canisterId };
    });
  }

  /** The simulated subnet has no cycles ledger: as the CMC does without one, the payment is refunded. */
  private notifyMintCycles(ctx: CallContext, arg: CmcTypes.NotifyMintCyclesArg): Promise<CmcTypes.NotifyMintCyclesResult> {
    const memoLength = arg.deposit_memo[0]?.length ?? 0;
    if (memoLength > MAX_DEPOSIT_MEMO_LENGTH) {
      return Promise.resolve(
        otherErr(ErrorCode.DepositMemoTooLong, `Memo length ${memoLength} exceeds the maximum length of ${MAX_DEPOSIT_MEMO_LENGTH}`),
      );
    }
    return this.notify(ctx, arg.block_index, 'mint', ctx.caller, (p) =>
      this.refunded(ctx, p, MINT_CYCLES_REFUND_FEE, 'No cycles ledger canister id configured.'),
    );
  }

  /**
   * The common flow: too-old and cached checks, the Processing mark, fetching and checking the
   * payment, automatic refund of a payment without a meaningful memo, then `process`.
   */
  private async notify<T>(
    ctx: CallContext,
    blockIndex: bigint,
    kind: Kind,
    target: Principal,
    process: (p: Payment & { subaccount: Uint8Array }) => Promise<Result<T>>,
  ): Promise<Result<T>> {
    this.purgeOldNotifications();
    if (blockIndex <= this.lastPurgedNotification) return { Err: { TransactionTooOld: this.lastPurgedNotification + 1n } };
    const key = blockIndex.toString();
    const known = this.notifications.get(key);
    if (known) return this.repeated(known, kind, target) as Result<T>;

    this.notifications.set(key, { status: 'processing', target });
    const { subaccount, account } = paymentAccount(ctx.self, target);
    let done: Notification | undefined;
    try {
      const payment = await fetchPayment(ctx, blockIndex, account, subaccount);
      const p = { ...payment, subaccount };
      if (!isMeaningfulMemo(payment.memo)) {
        const result = await this.refunded(ctx, p, 0n, refundReason(payment.memo));
        done = { status: 'refunded', target, to: payment.to, memo: payment.memo, result };
        return result;
      }
      if (payment.memo !== MEMO_OF[kind]) throw memoMismatch(payment.memo, MEMO_OF[kind]);
      const result = await process(p);
      if (!isRetryable(result)) done = { status: kind, target, to: payment.to, memo: payment.memo, result };
      return result;
    } catch (e) {
      if (e instanceof NotifyFailure) return { Err: e.error };
      return otherErr(ErrorCode.Internal, `internal error: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      if (this.notifications.get(key)?.status === 'processing') {
        if (done) this.notifications.set(key, done);
        else this.notifications.delete(key);
      }
    }
  }

  /** The reply to a notification of a block that already has a status. */
  private repeated(known: Notification, kind: Kind, target: Principal): Result<unknown> {
    if (known.status === 'processing') return { Err: { Processing: null } };
    if (known.target.compareTo(target) !== 'eq') {
      const { subaccount } = paymentAccount(CMC_ID, target);
      return {
        Err: {
          InvalidTransaction: `Destination account in the block (${toHex(known.to!)}) different than in the notification (${toHex(subaccount)})`,
        },
      };
    }
    if (known.status === 'refunded' || known.status === kind) return known.result!;
    return { Err: memoMismatch(known.memo!, MEMO_OF[kind]).error };
  }

  /** Refunds the payment minus fees; Refunded, or RefundFailed (retryable) if the ledger refused. */
  private async refunded(ctx: CallContext, p: Payment & { subaccount: Uint8Array }, extraFee: bigint, reason: string) {
    const block_index = await refundIcp(ctx, p.subaccount, p.from, p.amount, extraFee);
    return { Err: { Refunded: { reason, block_index } } } as { Err: NotifyError };
  }

  private purgeOldNotifications() {
    if (this.notifications.size <= this.maxNotifyHistory) return;
    const indices = [...this.notifications.keys()].map(BigInt).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let purged = 0;
    let last = 0n;
    while (this.notifications.size > this.maxNotifyHistory && purged < MAX_NOTIFY_PURGE) {
      last = indices[purged];
      this.notifications.delete(last.toString());
      purged++;
    }
    if (last > this.lastPurgedNotification) this.lastPurgedNotification = last;
  }

  // ---- Canister creation --------------------------------------------------------------------

  /** create_canister with cycles attached (for canisters; a user's call carries none). */
  private async createCanister(ctx: CallContext, arg: CmcTypes.CreateCanisterArg): Promise<CmcTypes.CreateCanisterResult> {
    const cycles = ctx.cycles;
    const refunded = (refund_amount: bigint, create_error: string) => ({ Err: { Refunded: { refund_amount, create_error } } });
    if (cycles < CREATE_CANISTER_MIN_CYCLES) return refunded(cycles, 'Insufficient cycles attached.');
    const selection = subnetSelection(arg.subnet_type, arg.subnet_selection);
    if ('error' in selection) return refunded(cycles, selection.error);
    const created = await this.doCreateCanister(ctx, ctx.caller, cycles, selection.selection, arg.settings[0]);
    if ('error' in created) return refunded(cycles - BAD_REQUEST_CYCLES_PENALTY, created.error);
    return { Ok: created.canisterId };
  }

  private async doCreateCanister(
    ctx: CallContext,
    controller: Principal,
    cycles: bigint,
    selection: CmcTypes.SubnetSelection | undefined,
    settings: CmcTypes.CanisterSettings | undefined,
  ): Promise<{ canisterId: Principal } | { error: string }> {
    const subnets = this.subnetsFor(controller, selection);
    if ('error' in subnets) return subnets;
    if (subnets.list.length === 0) return { error: 'No subnets in which to create a canister.' };
    const arg: ManagementTypes.create_canister_args = {
      settings: [toManagementSettings(settings, controller)],
      sender_canister_version: [],
    };
    let lastError = 'Unknown problem attempting to create a canister.';
    // Every subnet of this simulation is the one subnet: the management canister creates there.
    for (const subnet of subnets.list) {
      try {
        const res = await ctx.call<ManagementTypes.create_canister_result>(MANAGEMENT_ID, 'create_canister', [arg], cycles);
        return { canisterId: res.canister_id };
      } catch (e) {
        lastError = `Creating canister in subnet ${subnet.toText()} failed with ${rejectText(e)}`;
      }
    }
    return { error: lastError };
  }

  private subnetsFor(
    controller: Principal,
    selection: CmcTypes.SubnetSelection | undefined,
  ): { list: Principal[] } | { error: string } {
    const authorized = this.authorizedSubnets.find(([p]) => p.compareTo(controller) === 'eq')?.[1];
    const forController = () => ({ list: [...(authorized ?? this.defaultSubnets)] });
    if (!selection) return forController();
    if ('Filter' in selection) {
      const [type] = selection.Filter.subnet_type;
      if (type === undefined) return forController();
      const typed = this.subnetTypes.find(([t]) => t === type);
      return typed ? { list: [...typed[1]] } : { error: `Provided subnet type ${type} does not exist` };
    }
    const { subnet } = selection.Subnet;
    const has = (list: Principal[] | undefined) => !!list?.some((s) => s.compareTo(subnet) === 'eq');
    if (has(this.defaultSubnets) || has(authorized) || this.subnetTypes.some(([, s]) => has(s))) return { list: [subnet] };
    return {
      error: `Subnet ${subnet.toText()} does not exist or ${controller.toText()} is not authorized to deploy to that subnet.`,
    };
  }

  // ---- Snapshot -----------------------------------------------------------------------------

  snapshot(): State {
    return {
      rate: { ...this.rates.current },
      average: { ...this.rates.average },
      defaultSubnets: [...this.defaultSubnets],
      authorizedSubnets: this.authorizedSubnets.map(([p, s]) => [p, [...s]]),
      subnetTypes: this.subnetTypes.map(([t, s]) => [t, [...s]]),
      notifications: [...this.notifications].map(([k, n]) => [BigInt(k), { ...n }]),
      lastPurgedNotification: this.lastPurgedNotification,
      totalCyclesMinted: this.totalCyclesMinted,
    };
  }

  restore(snapshot: unknown): void {
    const s = snapshot as State;
    this.rates = new CertifiedRates({ ...s.rate }, { ...s.average });
    this.defaultSubnets = [...s.defaultSubnets];
    this.authorizedSubnets = s.authorizedSubnets.map(([p, l]) => [p, [...l]]);
    this.subnetTypes = s.subnetTypes.map(([t, l]) => [t, [...l]]);
    this.notifications = new Map(s.notifications.map(([k, n]) => [k.toString(), { ...n }]));
    this.lastPurgedNotification = s.lastPurgedNotification;
    this.totalCyclesMinted = s.totalCyclesMinted;
  }
}

/** There is no Wasm: the module hash is sha256 of a string naming the simulation. */
const MODULE_VERSION = 'neuron-desk simulated cycles minting canister v1 (dfinity/ic rs/nns/cmc, release-2026-04-02)';
const MODULE_HASH = moduleHashOf(MODULE_VERSION);
const BUILD_METADATA = buildMetadataOf('dfinity/ic rs/nns/cmc');

/**
 * The average rate is the mean of the last 30 days' start-of-day rates on mainnet; with a rate
 * that only genesis sets, it is that rate, stamped with the start of its day.
 */
function ratesFor(rate: IcpXdrConversionRate): CertifiedRates {
  const startOfDay = (rate.timestamp_seconds / 86_400n) * 86_400n;
  return new CertifiedRates(rate, { xdr_permyriad_per_icp: rate.xdr_permyriad_per_icp, timestamp_seconds: startOfDay });
}

function isRetryable(result: Result<unknown>): boolean {
  return 'Err' in result && !('Refunded' in result.Err);
}

function otherErr(code: bigint, message: string): { Err: NotifyError } {
  return { Err: other(code, message).error };
}

function subnetSelection(
  subnetType: [] | [string],
  selection: [] | [CmcTypes.SubnetSelection],
): { selection: CmcTypes.SubnetSelection | undefined } | { error: string } {
  const [type] = subnetType;
  if (type !== undefined && selection.length > 0) {
    return { error: 'Cannot specify subnet_type and subnet_selection at the same time.' };
  }
  if (type !== undefined) return { selection: { Filter: { subnet_type: [type] } } };
  return { selection: selection[0] };
}

/** The settings for the management canister; controllers default to the controller. */
function toManagementSettings(settings: CmcTypes.CanisterSettings | undefined, controller: Principal): ManagementTypes.canister_settings {
  return {
    controllers: settings?.controllers.length ? settings.controllers : [[controller]],
    compute_allocation: settings?.compute_allocation ?? [],
    memory_allocation: settings?.memory_allocation ?? [],
    freezing_threshold: settings?.freezing_threshold ?? [],
    reserved_cycles_limit: settings?.reserved_cycles_limit ?? [],
    log_visibility: settings?.log_visibility ?? [],
    snapshot_visibility: settings?.snapshot_visibility ?? [],
    wasm_memory_limit: settings?.wasm_memory_limit ?? [],
    wasm_memory_threshold: settings?.wasm_memory_threshold ?? [],
    environment_variables: settings?.environment_variables ?? [],
  };
}

function governanceOnly(ctx: CallContext, message: string): never {
  if (ctx.caller.compareTo(GOVERNANCE_ID) === 'eq') reject('subnet administration is not available on the simulated subnet');
  return trap(`Panicked at '${message}', rs/nns/cmc/src/main.rs`);
}
