// The vault with the real keytar against a private Secret Service (gnome-keyring on its own D-Bus):
// passphrase, imports of every format, what lands in the keychain and on disk, export, lock and
// auto-lock, passphrase change under failures, and the signer it hands out.
import { existsSync, mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1';
import { ed25519 } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha2';
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1';
import { keytarKeychain, type Keychain } from '../../../electron/vault/keychain.ts';
import { keyFromPem } from '../../../electron/vault/keys.ts';
import { DEFAULT_KDF_COST } from '../../../electron/vault/seal.ts';
import type { VaultEvent } from '../../../electron/vault/types.ts';
import { DFX_KEYRING_PREFIX, DFX_KEYRING_SERVICE, VAULT_SERVICE, Vault, type VaultOptions } from '../../../electron/vault/vault.ts';
import { startSecretService, type SecretService } from '../support/secret-service.ts';
import { FlakyKeychain, LIGHT_KDF, ManualTimers, PASSPHRASE, deskError, removeTempDirs, expected, fixture, fixtureBytes, principalOfPublicKey, tempPath } from './helpers.ts';

const DEMO_SEED = 'work cargo say city apart creek arctic float misery frown make tired bind keep office black guess pave enough rule stock diary slight team';
const DEMO_PRINCIPAL = '7e3ji-74oqq-fzbz4-3bseg-bzrgw-kj4zz-ym5pj-jndqw-rjkxn-jt4s7-hqe';
const ALICE_PRINCIPAL = 'em2mo-wlfwe-nlzcn-o4sqa-jgi3i-fiyxi-c4gtg-nnjyu-sgk7g-vcjiv-sae';

let secretService: SecretService;
let keychain: Keychain;

beforeAll(async () => {
  secretService = await startSecretService();
  keychain = keytarKeychain();
});
afterAll(async () => {
  await secretService?.stop();
  removeTempDirs();
});

/** Each vault gets its own metadata file; the keychain is shared, so entries are counted per vault. */
async function newVault(opts: Partial<VaultOptions> = {}): Promise<{ vault: Vault; path: string }> {
  const path = tempPath();
  const vault = new Vault({ metadataPath: path, keychain, kdfCost: LIGHT_KDF, ...opts });
  return { vault, path };
}

async function vaultEntries(k: Keychain = keychain) {
  return (await k.find(VAULT_SERVICE)).sort((a, b) => a.account.localeCompare(b.account));
}

/** A new secp256k1 SEC1 PEM made by OpenSSL (through Node). */
function freshSecp256k1Pem(): string {
  return generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ type: 'sec1', format: 'pem' }) as string;
}

async function clearVaultEntries() {
  for (const { account } of await keychain.find(VAULT_SERVICE)) await keychain.delete(VAULT_SERVICE, account);
}

describe('passphrase', () => {
  it('is set once, at first use, with a minimum length; the default Argon2id cost is strong', async () => {
    await clearVaultEntries();
    const path = tempPath();
    const vault = new Vault({ metadataPath: path, keychain }); // default cost
    expect(vault.status()).toEqual({ initialized: false, locked: true, activeId: null, autoLockMs: 10 * 60 * 1000 });
    expect((await deskError(vault.create(), 'not-found')).message).toMatch(/no passphrase yet/);
    expect((await deskError(vault.unlock(PASSPHRASE), 'not-found')).message).toMatch(/no passphrase yet/);
    expect((await deskError(vault.setup('too short'), 'invalid-input')).message).toMatch(/at least 10 characters/);
    expect((await deskError(vault.setup('          '), 'invalid-input')).message).toMatch(/only spaces/);
    expect(vault.status().initialized).toBe(false);
    expect(await vaultEntries()).toEqual([]);

    await vault.setup(PASSPHRASE);
    expect(vault.status()).toMatchObject({ initialized: true, locked: false });
    const meta = JSON.parse(readFileSync(path, 'utf8'));
    expect(meta.kdf).toMatchObject({ algorithm: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 1 });
    expect(DEFAULT_KDF_COST.memoryKiB).toBeGreaterThanOrEqual(65536);
    expect(meta.kdf.saltHex).toMatch(/^[0-9a-f]{32}$/);
    expect((await deskError(vault.setup('another passphrase'), 'conflict')).message).toMatch(/already has a passphrase/);

    vault.lock();
    await vault.unlock(PASSPHRASE);
    expect(vault.status().locked).toBe(false);
    const entries = await vaultEntries();
    expect(entries.map((e) => e.account)).toEqual([`verifier.${meta.kdf.generation}`]);
    await clearVaultEntries();
  });
});

