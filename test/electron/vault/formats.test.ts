// The key formats users bring, read without the keychain: seed phrases (checked against a derivation
// done here with bip32 + noble, and against the README's demo identities), plain PEMs, quill's and
// OpenSSL's encrypted PKCS#8, dfx's encrypted PEM. Fixtures come from make-fixtures.py (openssl and
// Python's cryptography); expected principals were computed there.
import { createPrivateKey, generateKeyPairSync, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HDKey } from '@scure/bip32';
import { generateMnemonic, mnemonicToSeedSync, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { secp256k1 } from '@noble/curves/secp256k1';
import { ed25519 } from '@noble/curves/ed25519';
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1';
import { TAG, encode, encodeOid } from '../../../electron/vault/der.ts';
import { decryptDfxPem } from '../../../electron/vault/dfx-encrypted.ts';
import { identityFromKey, keyFromPem, keyToPem, type KeyMaterial } from '../../../electron/vault/keys.ts';
import { keyFromEncryptedPkcs8Pem } from '../../../electron/vault/pkcs8-encrypted.ts';
import { checkSeedPhrase, keyFromSeedPhrase, newSeedPhrase } from '../../../electron/vault/seed.ts';
import { deskError, expected, fixture, fixtureBytes, principalOfPublicKey } from './helpers.ts';

const principalOf = (k: KeyMaterial) => identityFromKey(k).getPrincipal().toText();

/** m/44'/223'/0'/0/0 with bip32 and noble, then the self-authenticating rule: no @icp-sdk identity involved. */
function independentSeedPrincipal(phrase: string): string {
  const node = HDKey.fromMasterSeed(mnemonicToSeedSync(phrase)).derive("m/44'/223'/0'/0/0");
  return principalOfPublicKey('secp256k1', secp256k1.getPublicKey(node.privateKey!, false));
}

/** The demo identities as the README documents them (name | seed phrase | principal | ICP). */
function readmeDemoIdentities(): { name: string; seedPhrase: string; principal: string }[] {
  const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| (\w+) \| `([a-z ]+)` \| `([a-z0-9-]+)` \|/gm)];
  return rows.map(([, name, seedPhrase, principal]) => ({ name, seedPhrase, principal }));
}

describe('seed phrases', () => {
  it('derive the dfx/quill/Plug key: checked against an independent derivation', () => {
    const phrases = [newSeedPhrase(), generateMnemonic(wordlist, 128)];
    expect(phrases[0].split(' ')).toHaveLength(24);
    expect(validateMnemonic(phrases[0], wordlist)).toBe(true);
    expect(phrases[1].split(' ')).toHaveLength(12);
    for (const phrase of phrases) expect(principalOf(keyFromSeedPhrase(checkSeedPhrase(phrase)))).toBe(independentSeedPrincipal(phrase));
    expect(newSeedPhrase()).not.toBe(phrases[0]);
  });

  it("give the README's demo principals", () => {
    const demo = readmeDemoIdentities();
    expect(demo.map((d) => d.name)).toEqual(['demo', 'alice', 'bob', 'carol']);
    for (const { seedPhrase, principal } of demo) {
      expect(principalOf(keyFromSeedPhrase(checkSeedPhrase(seedPhrase)))).toBe(principal);
      expect(independentSeedPrincipal(seedPhrase)).toBe(principal);
    }
  });

  it('accept any case and spacing, and say exactly what is wrong otherwise', async () => {
    const phrase = readmeDemoIdentities()[0].seedPhrase;
    const words = phrase.split(' ');
    expect(checkSeedPhrase(`  ${words.join('   ').toUpperCase()}\n`)).toBe(phrase);

    expect((await deskError(() => checkSeedPhrase(''), 'invalid-input')).message).toMatch(/empty/);
    expect((await deskError(() => checkSeedPhrase(words.slice(0, 23).join(' ')), 'invalid-input')).message).toMatch(/12 or 24 words; this one has 23/);
    expect((await deskError(() => checkSeedPhrase(words.slice(0, 13).join(' ')), 'invalid-input')).message).toMatch(/this one has 13/);

    const typo = [...words];
    typo[4] = 'apartment'; // word 5 is "apart"
    const e = await deskError(() => checkSeedPhrase(typo.join(' ')), 'invalid-input');
    expect(e.message).toMatch(/Word 5, "apartment", is not in the English BIP39 word list/);
    expect(e.message).toMatch(/did you mean "apart"/);
    typo[9] = 'xyzzy';
    expect((await deskError(() => checkSeedPhrase(typo.join(' ')), 'invalid-input')).message).toMatch(/Word 5.*2 words are not in the list/);

    // A valid word in the wrong place breaks the checksum.
    const wrong = wordlist.map((w) => [...words.slice(0, 23), w].join(' ')).find((p) => !validateMnemonic(p, wordlist))!;
    expect((await deskError(() => checkSeedPhrase(wrong), 'invalid-input')).message).toMatch(/checksum/);
  });
});

