// Authentication of requests as the replica does it: self-authenticating sender, signatures over
// the request id by the last key of the delegation chain, delegation expiry and targets, and the
// ingress expiry window. Signatures are checked with Node's native crypto (OpenSSL), which is
// much faster than pure JS and keeps the server's per-request cost low.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { hashOfMap } from '@icp-sdk/core/agent';
import { Principal } from '@icp-sdk/core/principal';
import { HttpError, type Envelope } from './envelope.ts';

const REQUEST_DOMAIN = new TextEncoder().encode('\x0Aic-request');
const DELEGATION_DOMAIN = new TextEncoder().encode('\x1Aic-request-auth-delegation');
/** The ingress window: 5 minutes, plus 30 s of allowed clock drift. */
export const MAX_INGRESS_TTL_NS = (5n * 60n + 30n) * 1_000_000_000n;

const PREFIXES: { name: 'ed25519' | 'secp256k1' | 'p256'; prefix: Buffer; length: number }[] = [
  { name: 'ed25519', prefix: Buffer.from('302a300506032b6570032100', 'hex'), length: 44 },
  { name: 'secp256k1', prefix: Buffer.from('3056301006072a8648ce3d020106052b8104000a034200', 'hex'), length: 88 },
  { name: 'p256', prefix: Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex'), length: 91 },
];
// OIDs 1.3.6.1.4.1.56387.1.1 (WebAuthn, COSE) and 1.3.6.1.4.1.56387.1.2 (canister signatures).
const WEBAUTHN_OID = Buffer.from('060a2b0601040183b8430101', 'hex');
const CANISTER_SIG_OID = Buffer.from('060a2b0601040183b8430102', 'hex');

interface ParsedKey {
  kind: 'ed25519' | 'secp256k1' | 'p256';
  key: KeyObject;
}

const keyCache = new Map<string, ParsedKey>();

export class AuthError extends Error {}

function parseKey(der: Uint8Array): ParsedKey {
  const hex = Buffer.from(der).toString('hex');
  const cached = keyCache.get(hex);
  if (cached) return cached;
  const buf = Buffer.from(der);
  const kind = PREFIXES.find((p) => buf.length === p.length && buf.subarray(0, p.prefix.length).equals(p.prefix))?.name;
  if (!kind) {
    if (buf.includes(WEBAUTHN_OID)) throw new AuthError('WebAuthn public keys are not supported by the simulated subnet');
    if (buf.includes(CANISTER_SIG_OID)) throw new AuthError('canister signature public keys (Internet Identity) are not supported by the simulated subnet');
    throw new AuthError('unsupported public key: expected DER-encoded Ed25519, secp256k1 or P-256');
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: buf, format: 'der', type: 'spki' });
  } catch (e) {
    throw new AuthError(`invalid ${kind} public key: ${(e as Error).message}`);
  }
  const parsed = { kind, key };
  if (keyCache.size > 10_000) keyCache.clear();
  keyCache.set(hex, parsed);
  return parsed;
}

function checkSignature(der: Uint8Array, message: Uint8Array, signature: Uint8Array, what: string) {
  const { kind, key } = parseKey(der);
  let ok = false;
  try {
    if (kind === 'ed25519') ok = signature.length === 64 && verify(null, message, key, signature);
    else ok = signature.length === 64 && verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    ok = false;
  }
  if (!ok) throw new AuthError(`Invalid signature: ${what} could not be verified with the ${kind} key`);
}

const concat = (a: Uint8Array, b: Uint8Array) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

/** Checks ingress_expiry against the subnet's time; throws a 400 with the replica's prefix. */
export function checkExpiry(env: Envelope, now: bigint) {
  if (env.expiry < now || env.expiry > now + MAX_INGRESS_TTL_NS) {
    throw new HttpError(
      400,
      `Invalid request expiry: Specified ingress_expiry not within expected range: Minimum allowed expiry: ${now}, Maximum allowed expiry: ${now + MAX_INGRESS_TTL_NS}, Provided expiry: ${env.expiry}`,
    );
  }
}

/**
 * Verifies who sent the request. `target` is the canister the request addresses (for delegation
 * targets); undefined for requests not aimed at one canister.
 */
export function authenticate(env: Envelope, now: bigint, target?: Principal) {
  if (env.sender.isAnonymous()) {
    if (env.senderPubkey || env.senderSig || env.delegations.length > 0) {
      throw new AuthError('an anonymous request must not carry a public key, signature or delegation');
    }
    return;
  }
  if (!env.senderPubkey || !env.senderSig) throw new AuthError('a non-anonymous request needs sender_pubkey and sender_sig');
  const expected = Principal.selfAuthenticating(env.senderPubkey);
  if (expected.toText() !== env.sender.toText()) {
    throw new AuthError(`sender ${env.sender.toText()} does not match its public key (which is ${expected.toText()})`);
  }
  let signer = env.senderPubkey;
  for (const [i, d] of env.delegations.entries()) {
    checkSignature(signer, concat(DELEGATION_DOMAIN, hashOfMap(d.raw)), d.signature, `delegation ${i}`);
    if (d.expiration < now) throw new AuthError(`delegation ${i} expired at ${d.expiration} (now ${now})`);
    if (d.targets && target) {
      const t = target.toUint8Array();
      if (!d.targets.some((x) => Buffer.from(x).equals(Buffer.from(t)))) {
        throw new AuthError(`delegation ${i} does not allow calls to ${target.toText()}`);
      }
    }
    signer = d.pubkey;
  }
  checkSignature(signer, concat(REQUEST_DOMAIN, env.requestId), env.senderSig, 'sender_sig');
}