describe('identities', () => {
  it('imports every format, seals each secret in the keychain and keeps only public parts on disk', async () => {
    await clearVaultEntries();
    const { vault, path } = await newVault();
    await vault.setup(PASSPHRASE);

    const created = await vault.create({ label: 'Main' });
    expect(created.seedPhrase.split(' ')).toHaveLength(24);
    expect(created.identity).toMatchObject({ label: 'Main', kind: 'seed', source: 'created' });
    expect(created.identity.principal).toBe(Secp256k1KeyIdentity.fromSeedPhrase(created.seedPhrase).getPrincipal().toText());

    const seed = await vault.importSeedPhrase({ seedPhrase: DEMO_SEED.toUpperCase(), label: 'Demo' });
    expect(seed).toMatchObject({ principal: DEMO_PRINCIPAL, kind: 'seed', source: 'seed' });

    const ed = await vault.importPem({ pem: fixture('ed25519.pem') });
    expect(ed).toMatchObject({ principal: expected.principals['ed25519.pem'], kind: 'pem', source: 'dfx-pem', label: 'Identity 3' });
    const k1 = await vault.importPem({ pem: fixture('secp256k1.pem'), label: 'openssl k1' });
    expect(k1.principal).toBe(expected.principals['secp256k1.pem']);

    const dfx = await vault.importDfxEncrypted({
      encryptedPem: fixtureBytes('dfx-encrypted/identity.pem.encrypted'),
      identityJson: fixture('dfx-encrypted/identity.json'),
      password: expected.passwords.dfx,
      label: 'dfx encrypted',
    });
    expect(dfx).toMatchObject({ principal: expected.principals['dfx-encrypted'], kind: 'pem', source: 'dfx-encrypted' });

    const quill = await vault.importQuillEncrypted({ pem: fixture('quill-encrypted.pem'), password: expected.passwords.quill, label: 'quill' });
    expect(quill).toMatchObject({ principal: expected.principals['quill-encrypted.pem'], kind: 'pem', source: 'quill-encrypted' });

    // dfx's keyring storage: service internet_computer_identities, account internet_computer_identity_<name>, hex of the PEM.
    const keyringPem = freshSecp256k1Pem();
    await keychain.set(DFX_KEYRING_SERVICE, `${DFX_KEYRING_PREFIX}ci-deployer`, Buffer.from(keyringPem).toString('hex'));
    await keychain.set(DFX_KEYRING_SERVICE, `${DFX_KEYRING_PREFIX}___temp___dummy`, 'dummy entry');
    expect(await vault.listDfxKeyring()).toEqual(['ci-deployer']);
    const fromKeyring = await vault.importDfxKeyring({ name: 'ci-deployer' });
    const keyringPub = secp256k1.getPublicKey(keyFromPem(keyringPem).secret, false);
    expect(fromKeyring).toMatchObject({ principal: principalOfPublicKey('secp256k1', keyringPub), kind: 'pem', source: 'dfx-keyring', label: 'dfx ci-deployer' });

    const watch = await vault.addWatchOnly({ principal: ` ${ALICE_PRINCIPAL} `, label: 'Alice (watch)' });
    expect(watch).toMatchObject({ principal: ALICE_PRINCIPAL, kind: 'watch-only', source: 'watch-only' });

    const all = vault.list();
    expect(all.map((i) => i.source)).toEqual(['created', 'seed', 'dfx-pem', 'dfx-pem', 'dfx-encrypted', 'quill-encrypted', 'dfx-keyring', 'watch-only']);
    expect(vault.status().activeId).toBe(created.identity.id); // the first one
    for (const s of all) {
      expect(Object.keys(s).sort()).toEqual(['createdAt', 'id', 'kind', 'label', 'principal', 'source']);
      expect(JSON.parse(JSON.stringify(s))).toEqual(s); // plain data
    }

    // The keychain: one sealed entry per key identity plus the verifier; nothing readable in them.
    const entries = await vaultEntries();
    expect(entries).toHaveLength(7 + 1);
    const secrets = [
      created.seedPhrase,
      DEMO_SEED,
      ...['ed25519.pem', 'secp256k1.pem'].map((n) => Buffer.from(keyFromPem(fixture(n)).secret).toString('hex')),
      Buffer.from(keyFromPem(keyringPem).secret).toString('hex'),
    ];
    for (const { account, password } of entries) {
      expect(account).toMatch(/^(verifier\.[0-9a-f]+|identity\.[0-9a-f-]{36}\.[0-9a-f]+)$/);
      expect(password).toMatch(/^nd1:[A-Za-z0-9+/]+=*$/);
      const decoded = Buffer.from(password.slice(4), 'base64').toString('latin1');
      for (const text of [password, decoded]) {
        expect(text).not.toMatch(/PRIVATE KEY/);
        for (const s of secrets) expect(text).not.toContain(s);
        for (const phrase of [created.seedPhrase, DEMO_SEED]) expect(text).not.toContain(phrase.split(' ').slice(0, 3).join(' '));
      }
    }

    // The metadata file: labels, principals, kinds; no secret, no password.
    const meta = readFileSync(path, 'utf8');
    expect(meta).toContain(DEMO_PRINCIPAL);
    expect(meta).toContain('quill');
    for (const s of [...secrets, expected.passwords.dfx, expected.passwords.quill, PASSPHRASE, 'PRIVATE KEY', 'seedPhrase', 'secretHex'])
      expect(meta).not.toContain(s);
    for (const phrase of [created.seedPhrase, DEMO_SEED]) for (const word of phrase.split(' ').filter((w) => w.length > 5)) expect(meta).not.toMatch(new RegExp(`\\b${word}\\b`));

    // Another process (a new Vault on the same file) sees the list while locked and the keys once unlocked.
    vault.lock();
    const again = new Vault({ metadataPath: path, keychain, kdfCost: LIGHT_KDF });
    expect(again.list()).toEqual(all);
    expect((await deskError(() => again.signer(), 'locked')).message).toMatch(/locked/);
    await again.unlock(PASSPHRASE);
    for (const s of all) {
      await again.setActive(s.id);
      const signer = again.signer();
      expect(signer.kind === 'key' ? signer.identity.getPrincipal().toText() : signer.principal.toText()).toBe(s.principal);
      expect(signer.kind).toBe(s.kind === 'watch-only' ? 'watch-only' : 'key');
    }
    again.lock();
    await keychain.delete(DFX_KEYRING_SERVICE, `${DFX_KEYRING_PREFIX}ci-deployer`);
    await keychain.delete(DFX_KEYRING_SERVICE, `${DFX_KEYRING_PREFIX}___temp___dummy`);
    await clearVaultEntries();
  });

  it('refuses wrong inputs of every kind and stores nothing', async () => {
    await clearVaultEntries();
    const { vault, path } = await newVault();
    await vault.setup(PASSPHRASE);
    const demo = await vault.importSeedPhrase({ seedPhrase: DEMO_SEED, label: 'Demo' });
    await keychain.set(DFX_KEYRING_SERVICE, `${DFX_KEYRING_PREFIX}not-hex`, 'zz-not-hex');
    await keychain.set(DFX_KEYRING_SERVICE, `${DFX_KEYRING_PREFIX}p256`, Buffer.from(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'sec1', format: 'pem' })).toString('hex'));

    const before = { list: vault.list(), file: readFileSync(path, 'utf8'), entries: await vaultEntries() };
    const k1 = fixture('secp256k1.pem');
    const json = fixture('dfx-encrypted/identity.json');
    const enc = fixtureBytes('dfx-encrypted/identity.pem.encrypted');
    const cases: [string, () => Promise<unknown>, string, RegExp][] = [
      ['seed: unknown word', () => vault.importSeedPhrase({ seedPhrase: DEMO_SEED.replace('cargo', 'cargos') }), 'invalid-input', /Word 2, "cargos"/],
      ['seed: checksum', () => vault.importSeedPhrase({ seedPhrase: DEMO_SEED.replace('team', 'tired') }), 'invalid-input', /checksum/],
      ['seed: word count', () => vault.importSeedPhrase({ seedPhrase: 'work cargo say' }), 'invalid-input', /12 or 24 words/],
      ['seed: already there', () => vault.importSeedPhrase({ seedPhrase: DEMO_SEED }), 'conflict', /already in the vault, as "Demo"/],
      ['seed: not text', () => vault.importSeedPhrase({ seedPhrase: 42 as unknown as string }), 'invalid-input', /must be text/],
      ['pem: truncated', () => vault.importPem({ pem: k1.slice(0, 150) }), 'invalid-input', /truncated/],
      ['pem: unknown curve', () => vault.importPem({ pem: generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string }), 'invalid-input', /P-384/],
      ['pem: label too long', () => vault.importPem({ pem: k1, label: 'x'.repeat(65) }), 'invalid-input', /at most 64/],
      ['pem: empty label', () => vault.importPem({ pem: k1, label: '   ' }), 'invalid-input', /empty/],
      ['dfx: wrong password', () => vault.importDfxEncrypted({ encryptedPem: enc, identityJson: json, password: 'nope' }), 'invalid-input', /password is wrong/],
      ['dfx: not encrypted', () => vault.importDfxEncrypted({ encryptedPem: enc, identityJson: '{"encryption":null}', password: 'x' }), 'invalid-input', /not password-protected/],
      ['quill: wrong password', () => vault.importQuillEncrypted({ pem: fixture('quill-encrypted.pem'), password: 'nope' }), 'invalid-input', /password is wrong/],
      ['quill: plain file', () => vault.importQuillEncrypted({ pem: k1, password: 'x' }), 'invalid-input', /not encrypted/],
      ['keyring: no such name', () => vault.importDfxKeyring({ name: 'nobody' }), 'not-found', /no dfx identity named "nobody"/],
      ['keyring: bad name', () => vault.importDfxKeyring({ name: '../x' }), 'invalid-input', /letters, digits/],
      ['keyring: not hex', () => vault.importDfxKeyring({ name: 'not-hex' }), 'invalid-input', /not a hex-encoded PEM/],
      ['keyring: unsupported curve', () => vault.importDfxKeyring({ name: 'p256' }), 'invalid-input', /P-256/],
      ['watch: bad checksum', () => vault.addWatchOnly({ principal: ALICE_PRINCIPAL.replace('sae', 'saf') }), 'invalid-input', /not a valid principal/],
      ['watch: anonymous', () => vault.addWatchOnly({ principal: '2vxsx-fae' }), 'invalid-input', /anonymous/],
      ['watch: own key', () => vault.addWatchOnly({ principal: DEMO_PRINCIPAL }), 'conflict', /already in the vault/],
      ['rename: unknown id', () => vault.rename('nope', 'x'), 'not-found', /no such identity/],
      ['rename: control characters', () => vault.rename(demo.id, 'a\u0007b'), 'invalid-input', /control characters/],
      ['active: unknown id', () => vault.setActive('nope'), 'not-found', /no such identity/],
    ];
    for (const [what, run, kind, message] of cases) {
      const e = await deskError(run(), kind as never).catch((x: Error) => x);
      expect(e.message, what).toMatch(message);
    }
    vault.lock();
    for (const run of [() => vault.create(), () => vault.importPem({ pem: k1 }), () => vault.addWatchOnly({ principal: ALICE_PRINCIPAL }), () => vault.rename(demo.id, 'x')])
      await deskError(run(), 'locked');

    expect(vault.list()).toEqual(before.list);
    expect(readFileSync(path, 'utf8')).toBe(before.file);
    expect(await vaultEntries()).toEqual(before.entries);
    for (const name of ['not-hex', 'p256']) await keychain.delete(DFX_KEYRING_SERVICE, `${DFX_KEYRING_PREFIX}${name}`);
    await clearVaultEntries();
  });

  it('renames and removes; removing the active one selects another; events tell who listens', async () => {
    await clearVaultEntries();
    const { vault } = await newVault();
    await vault.setup(PASSPHRASE);
    const events: VaultEvent[] = [];
    const off = vault.on((e) => events.push(e));
    vault.on(() => {
      throw new Error('a broken listener does not break the vault');
    });
    const a = await vault.importSeedPhrase({ seedPhrase: DEMO_SEED });
    const b = await vault.addWatchOnly({ principal: ALICE_PRINCIPAL });
    expect(events).toEqual([{ type: 'identities-changed' }, { type: 'active-changed', activeId: a.id }, { type: 'identities-changed' }]);

    expect(await vault.rename(a.id, '  Demo  ')).toMatchObject({ id: a.id, label: 'Demo' });
    await vault.setActive(b.id);
    expect(vault.status().activeId).toBe(b.id);
    expect((await vaultEntries()).filter((e) => e.account.startsWith('identity.'))).toHaveLength(1);

    await vault.remove(a.id);
    expect((await vaultEntries()).filter((e) => e.account.startsWith('identity.'))).toHaveLength(0);
    await vault.remove(b.id);
    expect(vault.list()).toEqual([]);
    expect(vault.status().activeId).toBe(null);
    expect((await deskError(() => vault.signer(), 'not-found')).message).toMatch(/No identity is selected/);
    expect(events.slice(3)).toEqual([
      { type: 'identities-changed' },
      { type: 'active-changed', activeId: b.id },
      { type: 'identities-changed' },
      { type: 'identities-changed' },
      { type: 'active-changed', activeId: null },
    ]);
    off();
    await vault.addWatchOnly({ principal: ALICE_PRINCIPAL });
    expect(events).toHaveLength(8);
    await clearVaultEntries();
  });
});

