// Bringing keys in and out, in Chromium against the real core: the first screen offers the network
// and every import (a plain PEM file, an encrypted dfx identity with its identity.json, a quill
// encrypted PEM, dfx's keyring entries as dfx itself writes them); Settings adds more, exports a
// seed phrase or a PEM only after the passphrase is entered again, removes after a warning, and
// changes the passphrase (the old one then stops unlocking).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_IDENTITIES } from '../../subnet/genesis/demo.ts';
import { secretServiceWriter, type SecretServiceWriter } from '../electron/vault/keyring-rs-items.ts';
import { a11yViolations, E2E_PASSPHRASE, startE2E, type E2E } from './support.ts';

const FIXTURES = join(import.meta.dirname, '../electron/vault/fixtures');
const fixture = (name: string) => join(FIXTURES, name);
const expected = JSON.parse(readFileSync(fixture('expected.json'), 'utf8')) as {
  passwords: { quill: string; dfx: string };
  principals: Record<string, string>;
};
const carol = DEMO_IDENTITIES.find((d) => d.name === 'carol')!;
const NEW_PASSPHRASE = 'another long passphrase, changed';

let e: E2E;
let writer: SecretServiceWriter | undefined;
beforeAll(async () => {
  e = await startE2E();
}, 120_000);
afterAll(async () => {
  writer?.close();
  await e?.stop();
});

const principals = () => e.core.vault.list().map((i) => i.principal);
const status = () => e.page.getByRole('status').textContent();
const alert = () => e.page.getByRole('alert').textContent();

async function openAdd(method: string) {
  const { page } = e;
  await page.getByRole('button', { name: 'Add an identity' }).click();
  await page.getByRole('button', { name: method }).click();
}

