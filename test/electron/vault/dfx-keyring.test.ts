// dfx's own keyring entries on Linux: items written as dfx writes them through keyring-rs (its
// attributes, label and content type, by CreateItem over D-Bus) in a private gnome-keyring, which
// keytar cannot see and the vault lists and imports over the Secret Service D-Bus API; next to a
// keytar-style entry. Bad values, locked keyrings, duplicates and a bus without a Secret Service.
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519';
import { secp256k1 } from '@noble/curves/secp256k1';
import type { DeskError } from '../../../electron/api/errors.ts';
import { keyringRsDfxKeyring } from '../../../electron/vault/dfx-keyring.ts';
import { keytarKeychain, type Keychain } from '../../../electron/vault/keychain.ts';
import { keyFromPem } from '../../../electron/vault/keys.ts';
import { busSocketPaths } from '../../../electron/vault/secret-service.ts';
import { DFX_KEYRING_PREFIX, DFX_KEYRING_SERVICE, VAULT_SERVICE, Vault, type VaultOptions } from '../../../electron/vault/vault.ts';
import { startSecretService, type SecretService } from '../support/secret-service.ts';
import { secretServiceWriter, type SecretServiceWriter } from './keyring-rs-items.ts';
import { FlakyKeychain, LIGHT_KDF, PASSPHRASE, deskError, expected, fixture, principalOfPublicKey, removeTempDirs, tempPath } from './helpers.ts';

let secretService: SecretService;
let keychain: Keychain;
let writer: SecretServiceWriter;
const written: string[] = [];

beforeAll(async () => {
  secretService = await startSecretService();
  keychain = keytarKeychain();
  writer = await secretServiceWriter(secretService.busAddress);
});
afterAll(async () => {
  writer?.close();
  await secretService?.stop();
  removeTempDirs();
});

const hexOf = (pem: string) => Buffer.from(pem, 'utf8').toString('hex');

async function write(item: Parameters<SecretServiceWriter['write']>[0]) {
  const path = await writer.write(item);
  written.push(path);
  return path;
}

async function clearWritten() {
  for (const path of written.splice(0)) await writer.deleteItem(path).catch(() => undefined);
}

async function newVault(opts: Partial<VaultOptions> = {}) {
  const path = tempPath();
  const vault = new Vault({ metadataPath: path, keychain, kdfCost: LIGHT_KDF, ...opts });
  await vault.setup(PASSPHRASE);
  return { vault, path };
}

async function vaultEntries() {
  return (await keychain.find(VAULT_SERVICE)).sort((a, b) => a.account.localeCompare(b.account));
}

function freshSecp256k1Pem(): string {
  return generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ type: 'sec1', format: 'pem' }) as string;
}

function secp256k1Principal(pem: string) {
  return principalOfPublicKey('secp256k1', secp256k1.getPublicKey(keyFromPem(pem).secret, false));
}

/** Neither the message nor the detail of an error carries any of `secrets`. */
function expectNoSecret(e: DeskError, secrets: string[]) {
  for (const text of [e.message, e.detail ?? '']) for (const s of secrets) expect(text).not.toContain(s);
}