describe('export', () => {
  it('gives the seed phrase or the PEM only with the passphrase entered again', async () => {
    await clearVaultEntries();
    const { vault } = await newVault();
    await vault.setup(PASSPHRASE);
    const created = await vault.create();
    const pem = await vault.importPem({ pem: fixture('ed25519.pem') });
    const watch = await vault.addWatchOnly({ principal: ALICE_PRINCIPAL });

    expect((await deskError(vault.exportSecret(created.identity.id, 'wrong passphrase'), 'invalid-input')).message).toMatch(/passphrase is not correct/);
    expect((await deskError(vault.exportSecret(created.identity.id, ''), 'invalid-input')).message).toMatch(/Enter the passphrase/);
    expect(await vault.exportSecret(created.identity.id, PASSPHRASE)).toEqual({ kind: 'seed', seedPhrase: created.seedPhrase });

    const asPem = await vault.exportSecret(created.identity.id, PASSPHRASE, 'pem');
    expect(asPem.kind).toBe('pem');
    if (asPem.kind === 'pem') expect(Secp256k1KeyIdentity.fromPem(asPem.pem).getPrincipal().toText()).toBe(created.identity.principal);

    const edPem = await vault.exportSecret(pem.id, PASSPHRASE);
    expect(edPem.kind).toBe('pem');
    if (edPem.kind === 'pem') expect(keyFromPem(edPem.pem).secret).toEqual(keyFromPem(fixture('ed25519.pem')).secret);

    expect((await deskError(vault.exportSecret(watch.id, PASSPHRASE), 'watch-only')).message).toMatch(/no key to export/);
    await deskError(vault.exportSecret('nope', PASSPHRASE), 'not-found');
    vault.lock();
    await deskError(vault.exportSecret(created.identity.id, PASSPHRASE), 'locked');
    await clearVaultEntries();
  });
});

