// The subnet's HTTP server: the IC HTTP interface (status, call v2/v3/v4, query v2/v3, read_state
// on canisters and the subnet), CORS, and the loopback admin endpoints under /_/.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeWithSelfDescribedTag } from '@dfinity/cbor';
import { hashOfMap } from '@icp-sdk/core/agent';
import { Principal } from '@icp-sdk/core/principal';
import { RejectCode } from '../canisters/canister.ts';
import { MANAGEMENT_ID } from '../canisters/ids.ts';
import type { Certifier } from '../certification/certifier.ts';
import type { SubnetKeys } from '../certification/keys.ts';
import type { Outcome, Runtime } from '../runtime/runtime.ts';
import { handleAdmin } from './admin.ts';
import { authenticate, AuthError, checkExpiry } from './auth.ts';
import { decodeEnvelope, HttpError, type Envelope } from './envelope.ts';

export const MAX_BODY_BYTES = 2 * 1024 * 1024;
const RESPONSE_DOMAIN = new TextEncoder().encode('\x0Bic-response');
const text = (s: string) => new TextEncoder().encode(s);

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization',
  'Access-Control-Max-Age': '600',
};

export interface SubnetHttpDeps {
  runtime: Runtime;
  certifier: Certifier;
  keys: SubnetKeys;
}

export class SubnetHttpServer {
  readonly server: Server;

