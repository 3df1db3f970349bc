// Private keys as the vault holds them (a curve and the 32-byte secret), read from the containers
// dfx and quill write (SEC1 `EC PRIVATE KEY`, PKCS#8 `PRIVATE KEY`), turned into signing identities,
// and written back as the PEM dfx itself would write.
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1';
import { DeskError, invalidInput } from '../api/errors.ts';
import { DerError, TAG, children, concat, encode, encodeOid, expectTag, readBits, readDer, readOctets, readOid, readSmallInt, type Der } from './der.ts';
import { parsePemBlocks, toPem } from './pem.ts';

export type Curve = 'secp256k1' | 'ed25519';

export interface KeyMaterial {
  curve: Curve;
  /** The 32-byte private scalar (secp256k1) or seed (Ed25519). */
  secret: Uint8Array;
}

export const OID = {
  ecPublicKey: '1.2.840.10045.2.1',
  secp256k1: '1.3.132.0.10',
  ed25519: '1.3.101.112',
} as const;

const OTHER_KEY_TYPES: Record<string, string> = {
  '1.2.840.10045.3.1.7': 'P-256 (prime256v1)',
  '1.3.132.0.34': 'P-384 (secp384r1)',
  '1.3.132.0.35': 'P-521 (secp521r1)',
  '1.3.36.3.3.2.8.1.1.7': 'brainpoolP256r1',
  '1.3.101.110': 'X25519',
  '1.3.101.111': 'X448',
  '1.3.101.113': 'Ed448',
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.10040.4.1': 'DSA',
};

function unsupported(oid: string): DeskError {
  const name = OTHER_KEY_TYPES[oid];
  return invalidInput(
    name
      ? `This is a ${name} key; the Internet Computer identities this app imports are secp256k1 or Ed25519.`
      : `This key's type (${oid}) is not supported; the Internet Computer identities this app imports are secp256k1 or Ed25519.`,
  );
}

/** Reads an unencrypted PEM: SEC1 secp256k1 (optionally after an EC PARAMETERS block) or PKCS#8. */
export function keyFromPem(text: string): KeyMaterial {
  const blocks = parsePemBlocks(text);
  let curveOid: string | undefined;
  const keys: KeyMaterial[] = [];
  for (const block of blocks) {
    switch (block.label) {
      case 'EC PARAMETERS':
        curveOid = wrapDer(() => readOid(readDer(block.der)), 'EC PARAMETERS');
        if (curveOid !== OID.secp256k1) throw unsupported(curveOid);
        break;
      case 'EC PRIVATE KEY':
        keys.push(wrapDer(() => keyFromSec1(block.der, curveOid), 'EC PRIVATE KEY'));
        break;
      case 'PRIVATE KEY':
        keys.push(wrapDer(() => keyFromPkcs8(block.der), 'PRIVATE KEY'));
        break;
      case 'ENCRYPTED PRIVATE KEY':
        throw invalidInput('This key is encrypted with a password: import it as an encrypted PEM (quill), with its password.');
      case 'RSA PRIVATE KEY':
        throw unsupported('1.2.840.113549.1.1.1');
      case 'DSA PRIVATE KEY':
        throw unsupported('1.2.840.10040.4.1');
      default:
        // Certificates, public keys and other blocks carry nothing to import; ignored if a key is present.
        break;
    }
  }
  if (keys.length === 0) throw invalidInput('This PEM file holds no private key (only public data).');
  if (keys.length > 1) throw invalidInput('This PEM file holds more than one private key; import them one at a time.');
  return keys[0];
}

/** SEC1 ECPrivateKey (RFC 5915); the curve comes from the key itself or from a preceding EC PARAMETERS block. */
export function keyFromSec1(der: Uint8Array, curveHint?: string): KeyMaterial {
  const [version, priv, ...rest] = children(expectTag(readDer(der), TAG.sequence, 'an EC private key'));
  if (readSmallInt(version, 'the EC key version') !== 1) throw new DerError('unknown EC key version');
  const secret = fixedLength(readOctets(priv, 'the private key'), 32);
  let curve = curveHint;
  let publicKey: Uint8Array | undefined;
  for (const el of rest) {
    if (el.tag === TAG.context0) curve = readOid(children(el)[0]);
    else if (el.tag === TAG.context1) publicKey = readBits(children(el)[0], 'the public key');
  }
  if (curve === undefined) throw invalidInput('This EC key does not say which curve it is on; a secp256k1 key is expected.');
  if (curve !== OID.secp256k1) throw unsupported(curve);
  const key: KeyMaterial = { curve: 'secp256k1', secret };
  if (publicKey) checkPublicKey(key, publicKey);
  else identityFromKey(key); // the scalar must lie in [1, n-1]
  return key;
}