describe('lock', () => {
  it('locks on demand and after the idle time, restarted by activity; a wrong passphrase changes nothing', async () => {
    await clearVaultEntries();
    const timers = new ManualTimers();
    const { vault } = await newVault({ timers, autoLockMs: 60_000 });
    const events: VaultEvent[] = [];
    vault.on((e) => events.push(e));
    await vault.setup(PASSPHRASE);
    await vault.importSeedPhrase({ seedPhrase: DEMO_SEED });
    expect(vault.signer().kind).toBe('key');

    timers.advance(59_000);
    expect(vault.status().locked).toBe(false);
    vault.touch();
    timers.advance(59_000);
    expect(vault.status().locked).toBe(false);
    timers.advance(1_000);
    expect(vault.status().locked).toBe(true);
    expect(events.at(-1)).toEqual({ type: 'locked', reason: 'idle' });
    expect((await deskError(() => vault.signer(), 'locked')).message).toMatch(/unlock it first/);
    expect(timers.count).toBe(0);

    const seen = events.length;
    expect((await deskError(vault.unlock('not the passphrase'), 'invalid-input')).message).toMatch(/passphrase is not correct/);
    expect(vault.status().locked).toBe(true);
    expect(events).toHaveLength(seen);

    await vault.unlock(PASSPHRASE);
    expect(events.at(-1)).toEqual({ type: 'unlocked' });
    expect(vault.signer().kind).toBe('key');

    // Adding an identity is activity too.
    timers.advance(50_000);
    await vault.addWatchOnly({ principal: ALICE_PRINCIPAL });
    timers.advance(50_000);
    expect(vault.status().locked).toBe(false);

    vault.setAutoLock(null);
    timers.advance(24 * 3600 * 1000);
    expect(vault.status()).toMatchObject({ locked: false, autoLockMs: null });
    await deskError(() => vault.setAutoLock(10), 'invalid-input');
    vault.setAutoLock(5_000);
    timers.advance(5_000);
    expect(events.at(-1)).toEqual({ type: 'locked', reason: 'idle' });

    await vault.unlock(PASSPHRASE);
    vault.lock();
    expect(events.at(-1)).toEqual({ type: 'locked', reason: 'user' });
    vault.lock(); // already locked: no second event
    expect(events.filter((e) => e.type === 'locked')).toHaveLength(3);
    await clearVaultEntries();
  });
});

