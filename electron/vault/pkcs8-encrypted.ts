// Password-protected PKCS#8 (`ENCRYPTED PRIVATE KEY`, PBES2), as quill writes it: scrypt
// (log_n=17, r=8, p=1) and AES-256-CBC, optionally after an `EC PARAMETERS` block. Read by hand
// because OpenSSL (and so Node's createPrivateKey) refuses scrypt above 32 MiB, and quill's
// parameters need 128 MiB. PBKDF2 (what `openssl pkcs8 -topk8 -v2` writes by default) is read too.
import { createDecipheriv, pbkdf2, scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import { invalidInput } from '../api/errors.ts';
import { DerError, TAG, children, expectTag, readDer, readOctets, readOid, readSmallInt, type Der } from './der.ts';
import { OID, keyFromPkcs8, wrapDer, type KeyMaterial } from './keys.ts';
import { parsePemBlocks } from './pem.ts';

const PBES2 = '1.2.840.113549.1.5.13';
const SCRYPT = '1.3.6.1.4.1.11591.4.11';
const PBKDF2 = '1.2.840.113549.1.5.12';
const PRF: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};
const CIPHERS: Record<string, { name: string; keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
};
// Bounds that keep a hostile file from stalling the app or exhausting memory.
const MAX_SCRYPT_MEMORY = 1024 * 1024 * 1024;
const MAX_PBKDF2_ITERATIONS = 10_000_000;

type Kdf =
  | { kind: 'scrypt'; salt: Uint8Array; N: number; r: number; p: number; keyLength?: number }
  | { kind: 'pbkdf2'; salt: Uint8Array; iterations: number; digest: string; keyLength?: number };

interface Pbes2 {
  kdf: Kdf;
  cipher: { name: string; keyLength: number; iv: Uint8Array };
  encrypted: Uint8Array;
}

export async function keyFromEncryptedPkcs8Pem(text: string, password: string): Promise<KeyMaterial> {
  if (typeof password !== 'string' || password === '') throw invalidInput("Enter the key file's password.");
  const blocks = parsePemBlocks(text);
  let curveOid: string | undefined;
  const encrypted: Uint8Array[] = [];
  for (const block of blocks) {
    if (block.label === 'EC PARAMETERS') curveOid = wrapDer(() => readOid(readDer(block.der)), 'EC PARAMETERS');
    else if (block.label === 'ENCRYPTED PRIVATE KEY') encrypted.push(block.der);
    else if (block.label === 'EC PRIVATE KEY' || block.label === 'PRIVATE KEY')
      throw invalidInput('This key file is not encrypted: import it as a plain PEM.');
  }
  if (encrypted.length !== 1)
    throw invalidInput(encrypted.length === 0 ? 'This PEM file has no "ENCRYPTED PRIVATE KEY" block.' : 'This PEM file holds more than one encrypted key.');
  if (curveOid !== undefined && curveOid !== OID.secp256k1)
    throw invalidInput(`The EC PARAMETERS block names a curve (${curveOid}) other than secp256k1.`);

  const info = wrapDer(() => readPbes2(encrypted[0]), 'ENCRYPTED PRIVATE KEY');
  const key = await deriveKey(info, password);
  let plain: Buffer;
  try {
    const decipher = createDecipheriv(info.cipher.name, key, info.cipher.iv);
    plain = Buffer.concat([decipher.update(info.encrypted), decipher.final()]);
  } catch {
    throw invalidInput('The password is wrong, or the key file is damaged.');
  } finally {
    key.fill(0);
  }
  try {
    const material = keyFromPkcs8(plain);
    if (curveOid !== undefined && material.curve !== 'secp256k1')
      throw invalidInput('The EC PARAMETERS block says secp256k1 but the encrypted key is not a secp256k1 key.');
    return material;
  } catch (e) {
    // A wrong password can, rarely, still unpad cleanly; what comes out is then not a key.
    if (e instanceof DerError) throw invalidInput('The password is wrong, or the key file is damaged.');
    throw e;
  } finally {
    plain.fill(0);
  }
}

