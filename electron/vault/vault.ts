// The vault: every identity that can sign, sealed in the OS keychain under a key derived from the
// user's passphrase, with the public parts (labels, principals, kinds, which is active) in a local
// JSON file. It hands the rest of the app a Signer for the active identity.
//
// Keychain layout (service `neuron-desk`): `verifier.<generation>` (a known text sealed with the
// vault key) and `identity.<id>.<generation>` (the secret, sealed with the identity's id as
// associated data). A new passphrase is a new generation: everything is re-sealed under new account
// names first and the metadata file then switches generation in one atomic write, so a failure at
// any point leaves one complete generation that the metadata points to.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Identity, SignIdentity } from '@icp-sdk/core/agent';
import { Principal } from '@icp-sdk/core/principal';
import { DeskError, invalidInput } from '../api/errors.ts';
import type { Signer } from '../network/agents.ts';
import { LocalStore } from '../services/local-store.ts';
import { AutoLock, systemTimers, type Timers } from './auto-lock.ts';
import { decryptDfxPem } from './dfx-encrypted.ts';
import { DFX_KEYRING_PREFIX, DFX_KEYRING_SERVICE, dfxIdentityName, platformDfxKeyring, type DfxKeyring } from './dfx-keyring.ts';
import { keytarKeychain, type Keychain } from './keychain.ts';
import { identityFromKey, keyFromPem, keyToPem, type Curve, type KeyMaterial } from './keys.ts';
import { keyFromEncryptedPkcs8Pem } from './pkcs8-encrypted.ts';
import { DEFAULT_KDF_COST, checkPassphrase, deriveKey, newKdfParams, open, seal, type KdfCost, type KdfParams } from './seal.ts';
import { checkSeedPhrase, keyFromSeedPhrase, newSeedPhrase } from './seed.ts';
import type { CreatedIdentity, ExportedSecret, IdentityKind, IdentitySource, IdentitySummary, VaultEvent, VaultListener, VaultStatus } from './types.ts';

export { DFX_KEYRING_PREFIX, DFX_KEYRING_SERVICE } from './dfx-keyring.ts';
export const VAULT_SERVICE = 'neuron-desk';
export const DEFAULT_AUTO_LOCK_MS = 10 * 60 * 1000;
const VERIFIER_TEXT = 'neuron-desk vault verifier v1';
const VERIFIER_AAD = 'vault-verifier';
const MAX_LABEL = 64;

export interface VaultOptions {
  /** The metadata file (a LocalStore JSON document; it never holds a secret). */
  metadataPath: string;
  /** Defaults to the OS keychain through keytar. */
  keychain?: Keychain;
  /** dfx's keyring entries that the keychain cannot see (on Linux, keyring-rs's). Defaults to the platform's; null: none. */
  dfxKeyring?: DfxKeyring | null;
  /** Argon2id cost for a new passphrase. The default is strong; tests pass a lighter one. */
  kdfCost?: KdfCost;
  /** Idle time before the vault locks itself (null: never). Default 10 minutes. */
  autoLockMs?: number | null;
  timers?: Timers;
  /** Wall clock in ms (createdAt). */
  now?: () => number;
}

interface StoredIdentity extends IdentitySummary {
  curve?: Curve;
}

interface VaultFile {
  version: 1;
  kdf: (KdfParams & { generation: string }) | null;
  activeId: string | null;
  identities: StoredIdentity[];
}

/** What is sealed for one identity. */
type SealedSecret = { v: 1; seedPhrase: string } | { v: 1; curve: Curve; secretHex: string };

interface Unlocked {
  key: Uint8Array;
  identities: Map<string, SignIdentity>;
  /** Identities whose keychain entry is missing or does not open: why, in a sentence. */
  broken: Map<string, string>;
}

interface NewKeyIdentity {
  label?: string;
  kind: Exclude<IdentityKind, 'watch-only'>;
  source: IdentitySource;
  secret: SealedSecret;
  key: KeyMaterial;
}