describe('plain PEMs', () => {
  it('reads Ed25519 PKCS#8 and secp256k1 SEC1 (with or without EC PARAMETERS), as openssl writes them', () => {
    expect(principalOf(keyFromPem(fixture('ed25519.pem')))).toBe(expected.principals['ed25519.pem']);
    const k1 = fixture('secp256k1.pem');
    expect(k1).toMatch(/BEGIN EC PARAMETERS[\s\S]*BEGIN EC PRIVATE KEY/);
    expect(principalOf(keyFromPem(k1))).toBe(expected.principals['secp256k1.pem']);
    const withoutParams = k1.slice(k1.indexOf('-----BEGIN EC PRIVATE KEY'));
    expect(principalOf(keyFromPem(withoutParams))).toBe(expected.principals['secp256k1.pem']);
    // The same secp256k1 key as PKCS#8, and with Windows line ends.
    const pkcs8 = createPrivateKey(k1).export({ type: 'pkcs8', format: 'pem' }) as string;
    expect(principalOf(keyFromPem(pkcs8.replace(/\n/g, '\r\n')))).toBe(expected.principals['secp256k1.pem']);
  });

  it('reads a v2 PKCS#8 Ed25519 key with its public key (as ring and old dfx write it), and checks that key', async () => {
    const seed = ed25519.utils.randomPrivateKey();
    const pub = ed25519.getPublicKey(seed);
    const v2 = (publicKey: Uint8Array) =>
      `-----BEGIN PRIVATE KEY-----\n${Buffer.concat([
        Buffer.from('3053020101300506032b657004220420', 'hex'),
        seed,
        Buffer.from('a123032100', 'hex'),
        publicKey,
      ]).toString('base64')}\n-----END PRIVATE KEY-----\n`;
    expect(principalOf(keyFromPem(v2(pub)))).toBe(principalOfPublicKey('ed25519', pub));
    const other = ed25519.getPublicKey(ed25519.utils.randomPrivateKey());
    expect((await deskError(() => keyFromPem(v2(other)), 'invalid-input')).message).toMatch(/public key does not match/);
  });

  it('exports the PEM dfx writes, which dfx-compatible readers take back', () => {
    for (const name of ['ed25519.pem', 'secp256k1.pem']) {
      const key = keyFromPem(fixture(name));
      const pem = keyToPem(key);
      expect(principalOf(keyFromPem(pem))).toBe(expected.principals[name]);
      // Node/OpenSSL reads it and finds the same public key.
      const spki = createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'der' });
      const curve = key.curve;
      expect(principalOfPublicKey(curve, spki.subarray(spki.length - (curve === 'ed25519' ? 32 : 65)))).toBe(expected.principals[name]);
      if (curve === 'secp256k1') {
        expect(pem).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
        expect(Secp256k1KeyIdentity.fromPem(pem).getPrincipal().toText()).toBe(expected.principals[name]);
      } else expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    }
  });

  it('refuses what is not an IC key, naming the problem', async () => {
    const k1 = fixture('secp256k1.pem');
    const sec1 = k1.slice(k1.indexOf('-----BEGIN EC PRIVATE KEY'));
    const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const cases: [string, string, RegExp][] = [
      ['empty', '  \n', /empty/],
      ['not a PEM', 'hello world', /not a PEM key file/],
      ['truncated', k1.slice(0, k1.length - 40), /truncated/],
      ['bad base64', sec1.replace(/\n(.)/, '\n*$1'), /not valid base64/],
      ['garbage inside', '-----BEGIN EC PRIVATE KEY-----\nAAECAwQF\n-----END EC PRIVATE KEY-----\n', /damaged/],
      ['mismatched END', sec1.replace('END EC PRIVATE KEY', 'END PRIVATE KEY'), /damaged/],
      ['P-256 SEC1', p256.export({ type: 'sec1', format: 'pem' }) as string, /P-256/],
      ['P-256 PKCS#8', p256.export({ type: 'pkcs8', format: 'pem' }) as string, /P-256/],
      ['RSA PKCS#8', rsa.export({ type: 'pkcs8', format: 'pem' }) as string, /RSA/],
      ['RSA PKCS#1', rsa.export({ type: 'pkcs1', format: 'pem' }) as string, /RSA/],
      ['EC PARAMETERS of another curve', '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n' + sec1, /P-256/],
      ['encrypted', fixture('quill-encrypted.pem'), /encrypted with a password/],
      ['public key only', createPublicKey(k1).export({ type: 'spki', format: 'pem' }) as string, /no private key/],
      ['two keys', fixture('ed25519.pem') + sec1, /more than one/],
      ['zero secret', keyToPemUnchecked(new Uint8Array(32)), /not a valid key/],
    ];
    for (const [what, text, message] of cases) expect((await deskError(() => keyFromPem(text), 'invalid-input').catch((e) => e)).message, what).toMatch(message);
  });
});

