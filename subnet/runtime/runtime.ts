// Executes messages in rounds against the canister state machines.
//
// A round takes the queued ingress messages and admin operations, runs the timers that are due,
// delivers the inter-canister requests and replies of the previous round, and executes them all in
// a fixed order. Inter-canister calls are asynchronous as on the IC: a request made in round N runs
// in round N+1 and its reply reaches the caller in the round after that. Because canisters are
// deterministic, a round is fully described by its height, time and inputs: that record is what
// gets logged, and replaying the records rebuilds the state after a restart or a crash.
import { IDL } from '@icp-sdk/core/candid';
import { encodeCandid } from './candid-encode.ts';
import { Principal } from '@icp-sdk/core/principal';
import { Reject, RejectCode, type CallContext, type Canister, type MethodDef } from '../canisters/canister.ts';
import { Clock, NS_PER_SECOND } from './clock.ts';
import { collectGarbage } from './collect-garbage.ts';
import { Persistence } from './persistence.ts';

export type Outcome =
  | { status: 'replied'; reply: Uint8Array }
  | { status: 'rejected'; code: RejectCode; message: string; errorCode: string };

export interface IngressMessage {
  /** Hex of the 32-byte request id. */
  requestId: string;
  canisterId: Principal;
  method: string;
  arg: Uint8Array;
  sender: Principal;
  /** ingress_expiry in ns. */
  expiry: bigint;
}

export interface IngressStatus {
  status: 'processing' | 'replied' | 'rejected';
  sender: Principal;
  outcome?: Outcome;
}

/** The part of a canister's state the certified state tree shows. */
export interface CanisterTreeInfo {
  controllers: Principal[];
  moduleHash?: Uint8Array;
  metadata: Record<string, Uint8Array>;
  certifiedData?: Uint8Array;
}

/** Routes ingress to canisters that exist but have no code (user canisters). */
export interface UserCanisterHost {
  userCanister(id: Principal): { controllers: Principal[] } | undefined;
}

type Input =
  | { k: 'call'; rid: string; c: string; m: string; a: Uint8Array; s: string; e: bigint }
  | { k: 'admin'; c: string; m: string; a: unknown };

interface RoundRecord {
  h: number;
  t: bigint;
  o: bigint;
  in: Input[];
}

interface IngressEntry {
  sender: Principal;
  expiry: bigint;
  outcome?: Outcome;
  /** Resolved once the outcome is durable. */
  done: Promise<Outcome>;
  resolve?: (o: Outcome) => void;
}

interface Checkpoint {
  height: number;
  time: bigint;
  offset: bigint;
  canisters: Record<string, unknown>;
  ingress: [string, string, bigint, Outcome][];
}

interface Entry {
  canister: Canister;
  funcs: Map<string, IDL.FuncClass>;
}

