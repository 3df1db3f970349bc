// The composition root of the main process: the active network (and the bundled subnet), the
// active identity's signer, the connection built from both, the review desk and the event hub; the
// API handlers (api/contract.ts) are its methods. Switching network or identity, or locking,
// drops the connection and every pending review.
import { join } from 'node:path';
import type { AppStatus, NetworkSummary, NetworkTime, Results } from './api/contract.ts';
import { DeskError } from './api/errors.ts';
import { EventHub } from './api/events.ts';
import { parseIcp } from './api/amounts.ts';
import { connect, type AgentOptions, type Connection, type Signer } from './network/agents.ts';
import { LocalSubnet, type Launcher } from './network/local-subnet.ts';
import { MAINNET_URL, checkNetwork, describeNetwork, type NetworkConfig } from './network/networks.ts';
import * as subnetAdmin from './network/subnet-admin.ts';
import { ClosingSoonWatcher, emptyClosingSoonData, type ClosingSoonData, type WatchTarget } from './services/closing-soon.ts';
import { fixedContext, networkNowNs, type ServiceContext } from './services/context.ts';
import { emptyLedgerData, type LedgerLocalData } from './services/ledger-store.ts';
import { LocalStore } from './services/local-store.ts';
import { createServices, type Services, type Stores } from './services/registry.ts';
import { ReviewDesk } from './services/reviews.ts';

export type NetworkChoice = { kind: 'mainnet' } | { kind: 'local' } | { kind: 'custom'; url: string; rootKeyHex?: string };

interface Settings {
  network: NetworkChoice;
}

/** Where the signer of the active identity comes from (the vault); throws DeskError 'locked'. */
export interface SignerSource {
  signer(): Signer;
}

export interface DeskOptions {
  dataDir: string;
  signers: SignerSource;
  /** How the bundled subnet is started (a utilityProcess in the packaged app). */
  launchSubnet?: Launcher;
  agent?: AgentOptions;
  /** The first network of a new installation (default: the local test subnet, safe to explore). */
  defaultNetwork?: NetworkChoice;
}

const FAUCET_MAX_E8S = 100_000n * 100_000_000n;

export class Desk {
  readonly events = new EventHub();
  readonly reviews = new ReviewDesk(Date.now, (reviewId, step, done, total) => this.events.emit({ type: 'progress', reviewId, step, done, total }));
  readonly subnet: LocalSubnet;
  /** Proposals closing soon (services/closing-soon.ts): started and stopped with the vault (app.ts). */
  readonly closingSoon: ClosingSoonWatcher;
  private settings: LocalStore<Settings>;
  private readonly stores: Stores;
  private connecting?: Promise<Connection>;
  private current?: Connection;
  private currentServices?: Services;
  /** Bumped by every switch: a connection built for an older generation is thrown away. */
  private generation = 0;

  constructor(private readonly opts: DeskOptions) {
    this.settings = new LocalStore<Settings>(join(opts.dataDir, 'settings.json'), () => ({ network: opts.defaultNetwork ?? { kind: 'local' } }));
    this.stores = { ledger: new LocalStore<LedgerLocalData>(join(opts.dataDir, 'ledger.json'), emptyLedgerData) };
    this.subnet = new LocalSubnet({ stateDir: join(opts.dataDir, 'subnet'), launch: opts.launchSubnet });
    this.subnet.onStatus((s) => this.events.emit({ type: 'subnet-status', ...s }));
    this.closingSoon = new ClosingSoonWatcher({
      store: new LocalStore<ClosingSoonData>(join(opts.dataDir, 'notifications.json'), emptyClosingSoonData),
      target: () => this.closingSoonTarget(),
      emit: (proposals) => this.events.emit({ type: 'proposals.closingSoon', proposals }),
      onError: () => console.error('neuron-desk: looking for proposals closing soon failed'),
    });
    // The bundled subnet is started on first use: look as soon as it runs.
    this.subnet.onStatus((s) => {
      if (s.state === 'running') this.closingSoon.checkSoon();
    });
  }

  get network(): NetworkChoice {
    return this.settings.read().network;
  }

  /** Drops the connection and the pending reviews (after a lock, or an identity or network switch). */
  invalidate(): void {
    this.generation++;
    this.current = undefined;
    this.currentServices = undefined;
    this.connecting = undefined;
    this.reviews.clear();
    this.closingSoon.changed();
  }

  /** The connection for the active identity on the active network, built on first use. */
  async connection(): Promise<Connection> {
    if (this.current) return this.current;
    if (!this.connecting) {
      const generation = this.generation;
      const building = (async () => {
        const signer = this.opts.signers.signer();
        const config = await this.networkConfig();
        const c = await connect(config, signer, this.opts.agent);
        if (generation !== this.generation) throw new DeskError('conflict', 'The identity or network changed meanwhile: try again.');
        this.current = c;
        return c;
      })();
      this.connecting = building;
      building.catch(() => {
        if (this.connecting === building) this.connecting = undefined;
      });
    }
    return this.connecting;
  }