/** A SEC1 secp256k1 PEM with any 32 bytes as the secret (keyToPem would refuse an invalid one). */
function keyToPemUnchecked(secret: Uint8Array): string {
  const der = Buffer.concat([Buffer.from('302e0201010420', 'hex'), secret, Buffer.from('a00706052b8104000a', 'hex')]);
  return `-----BEGIN EC PRIVATE KEY-----\n${der.toString('base64')}\n-----END EC PRIVATE KEY-----\n`;
}

describe('encrypted PKCS#8 (quill)', () => {
  it("decrypts quill's format (EC PARAMETERS + PBES2 scrypt log_n=17 r=8 p=1, AES-256-CBC)", async () => {
    const pem = fixture('quill-encrypted.pem');
    expect(pem).toMatch(/^-----BEGIN EC PARAMETERS-----[\s\S]*BEGIN ENCRYPTED PRIVATE KEY/);
    // OpenSSL (hence Node's createPrivateKey) cannot: scrypt at these parameters needs 128 MiB.
    expect(() => createPrivateKey({ key: pem.slice(pem.indexOf('-----BEGIN ENCRYPTED')), passphrase: expected.passwords.quill })).toThrow();
    expect(principalOf(await keyFromEncryptedPkcs8Pem(pem, expected.passwords.quill))).toBe(expected.principals['quill-encrypted.pem']);
  });

  it("decrypts OpenSSL's PBES2 with scrypt and with PBKDF2", async () => {
    for (const name of ['openssl-scrypt-ed25519.pem', 'openssl-pbkdf2-secp256k1.pem'])
      expect(principalOf(await keyFromEncryptedPkcs8Pem(fixture(name), expected.passwords.openssl))).toBe(expected.principals[name]);
  });

  it('refuses a wrong password, a damaged file, hostile parameters and plain keys', async () => {
    const pem = fixture('openssl-scrypt-ed25519.pem');
    expect((await deskError(keyFromEncryptedPkcs8Pem(pem, 'not the password'), 'invalid-input')).message).toMatch(/password is wrong/);
    expect((await deskError(keyFromEncryptedPkcs8Pem(pem, ''), 'invalid-input')).message).toMatch(/password/);

    const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64');
    const reencode = (d: Buffer) => `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${d.toString('base64')}\n-----END ENCRYPTED PRIVATE KEY-----\n`;
    const flipped = Buffer.from(der);
    flipped[flipped.length - 20] ^= 0x55;
    expect((await deskError(keyFromEncryptedPkcs8Pem(reencode(flipped), expected.passwords.openssl), 'invalid-input')).message).toMatch(/wrong|damaged/);
    expect((await deskError(keyFromEncryptedPkcs8Pem(reencode(der.subarray(0, der.length - 10)), expected.passwords.openssl), 'invalid-input')).message).toMatch(/damaged/);

    // scrypt with N = 2^24 (2 GiB of memory): refused before any work.
    const int = (n: number) => encode(TAG.integer, Uint8Array.from(Buffer.from(n.toString(16).padStart(8, '0'), 'hex')));
    const hostile = encode(
      TAG.sequence,
      encode(
        TAG.sequence,
        encodeOid('1.2.840.113549.1.5.13'),
        encode(
          TAG.sequence,
          encode(TAG.sequence, encodeOid('1.3.6.1.4.1.11591.4.11'), encode(TAG.sequence, encode(TAG.octetString, new Uint8Array(16)), int(2 ** 24), int(8), int(1))),
          encode(TAG.sequence, encodeOid('2.16.840.1.101.3.4.1.42'), encode(TAG.octetString, new Uint8Array(16))),
        ),
      ),
      encode(TAG.octetString, new Uint8Array(64)),
    );
    expect((await deskError(keyFromEncryptedPkcs8Pem(reencode(Buffer.from(hostile)), 'x'), 'invalid-input')).message).toMatch(/scrypt parameters/);

    expect((await deskError(keyFromEncryptedPkcs8Pem(fixture('ed25519.pem'), 'x'), 'invalid-input')).message).toMatch(/not encrypted/);
  });
});