it('offers every way in on the first screen, and the network', async () => {
  const { page } = e;
  await page.getByLabel('Passphrase', { exact: true }).fill(E2E_PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(E2E_PASSPHRASE);
  await page.getByRole('button', { name: 'Set the passphrase' }).click();
  await page.getByRole('heading', { name: 'Add your first identity' }).waitFor();
  await page.getByText('Network: Local test subnet').click();
  await page.getByLabel('The Internet Computer (mainnet)').check();
  await e.screenshot('add-identity-network');
  await page.getByRole('button', { name: 'Use this network' }).click();
  await expect.poll(() => e.core.desk.status().network.kind).toBe('mainnet');
  // The demo identity is play money: not offered on mainnet.
  await expect.poll(() => page.getByRole('button', { name: 'Use the demo identity' }).count()).toBe(0);
  await page.getByLabel('The local test subnet (play money)').check();
  await page.getByRole('button', { name: 'Use this network' }).click();
  await expect.poll(() => e.core.desk.status().network.kind).toBe('local');
  await page.getByRole('button', { name: 'Use the demo identity' }).waitFor();

  for (const [button, heading, shot] of [
    ['Import an encrypted dfx identity', 'Import an encrypted dfx identity', 'import-dfx-encrypted-form'],
    ['Import an encrypted quill PEM', 'Import an encrypted quill PEM', 'import-quill-form'],
  ] as const) {
    await page.getByRole('button', { name: button }).click();
    await page.getByRole('heading', { name: heading }).waitFor();
    await e.screenshot(shot);
    await page.getByRole('button', { name: 'Back' }).click();
  }
  expect(await a11yViolations(e)).toEqual([]);
});

it('imports a plain PEM file chosen with the file picker (an empty file is refused)', async () => {
  const { page } = e;
  await page.getByRole('button', { name: 'Import a PEM file' }).click();
  await page.getByLabel('PEM file').setInputFiles({ name: 'empty.pem', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
  await expect.poll(alert).toBe('The file empty.pem is empty.');
  await page.getByLabel('PEM file').setInputFiles(fixture('secp256k1.pem'));
  await page.getByText('Read from secp256k1.pem.').waitFor();
  await expect.poll(() => page.getByRole('alert').count()).toBe(0);
  await page.getByLabel('Name (optional)').fill('dfx default');
  await e.screenshot('import-pem');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByTestId('total').waitFor({ timeout: 60_000 });
  expect(e.core.vault.list()).toMatchObject([{ label: 'dfx default', source: 'dfx-pem', principal: expected.principals['secp256k1.pem'] }]);
  expect(e.core.vault.status().activeId).toBe(e.core.vault.list()[0].id);
  expect(await a11yViolations(e)).toEqual([]);
});

it('imports an encrypted dfx identity with its identity.json: a wrong password is refused, the right one works', async () => {
  const { page } = e;
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Settings' }).waitFor();
  await openAdd('Import an encrypted dfx identity');
  await page.getByLabel('identity.pem.encrypted').setInputFiles(fixture('dfx-encrypted/identity.pem.encrypted'));
  await page.getByLabel('identity.json', { exact: true }).setInputFiles(fixture('dfx-encrypted/identity.json'));
  await page.getByLabel('dfx password').fill('not the password');
  await page.getByLabel('Name (optional)').fill('dfx encrypted');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.poll(alert, { timeout: 30_000 }).toMatch(/^The password is wrong/);
  await e.screenshot('import-dfx-encrypted');
  expect(await a11yViolations(e)).toEqual([]);
  await page.getByLabel('dfx password').fill(expected.passwords.dfx);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.poll(status, { timeout: 30_000 }).toBe('dfx encrypted was added.');
  expect(principals()).toContain(expected.principals['dfx-encrypted']);
  expect(e.core.vault.list().find((i) => i.label === 'dfx encrypted')?.source).toBe('dfx-encrypted');
});

it('imports an encrypted quill PEM with its password', async () => {
  const { page } = e;
  await openAdd('Import an encrypted quill PEM');
  await page.getByLabel('Encrypted PEM file').setInputFiles(fixture('quill-encrypted.pem'));
  await page.getByLabel('Password of the PEM file').fill(expected.passwords.quill);
  await page.getByLabel('Name (optional)').fill('quill');
  await e.screenshot('import-quill');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.poll(status, { timeout: 30_000 }).toBe('quill was added.');
  expect(principals()).toContain(expected.principals['quill-encrypted.pem']);
  expect(await a11yViolations(e)).toEqual([]);
});

it("lists dfx's keyring entries: none at first, then the one dfx wrote, which imports", async () => {
  const { page } = e;
  await openAdd('Import from the dfx keyring');
  await page.getByText('The system keyring holds no dfx identity.').waitFor();
  await expect.poll(() => page.getByRole('button', { name: 'Import', exact: true }).count()).toBe(0);
  await e.screenshot('import-dfx-keyring-empty');
  // An item as dfx writes it through the Rust keyring crate, in the e2e's private Secret Service.
  writer = await secretServiceWriter(process.env.DBUS_SESSION_BUS_ADDRESS!);
  await writer.write({ name: 'alice', secret: Buffer.from(readFileSync(fixture('ed25519.pem'), 'utf8'), 'utf8').toString('hex') });
  await page.getByRole('button', { name: 'Look again' }).click();
  await page.getByLabel('alice').waitFor();
  expect(await page.getByLabel('alice').isChecked()).toBe(true);
  await e.screenshot('import-dfx-keyring');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.poll(status, { timeout: 30_000 }).toBe('dfx alice was added.');
  expect(e.core.vault.list().find((i) => i.label === 'dfx alice')).toMatchObject({ source: 'dfx-keyring', principal: expected.principals['ed25519.pem'] });
  expect(await a11yViolations(e)).toEqual([]);
});

it('exports a seed phrase or a PEM only with the passphrase entered again, and hides it', async () => {
  const { page } = e;
  await openAdd('Import a seed phrase');
  await page.getByLabel('Seed phrase (12 or 24 words)').fill(carol.seedPhrase);
  await page.getByLabel('Name (optional)').fill('carol');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.poll(status).toBe('carol was added.');

  await page.getByRole('row', { name: /carol/ }).getByRole('button', { name: 'Export' }).click();
  const panel = page.getByRole('region', { name: 'Export the key of carol' });
  await panel.getByLabel('Passphrase').fill('not the passphrase');
  await panel.getByRole('button', { name: 'Show the key' }).click();
  await expect.poll(() => panel.getByRole('alert').textContent()).toBe('The passphrase is not correct.');
  await panel.getByLabel('Passphrase').fill(E2E_PASSPHRASE);
  await panel.getByRole('button', { name: 'Show the key' }).click();
  await expect.poll(() => panel.getByLabel('Seed phrase').inputValue()).toBe(carol.seedPhrase);
  await e.screenshot('export-seed');
  expect(await a11yViolations(e)).toEqual([]);
  await panel.getByRole('button', { name: 'Hide' }).click();
  await expect.poll(() => page.getByText(carol.seedPhrase).count()).toBe(0);
  await expect.poll(() => panel.count()).toBe(0);

  // A key file identity comes out as a PEM that reads back to the same principal.
  await page.getByRole('row', { name: /dfx default/ }).getByRole('button', { name: 'Export' }).click();
  const pemPanel = page.getByRole('region', { name: 'Export the key of dfx default' });
  await pemPanel.getByLabel('Passphrase').fill(E2E_PASSPHRASE);
  await pemPanel.getByRole('button', { name: 'Show the key' }).click();
  const pem = await pemPanel.getByLabel('PEM key').inputValue();
  expect(pem).toMatch(/^-----BEGIN [A-Z ]*PRIVATE KEY-----/);
  const { keyFromPem, identityFromKey } = await import('../../electron/vault/keys.ts');
  expect(identityFromKey(keyFromPem(pem)).getPrincipal().toText()).toBe(expected.principals['secp256k1.pem']);
  await e.screenshot('export-pem');
  // Leaving the screen forgets it.
  await page.getByRole('link', { name: 'Accounts' }).click();
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Settings' }).waitFor();
  expect(await page.getByText('BEGIN').count()).toBe(0);
});

it('removes an identity only after a warning that its key is gone unless backed up', async () => {
  const { page } = e;
  await page.getByRole('row', { name: /dfx alice/ }).getByRole('button', { name: 'Remove' }).click();
  const confirm = page.getByRole('group', { name: 'Remove dfx alice?' });
  await confirm.getByText(/gone for good/).waitFor();
  await e.screenshot('remove-identity');
  expect(await a11yViolations(e)).toEqual([]);
  await confirm.getByRole('button', { name: 'Keep it' }).click();
  expect(e.core.vault.list().map((i) => i.label)).toContain('dfx alice');
  await page.getByRole('row', { name: /dfx alice/ }).getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('button', { name: 'Remove dfx alice' }).click();
  await expect.poll(status).toBe('dfx alice was removed.');
  expect(e.core.vault.list().map((i) => i.label)).not.toContain('dfx alice');
});

it('changes the passphrase (a wrong current one and two different new ones are refused); then only the new one unlocks', async () => {
  const { page } = e;
  const section = page.getByRole('region', { name: 'Passphrase' });
  const fill = async (current: string, next: string, again: string) => {
    await section.getByLabel('Current passphrase').fill(current);
    await section.getByLabel('New passphrase', { exact: true }).fill(next);
    await section.getByLabel('New passphrase again').fill(again);
    await section.getByRole('button', { name: 'Change the passphrase' }).click();
  };
  await fill(E2E_PASSPHRASE, NEW_PASSPHRASE, NEW_PASSPHRASE + '!');
  await expect.poll(() => section.getByRole('alert').textContent()).toBe('The two new passphrases differ.');
  await fill('not the passphrase', NEW_PASSPHRASE, NEW_PASSPHRASE);
  await expect.poll(() => section.getByRole('alert').textContent()).toBe('The passphrase is not correct.');
  await e.screenshot('change-passphrase-error');
  await fill(E2E_PASSPHRASE, NEW_PASSPHRASE, NEW_PASSPHRASE);
  await section.getByText('The passphrase was changed.', { exact: false }).waitFor({ timeout: 30_000 });
  expect(await section.getByLabel('Current passphrase').inputValue()).toBe('');
  expect(await a11yViolations(e)).toEqual([]);

  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await page.getByRole('heading', { name: 'Neuron Desk is locked' }).waitFor();
  await page.getByLabel('Passphrase').fill(E2E_PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect.poll(alert).toBe('The passphrase is not correct.');
  await page.getByLabel('Passphrase').fill(NEW_PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('heading', { name: 'Settings' }).waitFor({ timeout: 60_000 });
  expect(e.core.vault.status().locked).toBe(false);
  expect(e.core.vault.list().map((i) => i.label)).toEqual(['dfx default', 'dfx encrypted', 'quill', 'carol']);
  expect(e.errors).toEqual([]);
});