/** PKCS#8 PrivateKeyInfo / OneAsymmetricKey (RFC 5958) holding an Ed25519 or a secp256k1 key. */
export function keyFromPkcs8(der: Uint8Array): KeyMaterial {
  const [version, algorithm, priv, ...rest] = children(expectTag(readDer(der), TAG.sequence, 'a PKCS#8 private key'));
  const v = readSmallInt(version, 'the PKCS#8 version');
  if (v !== 0 && v !== 1) throw new DerError('unknown PKCS#8 version');
  const [algOid, params] = children(expectTag(algorithm, TAG.sequence, 'an algorithm identifier'));
  const oid = readOid(algOid);
  const inner = readOctets(priv, 'the private key');
  if (oid === OID.ed25519) {
    const key: KeyMaterial = { curve: 'ed25519', secret: fixedLength(readOctets(readDer(inner), 'the Ed25519 seed'), 32, true) };
    const publicKey = pkcs8PublicKey(rest);
    if (publicKey) checkPublicKey(key, publicKey);
    return key;
  }
  if (oid === OID.ecPublicKey) {
    const curve = params?.tag === TAG.oid ? readOid(params) : undefined;
    if (curve !== undefined && curve !== OID.secp256k1) throw unsupported(curve);
    return keyFromSec1(inner, curve ?? OID.secp256k1);
  }
  throw unsupported(oid);
}

function pkcs8PublicKey(rest: Der[]): Uint8Array | undefined {
  for (const el of rest) {
    if (el.tag === 0x81) return readBits({ tag: TAG.bitString, body: el.body }, 'the public key'); // [1] IMPLICIT, per RFC 5958
    if (el.tag === TAG.context1) return readBits(children(el)[0], 'the public key'); // [1] EXPLICIT, as ring writes it
  }
  return undefined;
}

function checkPublicKey(key: KeyMaterial, publicKey: Uint8Array) {
  const derived = identityFromKey(key).getPublicKey().rawKey;
  const same = key.curve === 'ed25519' || publicKey.length !== 33 ? equal(derived, publicKey) : equal(compressed(derived), publicKey);
  if (!same) throw invalidInput("The key file is damaged: its public key does not match its private key.");
}

/** SEC1 compressed form of an uncompressed point (04 || x || y). */
function compressed(point: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(0x02 | (point[64] & 1)), point.subarray(1, 33));
}

/** The signing identity for a key (a copy of the secret: the caller may wipe its own). */
export function identityFromKey(key: KeyMaterial): Secp256k1KeyIdentity | Ed25519KeyIdentity {
  try {
    return key.curve === 'secp256k1' ? Secp256k1KeyIdentity.fromSecretKey(new Uint8Array(key.secret)) : Ed25519KeyIdentity.fromSecretKey(new Uint8Array(key.secret));
  } catch {
    throw invalidInput('The private key is not a valid key for its curve (the file may be damaged).');
  }
}

/** The PEM dfx writes for this key: SEC1 `EC PRIVATE KEY` for secp256k1, PKCS#8 `PRIVATE KEY` for Ed25519. */
export function keyToPem(key: KeyMaterial): string {
  const publicKey = identityFromKey(key).getPublicKey().rawKey;
  if (key.curve === 'secp256k1') {
    const der = encode(
      TAG.sequence,
      encode(TAG.integer, Uint8Array.of(1)),
      encode(TAG.octetString, key.secret),
      encode(TAG.context0, encodeOid(OID.secp256k1)),
      encode(TAG.context1, encode(TAG.bitString, concat(Uint8Array.of(0), publicKey))),
    );
    return toPem('EC PRIVATE KEY', der);
  }
  const der = encode(
    TAG.sequence,
    encode(TAG.integer, Uint8Array.of(0)),
    encode(TAG.sequence, encodeOid(OID.ed25519)),
    encode(TAG.octetString, encode(TAG.octetString, key.secret)),
  );
  return toPem('PRIVATE KEY', der);
}

/** Runs a DER read; a structural problem becomes one sentence about the named block. */
export function wrapDer<T>(read: () => T, what: string): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof DerError) throw invalidInput(`The key file is damaged: its "${what}" block could not be read (${e.message}).`);
    throw e;
  }
}

/** A copy of the key bytes (never a view into the caller's buffer, which it may wipe). */
function fixedLength(bytes: Uint8Array, n: number, exact = false): Uint8Array {
  if (bytes.length === n) return Uint8Array.from(bytes);
  if (exact || bytes.length > n || bytes.length === 0) throw new DerError(`a ${n}-byte private key was expected, found ${bytes.length} bytes`);
  return concat(new Uint8Array(n - bytes.length), bytes); // some encoders drop leading zero bytes
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
