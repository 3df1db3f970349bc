// The identity forms in isolation (a fake core answers): key files read in the renderer (an empty
// one refused, a binary one sent as base64), the dfx keyring's empty and chosen states, the export
// panel (passphrase again, hide) and the passphrase change's checks.
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { fakeCore } from './support/fake-core.ts';
import ImportPem from '../../renderer/src/routes/identity/ImportPem.svelte';
import ImportDfxEncrypted from '../../renderer/src/routes/identity/ImportDfxEncrypted.svelte';
import ImportQuill from '../../renderer/src/routes/identity/ImportQuill.svelte';
import ImportDfxKeyring from '../../renderer/src/routes/identity/ImportDfxKeyring.svelte';
import ExportSecret from '../../renderer/src/routes/identity/ExportSecret.svelte';
import ChangePassphrase from '../../renderer/src/routes/identity/ChangePassphrase.svelte';
import type { IdentitySummary } from '../../electron/vault/types.ts';


const summary = (over: Partial<IdentitySummary> = {}): IdentitySummary => ({
  id: 'id-1',
  label: 'Key',
  principal: 'aaaaa-aa',
  kind: 'pem',
  source: 'dfx-pem',
  createdAt: 0,
  ...over,
});

async function choose(label: string, file: File) {
  const input = screen.getByLabelText(label) as HTMLInputElement;
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  await fireEvent.change(input);
}
const submit = (name = 'Import') => fireEvent.submit(screen.getByRole('button', { name }).closest('form')!);
const PEM = '-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n';

describe('ImportPem', () => {
  it('refuses an empty file and an empty form without calling the core', async () => {
    const calls = fakeCore(() => null);
    render(ImportPem, { onImported: () => undefined, onBack: () => undefined });
    await submit();
    expect((await screen.findByRole('alert')).textContent).toBe('Choose the PEM file, or paste its text.');
    await choose('PEM file', new File([], 'identity.pem'));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('The file identity.pem is empty.'));
    await choose('PEM file', new File(['  \n'], 'blank.pem'));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('The file blank.pem is empty.'));
    expect(calls).toEqual([]);
  });

  it("sends the chosen file's text with the name, then forgets it", async () => {
    const imported: IdentitySummary[] = [];
    const calls = fakeCore(() => summary({ label: 'work' }));
    render(ImportPem, { onImported: (i: IdentitySummary) => void imported.push(i), onBack: () => undefined });
    await choose('PEM file', new File([PEM], 'identity.pem'));
    await screen.findByText('Read from identity.pem.');
    await fireEvent.input(screen.getByLabelText('Name (optional)'), { target: { value: ' work ' } });
    await submit();
    await waitFor(() => expect(imported).toHaveLength(1));
    expect(calls).toEqual([['vault.importPem', [{ pem: PEM, label: 'work' }]]]);
    // The text is gone: the paste field is back, empty.
    expect((screen.getByLabelText('Or paste the PEM text') as HTMLTextAreaElement).value).toBe('');
    expect(screen.queryByText('Read from identity.pem.')).toBeNull();
  });

  it("shows the core's sentence when the key is refused", async () => {
    fakeCore(() => {
      throw { kind: 'invalid-input', message: 'This PEM file holds no private key (only public data).' };
    });
    render(ImportPem, { onImported: () => undefined, onBack: () => undefined });
    await fireEvent.input(screen.getByLabelText('Or paste the PEM text'), { target: { value: PEM } });
    await submit();
    expect((await screen.findByRole('alert')).textContent).toBe('This PEM file holds no private key (only public data).');
  });
});

describe('ImportDfxEncrypted', () => {
  it('asks for each part in turn, then sends the encrypted file as base64 and clears the password', async () => {
    const calls = fakeCore(() => summary());
    render(ImportDfxEncrypted, { onImported: () => undefined, onBack: () => undefined });
    await submit();
    expect((await screen.findByRole('alert')).textContent).toBe('Choose the identity.pem.encrypted file.');
    await choose('identity.pem.encrypted', new File([new Uint8Array([0, 1, 2, 250, 251, 255])], 'identity.pem.encrypted'));
    await screen.findByText('Read from identity.pem.encrypted.');
    await submit();
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Choose the identity.json file, or paste its text.'));
    await fireEvent.input(screen.getByLabelText('Or paste identity.json'), { target: { value: '{"encryption":{}}' } });
    await submit();
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe("Enter the identity's dfx password."));
    expect(calls).toEqual([]);
    await fireEvent.input(screen.getByLabelText('dfx password'), { target: { value: 'secret' } });
    await submit();
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toEqual(['vault.importDfxEncrypted', [{ encryptedPemBase64: 'AAEC+vv/', identityJson: '{"encryption":{}}', password: 'secret', label: undefined }]]);
    await waitFor(() => expect((screen.getByLabelText('dfx password') as HTMLInputElement).value).toBe(''));
  });
});

describe('ImportQuill', () => {
  it('needs the password before calling the core', async () => {
    const calls = fakeCore(() => summary());
    render(ImportQuill, { onImported: () => undefined, onBack: () => undefined });
    await fireEvent.input(screen.getByLabelText('Or paste the encrypted PEM text'), { target: { value: PEM } });
    await submit();
    expect((await screen.findByRole('alert')).textContent).toBe("Enter the key file's password.");
    expect(calls).toEqual([]);
  });
});