describe('change passphrase', () => {
  async function setupThree(k: Keychain) {
    const { vault, path } = await newVault({ keychain: k });
    await vault.setup(PASSPHRASE);
    const ids = [
      await vault.importSeedPhrase({ seedPhrase: DEMO_SEED }),
      await vault.importPem({ pem: fixture('ed25519.pem') }),
      await vault.addWatchOnly({ principal: ALICE_PRINCIPAL }),
    ];
    return { vault, path, ids };
  }

  /** Opens the vault afresh with `passphrase` and checks every identity still signs as itself. */
  async function opensWith(path: string, passphrase: string, ids: { id: string; principal: string }[]) {
    const fresh = new Vault({ metadataPath: path, keychain, kdfCost: LIGHT_KDF });
    await fresh.unlock(passphrase);
    for (const { id, principal } of ids) {
      await fresh.setActive(id);
      const s = fresh.signer();
      expect(s.kind === 'key' ? s.identity.getPrincipal().toText() : s.principal.toText()).toBe(principal);
    }
    fresh.lock();
  }

  const NEW = 'a brand new passphrase';

  it('re-seals everything under the new passphrase', async () => {
    await clearVaultEntries();
    const { vault, path, ids } = await setupThree(keychain);
    const before = await vaultEntries();
    await deskError(vault.changePassphrase('wrong passphrase', NEW), 'invalid-input');
    await deskError(vault.changePassphrase(PASSPHRASE, 'short'), 'invalid-input');
    await vault.changePassphrase(PASSPHRASE, NEW);
    expect(vault.signer().kind).toBe('key'); // still unlocked, with the new key
    const after = await vaultEntries();
    expect(after).toHaveLength(before.length);
    expect(after.map((e) => e.account)).not.toEqual(before.map((e) => e.account));
    await vault.importPem({ pem: fixture('secp256k1.pem') }); // sealed with the new key
    await opensWith(path, NEW, [...ids, { id: vault.list()[3].id, principal: expected.principals['secp256k1.pem'] }]);
    await deskError(new Vault({ metadataPath: path, keychain, kdfCost: LIGHT_KDF }).unlock(PASSPHRASE), 'invalid-input');
    await clearVaultEntries();
  });

  it('loses nothing when it fails halfway: at an entry, at the verifier, or at the metadata write', async () => {
    await clearVaultEntries();
    const flaky = new FlakyKeychain(keychain);
    const { vault, path, ids } = await setupThree(flaky);
    const before = { entries: await vaultEntries(), file: readFileSync(path, 'utf8') };

    let sets = 0;
    flaky.failWhen = (op) => op === 'set' && ++sets === 2; // the second identity's new entry
    expect((await deskError(vault.changePassphrase(PASSPHRASE, NEW), 'internal')).message).toMatch(/keychain/);
    flaky.failWhen = (op, _s, account) => op === 'set' && account.startsWith('verifier.');
    await deskError(vault.changePassphrase(PASSPHRASE, NEW), 'internal');
    flaky.failWhen = null;
    mkdirSync(`${path}.tmp`); // the atomic write's temporary file cannot be created
    expect((await deskError(vault.changePassphrase(PASSPHRASE, NEW), 'internal')).message).toMatch(/could not be saved/);
    rmdirSync(`${path}.tmp`);

    expect(await vaultEntries()).toEqual(before.entries); // the new generation's entries were taken back
    expect(readFileSync(path, 'utf8')).toBe(before.file);
    expect(vault.signer().kind).toBe('key'); // still unlocked with the old key
    await opensWith(path, PASSPHRASE, ids);
    await deskError(new Vault({ metadataPath: path, keychain, kdfCost: LIGHT_KDF }).unlock(NEW), 'invalid-input');

    // Cleanup of the old generation failing after the switch: the change stands, the litter is swept later.
    flaky.failWhen = (op) => op === 'delete';
    await vault.changePassphrase(PASSPHRASE, NEW);
    expect(await vaultEntries()).toHaveLength(before.entries.length * 2);
    flaky.failWhen = null;
    vault.lock();
    await vault.unlock(NEW);
    expect(await vaultEntries()).toHaveLength(before.entries.length);
    await opensWith(path, NEW, ids);
    expect(existsSync(`${path}.tmp`)).toBe(false);
    await clearVaultEntries();
  });
});