export class Vault {
  private readonly store: LocalStore<VaultFile>;
  private readonly keychain: Keychain;
  private readonly dfxKeyring: DfxKeyring | null;
  private readonly kdfCost: KdfCost;
  private readonly now: () => number;
  private readonly autoLock: AutoLock;
  private readonly listeners = new Set<VaultListener>();
  private unlocked: Unlocked | null = null;
  /** Bumped by every lock, so an unlock that was under way when the user locked does not win. */
  private lockEpoch = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(opts: VaultOptions) {
    try {
      this.store = new LocalStore<VaultFile>(opts.metadataPath, () => ({ version: 1, kdf: null, activeId: null, identities: [] }));
    } catch (e) {
      throw new DeskError('internal', 'The list of identities could not be read.', (e as Error).message);
    }
    this.keychain = opts.keychain ?? keytarKeychain();
    this.dfxKeyring = opts.dfxKeyring === undefined ? platformDfxKeyring() : opts.dfxKeyring;
    this.kdfCost = opts.kdfCost ?? DEFAULT_KDF_COST;
    this.now = opts.now ?? Date.now;
    this.autoLock = new AutoLock(opts.timers ?? systemTimers, opts.autoLockMs === undefined ? DEFAULT_AUTO_LOCK_MS : opts.autoLockMs, () =>
      this.lockFor('idle'),
    );
  }

  // --- state and events ---

  status(): VaultStatus {
    const file = this.store.read();
    return { initialized: file.kdf !== null, locked: this.unlocked === null, activeId: file.activeId, autoLockMs: this.autoLock.ms };
  }

  /** The identities' public parts, in the order they were added (readable while locked). */
  list(): IdentitySummary[] {
    return this.store.read().identities.map(summary);
  }

  get(id: string): IdentitySummary {
    return summary(this.find(id));
  }

