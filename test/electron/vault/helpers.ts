// Shared pieces of the vault tests: fixtures, a light KDF, hand-driven timers, a keychain that fails
// on demand, and the principal computed independently of @icp-sdk's identities.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha224 } from '@noble/hashes/sha2';
import { Principal } from '@icp-sdk/core/principal';
import { DeskError, type ErrorKind } from '../../../electron/api/errors.ts';
import type { Timers } from '../../../electron/vault/auto-lock.ts';
import type { Credential, Keychain } from '../../../electron/vault/keychain.ts';
import type { KdfCost } from '../../../electron/vault/seal.ts';

export const FIXTURES = join(import.meta.dirname, 'fixtures');
export const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
export const fixtureBytes = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));
export const expected = JSON.parse(fixture('expected.json')) as {
  passwords: { openssl: string; quill: string; dfx: string };
  principals: Record<string, string>;
};

/** Argon2id light enough for a test suite; the default cost is checked separately. */
export const LIGHT_KDF: KdfCost = { memoryKiB: 256, iterations: 1, parallelism: 1 };
export const PASSPHRASE = 'correct horse battery staple';

const tempDirs: string[] = [];
/** A metadata path in a new temporary folder (removed by `removeTempDirs`). */
export function tempPath(name = 'vault.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'desk-vault-'));
  tempDirs.push(dir);
  return join(dir, name);
}
export function removeTempDirs() {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** DER SubjectPublicKeyInfo prefix of an uncompressed secp256k1 point (id-ecPublicKey, secp256k1). */
const SECP256K1_SPKI_PREFIX = '3056301006072a8648ce3d020106052b8104000a034200';
const ED25519_SPKI_PREFIX = '302a300506032b6570032100';

/** The self-authenticating principal: sha224 of the DER public key, then 0x02. */
export function principalOfPublicKey(curve: 'secp256k1' | 'ed25519', raw: Uint8Array): string {
  const spki = Buffer.concat([Buffer.from(curve === 'secp256k1' ? SECP256K1_SPKI_PREFIX : ED25519_SPKI_PREFIX, 'hex'), raw]);
  return Principal.fromUint8Array(Uint8Array.from([...sha224(spki), 0x02])).toText();
}

/** Resolves to the DeskError a promise rejects with (fails the test if it resolves or throws another error). */
export async function deskError(p: Promise<unknown> | (() => unknown), kind?: ErrorKind): Promise<DeskError> {
  let error: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    error = e;
  }
  if (!(error instanceof DeskError)) throw new Error(`expected a DeskError, got ${error === undefined ? 'success' : String(error)}`);
  if (kind !== undefined && error.kind !== kind) throw new Error(`expected a '${kind}' DeskError, got '${error.kind}': ${error.message}`);
  return error;
}

/** Timers moved by hand. */
export class ManualTimers implements Timers {
  private now = 0;
  private nextId = 1;
  private pending = new Map<number, { at: number; run: () => void }>();

  setTimeout(run: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.now + ms, run });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  advance(ms: number) {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.now = due[1].at;
      due[1].run();
    }
    this.now = until;
  }

  get count() {
    return this.pending.size;
  }
}

/** A keychain that passes through to another, failing the operations `failWhen` picks. */
export class FlakyKeychain implements Keychain {
  failWhen: ((op: 'get' | 'set' | 'delete' | 'find', service: string, account: string) => boolean) | null = null;

  constructor(private readonly inner: Keychain) {}

  private check(op: 'get' | 'set' | 'delete' | 'find', service: string, account = '') {
    if (this.failWhen?.(op, service, account)) throw new DeskError('internal', `The system keychain could not ${op} (injected failure).`);
  }

  async get(service: string, account: string) {
    this.check('get', service, account);
    return this.inner.get(service, account);
  }

  async set(service: string, account: string, value: string) {
    this.check('set', service, account);
    return this.inner.set(service, account, value);
  }

  async delete(service: string, account: string) {
    this.check('delete', service, account);
    return this.inner.delete(service, account);
  }

  async find(service: string): Promise<Credential[]> {
    this.check('find', service);
    return this.inner.find(service);
  }
}