interface InterCanisterRequest {
  from: Principal;
  to: Principal;
  method: string;
  args: unknown[];
  cycles: bigint;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

const MAX_INPUTS_PER_ROUND = 2000;
const MAX_ROUNDS_PER_BATCH = 1000;
/** The IC keeps a request's status for the ingress window; we keep it a little longer. */
const INGRESS_RETENTION_NS = 6n * 60n * NS_PER_SECOND;
const CHECKPOINT_EVERY_RECORDS = 20_000;
const CHECKPOINT_EVERY_BYTES = 64 * 1024 * 1024;

export interface RuntimeOptions {
  canisters: Canister[];
  /** The canister that hosts user canisters (the management canister), if any. */
  userCanisterHost?: UserCanisterHost;
  stateDir?: string;
  fresh?: boolean;
  /**
   * Runs once on an empty state (no checkpoint, no log): builds the genesis world. It may start in
   * the past (rewindForGenesis) and advance time back to the present (advanceToPresent) to build a
   * history with the real canisters and timers. Its rounds are made durable as one checkpoint at
   * the end (a crash during genesis leaves an empty state, and genesis runs again).
   */
  genesis?: (rt: Runtime) => Promise<void>;
  clock?: Clock;
  /** Called after each batch of rounds (for certification). */
  onRounds?: () => void;
}

export class Runtime {
  readonly clock: Clock;
  private readonly entries = new Map<string, Entry>();
  private readonly userHost?: UserCanisterHost;
  private readonly persistence?: Persistence<Checkpoint, RoundRecord>;
  private readonly ingress = new Map<string, IngressEntry>();
  private queue: { input: Input; settle?: (v: unknown, err?: unknown) => void }[] = [];
  private requests: InterCanisterRequest[] = [];
  private replies: (() => void)[] = [];
  /** Handler executions started and not yet settled (async ones waiting on calls). */
  private running = 0;
  private scheduled = false;
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private replaying = false;
  private pendingAcks: (() => void)[] = [];
  private _height = 0;
  private _time = 0n;
  /** While genesis runs: its rounds, kept here instead of being logged one batch at a time. */
  private genesisRecords: RoundRecord[] | undefined;
  /** Provided by the certifier: the latest certificate, for ic0.data_certificate in queries. */
  dataCertificate: () => Uint8Array | undefined = () => undefined;
  onRounds?: () => void;

  private constructor(opts: RuntimeOptions) {
    this.clock = opts.clock ?? new Clock();
    for (const canister of opts.canisters) {
      const funcs = new Map<string, IDL.FuncClass>();
      if (canister.candid) {
        const service = canister.candid.idlFactory({ IDL });
        for (const [name, func] of service._fields) funcs.set(name, func);
      }
      this.entries.set(canister.id.toText(), { canister, funcs });
    }
    this.userHost = opts.userCanisterHost;
    if (opts.stateDir) this.persistence = new Persistence(opts.stateDir);
    this.onRounds = opts.onRounds;
  }

  static async create(opts: RuntimeOptions): Promise<Runtime> {
    const rt = new Runtime(opts);
    if (rt.persistence && opts.fresh) rt.persistence.wipe();
    const stored = rt.persistence?.load();
    if (stored && (stored.checkpoint || stored.rounds.length > 0)) {
      await rt.recover(stored.checkpoint, stored.rounds);
    } else {
      rt._time = rt.clock.now();
      if (opts.genesis) {
        rt.genesisRecords = [];
        try {
          await opts.genesis(rt);
          await rt.idle();
        } catch (e) {
          rt.genesisRecords = undefined; // nothing of a failed genesis is kept: it runs again next time
          throw e;
        }
        rt.finishGenesis();
      }
      await rt.idle();
    }
    rt.armTimer();
    return rt;
  }

  get height(): number {
    return this._height;
  }

  /** Time of the latest round (ns). */
  get time(): bigint {
    return this._time;
  }

  /** The subnet's current time: never behind the latest round. */
  now(): bigint {
    const now = this.clock.now();
    return now > this._time ? now : this._time;
  }

  canisterIds(): Principal[] {
    return [...this.entries.values()].map((e) => e.canister.id);
  }

  canister(id: Principal): Canister | undefined {
    return this.entries.get(id.toText())?.canister;
  }

  /** Whether a canister (system or user) with this id exists on the subnet. */
  hasCanister(id: Principal): boolean {
    return this.entries.has(id.toText()) || this.userHost?.userCanister(id) !== undefined;
  }

  canisterTreeInfo(id: Principal): CanisterTreeInfo | undefined {
    const entry = this.entries.get(id.toText());
    if (entry) {
      const info = entry.canister.info();
      const metadata: Record<string, Uint8Array> = {};
      if (entry.canister.candid) metadata['candid:service'] = new TextEncoder().encode(entry.canister.candid.didText);
      return { ...info, metadata, certifiedData: entry.canister.certifiedData?.() };
    }
    const user = this.userHost?.userCanister(id);
    if (user) return { controllers: user.controllers, metadata: {} };
    return undefined;
  }