  /** Subscribes to vault events; returns the unsubscribe function. */
  on(listener: VaultListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Activity: restarts the auto-lock countdown. */
  touch(): void {
    if (this.unlocked) this.autoLock.restart();
  }

  setAutoLock(ms: number | null): void {
    if (ms !== null && (!Number.isInteger(ms) || ms < 1000 || ms > 24 * 3600 * 1000))
      throw invalidInput('The auto-lock time must be between one second and one day.');
    this.autoLock.set(ms);
    if (this.unlocked) this.autoLock.restart();
    else this.autoLock.stop();
  }

  // --- passphrase, lock and unlock ---

  /** First use: sets the passphrase and leaves the vault unlocked. */
  setup(passphrase: string): Promise<void> {
    return this.serial(async () => {
      if (this.store.read().kdf !== null) throw new DeskError('conflict', 'The vault already has a passphrase; unlock it instead.');
      const checked = checkPassphrase(passphrase);
      const params = newKdfParams(this.kdfCost);
      const generation = newGeneration();
      const key = await deriveKey(checked, params);
      const account = verifierAccount(generation);
      try {
        await this.keychain.set(VAULT_SERVICE, account, seal(key, utf8(VERIFIER_TEXT), VERIFIER_AAD));
        this.write((d) => void (d.kdf = { ...params, generation }));
      } catch (e) {
        await this.keychain.delete(VAULT_SERVICE, account).catch(() => false);
        key.fill(0);
        throw asDeskError(e, 'Setting the passphrase');
      }
      this.becomeUnlocked({ key, identities: new Map(), broken: new Map() });
    });
  }

  unlock(passphrase: string): Promise<void> {
    return this.serial(async () => {
      const kdf = this.requireInitialized();
      if (typeof passphrase !== 'string' || passphrase === '') throw invalidInput('Enter the passphrase.');
      const epoch = this.lockEpoch;
      const key = await deriveKey(passphrase, kdf);
      const verifier = await this.keychain.get(VAULT_SERVICE, verifierAccount(kdf.generation)).catch((e: unknown) => {
        key.fill(0);
        throw e;
      });
      if (verifier === null) {
        key.fill(0);
        throw new DeskError('not-found', "The vault's entry in the system keychain is missing; the identities cannot be unlocked on this computer.");
      }
      const check = open(key, verifier, VERIFIER_AAD);
      if (check === null) {
        key.fill(0);
        throw invalidInput('The passphrase is not correct.');
      }
      if (this.unlocked) {
        key.fill(0);
        this.autoLock.restart();
        return;
      }
      const state: Unlocked = { key, identities: new Map(), broken: new Map() };
      for (const stored of this.store.read().identities) {
        if (stored.kind === 'watch-only') continue;
        await this.load(state, stored, kdf.generation);
      }
      if (epoch !== this.lockEpoch) {
        state.key.fill(0);
        state.identities.clear();
        throw new DeskError('conflict', 'The vault was locked while it was being unlocked.');
      }
      this.becomeUnlocked(state);
      await this.sweepKeychain(kdf.generation);
    });
  }

  /** Forgets the key and every loaded identity. */
  lock(): void {
    this.lockFor('user');
  }

  /** Re-seals every secret under a new passphrase; on any failure the old one still opens everything. */
  changePassphrase(current: string, next: string): Promise<void> {
    return this.serial(async () => {
      const kdf = this.requireInitialized();
      this.requireUnlocked();
      const checkedNext = checkPassphrase(next);
      const oldKey = await this.verifyPassphrase(current, kdf);
      const params = newKdfParams(this.kdfCost);
      const generation = newGeneration();
      const newKey = await deriveKey(checkedNext, params);
      const written: string[] = [];
      try {
        for (const stored of this.store.read().identities) {
          if (stored.kind === 'watch-only') continue;
          const sealed = await this.keychain.get(VAULT_SERVICE, identityAccount(stored.id, kdf.generation));
          const plain = sealed === null ? null : open(oldKey, sealed, stored.id);
          if (plain === null) continue; // already unreadable: nothing a new seal could save
          const account = identityAccount(stored.id, generation);
          written.push(account);
          await this.keychain.set(VAULT_SERVICE, account, seal(newKey, plain, stored.id));
          plain.fill(0);
        }
        const account = verifierAccount(generation);
        written.push(account);
        await this.keychain.set(VAULT_SERVICE, account, seal(newKey, utf8(VERIFIER_TEXT), VERIFIER_AAD));
        this.write((d) => void (d.kdf = { ...params, generation }));
      } catch (e) {
        for (const account of written) await this.keychain.delete(VAULT_SERVICE, account).catch(() => false);
        newKey.fill(0);
        throw asDeskError(e, 'Changing the passphrase');
      } finally {
        oldKey.fill(0);
      }
      if (this.unlocked) {
        this.unlocked.key.fill(0);
        this.unlocked.key = newKey;
        this.autoLock.restart();
      } else newKey.fill(0);
      await this.sweepKeychain(generation);
    });
  }

  // --- adding identities ---

  /** A new 24-word seed phrase identity. The phrase is returned here once, to be written down. */
  create(opts: { label?: string } = {}): Promise<CreatedIdentity> {
    return this.serial(async () => {
      this.requireUnlocked();
      const seedPhrase = newSeedPhrase();
      const identity = await this.addKey({ label: opts?.label, kind: 'seed', source: 'created', secret: { v: 1, seedPhrase }, key: keyFromSeedPhrase(seedPhrase) });
      return { identity, seedPhrase };
    });
  }

  importSeedPhrase(opts: { seedPhrase: string; label?: string }): Promise<IdentitySummary> {
    return this.serial(async () => {
      this.requireUnlocked();
      const seedPhrase = checkSeedPhrase(opts?.seedPhrase);
      return this.addKey({ label: opts?.label, kind: 'seed', source: 'seed', secret: { v: 1, seedPhrase }, key: keyFromSeedPhrase(seedPhrase) });
    });
  }

  /** A plain dfx PEM: secp256k1 SEC1 (optionally after EC PARAMETERS) or Ed25519 PKCS#8. */
  importPem(opts: { pem: string; label?: string }): Promise<IdentitySummary> {
    return this.serial(async () => {
      this.requireUnlocked();
      return this.addPemKey(keyFromPem(opts?.pem), 'dfx-pem', opts?.label);
    });
  }

  /** dfx's `identity.pem.encrypted` (bytes) with its `identity.json` (text) and the identity's password. */
  importDfxEncrypted(opts: { encryptedPem: Uint8Array; identityJson: string; password: string; label?: string }): Promise<IdentitySummary> {
    return this.serial(async () => {
      this.requireUnlocked();
      const pem = await decryptDfxPem(opts?.encryptedPem, opts?.identityJson, opts?.password);
      return this.addPemKey(keyFromPem(pem), 'dfx-encrypted', opts?.label);
    });
  }

  /** quill's `ENCRYPTED PRIVATE KEY` PEM (PKCS#8 PBES2) and its password. */
  importQuillEncrypted(opts: { pem: string; password: string; label?: string }): Promise<IdentitySummary> {
    return this.serial(async () => {
      this.requireUnlocked();
      return this.addPemKey(await keyFromEncryptedPkcs8Pem(opts?.pem, opts?.password), 'quill-encrypted', opts?.label);
    });
  }

  /** Names of the dfx identities kept in the system keychain, as keytar or dfx itself wrote them (no secret is read into the answer). */
  async listDfxKeyring(): Promise<string[]> {
    // On Linux keytar's find crashes on dfx's own items: the reader lists keytar's entries too (dfx-keyring.ts).
    if (this.dfxKeyring) return this.dfxKeyring.names();
    const names = new Set<string>();
    for (const { account } of await this.keychain.find(DFX_KEYRING_SERVICE)) {
      const name = dfxIdentityName(account);
      if (name !== null) names.add(name);
    }
    return [...names].sort();
  }

  /** A dfx identity kept in the system keychain (`dfx identity new --storage-mode keyring`, dfx's default). */
  importDfxKeyring(opts: { name: string; label?: string }): Promise<IdentitySummary> {
    return this.serial(async () => {
      this.requireUnlocked();
      const name = opts?.name;
      if (typeof name !== 'string' || !/^[A-Za-z0-9._@-]+$/.test(name)) throw invalidInput('A dfx identity name has letters, digits and . _ @ - only.');
      const hex = (await this.keychain.get(DFX_KEYRING_SERVICE, DFX_KEYRING_PREFIX + name)) ?? (await this.dfxKeyring?.read(name)) ?? null;
      if (hex === null) throw new DeskError('not-found', `The system keychain has no dfx identity named "${name}".`);
      if (!/^([0-9a-fA-F]{2})+$/.test(hex)) throw invalidInput(`The keychain entry of the dfx identity "${name}" is not a hex-encoded PEM.`);
      const pem = Buffer.from(hex, 'hex');
      try {
        return this.addPemKey(keyFromPem(pem.toString('utf8')), 'dfx-keyring', opts?.label ?? `dfx ${name}`);
      } finally {
        pem.fill(0);
      }
    });
  }

  /** A principal to follow without a key: balances and neurons can be read, nothing can be signed. */
  addWatchOnly(opts: { principal: string; label?: string }): Promise<IdentitySummary> {
    return this.serial(async () => {
      this.requireUnlocked();
      const principal = parsePrincipal(opts?.principal);
      this.refuseDuplicate(principal);
      const stored: StoredIdentity = {
        id: randomUUID(),
        label: this.label(opts?.label),
        principal,
        kind: 'watch-only',
        source: 'watch-only',
        createdAt: this.now(),
      };
      this.addRecord(stored);
      return summary(stored);
    });
  }

  // --- managing ---

  rename(id: string, label: string): Promise<IdentitySummary> {
    return this.serial(async () => {
      this.requireUnlocked();
      this.find(id);
      const checked = checkLabel(label);
      this.write((d) => void (d.identities.find((i) => i.id === id)!.label = checked));
      this.emit({ type: 'identities-changed' });
      return this.get(id);
    });
  }

  /** Removes an identity and its keychain entry. The metadata goes first: a leftover entry is only litter. */
  remove(id: string): Promise<void> {
    return this.serial(async () => {
      const { generation } = this.requireInitialized();
      this.requireUnlocked();
      const stored = this.find(id);
      const wasActive = this.store.read().activeId === id;
      this.write((d) => {
        d.identities = d.identities.filter((i) => i.id !== id);
        if (d.activeId === id) d.activeId = d.identities[0]?.id ?? null;
      });
      this.unlocked?.identities.delete(id);
      this.unlocked?.broken.delete(id);
      if (stored.kind !== 'watch-only') await this.keychain.delete(VAULT_SERVICE, identityAccount(id, generation)).catch(() => false);
      this.emit({ type: 'identities-changed' });
      if (wasActive) this.emit({ type: 'active-changed', activeId: this.store.read().activeId });
    });
  }

  setActive(id: string): Promise<void> {
    return this.serial(async () => {
      this.requireUnlocked();
      this.find(id);
      if (this.store.read().activeId === id) return;
      this.write((d) => void (d.activeId = id));
      this.emit({ type: 'active-changed', activeId: id });
    });
  }

  /** The seed phrase (or the PEM) of an identity, only with the passphrase entered again. */
  exportSecret(id: string, passphrase: string, format: 'seed' | 'pem' = 'seed'): Promise<ExportedSecret> {
    return this.serial(async () => {
      const kdf = this.requireInitialized();
      this.requireUnlocked();
      const stored = this.find(id);
      if (stored.kind === 'watch-only') throw new DeskError('watch-only', `"${stored.label}" is watch-only: it has no key to export.`);
      const key = await this.verifyPassphrase(passphrase, kdf);
      try {
        const sealed = await this.keychain.get(VAULT_SERVICE, identityAccount(id, kdf.generation));
        const plain = sealed === null ? null : open(key, sealed, id);
        if (plain === null) throw new DeskError('not-found', `The key of "${stored.label}" is missing from the system keychain or damaged.`);
        const secret = JSON.parse(Buffer.from(plain).toString('utf8')) as SealedSecret;
        plain.fill(0);
        if ('seedPhrase' in secret && format === 'seed') return { kind: 'seed', seedPhrase: secret.seedPhrase };
        const material = 'seedPhrase' in secret ? keyFromSeedPhrase(secret.seedPhrase) : { curve: secret.curve, secret: new Uint8Array(Buffer.from(secret.secretHex, 'hex')) };
        const pem = keyToPem(material);
        material.secret.fill(0);
        return { kind: 'pem', pem };
      } finally {
        key.fill(0);
      }
    });
  }

  // --- signing ---

  /** The active identity as the network layer takes it. */
  signer(): Signer {
    const state = this.requireUnlocked();
    const { activeId } = this.store.read();
    if (activeId === null) throw new DeskError('not-found', 'No identity is selected: create or import one first.');
    const stored = this.find(activeId);
    if (stored.kind === 'watch-only') return { kind: 'watch-only', principal: Principal.fromText(stored.principal) };
    const identity = state.identities.get(activeId);
    if (!identity) throw new DeskError('not-found', state.broken.get(activeId) ?? `The key of "${stored.label}" is not available.`);
    return { kind: 'key', identity };
  }

  /** The active identity's key; DeskError 'watch-only' when it has none. */
  signingIdentity(): Identity {
    const signer = this.signer();
    if (signer.kind === 'watch-only') throw new DeskError('watch-only', 'This identity is watch-only: it can read balances and neurons but cannot sign.');
    return signer.identity;
  }

  // --- internals ---

  private async addPemKey(key: KeyMaterial, source: IdentitySource, label?: string): Promise<IdentitySummary> {
    try {
      return await this.addKey({ label, kind: 'pem', source, secret: { v: 1, curve: key.curve, secretHex: Buffer.from(key.secret).toString('hex') }, key });
    } finally {
      key.secret.fill(0);
    }
  }

  /** Seals the secret into the keychain, then records it; if recording fails the entry is taken back. */
  private async addKey(draft: NewKeyIdentity): Promise<IdentitySummary> {
    const { generation } = this.requireInitialized();
    const state = this.requireUnlocked();
    const identity = identityFromKey(draft.key);
    const principal = identity.getPrincipal().toText();
    this.refuseDuplicate(principal);
    const label = this.label(draft.label);
    const id = randomUUID();
    const plain = utf8(JSON.stringify(draft.secret));
    const sealed = seal(state.key, plain, id);
    plain.fill(0);
    const account = identityAccount(id, generation);
    const stored: StoredIdentity = { id, label, principal, kind: draft.kind, source: draft.source, createdAt: this.now(), curve: draft.key.curve };
    try {
      await this.keychain.set(VAULT_SERVICE, account, sealed);
      this.addRecord(stored);
    } catch (e) {
      await this.keychain.delete(VAULT_SERVICE, account).catch(() => false);
      throw asDeskError(e, 'Saving the identity');
    }
    // Locked while the entry was being written: the identity is saved and loads at the next unlock.
    if (this.unlocked === state) state.identities.set(id, identity);
    return summary(stored);
  }

  private addRecord(stored: StoredIdentity) {
    const first = this.store.read().activeId === null;
    this.write((d) => {
      d.identities.push(stored);
      if (d.activeId === null) d.activeId = stored.id;
    });
    this.touch();
    this.emit({ type: 'identities-changed' });
    if (first) this.emit({ type: 'active-changed', activeId: stored.id });
  }

  private async load(state: Unlocked, stored: StoredIdentity, generation: string) {
    const missing = `The key of "${stored.label}" is missing from the system keychain or damaged.`;
    let sealed: string | null;
    try {
      sealed = await this.keychain.get(VAULT_SERVICE, identityAccount(stored.id, generation));
    } catch {
      state.broken.set(stored.id, missing);
      return;
    }
    const plain = sealed === null ? null : open(state.key, sealed, stored.id);
    if (plain === null) {
      state.broken.set(stored.id, missing);
      return;
    }
    try {
      const secret = JSON.parse(Buffer.from(plain).toString('utf8')) as SealedSecret;
      const material = 'seedPhrase' in secret ? keyFromSeedPhrase(secret.seedPhrase) : { curve: secret.curve, secret: new Uint8Array(Buffer.from(secret.secretHex, 'hex')) };
      const identity = identityFromKey(material);
      material.secret.fill(0);
      if (identity.getPrincipal().toText() !== stored.principal) {
        state.broken.set(stored.id, `The key stored for "${stored.label}" does not match its principal.`);
        return;
      }
      state.identities.set(stored.id, identity);
    } catch {
      state.broken.set(stored.id, missing);
    } finally {
      plain.fill(0);
    }
  }

  /** Derives the key for `passphrase` and checks it against the verifier; the caller wipes it. */
  private async verifyPassphrase(passphrase: string, kdf: KdfParams & { generation: string }): Promise<Uint8Array> {
    if (typeof passphrase !== 'string' || passphrase === '') throw invalidInput('Enter the passphrase.');
    const key = await deriveKey(passphrase, kdf);
    const verifier = await this.keychain.get(VAULT_SERVICE, verifierAccount(kdf.generation));
    if (verifier === null || open(key, verifier, VERIFIER_AAD) === null) {
      key.fill(0);
      throw invalidInput('The passphrase is not correct.');
    }
    return key;
  }

  /**
   * Deletes this vault's stale keychain entries: those of other generations (left by a passphrase
   * change whose cleanup failed) and those of removed identities. Best effort.
   */
  private async sweepKeychain(generation: string) {
    let entries: { account: string }[];
    try {
      entries = await this.keychain.find(VAULT_SERVICE);
    } catch {
      return;
    }
    const known = new Set(this.store.read().identities.map((i) => i.id));
    for (const { account } of entries) {
      const m = /^(?:verifier\.([0-9a-f]+)|identity\.([0-9a-f-]+)\.([0-9a-f]+))$/.exec(account);
      if (!m) continue;
      const stale = m[1] !== undefined ? m[1] !== generation : known.has(m[2]) ? m[3] !== generation : m[3] === generation;
      if (stale) await this.keychain.delete(VAULT_SERVICE, account).catch(() => false);
    }
  }

  private becomeUnlocked(state: Unlocked) {
    this.unlocked = state;
    this.autoLock.restart();
    this.emit({ type: 'unlocked' });
  }

  private lockFor(reason: 'user' | 'idle') {
    this.lockEpoch++;
    this.autoLock.stop();
    const state = this.unlocked;
    if (!state) return;
    this.unlocked = null;
    state.key.fill(0);
    state.identities.clear();
    state.broken.clear();
    this.emit({ type: 'locked', reason });
  }

  private requireInitialized(): KdfParams & { generation: string } {
    const { kdf } = this.store.read();
    if (kdf === null) throw new DeskError('not-found', 'The vault has no passphrase yet: set one first.');
    return kdf;
  }

  private requireUnlocked(): Unlocked {
    this.requireInitialized();
    if (!this.unlocked) throw new DeskError('locked', 'The vault is locked: unlock it first.');
    return this.unlocked;
  }

  private find(id: string): StoredIdentity {
    const stored = this.store.read().identities.find((i) => i.id === id);
    if (!stored) throw new DeskError('not-found', 'There is no such identity.');
    return stored;
  }

  private refuseDuplicate(principal: string) {
    const existing = this.store.read().identities.find((i) => i.principal === principal);
    if (existing) throw new DeskError('conflict', `This identity is already in the vault, as "${existing.label}".`);
  }

  private label(label: string | undefined): string {
    if (label !== undefined) return checkLabel(label);
    const taken = new Set(this.store.read().identities.map((i) => i.label));
    let n = this.store.read().identities.length + 1;
    while (taken.has(`Identity ${n}`)) n++;
    return `Identity ${n}`;
  }

  private write(change: (draft: VaultFile) => void) {
    try {
      this.store.update(change);
    } catch (e) {
      throw new DeskError('internal', 'The list of identities could not be saved.', (e as Error).message);
    }
  }

  private emit(event: VaultEvent) {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; the vault's state is already settled.
      }
    }
  }

  /** Runs vault changes one at a time, in call order. */
  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function summary(s: StoredIdentity): IdentitySummary {
  return { id: s.id, label: s.label, principal: s.principal, kind: s.kind, source: s.source, createdAt: s.createdAt };
}

