// A fault-injecting HTTP proxy in front of the subnet, for tests of retry safety: it forwards every
// request, and for the calls it is told to break it lets the call reach the subnet (so its effect
// happens) but never delivers the answer: the client sees a dropped connection. Give the agent
// `fetch: proxy.fetch`, or point it at `proxy.url`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decode } from '@dfinity/cbor';
import { Principal } from '@icp-sdk/core/principal';

export interface CallMatch {
  /** Canister id text (the envelope's canister_id). */
  canisterId?: string;
  /** Method name of an update call. */
  method?: string;
}

interface Rule {
  match: CallMatch;
  /** Matching calls whose answers are still to be dropped. */
  remaining: number;
  /** After a dropped answer, drop every answer (polls included) for this long. */
  blackoutMs: number;
}

export interface SeenCall {
  canisterId: string;
  method: string;
  dropped: boolean;
}

export class FaultProxy {
  readonly calls: SeenCall[] = [];
  private rules: Rule[] = [];
  private blackoutUntil = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly target: string,
  ) {}

  static async start(target: string): Promise<FaultProxy> {
    let proxy!: FaultProxy;
    const server = createServer((req, res) => void proxy.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    proxy = new FaultProxy(server, `http://127.0.0.1:${port}`, target.replace(/\/$/, ''));
    return proxy;
  }

  /** Drops the answers of the next `times` update calls matching `match` (default 1). */
  dropAnswers(match: CallMatch, opts: { times?: number; blackoutMs?: number } = {}): void {
    this.rules.push({ match, remaining: opts.times ?? 1, blackoutMs: opts.blackoutMs ?? 0 });
  }

  /** Stops dropping: the rules left and any blackout end now. */
  clearRules(): void {
    this.rules = [];
    this.blackoutUntil = 0;
  }

  /** Answers dropped so far, per method. */
  dropped(method?: string): number {
    return this.calls.filter((c) => c.dropped && (method === undefined || c.method === method)).length;
  }

  /** Updates that reached the subnet, per method. */
  reached(method: string): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  /** A fetch that goes through this proxy whatever host the agent was given. */
  readonly fetch: typeof fetch = (input, init) => {
    const u = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    return fetch(this.url + u.pathname + u.search, init);
  };

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    try {
      const body = await readBody(req);
      const call = /\/call$/.test(req.url ?? '') ? describeCall(body) : undefined;
      let drop = Date.now() < this.blackoutUntil;
      if (call) {
        const rule = this.rules.find((r) => r.remaining > 0 && matches(r.match, call));
        if (rule) {
          rule.remaining--;
          drop = true;
          if (rule.blackoutMs > 0) this.blackoutUntil = Date.now() + rule.blackoutMs;
        }
        this.calls.push({ ...call, dropped: drop });
      }
      const upstream = await fetch(this.target + req.url, {
        method: req.method,
        headers: { 'content-type': req.headers['content-type'] ?? 'application/cbor' },
        body: req.method === "GET" || req.method === "HEAD" ? undefined : new Uint8Array(body),
      });
      const answer = Buffer.from(await upstream.arrayBuffer());
      if (drop) {
        req.socket.destroy(); // the effect happened upstream; the answer never arrives
        return;
      }
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/cbor' });
      res.end(answer);
    } catch {
      req.socket.destroy();
    }
  }
}

function matches(m: CallMatch, c: { canisterId: string; method: string }): boolean {
  return (m.canisterId === undefined || m.canisterId === c.canisterId) && (m.method === undefined || m.method === c.method);
}

function describeCall(body: Buffer): { canisterId: string; method: string } | undefined {
  try {
    const env = decode(new Uint8Array(body)) as { content?: { canister_id?: Uint8Array; method_name?: string } };
    const c = env.content;
    if (!c?.canister_id || typeof c.method_name !== 'string') return undefined;
    return { canisterId: Principal.fromUint8Array(new Uint8Array(c.canister_id)).toText(), method: c.method_name };
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}