  ingressStatus(requestId: string): IngressStatus | undefined {
    const e = this.ingress.get(requestId);
    if (!e) return undefined;
    if (!e.outcome) return { status: 'processing', sender: e.sender };
    return { status: e.outcome.status, sender: e.sender, outcome: e.outcome };
  }

  // ---- Entry points ---------------------------------------------------------------------------

  /**
   * Submits an ingress update call. A request id seen before is not executed again: the caller
   * gets the first submission's outcome. Resolves once the outcome is durable.
   */
  submit(msg: IngressMessage): Promise<Outcome> {
    const known = this.ingress.get(msg.requestId);
    if (known) return known.done;
    let resolve!: (o: Outcome) => void;
    const done = new Promise<Outcome>((r) => (resolve = r));
    this.ingress.set(msg.requestId, { sender: msg.sender, expiry: msg.expiry, done, resolve });
    this.enqueue({
      k: 'call',
      rid: msg.requestId,
      c: msg.canisterId.toText(),
      m: msg.method,
      a: msg.arg,
      s: msg.sender.toText(),
      e: msg.expiry,
    });
    return done;
  }

  /** Executes a query against the current state, at once. */
  query(canisterId: Principal, method: string, arg: Uint8Array, sender: Principal): Outcome {
    try {
      const { entry, def, func } = this.resolveMethod(canisterId, method, true);
      const args = decodeArgs(func, arg);
      const ctx = this.context(entry.canister.id, sender, this.now(), 0n, true);
      const value = def.handler(ctx, ...args);
      if (value instanceof Promise) throw new Error(`query ${method} returned a promise`);
      return { status: 'replied', reply: encodeReply(func, value) };
    } catch (e) {
      return toRejected(e);
    }
  }