function readPbes2(der: Uint8Array): Pbes2 {
  const [algorithm, data] = children(expectTag(readDer(der), TAG.sequence, 'an encrypted private key'));
  const [schemeOid, schemeParams] = children(expectTag(algorithm, TAG.sequence, 'an algorithm identifier'));
  const scheme = readOid(schemeOid);
  if (scheme !== PBES2) throw unsupportedScheme(scheme);
  const [kdfAlg, encAlg] = children(expectTag(schemeParams, TAG.sequence, 'PBES2 parameters'));
  const kdf = readKdf(kdfAlg);
  const [cipherOid, ivEl] = children(expectTag(encAlg, TAG.sequence, 'an encryption scheme'));
  const cipherName = readOid(cipherOid);
  const cipher = CIPHERS[cipherName];
  if (!cipher) throw invalidInput(`The key file's cipher (${cipherName}) is not supported; AES-CBC is.`);
  const iv = readOctets(ivEl, 'the IV');
  if (iv.length !== 16) throw new DerError('the IV must be 16 bytes');
  if (kdf.keyLength !== undefined && kdf.keyLength !== cipher.keyLength) throw new DerError('the key length does not match the cipher');
  return { kdf, cipher: { ...cipher, iv }, encrypted: readOctets(data, 'the encrypted key') };
}

function readKdf(el: Der | undefined): Kdf {
  const [oidEl, paramsEl] = children(expectTag(el, TAG.sequence, 'a key derivation function'));
  const oid = readOid(oidEl);
  const fields = children(expectTag(paramsEl, TAG.sequence, 'key derivation parameters'));
  if (oid === SCRYPT) {
    const [salt, n, r, p, keyLength] = fields;
    const N = readSmallInt(n, 'scrypt N');
    const kdf: Kdf = { kind: 'scrypt', salt: readOctets(salt, 'the salt'), N, r: readSmallInt(r, 'scrypt r'), p: readSmallInt(p, 'scrypt p') };
    if (keyLength) kdf.keyLength = readSmallInt(keyLength, 'the key length');
    if (N < 2 || (N & (N - 1)) !== 0 || kdf.r < 1 || kdf.p < 1 || kdf.p > 16 || 128 * N * kdf.r > MAX_SCRYPT_MEMORY)
      throw invalidInput('The key file asks for scrypt parameters outside what this app accepts.');
    return kdf;
  }
  if (oid === PBKDF2) {
    const [salt, iterations, ...rest] = fields;
    let keyLength: number | undefined;
    let digest = 'sha1';
    for (const el of rest) {
      if (el.tag === TAG.integer) keyLength = readSmallInt(el, 'the key length');
      else if (el.tag === TAG.sequence) {
        const prf = readOid(children(el)[0]);
        if (!PRF[prf]) throw invalidInput(`The key file's PBKDF2 hash (${prf}) is not supported.`);
        digest = PRF[prf];
      }
    }
    const kdf: Kdf = { kind: 'pbkdf2', salt: readOctets(salt, 'the salt'), iterations: readSmallInt(iterations, 'the iteration count'), digest, keyLength };
    if (kdf.iterations < 1 || kdf.iterations > MAX_PBKDF2_ITERATIONS) throw invalidInput('The key file asks for a PBKDF2 iteration count outside what this app accepts.');
    return kdf;
  }
  throw invalidInput(`The key file's key derivation (${oid}) is not supported; scrypt and PBKDF2 are.`);
}

async function deriveKey({ kdf, cipher }: Pbes2, password: string): Promise<Buffer> {
  if (kdf.kind === 'scrypt') {
    const { N, r, p, salt } = kdf;
    return new Promise((resolve, reject) =>
      scrypt(password, salt, cipher.keyLength, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (e, key) => (e ? reject(e) : resolve(key))),
    );
  }
  return promisify(pbkdf2)(password, kdf.salt, kdf.iterations, cipher.keyLength, kdf.digest);
}

function unsupportedScheme(oid: string) {
  return invalidInput(`The key file uses an old or unknown encryption scheme (${oid}); PBES2 (scrypt or PBKDF2 with AES) is supported.`);
}
