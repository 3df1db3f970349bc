// dfx's password-protected identities: `identity.pem.encrypted` is AES-256-GCM (ciphertext + tag)
// of the PEM, under a key from Argon2id(m=64000 KiB, t=3, p=1, 32 bytes, v0x13) of the password;
// `identity.json` holds `encryption.pw_salt` and `encryption.file_nonce` (12 bytes as a number array).
// dfx hands pw_salt (hex of 32 random bytes) to the argon2 crate's PasswordHasher as a salt *string*,
// which decodes it as unpadded standard base64: the Argon2 salt is those decoded bytes, not the hex's
// and not the ASCII's (dfx-core src/identity/pem_safekeeping.rs and identity_manager.rs).
import { createDecipheriv } from 'node:crypto';
import { argon2id } from 'hash-wasm';
import { invalidInput } from '../api/errors.ts';

export const DFX_ARGON2 = { memoryKiB: 64000, iterations: 3, parallelism: 1, hashLength: 32 } as const;

export interface DfxEncryption {
  pwSalt: string;
  fileNonce: Uint8Array;
}

/** The `encryption` section of a dfx identity.json. */
export function parseDfxIdentityJson(text: string): DfxEncryption {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalidInput('The identity.json file is not valid JSON.');
  }
  const encryption = (json as { encryption?: unknown } | null)?.encryption;
  if (encryption === undefined || encryption === null)
    throw invalidInput('This identity.json has no "encryption" settings: its identity.pem is not password-protected (import the PEM directly).');
  const { pw_salt, file_nonce } = encryption as { pw_salt?: unknown; file_nonce?: unknown };
  if (typeof pw_salt !== 'string' || !/^[A-Za-z0-9+/]{4,64}$/.test(pw_salt) || pw_salt.length % 4 === 1)
    throw invalidInput('The identity.json "pw_salt" is missing or malformed.');
  if (!Array.isArray(file_nonce) || file_nonce.length !== 12 || !file_nonce.every((b) => Number.isInteger(b) && b >= 0 && b <= 255))
    throw invalidInput('The identity.json "file_nonce" must be 12 bytes.');
  return { pwSalt: pw_salt, fileNonce: Uint8Array.from(file_nonce as number[]) };
}

/** The PEM text inside a dfx encrypted identity, or an invalid-input error. */
export async function decryptDfxPem(encrypted: Uint8Array, identityJson: string, password: string): Promise<string> {
  const { pwSalt, fileNonce } = parseDfxIdentityJson(identityJson);
  if (!(encrypted instanceof Uint8Array) || encrypted.length <= 16)
    throw invalidInput('The identity.pem.encrypted file is empty or truncated.');
  if (typeof password !== 'string' || password === '') throw invalidInput("Enter the identity's dfx password.");
  const key = await argon2id({
    password,
    salt: Buffer.from(pwSalt, 'base64'),
    memorySize: DFX_ARGON2.memoryKiB,
    iterations: DFX_ARGON2.iterations,
    parallelism: DFX_ARGON2.parallelism,
    hashLength: DFX_ARGON2.hashLength,
    outputType: 'binary',
  });
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, fileNonce);
    decipher.setAuthTag(encrypted.subarray(encrypted.length - 16));
    plain = Buffer.concat([decipher.update(encrypted.subarray(0, encrypted.length - 16)), decipher.final()]);
  } catch {
    throw invalidInput('The password is wrong, or the encrypted file does not belong with this identity.json (or is damaged).');
  } finally {
    key.fill(0);
  }
  const text = plain.toString('utf8');
  plain.fill(0);
  return text;
}