function checkLabel(label: unknown): string {
  if (typeof label !== 'string') throw invalidInput('The label must be text.');
  const trimmed = label.trim();
  if (trimmed === '') throw invalidInput('The label cannot be empty.');
  if ([...trimmed].length > MAX_LABEL) throw invalidInput(`The label can have at most ${MAX_LABEL} characters.`);
  if (/\p{Cc}/u.test(trimmed)) throw invalidInput('The label cannot contain control characters.');
  return trimmed;
}

function parsePrincipal(text: unknown): string {
  if (typeof text !== 'string' || text.trim() === '') throw invalidInput('Enter a principal.');
  let principal: Principal;
  try {
    principal = Principal.fromText(text.trim());
  } catch {
    throw invalidInput(`"${text.trim()}" is not a valid principal (check for a typo: principals carry a checksum).`);
  }
  if (principal.isAnonymous()) throw invalidInput('The anonymous principal cannot be watched: it belongs to no one.');
  return principal.toText();
}

function asDeskError(e: unknown, what: string): DeskError {
  if (e instanceof DeskError) return e;
  return new DeskError('internal', `${what} failed unexpectedly.`, (e as Error)?.message);
}

function verifierAccount(generation: string) {
  return `verifier.${generation}`;
}

function identityAccount(id: string, generation: string) {
  return `identity.${id}.${generation}`;
}

function newGeneration(): string {
  return randomBytes(8).toString('hex');
}

function utf8(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}