  /** A ServiceContext over the current connection (resolved before a service method runs). */
  async context(): Promise<ServiceContext> {
    return fixedContext(await this.connection(), this.reviews);
  }

  /** The services of the current connection (kept while it lasts: they cache what they read). */
  async services(): Promise<Services> {
    const c = await this.connection();
    if (this.currentServices?.ctx.connection() !== c) this.currentServices = createServices(await this.context(), this.stores);
    return this.currentServices;
  }

  status(): AppStatus {
    return { network: this.summary(), subnet: this.subnet.status() };
  }

  /** The network's time now, as the connection knows it (DeskError 'locked' without an identity). */
  async networkTime(): Promise<NetworkTime> {
    const c = await this.connection();
    // The local subnet's clock may have been moved by another client (npm run subnet is shared).
    if (c.network.kind === 'local') await c.agent.syncTime().catch(() => undefined);
    const localTimeMs = Date.now();
    return { networkTimeMs: localTimeMs + c.agent.getTimeDiffMsecs(), localTimeMs };
  }

  async selectNetwork(choice: NetworkChoice): Promise<AppStatus> {
    if (choice.kind === 'custom') checkNetwork(choice); // refuse before anything changes
    this.settings.update((s) => {
      s.network = choice;
    });
    this.invalidate();
    this.events.emit({ type: 'network-changed', network: this.summary().label });
    return this.status();
  }

  async close(): Promise<void> {
    this.closingSoon.stop();
    this.invalidate();
    this.events.close();
    await this.subnet.stop();
  }

  // ---- The bundled subnet's tools (local network only) -----------------------------------------

  private async localUrl(): Promise<string> {
    if (this.network.kind !== 'local') throw new DeskError('invalid-input', 'These tools exist only on the local test subnet.');
    return this.subnet.start();
  }

  async advanceTime(seconds: number): Promise<Results['subnet.advanceTime']> {
    const r = await subnetAdmin.advanceTime(await this.localUrl(), seconds);
    // The agent must follow the subnet's clock, or it refuses certificates "from the future".
    await this.current?.agent.syncTime().catch(() => undefined);
    this.events.emit({ type: 'network-time' });
    this.closingSoon.checkSoon(0);
    return r;
  }

  async faucet(amount: string, to?: string): Promise<Results['subnet.faucet']> {
    const e8s = parseIcp(amount);
    if (e8s > FAUCET_MAX_E8S) throw new DeskError('invalid-input', 'The faucet gives at most 100,000 ICP at a time.');
    const url = await this.localUrl();
    const owner = to ?? (await this.connection()).principal.toText();
    return subnetAdmin.faucet(url, owner, e8s);
  }

  /**
   * Puts the canisters the active identity controls on the test subnet in its canister list (the
   * demo identity's two), so they show without being added by id. Names are kept.
   */
  async listDemoCanisters(): Promise<void> {
    const url = await this.localUrl();
    const { cycles } = await this.services();
    const ids = await subnetAdmin.controlledCanisters(url, (await this.connection()).principal.toText());
    const known = new Set(cycles.listCanisters().map((c) => c.canisterId));
    ids.filter((id) => !known.has(id)).forEach((id, i) => cycles.addCanister(id, `Demo canister ${known.size + i + 1}`));
  }

  async openTestProposal(p: { title: string; summary: string; url?: string }): Promise<Results['subnet.openProposal']> {
    return subnetAdmin.openTestProposal(await this.localUrl(), p);
  }

  // ---- Helpers ------------------------------------------------------------------------------------

  /** The closing-soon watcher's view: the active identity (one that can vote) on the active network. */
  private async closingSoonTarget(): Promise<WatchTarget | undefined> {
    const n = this.network;
    // Never starts a stopped local subnet, and a locked vault or no identity is simply nothing to watch.
    if (n.kind === 'local' && this.subnet.status().state !== 'running') return undefined;
    const services = await this.services().catch(() => undefined);
    const c = services?.ctx.connection();
    if (!services || !c?.canSign) return undefined;
    return {
      scope: `${n.kind === 'custom' ? n.url : n.kind}|${c.principal.toText()}`,
      actionable: () => services.proposals.actionable(),
      nowNs: async () => {
        // The local subnet's clock may have been moved by another client: follow it first.
        if (n.kind === 'local') await c.agent.syncTime().catch(() => undefined);
        return networkNowNs(c);
      },
    };
  }

  private async networkConfig(): Promise<NetworkConfig> {
    const n = this.network;
    if (n.kind === 'local') return { kind: 'local', url: await this.subnet.start() };
    return n;
  }

  private summary(): NetworkSummary {
    const n = this.network;
    if (n.kind === 'mainnet') return { kind: 'mainnet', label: describeNetwork(n), url: MAINNET_URL };
    if (n.kind === 'local') {
      const s = this.subnet.status();
      return { kind: 'local', label: describeNetwork({ kind: 'local', url: '' }), url: s.state === 'running' ? s.url : '' };
    }
    return { kind: 'custom', label: describeNetwork(n), url: n.url };
  }
}