  /** Runs an admin operation of a canister in a round (logged like any input). */
  admin<T = unknown>(canisterId: Principal, method: string, args: unknown): Promise<T> {
    const entry = this.entries.get(canisterId.toText());
    if (!entry?.canister.admin?.[method]) {
      return Promise.reject(new Error(`no admin operation ${method} on ${canisterId.toText()}`));
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        input: { k: 'admin', c: canisterId.toText(), m: method, a: args },
        settle: (v, err) => (err === undefined ? resolve(v as T) : reject(err)),
      });
      this.schedule();
    });
  }

  /** Moves the clock forward, running every timer at the time it falls due. */
  advanceTime(seconds: number | bigint): Promise<void> {
    const secs = BigInt(seconds);
    if (secs < 0n) return Promise.reject(new Error('advance_seconds must not be negative'));
    return this.exclusive(async () => {
      await this.runBatch();
      this.clock.advance(secs);
      const target = this.clock.now();
      for (;;) {
        const due = this.nextTimerDue();
        if (due === undefined || due > target) break;
        await this.runBatch(due > this._time ? due : this._time + 1n);
      }
      await this.runBatch(target, true);
    });
  }

  /**
   * Genesis only, before its first round: moves the clock `seconds` into the past, so that genesis
   * can build a history (proposals, votes, reward events) with the real canisters and timers, then
   * come back to the present with advanceToPresent(). Rounds carry their own time, so the history
   * replays like any other.
   */
  rewindForGenesis(seconds: number | bigint): void {
    if (!this.genesisRecords || this._height > 0) throw new Error('rewindForGenesis: only at the start of genesis');
    this.clock.rewind(BigInt(seconds));
    this._time = this.clock.now();
  }

  /** Seconds the clock is behind wall time (after rewindForGenesis), else 0. */
  get secondsBehind(): bigint {
    return this.clock.offsetNs < 0n ? -this.clock.offsetNs / NS_PER_SECOND : 0n;
  }

  /** Advances the clock back to wall time when it is behind, running every timer on the way. */
  async advanceToPresent(): Promise<void> {
    const behind = this.secondsBehind;
    if (behind > 0n) await this.advanceTime(behind);
  }

  /** Update call with Candid encoding done here (for genesis and tests). */
  async callDecoded<T = unknown>(canisterId: Principal, method: string, args: unknown[], sender: Principal): Promise<T> {
    const func = this.funcOf(canisterId, method);
    const rid = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex');
    const outcome = await this.submit({
      requestId: rid,
      canisterId,
      method,
      arg: encodeCandid(func.argTypes, args),
      sender,
      expiry: this.now() + 300n * NS_PER_SECOND,
    });
    return unwrapOutcome<T>(func, outcome);
  }

  queryDecoded<T = unknown>(canisterId: Principal, method: string, args: unknown[], sender: Principal): T {
    const func = this.funcOf(canisterId, method);
    return unwrapOutcome<T>(func, this.query(canisterId, method, encodeCandid(func.argTypes, args), sender));
  }

  /** Resolves when no work is queued or running. */
  async idle(): Promise<void> {
    while (this.hasWork() || this.scheduled) {
      await this.exclusive(() => this.runBatch());
    }
    await this.chain;
  }

  /** Writes a checkpoint (when no call is in flight) and stops. */
  async close(): Promise<void> {
    await this.idle();
    await this.exclusive(async () => {
      this.closed = true;
      if (this.timer) clearTimeout(this.timer);
      if (this.persistence) {
        if (this.running === 0) this.persistence.checkpoint(this.checkpointState());
        this.persistence.close();
      }
    });
  }

  // ---- Rounds -----------------------------------------------------------------------------------

  private enqueue(input: Input) {
    this.queue.push({ input });
    this.schedule();
  }

  private schedule() {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      void this.exclusive(async () => {
        this.scheduled = false;
        await this.runBatch();
      });
    });
  }

  /** Runs fn after everything scheduled before it: one batch of rounds at a time. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn);
    this.chain = p.then(
      () => undefined,
      () => undefined,
    );
    return p;
  }

  private hasWork(): boolean {
    return this.queue.length > 0 || this.requests.length > 0 || this.replies.length > 0;
  }

  private nextTimerDue(): bigint | undefined {
    let min: bigint | undefined;
    for (const { canister } of this.entries.values()) {
      const t = canister.nextTimer?.();
      if (t !== undefined && (min === undefined || t < min)) min = t;
    }
    return min;
  }

  /**
   * Runs rounds until nothing is left to do, then makes them durable and acknowledges results.
   * Call only through exclusive(). `at` pins the rounds' time (time travel); `force` runs one
   * round even with nothing to do.
   */
  private async runBatch(at?: bigint, force = false): Promise<void> {
    if (this.closed) return;
    const records: RoundRecord[] = [];
    try {
      while (records.length < MAX_ROUNDS_PER_BATCH) {
        const now = at ?? this.clock.now();
        const time = now > this._time ? now : this._time + 1n;
        if (!(this.hasWork() || (force && records.length === 0) || this.timersDue(time))) break;
        const inputs = this.queue.splice(0, MAX_INPUTS_PER_ROUND);
        const record: RoundRecord = { h: this._height + 1, t: time, o: this.clock.offsetNs, in: inputs.map((q) => q.input) };
        await this.executeRound(record, inputs.map((q) => q.settle));
        records.push(record);
      }
      if (this.genesisRecords) this.genesisRecords.push(...records);
      else if (this.persistence && records.length > 0) {
        this.persistence.append(records);
        const size = this.persistence.logSize;
        if (this.running === 0 && (size.records >= CHECKPOINT_EVERY_RECORDS || size.bytes >= CHECKPOINT_EVERY_BYTES)) {
          this.persistence.checkpoint(this.checkpointState());
        }
      }
    } catch (e) {
      // Results that could not be made durable are never acknowledged.
      this.pendingAcks = [];
      console.error('subnet: executing or persisting rounds failed:', e);
      throw e;
    } finally {
      if (this.hasWork()) this.schedule();
      this.armTimer();
    }
    const acks = this.pendingAcks;
    this.pendingAcks = [];
    for (const ack of acks) ack();
    if (records.length > 0) this.onRounds?.();
  }

  /** Genesis is over: its rounds become durable at once (a checkpoint, or the log if a call is in flight). */
  private finishGenesis() {
    const records = this.genesisRecords ?? [];
    this.genesisRecords = undefined;
    if (!this.persistence || records.length === 0) return;
    if (this.running > 0) {
      this.persistence.append(records);
      return;
    }
    // The state goes on from its checkpoint, as it would after a restart: one form of state, and
    // the compact one (a genesis builds plain objects; a restore holds typed arrays and views).
    const checkpoint = this.persistence.checkpoint(this.checkpointState());
    for (const { canister } of this.entries.values()) {
      if (checkpoint.canisters[canister.name] !== undefined) canister.restore(checkpoint.canisters[canister.name]);
    }
    collectGarbage();
  }

  private timersDue(now: bigint): boolean {
    const due = this.nextTimerDue();
    return due !== undefined && due <= now;
  }

  private async executeRound(record: RoundRecord, settles: (((v: unknown, err?: unknown) => void) | undefined)[] = []) {
    this._height = record.h;
    this._time = record.t;
    this.clock.offsetNs = record.o > this.clock.offsetNs ? record.o : this.clock.offsetNs;
    const time = record.t;

    // Replies of the previous round first, then the requests it made, then timers, then ingress.
    const replies = this.replies;
    this.replies = [];
    for (const deliver of replies) deliver();

    const requests = this.requests;
    this.requests = [];
    for (const req of requests) this.executeRequest(req, time);

    for (const { canister } of this.entries.values()) {
      const due = canister.nextTimer?.();
      if (due !== undefined && due <= time && canister.onTimer) {
        const ctx = this.context(canister.id, canister.id, time, 0n, false);
        this.track(() => canister.onTimer!(ctx), (_v, err) => {
          if (err !== undefined) console.error(`timer of ${canister.name} failed:`, err);
        });
      }
    }

    record.in.forEach((input, i) => {
      if (input.k === 'call') this.executeIngress(input, time);
      else this.executeAdmin(input, time, settles[i]);
    });

    this.purgeIngress(time);
    // Let every continuation that became runnable finish its synchronous part.
    await new Promise<void>((r) => setImmediate(r));
  }

  private executeIngress(input: Extract<Input, { k: 'call' }>, time: bigint) {
    let entry = this.ingress.get(input.rid);
    if (!entry) {
      // Replay: rebuild the dedup entry.
      entry = { sender: Principal.fromText(input.s), expiry: input.e, done: Promise.resolve(undefined as never) };
      let resolve!: (o: Outcome) => void;
      entry.done = new Promise<Outcome>((r) => (resolve = r));
      entry.resolve = resolve;
      this.ingress.set(input.rid, entry);
    }
    const finish = (outcome: Outcome) => {
      entry!.outcome = outcome;
      const resolve = entry!.resolve;
      entry!.resolve = undefined;
      if (resolve) this.pendingAcks.push(() => resolve(outcome));
    };
    let func: IDL.FuncClass;
    let ctxCanister: Principal;
    let def: MethodDef;
    let args: unknown[];
    try {
      const resolved = this.resolveMethod(Principal.fromText(input.c), input.m, false);
      func = resolved.func;
      def = resolved.def;
      ctxCanister = resolved.entry.canister.id;
      args = decodeArgs(func, input.a);
    } catch (e) {
      finish(toRejected(e));
      return;
    }
    const ctx = this.context(ctxCanister, entry.sender, time, 0n, false);
    this.track(
      () => def.handler(ctx, ...args),
      (value, err) => {
        if (err !== undefined) finish(toRejected(err));
        else {
          try {
            finish({ status: 'replied', reply: encodeReply(func, value) });
          } catch (e) {
            finish(toRejected(e));
          }
        }
      },
    );
  }

  private executeAdmin(input: Extract<Input, { k: 'admin' }>, time: bigint, settle?: (v: unknown, err?: unknown) => void) {
    const canister = this.entries.get(input.c)!.canister;
    const ctx = this.context(canister.id, canister.id, time, 0n, false);
    this.track(
      () => canister.admin![input.m](ctx, input.a),
      (value, err) => {
        if (settle) this.pendingAcks.push(() => settle(value, err ?? undefined));
      },
    );
  }

  private executeRequest(req: InterCanisterRequest, time: bigint) {
    const respond = (value: unknown, err?: unknown) =>
      this.replies.push(() => (err !== undefined ? req.reject(err) : req.resolve(value)));
    let func: IDL.FuncClass;
    let def: MethodDef;
    let args: unknown[];
    try {
      const resolved = this.resolveMethod(req.to, req.method, false);
      func = resolved.func;
      def = resolved.def;
      // A round trip through Candid checks the arguments against the callee's interface.
      args = decodeArgs(func, encodeCandid(func.argTypes, req.args));
    } catch (e) {
      respond(undefined, e instanceof Reject ? e : asReject(e));
      return;
    }
    const ctx = this.context(req.to, req.from, time, req.cycles, false);
    this.track(
      () => def.handler(ctx, ...args),
      (value, err) => {
        if (err !== undefined) return respond(undefined, err instanceof Reject ? err : asReject(err));
        try {
          // Replies travel as Candid too.
          const bytes = encodeReply(func, value);
          respond(decodeReply(func, bytes));
        } catch (e) {
          respond(undefined, asReject(e));
        }
      },
    );
  }

  /** Runs a handler; `done` is called with its value or error, now or when its promise settles. */
  private track(run: () => unknown, done: (value: unknown, err?: unknown) => void) {
    let result: unknown;
    try {
      result = run();
    } catch (e) {
      done(undefined, e ?? new Error('thrown undefined'));
      return;
    }
    if (result instanceof Promise) {
      this.running++;
      result.then(
        (v) => {
          this.running--;
          done(v);
        },
        (e) => {
          this.running--;
          done(undefined, e ?? new Error('rejected with undefined'));
        },
      );
    } else done(result);
  }

  private context(self: Principal, caller: Principal, time: bigint, cycles: bigint, isQuery: boolean): CallContext {
    return {
      self,
      caller,
      time,
      cycles,
      call: <T>(to: Principal, method: string, args: unknown[], attached = 0n) => {
        if (isQuery) return Promise.reject(new Reject(RejectCode.CanisterError, 'queries cannot call other canisters here', 'IC0504'));
        return new Promise<T>((resolve, reject) => {
          this.requests.push({ from: self, to, method, args, cycles: attached, resolve: resolve as (v: unknown) => void, reject });
        });
      },
      dataCertificate: () => (isQuery ? this.dataCertificate() : undefined),
    };
  }

  private resolveMethod(canisterId: Principal, method: string, isQuery: boolean) {
    const entry = this.entries.get(canisterId.toText());
    if (!entry) {
      if (this.userHost?.userCanister(canisterId)) {
        throw new Reject(
          RejectCode.CanisterError,
          `Error from Canister ${canisterId.toText()}: Attempted to execute a message, but the canister contains no Wasm module.`,
          'IC0537',
        );
      }
      throw new Reject(RejectCode.DestinationInvalid, `Canister ${canisterId.toText()} not found`, 'IC0301');
    }
    const def = entry.canister.methods[method];
    const func = entry.funcs.get(method);
    if (!def || !func || (isQuery && def.mode !== 'query')) {
      throw new Reject(
        RejectCode.DestinationInvalid,
        `Canister ${canisterId.toText()} has no ${isQuery ? 'query' : 'update'} method '${method}'`,
        'IC0536',
      );
    }
    return { entry, def, func };
  }

  private funcOf(canisterId: Principal, method: string): IDL.FuncClass {
    const func = this.entries.get(canisterId.toText())?.funcs.get(method);
    if (!func) throw new Error(`unknown method ${method} on ${canisterId.toText()}`);
    return func;
  }

  private purgeIngress(time: bigint) {
    for (const [rid, e] of this.ingress) {
      if (e.expiry + INGRESS_RETENTION_NS >= time) break;
      if (!e.outcome) continue;
      this.ingress.delete(rid);
    }
  }

  private armTimer() {
    if (this.closed || this.replaying) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const due = this.nextTimerDue();
    if (due === undefined) return;
    const ms = Number((due - this.clock.now()) / 1_000_000n);
    this.timer = setTimeout(() => this.schedule(), Math.min(Math.max(ms, 0) + 1, 2 ** 31 - 1));
    this.timer.unref();
  }

  // ---- Persistence ------------------------------------------------------------------------------

  private checkpointState(): Checkpoint {
    const canisters: Record<string, unknown> = {};
    for (const { canister } of this.entries.values()) canisters[canister.name] = canister.snapshot();
    const ingress: Checkpoint['ingress'] = [];
    for (const [rid, e] of this.ingress) if (e.outcome) ingress.push([rid, e.sender.toText(), e.expiry, e.outcome]);
    return { height: this._height, time: this._time, offset: this.clock.offsetNs, canisters, ingress };
  }

  private async recover(checkpoint: Checkpoint | undefined, rounds: RoundRecord[]) {
    this.replaying = true;
    if (checkpoint) {
      this._height = checkpoint.height;
      this._time = checkpoint.time;
      this.clock.offsetNs = checkpoint.offset;
      for (const { canister } of this.entries.values()) {
        if (checkpoint.canisters[canister.name] !== undefined) canister.restore(checkpoint.canisters[canister.name]);
      }
      for (const [rid, sender, expiry, outcome] of checkpoint.ingress) {
        this.ingress.set(rid, { sender: Principal.fromText(sender), expiry, outcome, done: Promise.resolve(outcome) });
      }
    }
    for (const record of rounds) {
      if (record.h <= this._height) continue;
      await this.executeRound(record);
    }
    this.pendingAcks = [];
    for (const e of this.ingress.values()) {
      if (e.outcome) {
        e.done = Promise.resolve(e.outcome);
        e.resolve = undefined;
      }
    }
    this.replaying = false;
    // Calls left in flight by the crash finish now.
    if (this.hasWork()) await this.exclusive(() => this.runBatch());
  }
}

