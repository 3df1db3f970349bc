// The vault's sealing: a 256-bit key derived from the passphrase with Argon2id (memory-hard; the
// parameters travel with the vault so they can change), and AES-256-GCM with a random nonce and the
// entry's name as associated data, so an entry copied under another name does not open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { argon2id } from 'hash-wasm';
import { invalidInput } from '../api/errors.ts';

export interface KdfParams {
  algorithm: 'argon2id';
  /** Memory in KiB. */
  memoryKiB: number;
  iterations: number;
  parallelism: number;
  /** Random, not secret: hex of 16 bytes. */
  saltHex: string;
}

export type KdfCost = Pick<KdfParams, 'memoryKiB' | 'iterations' | 'parallelism'>;

/** 64 MiB, 3 passes: above OWASP's Argon2id minimum, about a quarter of a second on a laptop. */
export const DEFAULT_KDF_COST: KdfCost = { memoryKiB: 65536, iterations: 3, parallelism: 1 };

export const MIN_PASSPHRASE_LENGTH = 10;

const SEALED_PREFIX = 'nd1:';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export function newKdfParams(cost: KdfCost = DEFAULT_KDF_COST): KdfParams {
  checkCost(cost);
  return { algorithm: 'argon2id', ...cost, saltHex: randomBytes(16).toString('hex') };
}

export function checkPassphrase(passphrase: unknown): string {
  if (typeof passphrase !== 'string') throw invalidInput('The passphrase must be text.');
  const normalized = passphrase.normalize('NFC');
  if ([...normalized].length < MIN_PASSPHRASE_LENGTH)
    throw invalidInput(`The passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters.`);
  if (normalized.trim() === '') throw invalidInput('The passphrase cannot be only spaces.');
  return normalized;
}

export async function deriveKey(passphrase: string, params: KdfParams): Promise<Uint8Array> {
  if (params.algorithm !== 'argon2id') throw new Error(`unknown key derivation ${String(params.algorithm)}`);
  checkCost(params);
  return argon2id({
    password: passphrase.normalize('NFC'),
    salt: Buffer.from(params.saltHex, 'hex'),
    memorySize: params.memoryKiB,
    iterations: params.iterations,
    parallelism: params.parallelism,
    hashLength: 32,
    outputType: 'binary',
  });
}

export function seal(key: Uint8Array, plaintext: Uint8Array, associatedData: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return SEALED_PREFIX + Buffer.concat([nonce, body]).toString('base64');
}

/** The plaintext, or null when the key is wrong or the entry was altered or moved. */
export function open(key: Uint8Array, sealed: string, associatedData: string): Uint8Array | null {
  if (!sealed.startsWith(SEALED_PREFIX)) return null;
  const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64');
  if (raw.length < NONCE_BYTES + TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    return new Uint8Array(Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]));
  } catch {
    return null;
  }
}

function checkCost(cost: KdfCost) {
  const ok =
    Number.isInteger(cost.memoryKiB) &&
    Number.isInteger(cost.iterations) &&
    Number.isInteger(cost.parallelism) &&
    cost.parallelism >= 1 &&
    cost.parallelism <= 16 &&
    cost.memoryKiB >= 8 * cost.parallelism &&
    cost.memoryKiB <= 4 * 1024 * 1024 &&
    cost.iterations >= 1 &&
    cost.iterations <= 100;
  if (!ok) throw invalidInput('The key derivation parameters are out of range.');
}