  constructor(private readonly deps: SubnetHttpDeps) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        console.error('subnet: unexpected error while answering', req.method, req.url, e);
        if (!res.headersSent) send(res, 500, 'text/plain', text('internal error'));
        else res.destroy();
      });
    });
    this.server.keepAliveTimeout = 60_000;
    this.server.headersTimeout = 30_000;
    this.server.requestTimeout = 60_000;
  }

  listen(port: number, host = '127.0.0.1'): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const { port: p } = this.server.address() as AddressInfo;
        resolve(`http://127.0.0.1:${p}`);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (req.method === 'OPTIONS') return send(res, 204, undefined, undefined);
    try {
      if (path.startsWith('/_/')) {
        if (!isLoopback(req)) throw new HttpError(403, 'admin endpoints are for loopback clients only');
        const body = req.method === 'POST' ? await readBody(req) : new Uint8Array();
        const { status, json } = await handleAdmin(this.deps, req.method ?? 'GET', path, body);
        return send(res, status, 'application/json', text(json));
      }
      if (path === '/api/v2/status') {
        if (req.method !== 'GET') throw new HttpError(405, 'use GET for /api/v2/status');
        return sendCbor(res, 200, {
          ic_api_version: '0.18.0',
          impl_source: 'neuron-desk simulated subnet',
          impl_version: '0.1.0',
          replica_health_status: 'healthy',
          root_key: this.deps.keys.rootKeyDer,
          certified_height: BigInt(this.deps.runtime.height),
        });
      }
      const m = /^\/api\/(v2|v3|v4)\/(canister|subnet)\/([^/]+)\/(call|query|read_state)$/.exec(path);
      if (!m) throw new HttpError(404, `no such endpoint: ${path}`);
      const [, version, scope, idText, endpoint] = m;
      if (req.method !== 'POST') throw new HttpError(405, `use POST for ${path}`);
      const valid =
        scope === 'canister'
          ? (endpoint === 'call' && version !== undefined) || ((endpoint === 'query' || endpoint === 'read_state') && version !== 'v4')
          : endpoint === 'read_state' && version !== 'v4';
      if (!valid) throw new HttpError(404, `no such endpoint: ${path}`);
      let id: Principal;
      try {
        id = Principal.fromText(decodeURIComponent(idText));
      } catch {
        throw new HttpError(400, `invalid principal in URL: ${idText}`);
      }
      const body = await readBody(req);
      if (scope === 'subnet') return await this.subnetReadState(res, id, body);
      if (endpoint === 'call') return await this.call(res, version as 'v2' | 'v3' | 'v4', id, body);
      if (endpoint === 'query') return await this.query(res, id, body);
      return await this.canisterReadState(res, id, body);
    } catch (e) {
      if (e instanceof HttpError) return send(res, e.status, 'text/plain', text(e.message));
      throw e;
    }
  }

  // ---- call -------------------------------------------------------------------------------------

  private async call(res: ServerResponse, version: 'v2' | 'v3' | 'v4', effective: Principal, body: Uint8Array) {
    const { runtime, certifier } = this.deps;
    const env = decodeEnvelope(body, 'call');
    const now = runtime.now();
    checkExpiry(env, now);
    const destination = env.canisterId!;
    const rejection = this.precheck(env, effective, now);
    if (rejection) return this.nonReplicatedRejection(res, version, rejection);
    const rid = Buffer.from(env.requestId).toString('hex');
    const known = runtime.ingressStatus(rid);
    if (known && known.sender.toText() !== env.sender.toText()) {
      throw new HttpError(400, 'a request with this id was already submitted by another sender');
    }
    const outcome = runtime.submit({
      requestId: rid,
      canisterId: destination,
      method: env.method!,
      arg: env.arg!,
      sender: env.sender,
      expiry: env.expiry,
    });
    if (version === 'v2') {
      // Accepted; the client polls read_state. Answering once the outcome is durable makes the
      // first poll find it.
      await outcome;
      return send(res, 202, undefined, undefined);
    }
    await outcome;
    const certificate = await certifier.certify([[text('request_status'), env.requestId]]);
    return sendCbor(res, 200, { status: 'replied', certificate });
  }

  /** The checks the replica makes before a message enters a block; undefined when it passes. */
  private precheck(env: Envelope, effective: Principal, now: bigint): Omit<Extract<Outcome, { status: 'rejected' }>, 'status'> | undefined {
    const destination = env.canisterId!;
    const isManagement = destination.toText() === MANAGEMENT_ID.toText();
    if (!isManagement && destination.toText() !== effective.toText()) {
      throw new HttpError(
        400,
        `Specified CanisterId ${destination.toText()} does not match effective canister id in URL ${effective.toText()}`,
      );
    }
    try {
      authenticate(env, now, destination);
    } catch (e) {
      if (e instanceof AuthError) return { code: RejectCode.CanisterReject, message: e.message, errorCode: 'IC0406' };
      throw e;
    }
    const target = isManagement ? effective : destination;
    if (!this.deps.runtime.hasCanister(target) && !(isManagement && effective.toText() === MANAGEMENT_ID.toText())) {
      return { code: RejectCode.DestinationInvalid, message: `Canister ${target.toText()} not found`, errorCode: 'IC0301' };
    }
    return undefined;
  }

  private nonReplicatedRejection(
    res: ServerResponse,
    version: 'v2' | 'v3' | 'v4',
    r: Omit<Extract<Outcome, { status: 'rejected' }>, 'status'>,
  ) {
    const reject = { reject_code: r.code, reject_message: r.message, error_code: r.errorCode };
    if (version === 'v2') return sendCbor(res, 200, reject);
    return sendCbor(res, 200, { status: 'non_replicated_rejection', ...reject });
  }

  // ---- query ------------------------------------------------------------------------------------

  private async query(res: ServerResponse, effective: Principal, body: Uint8Array) {
    const { runtime, keys } = this.deps;
    const env = decodeEnvelope(body, 'query');
    const now = runtime.now();
    if (!env.sender.isAnonymous()) checkExpiry(env, now);
    let outcome: Outcome;
    const pre = this.precheck(env, effective, now);
    if (pre) outcome = { status: 'rejected', ...pre };
    else outcome = runtime.query(env.canisterId!, env.method!, env.arg!, env.sender);
    const timestamp = now;
    const fields: Record<string, unknown> =
      outcome.status === 'replied'
        ? { status: 'replied', reply: { arg: outcome.reply } }
        : { status: 'rejected', reject_code: outcome.code, reject_message: outcome.message, error_code: outcome.errorCode };
    const signed = hashOfMap({ ...fields, timestamp, request_id: env.requestId });
    const signature = keys.signAsNode(concat(RESPONSE_DOMAIN, signed));
    return sendCbor(res, 200, { ...fields, signatures: [{ timestamp, signature, identity: keys.nodeId.toUint8Array() }] });
  }

  // ---- read_state -------------------------------------------------------------------------------

  private async canisterReadState(res: ServerResponse, effective: Principal, body: Uint8Array) {
    const { runtime, certifier } = this.deps;
    const env = decodeEnvelope(body, 'read_state');
    const now = runtime.now();
    this.authenticateReadState(env, now, effective);
    const paths = env.paths!;
    for (const p of paths) {
      const head = p.length > 0 ? new TextDecoder().decode(p[0]) : '';
      if (head === 'time' || head === 'subnet' || head === 'canister_ranges') continue;
      if (head === 'request_status') {
        if (p.length < 2) throw new HttpError(403, 'request_status paths must name a request id');
        const status = runtime.ingressStatus(Buffer.from(p[1]).toString('hex'));
        if (status && status.sender.toText() !== env.sender.toText()) {
          throw new HttpError(403, 'the sender of read_state is not the sender of the request it asks about');
        }
        continue;
      }
      if (head === 'canister') {
        if (p.length < 3) throw new HttpError(403, 'canister paths must name a canister and a field');
        if (!Buffer.from(p[1]).equals(Buffer.from(effective.toUint8Array()))) {
          throw new HttpError(403, `canister paths must refer to the effective canister id ${effective.toText()}`);
        }
        const field = new TextDecoder().decode(p[2]);
        if (!['controllers', 'module_hash', 'metadata', 'certified_data'].includes(field)) {
          throw new HttpError(403, `the path /canister/<id>/${field} cannot be read`);
        }
        continue;
      }
      throw new HttpError(403, `the path /${head} cannot be read`);
    }
    const certificate = await certifier.certify(paths);
    return sendCbor(res, 200, { certificate });
  }

  private async subnetReadState(res: ServerResponse, subnet: Principal, body: Uint8Array) {
    const { runtime, certifier, keys } = this.deps;
    if (subnet.toText() !== keys.subnetId.toText()) throw new HttpError(404, `subnet ${subnet.toText()} not found`);
    const env = decodeEnvelope(body, 'read_state');
    this.authenticateReadState(env, runtime.now(), undefined);
    for (const p of env.paths!) {
      const head = p.length > 0 ? new TextDecoder().decode(p[0]) : '';
      if (!['time', 'subnet', 'canister_ranges'].includes(head)) throw new HttpError(403, `the path /${head} cannot be read from a subnet`);
    }
    const certificate = await certifier.certify(env.paths!);
    return sendCbor(res, 200, { certificate });
  }

  private authenticateReadState(env: Envelope, now: bigint, target: Principal | undefined) {
    if (!env.sender.isAnonymous()) checkExpiry(env, now);
    try {
      authenticate(env, now, target);
    } catch (e) {
      if (e instanceof AuthError) throw new HttpError(403, e.message);
      throw e;
    }
  }
}

function isLoopback(req: IncomingMessage): boolean {
  const a = req.socket.remoteAddress ?? '';
  return a === '127.0.0.1' || a === '::1' || a === '::ffff:127.0.0.1';
}

function readBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      reject(new HttpError(413, `request body too large: at most ${MAX_BODY_BYTES} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        failed = true;
        reject(new HttpError(413, `request body too large: at most ${MAX_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(new Uint8Array(Buffer.concat(chunks)));
    });
    req.on('error', (e) => {
      if (!failed) reject(new HttpError(400, `could not read the request body: ${e.message}`));
    });
  });
}

function send(res: ServerResponse, status: number, type: string | undefined, body: Uint8Array | undefined) {
  const headers: Record<string, string> = { ...CORS };
  if (type) headers['Content-Type'] = type;
  headers['Content-Length'] = String(body?.length ?? 0);
  res.writeHead(status, headers);
  res.end(body ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : undefined);
}

function sendCbor(res: ServerResponse, status: number, value: unknown) {
  send(res, status, 'application/cbor', encodeWithSelfDescribedTag(value as never));
}

function concat(a: Uint8Array, b: Uint8Array) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