describe('dfx identities that dfx itself stored (keyring-rs items)', () => {
  it('are invisible to keytar; the vault lists them with the keytar-style ones and imports each with the right principal', async () => {
    await write({ name: 'alice', secret: hexOf(fixture('secp256k1.pem')) });
    await write({ name: 'legacy', secret: hexOf(fixture('ed25519.pem')), keyringVersion: 1 });
    await write({ name: '___temp___dummy', secret: 'dummy entry' }); // dfx's keyring_available() probe
    await write({ name: 'elsewhere', secret: hexOf(freshSecp256k1Pem()), target: 'work' }); // not dfx's target
    const keytarPem = freshSecp256k1Pem();
    await keychain.set(DFX_KEYRING_SERVICE, `${DFX_KEYRING_PREFIX}from-keytar`, hexOf(keytarPem));

    // The problem this solves: libsecret looks for `account` (and xdg:schema), keyring-rs writes `username`.
    // (Never keytar's find on this service here: it crashes the process on these items, see dfx-keyring.ts.)
    expect(await keychain.get(DFX_KEYRING_SERVICE, `${DFX_KEYRING_PREFIX}alice`)).toBe(null);
    expect(await keychain.get(DFX_KEYRING_SERVICE, `${DFX_KEYRING_PREFIX}from-keytar`)).toBe(hexOf(keytarPem));

    // Listing goes through the Secret Service only: a keychain whose find fails for dfx's service changes nothing.
    const guarded = new FlakyKeychain(keychain);
    guarded.failWhen = (op, service) => op === 'find' && service === DFX_KEYRING_SERVICE;
    const { vault } = await newVault({ keychain: guarded });
    expect(await vault.listDfxKeyring()).toEqual(['alice', 'from-keytar', 'legacy']);

    const alice = await vault.importDfxKeyring({ name: 'alice' });
    expect(alice).toMatchObject({ principal: expected.principals['secp256k1.pem'], kind: 'pem', source: 'dfx-keyring', label: 'dfx alice' });
    const legacy = await vault.importDfxKeyring({ name: 'legacy', label: 'Old dfx' });
    expect(legacy).toMatchObject({ principal: expected.principals['ed25519.pem'], source: 'dfx-keyring', label: 'Old dfx' });
    expect(legacy.principal).toBe(principalOfPublicKey('ed25519', ed25519.getPublicKey(keyFromPem(fixture('ed25519.pem')).secret)));
    const fromKeytar = await vault.importDfxKeyring({ name: 'from-keytar' });
    expect(fromKeytar.principal).toBe(secp256k1Principal(keytarPem));
    await deskError(vault.importDfxKeyring({ name: 'elsewhere' }), 'not-found');

    // The imported key signs as that principal after a fresh unlock (it was sealed in the vault, not re-read from dfx's entry).
    vault.lock();
    await vault.unlock(PASSPHRASE);
    await vault.setActive(alice.id);
    expect(vault.signingIdentity().getPrincipal().toText()).toBe(expected.principals['secp256k1.pem']);

    // Without the Secret Service reader, keytar alone does not find dfx's own entry.
    const { vault: keytarOnly } = await newVault({ dfxKeyring: null });
    expect((await deskError(keytarOnly.importDfxKeyring({ name: 'alice' }), 'not-found')).message).toMatch(/no dfx identity named "alice"/);
    expect((await keytarOnly.importDfxKeyring({ name: 'from-keytar' })).principal).toBe(secp256k1Principal(keytarPem));

    await keychain.delete(DFX_KEYRING_SERVICE, `${DFX_KEYRING_PREFIX}from-keytar`);
    await clearWritten();
  });

  it('refuses a missing name, a value that is not hex or not a PEM, with a clear error; nothing is stored', async () => {
    const notPem = hexOf('this is not a key');
    const values = { 'not-hex': 'zz-not-hex', 'odd-hex': 'abc', binary: new Uint8Array([0xff, 0xfe, 0x00, 0x41]), 'not-pem': notPem };
    for (const [name, secret] of Object.entries(values)) await write({ name, secret });
    const { vault, path } = await newVault();
    await vault.importPem({ pem: fixture('ed25519.pem') });
    const before = { list: vault.list(), file: readFileSync(path, 'utf8'), entries: await vaultEntries() };

    const cases: [string, string, RegExp][] = [
      ['nobody', 'not-found', /no dfx identity named "nobody"/],
      ['not-hex', 'invalid-input', /"not-hex" is not a hex-encoded PEM/],
      ['odd-hex', 'invalid-input', /not a hex-encoded PEM/],
      ['binary', 'invalid-input', /not a hex-encoded PEM/],
      ['not-pem', 'invalid-input', /not a PEM key file/],
    ];
    for (const [name, kind, message] of cases) {
      const e = await deskError(vault.importDfxKeyring({ name }), kind as never);
      expect(e.message, name).toMatch(message);
      expectNoSecret(e, ['zz-not-hex', notPem, 'this is not a key']);
    }
    expect(vault.list()).toEqual(before.list);
    expect(readFileSync(path, 'utf8')).toBe(before.file);
    expect(await vaultEntries()).toEqual(before.entries);
    await clearWritten();
  });

  it('asks to unlock a locked keyring and stores nothing; once unlocked, imports', async () => {
    const collection = await writer.createCollection('dfx locked test', 'collection password');
    await write({ name: 'vaulted', secret: hexOf(fixture('secp256k1.pem')), collection });
    await writer.lock(collection);
    const { vault, path } = await newVault();
    const before = { file: readFileSync(path, 'utf8'), entries: await vaultEntries() };

    expect(await vault.listDfxKeyring()).toEqual(['vaulted']); // gnome-keyring shows a locked item's attributes
    const e = await deskError(vault.importDfxKeyring({ name: 'vaulted' }), 'rejected');
    expect(e.message).toBe(
      'The system keyring that holds the dfx identity "vaulted" is locked: unlock it (for example in Passwords and Keys, or by logging in again) and try again.',
    );
    expect(vault.list()).toEqual([]);
    expect(readFileSync(path, 'utf8')).toBe(before.file);
    expect(await vaultEntries()).toEqual(before.entries);

    await writer.unlock(collection, 'collection password');
    expect((await vault.importDfxKeyring({ name: 'vaulted' })).principal).toBe(expected.principals['secp256k1.pem']);
    await clearWritten();
    await writer.deleteCollection(collection);
  });

  it("reads keyring v3's entry before a v1 one, as dfx does, and refuses two v3 entries for one name", async () => {
    // Older dfx wrote the v1 entry; dfx on keyring v3 then finds no item with its target and adds its own.
    await write({ name: 'both', secret: hexOf(fixture('secp256k1.pem')), keyringVersion: 1 });
    const current = freshSecp256k1Pem();
    await write({ name: 'both', secret: hexOf(current) });
    const { vault } = await newVault();
    expect(await vault.listDfxKeyring()).toEqual(['both']);
    expect((await vault.importDfxKeyring({ name: 'both' })).principal).toBe(secp256k1Principal(current));

    // The same attributes in another collection: keyring-rs reports Ambiguous, and so does the vault.
    const other = await writer.createCollection('dfx second test', 'second password');
    await write({ name: 'twice', secret: hexOf(fixture('secp256k1.pem')) });
    await write({ name: 'twice', secret: hexOf(fixture('ed25519.pem')), collection: other });
    const e = await deskError(vault.importDfxKeyring({ name: 'twice' }), 'conflict');
    expect(e.message).toMatch(/has 2 entries for the dfx identity "twice"/);
    expect(vault.list()).toHaveLength(1);
    await clearWritten();
    await writer.deleteCollection(other);
  });
});