describe('dfx encrypted PEM', () => {
  const encrypted = fixtureBytes('dfx-encrypted/identity.pem.encrypted');
  const json = fixture('dfx-encrypted/identity.json');

  it("decrypts dfx's identity.pem.encrypted with its identity.json (Argon2id -> AES-256-GCM)", async () => {
    const pem = await decryptDfxPem(encrypted, json, expected.passwords.dfx);
    expect(pem).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
    expect(principalOf(keyFromPem(pem))).toBe(expected.principals['dfx-encrypted']);
  });

  it('refuses a wrong password, a mismatched identity.json and damaged files', async () => {
    expect((await deskError(decryptDfxPem(encrypted, json, 'wrong password'), 'invalid-input')).message).toMatch(/password is wrong/);
    const parsed = JSON.parse(json);
    parsed.encryption.file_nonce[0] ^= 1;
    expect((await deskError(decryptDfxPem(encrypted, JSON.stringify(parsed), expected.passwords.dfx), 'invalid-input')).message).toMatch(/does not belong/);
    expect((await deskError(decryptDfxPem(encrypted.subarray(0, 12), json, expected.passwords.dfx), 'invalid-input')).message).toMatch(/truncated/);
    const cases: [string, RegExp][] = [
      ['{', /not valid JSON/],
      ['{"hsm":null,"encryption":null,"keyring_identity_suffix":"default"}', /not password-protected/],
      ['{"encryption":{"pw_salt":"zz!","file_nonce":[1,2,3,4,5,6,7,8,9,10,11,12]}}', /pw_salt/],
      [`{"encryption":{"pw_salt":"${parsed.encryption.pw_salt}","file_nonce":[1,2,3]}}`, /12 bytes/],
    ];
    for (const [text, message] of cases) expect((await deskError(decryptDfxPem(encrypted, text, expected.passwords.dfx), 'invalid-input')).message).toMatch(message);
  });
});