describe('sealing', () => {
  it('an entry moved to another identity, or altered, does not open; the others still do', async () => {
    await clearVaultEntries();
    const { vault, path } = await newVault();
    await vault.setup(PASSPHRASE);
    const a = await vault.importPem({ pem: fixture('ed25519.pem'), label: 'A' });
    const b = await vault.importPem({ pem: fixture('secp256k1.pem'), label: 'B' });
    const c = await vault.importSeedPhrase({ seedPhrase: DEMO_SEED, label: 'C' });
    vault.lock();
    const entries = await vaultEntries();
    const entryOf = (id: string) => entries.find((e) => e.account.startsWith(`identity.${id}.`))!;
    await keychain.set(VAULT_SERVICE, entryOf(b.id).account, entryOf(a.id).password); // B's account, A's sealed key
    const altered = entryOf(c.id).password.slice(0, -6) + (entryOf(c.id).password.endsWith('AAAA==') ? 'BBBB==' : 'AAAA==');
    await keychain.set(VAULT_SERVICE, entryOf(c.id).account, altered);

    const fresh = new Vault({ metadataPath: path, keychain, kdfCost: LIGHT_KDF });
    await fresh.unlock(PASSPHRASE);
    await fresh.setActive(a.id);
    expect((fresh.signer() as { identity: { getPrincipal(): { toText(): string } } }).identity.getPrincipal().toText()).toBe(a.principal);
    for (const broken of [b, c]) {
      await fresh.setActive(broken.id);
      expect((await deskError(() => fresh.signer(), 'not-found')).message).toMatch(new RegExp(`key of "${broken.label}" is missing .* or damaged`));
    }
    await clearVaultEntries();
  });
});

