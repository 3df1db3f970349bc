// The composition root of the main process: the active network (and the bundled subnet), the
// active identity's signer, the connection built from both, the review desk and the event hub; the
// API handlers (api/contract.ts) are its methods. Switching network or identity, or locking,
// drops the connection and every pending review.
import { join } from 'node:path';
import type { AppStatus, NetworkSummary, Results } from './api/contract.ts';
import { DeskError } from './api/errors.ts';
import { EventHub } from './api/events.ts';
import { parseIcp } from './api/amounts.ts';
import { connect, type AgentOptions, type Connection, type Signer } from './network/agents.ts';
import { LocalSubnet, type Launcher } from './network/local-subnet.ts';
import { MAINNET_URL, checkNetwork, describeNetwork, type NetworkConfig } from './network/networks.ts';
import * as subnetAdmin from './network/subnet-admin.ts';
import { fixedContext, type ServiceContext } from './services/context.ts';
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
    return r;
  }

  async faucet(amount: string, to?: string): Promise<Results['subnet.faucet']> {
    const e8s = parseIcp(amount);
    if (e8s > FAUCET_MAX_E8S) throw new DeskError('invalid-input', 'The faucet gives at most 100,000 ICP at a time.');
    const url = await this.localUrl();
    const owner = to ?? (await this.connection()).principal.toText();
    return subnetAdmin.faucet(url, owner, e8s);
  }

  async openTestProposal(p: { title: string; summary: string; url?: string }): Promise<Results['subnet.openProposal']> {
    return subnetAdmin.openTestProposal(await this.localUrl(), p);
  }

  // ---- Helpers ------------------------------------------------------------------------------------

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