function decodeArgs(func: IDL.FuncClass, arg: Uint8Array): unknown[] {
  try {
    return IDL.decode(func.argTypes, arg);
  } catch (e) {
    throw new Reject(
      RejectCode.CanisterError,
      `Canister called \`ic0.trap\` with message: 'failed to decode call arguments: ${(e as Error).message}'`,
      'IC0503',
    );
  }
}

function encodeReply(func: IDL.FuncClass, value: unknown): Uint8Array {
  const n = func.retTypes.length;
  const values = n === 0 ? [] : n === 1 ? [value] : (value as unknown[]);
  return encodeCandid(func.retTypes, values);
}

function decodeReply(func: IDL.FuncClass, bytes: Uint8Array): unknown {
  const values = IDL.decode(func.retTypes, bytes);
  return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
}

function unwrapOutcome<T>(func: IDL.FuncClass, outcome: Outcome): T {
  if (outcome.status === 'rejected') throw new Reject(outcome.code, outcome.message, outcome.errorCode);
  return decodeReply(func, outcome.reply) as T;
}

function asReject(e: unknown): Reject {
  if (e instanceof Reject) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (!(e instanceof Reject)) console.error('canister bug (reported as a trap):', e);
  return new Reject(RejectCode.CanisterError, `Canister called \`ic0.trap\` with message: '${message}'`, 'IC0503');
}

function toRejected(e: unknown): Outcome {
  const r = asReject(e);
  return { status: 'rejected', code: r.code, message: r.message, errorCode: r.errorCode };
}