describe('signer', () => {
  it('signs as the active identity (signatures verify); a watch-only entry reads but cannot sign', async () => {
    await clearVaultEntries();
    const { vault } = await newVault();
    await vault.setup(PASSPHRASE);
    const k1 = await vault.importSeedPhrase({ seedPhrase: DEMO_SEED });
    const ed = await vault.importPem({ pem: fixture('ed25519.pem') });
    const watch = await vault.addWatchOnly({ principal: ALICE_PRINCIPAL });
    const message = new TextEncoder().encode('neuron desk signs this');

    const s1 = vault.signer();
    if (s1.kind !== 'key') throw new Error('expected a key');
    expect(s1.identity.getPrincipal().toText()).toBe(k1.principal);
    const k1Identity = vault.signingIdentity() as Secp256k1KeyIdentity;
    const sig1 = new Uint8Array(await k1Identity.sign(message));
    const pub1 = k1Identity.getPublicKey().rawKey;
    expect(principalOfPublicKey('secp256k1', pub1)).toBe(k1.principal);
    expect(secp256k1.verify(sig1, sha256(message), pub1)).toBe(true);
    expect(secp256k1.verify(sig1, sha256(new TextEncoder().encode('something else')), pub1)).toBe(false);

    await vault.setActive(ed.id);
    const edIdentity = vault.signingIdentity() as Secp256k1KeyIdentity;
    const sig2 = new Uint8Array(await edIdentity.sign(message));
    const pub2 = edIdentity.getPublicKey().rawKey;
    expect(principalOfPublicKey('ed25519', pub2)).toBe(ed.principal);
    expect(ed25519.verify(sig2, message, pub2)).toBe(true);

    await vault.setActive(watch.id);
    const s3 = vault.signer();
    expect(s3.kind).toBe('watch-only');
    if (s3.kind === 'watch-only') expect(s3.principal.toText()).toBe(ALICE_PRINCIPAL);
    expect((await deskError(() => vault.signingIdentity(), 'watch-only')).message).toMatch(/watch-only/);
    await clearVaultEntries();
  });
});