describe('ImportDfxKeyring', () => {
  it('says so when the keyring holds no dfx identity, and offers no Import', async () => {
    fakeCore(() => []);
    render(ImportDfxKeyring, { onImported: () => undefined, onBack: () => undefined });
    await screen.findByText(/The system keyring holds no dfx identity/);
    expect(screen.queryByRole('button', { name: 'Import' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Look again' })).toBeTruthy();
  });

  it('lists the names and imports the chosen one', async () => {
    const calls = fakeCore((method) => (method === 'vault.listDfxKeyring' ? ['default', 'work'] : summary()));
    let imported = 0;
    render(ImportDfxKeyring, { onImported: () => void imported++, onBack: () => undefined });
    const work = (await screen.findByLabelText('work')) as HTMLInputElement;
    expect((screen.getByLabelText('default') as HTMLInputElement).checked).toBe(true);
    await fireEvent.click(work);
    await submit();
    await waitFor(() => expect(imported).toBe(1));
    expect(calls.at(-1)).toEqual(['vault.importDfxKeyring', [{ name: 'work', label: undefined }]]);
  });

  it("shows the keyring's failure with a way to try again", async () => {
    fakeCore(() => {
      throw { kind: 'internal', message: 'The system keyring could not be searched for dfx identities.' };
    });
    render(ImportDfxKeyring, { onImported: () => undefined, onBack: () => undefined });
    expect((await screen.findByRole('alert')).textContent).toBe('The system keyring could not be searched for dfx identities.');
    expect(screen.getByRole('button', { name: 'Look again' })).toBeTruthy();
  });
});

describe('ExportSecret', () => {
  it('needs the passphrase, shows the seed phrase, and forgets it on Hide', async () => {
    const words = 'abandon '.repeat(23) + 'art';
    const calls = fakeCore((_m, args) => {
      if (args[1] !== 'the passphrase') throw { kind: 'invalid-input', message: 'The passphrase is not correct.' };
      return { kind: 'seed', seedPhrase: words };
    });
    let closed = 0;
    render(ExportSecret, { identity: summary({ kind: 'seed', source: 'seed', label: 'Main' }), onClose: () => closed++ });
    await submit('Show the key');
    expect((await screen.findByRole('alert')).textContent).toBe('Enter the passphrase.');
    expect(calls).toEqual([]);
    await fireEvent.input(screen.getByLabelText('Passphrase'), { target: { value: 'wrong' } });
    await submit('Show the key');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('The passphrase is not correct.'));
    expect((screen.getByLabelText('Passphrase') as HTMLInputElement).value).toBe('');
    await fireEvent.input(screen.getByLabelText('Passphrase'), { target: { value: 'the passphrase' } });
    await submit('Show the key');
    expect(((await screen.findByLabelText('Seed phrase')) as HTMLTextAreaElement).value).toBe(words);
    expect(calls.at(-1)).toEqual(['vault.exportSecret', ['id-1', 'the passphrase', 'seed']]);
    await fireEvent.click(screen.getByRole('button', { name: 'Hide' }));
    expect(screen.queryByLabelText('Seed phrase')).toBeNull();
    expect(closed).toBe(1);
  });

  it('asks a key file identity for its PEM, with no choice of format', async () => {
    const calls = fakeCore(() => ({ kind: 'pem', pem: PEM }));
    render(ExportSecret, { identity: summary(), onClose: () => undefined });
    expect(screen.queryByLabelText(/The seed phrase/)).toBeNull();
    await fireEvent.input(screen.getByLabelText('Passphrase'), { target: { value: 'the passphrase' } });
    await submit('Show the key');
    expect(((await screen.findByLabelText('PEM key')) as HTMLTextAreaElement).value).toBe(PEM);
    expect(calls[0]).toEqual(['vault.exportSecret', ['id-1', 'the passphrase', 'pem']]);
  });
});

describe('ChangePassphrase', () => {
  const fill = async (current: string, next: string, again: string) => {
    await fireEvent.input(screen.getByLabelText('Current passphrase'), { target: { value: current } });
    await fireEvent.input(screen.getByLabelText('New passphrase'), { target: { value: next } });
    await fireEvent.input(screen.getByLabelText('New passphrase again'), { target: { value: again } });
    await submit('Change the passphrase');
  };

  it('refuses new passphrases that differ, or equal the current one, without calling the core', async () => {
    const calls = fakeCore(() => null);
    render(ChangePassphrase);
    await fill('old passphrase', 'new passphrase 1', 'new passphrase 2');
    expect((await screen.findByRole('alert')).textContent).toBe('The two new passphrases differ.');
    await fill('old passphrase', 'old passphrase', 'old passphrase');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('The new passphrase is the same as the current one.'));
    await fill('', 'new passphrase 1', 'new passphrase 1');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Enter the current passphrase.'));
    expect(calls).toEqual([]);
  });

  it("shows the core's sentence for a wrong current passphrase, and a message when it worked", async () => {
    const calls = fakeCore((_m, args) => {
      if (args[0] !== 'old passphrase') throw { kind: 'invalid-input', message: 'The passphrase is not correct.' };
      return null;
    });
    render(ChangePassphrase);
    await fill('wrong passphrase', 'new passphrase 1', 'new passphrase 1');
    expect((await screen.findByRole('alert')).textContent).toBe('The passphrase is not correct.');
    await fill('old passphrase', 'new passphrase 1', 'new passphrase 1');
    await screen.findByText('The passphrase was changed. Use the new one to unlock from now on.');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(calls.at(-1)).toEqual(['vault.changePassphrase', ['old passphrase', 'new passphrase 1']]);
    for (const label of ['Current passphrase', 'New passphrase', 'New passphrase again']) expect((screen.getByLabelText(label) as HTMLInputElement).value).toBe('');
  });
});