describe('the Secret Service connection', () => {
  it('reports a bus that cannot be reached, or has no Secret Service, in one clear sentence', async () => {
    const unreachable = await deskError(keyringRsDfxKeyring({ address: 'unix:path=/nonexistent/desk-bus', runtimeDir: null }).names(), 'internal');
    expect(unreachable.message).toBe('The system keyring could not be searched for dfx identities. Is a Secret Service (GNOME Keyring, KWallet) running?');
    expect(unreachable.detail).toMatch(/could not be reached.*ENOENT/);
    const unset = await deskError(keyringRsDfxKeyring({ address: '', runtimeDir: null }).read('alice'), 'internal');
    expect(unset.message).toMatch(/could not be read\. Is a Secret Service/);
    expect(unset.detail).toMatch(/DBUS_SESSION_BUS_ADDRESS is not set/);

    const bare = await startBareBus();
    try {
      const e = await deskError(keyringRsDfxKeyring({ address: bare.address, runtimeDir: null }).read('alice'), 'internal');
      expect(e.message).toMatch(/could not be read\. Is a Secret Service/);
      expect(e.detail).toMatch(/org\.freedesktop\.DBus\.Error\.ServiceUnknown/);
    } finally {
      await bare.stop();
    }
  });

  it('finds the bus socket from the address, then in the runtime directory', () => {
    expect(busSocketPaths('unix:path=/run/user/1000/bus', '/run/user/1000')).toEqual(['/run/user/1000/bus']);
    expect(busSocketPaths('unix:path=/tmp/dbus%2dx,guid=0123;unix:abstract=/tmp/dbus-y,guid=4567', undefined)).toEqual(['/tmp/dbus-x', '\0/tmp/dbus-y']);
    expect(busSocketPaths('tcp:host=localhost,port=1234;unix:path=/a', '/run/u')).toEqual(['/a', '/run/u/bus']);
    expect(busSocketPaths(undefined, '/run/u')).toEqual(['/run/u/bus']);
    expect(busSocketPaths(undefined, undefined)).toEqual([]);
  });
});

/** A private D-Bus session bus with nothing on it (no service files, so nothing can be activated). */
async function startBareBus(): Promise<{ address: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'desk-bare-bus-'));
  const config = join(dir, 'bus.conf');
  writeFileSync(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:dir=${dir}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>`,
  );
  const child: ChildProcess = spawn('dbus-daemon', [`--config-file=${config}`, '--print-address=1', '--nofork', '--nopidfile'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`dbus-daemon exited (${code})`)));
  });
  return {
    address,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
