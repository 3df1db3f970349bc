// Decoding and validating the CBOR envelopes of calls, queries and read_state requests. Anything
// malformed becomes an HttpError (4xx with a text body), never an exception that escapes.
import { decode } from '@dfinity/cbor';
import { requestIdOf } from '@icp-sdk/core/agent';
import { Principal } from '@icp-sdk/core/principal';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type RequestType = 'call' | 'query' | 'read_state';

export interface Delegation {
  pubkey: Uint8Array;
  expiration: bigint;
  targets?: Uint8Array[];
  /** The delegation map as sent, hashed for its signature. */
  raw: Record<string, unknown>;
  signature: Uint8Array;
}

export interface Envelope {
  requestType: RequestType;
  requestId: Uint8Array;
  sender: Principal;
  senderPubkey?: Uint8Array;
  senderSig?: Uint8Array;
  delegations: Delegation[];
  expiry: bigint;
  canisterId?: Principal;
  method?: string;
  arg?: Uint8Array;
  paths?: Uint8Array[][];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

function bytes(v: unknown, field: string, max = 2 * 1024 * 1024): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new HttpError(400, `Failed to parse request: ${field} must be a byte string`);
  if (v.length > max) throw new HttpError(400, `Failed to parse request: ${field} is too long`);
  return v;
}

function nat(v: unknown, field: string): bigint {
  if (typeof v === 'bigint' && v >= 0n) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  throw new HttpError(400, `Failed to parse request: ${field} must be a natural number`);
}

function principal(v: unknown, field: string): Principal {
  const b = bytes(v, field, 29);
  return Principal.fromUint8Array(b);
}

export function decodeEnvelope(body: Uint8Array, expected: RequestType): Envelope {
  let value: unknown;
  try {
    value = decode(body);
  } catch (e) {
    throw new HttpError(400, `Failed to parse request body as CBOR: ${(e as Error).message}`);
  }
  if (!isObject(value)) throw new HttpError(400, 'Failed to parse request: the envelope must be a CBOR map');
  const content = value.content;
  if (!isObject(content)) throw new HttpError(400, 'Failed to parse request: missing content map');
  const type = content.request_type;
  if (type !== expected) {
    throw new HttpError(400, `Failed to parse request: expected request_type "${expected}", got ${JSON.stringify(String(type))}`);
  }
  let requestId: Uint8Array;
  try {
    requestId = requestIdOf(content);
  } catch (e) {
    throw new HttpError(400, `Failed to parse request: cannot hash content: ${(e as Error).message}`);
  }
  const env: Envelope = {
    requestType: type as RequestType,
    requestId,
    sender: principal(content.sender, 'sender'),
    expiry: nat(content.ingress_expiry, 'ingress_expiry'),
    delegations: [],
  };
  if (value.sender_pubkey !== undefined) env.senderPubkey = bytes(value.sender_pubkey, 'sender_pubkey', 1024);
  if (value.sender_sig !== undefined) env.senderSig = bytes(value.sender_sig, 'sender_sig', 1024);
  if (value.sender_delegation !== undefined) {
    const list = value.sender_delegation;
    if (!Array.isArray(list)) throw new HttpError(400, 'Failed to parse request: sender_delegation must be an array');
    if (list.length > 20) throw new HttpError(400, 'Failed to parse request: too many delegations (at most 20)');
    for (const item of list) {
      if (!isObject(item) || !isObject(item.delegation)) throw new HttpError(400, 'Failed to parse request: malformed delegation');
      const d = item.delegation;
      let targets: Uint8Array[] | undefined;
      if (d.targets !== undefined) {
        if (!Array.isArray(d.targets) || d.targets.length > 1000) throw new HttpError(400, 'Failed to parse request: malformed delegation targets');
        targets = d.targets.map((t) => bytes(t, 'delegation target', 29));
      }
      env.delegations.push({
        pubkey: bytes(d.pubkey, 'delegation pubkey', 1024),
        expiration: nat(d.expiration, 'delegation expiration'),
        targets,
        raw: d,
        signature: bytes(item.signature, 'delegation signature', 1024),
      });
    }
  }
  if (type === 'call' || type === 'query') {
    env.canisterId = principal(content.canister_id, 'canister_id');
    if (typeof content.method_name !== 'string') throw new HttpError(400, 'Failed to parse request: method_name must be text');
    env.method = content.method_name;
    env.arg = bytes(content.arg, 'arg');
    if (content.nonce !== undefined) bytes(content.nonce, 'nonce', 32);
  } else {
    if (!Array.isArray(content.paths)) throw new HttpError(400, 'Failed to parse request: paths must be an array');
    if (content.paths.length > 1000) throw new HttpError(400, 'Failed to parse request: too many paths');
    env.paths = content.paths.map((p) => {
      if (!Array.isArray(p) || p.length > 127) throw new HttpError(400, 'Failed to parse request: a path must be an array of labels');
      return p.map((l) => bytes(l, 'path label', 1024));
    });
  }
  return env;
}
