// The settings sections of this feature in isolation: the CSV exports (a fake core answers; the
// download goes through a Blob, an object URL and a temporary <a download>), and "Hide balances".
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { fakeCore } from './support/fake-core.ts';
import { MASK, privacy, setHideBalances, shown, toggleHideBalances } from '../../renderer/src/lib/privacy.svelte.ts';
import ExportSettings from '../../renderer/src/routes/settings/ExportSettings.svelte';
import PrivacySettings from '../../renderer/src/routes/settings/PrivacySettings.svelte';


/** What was handed to the browser as downloads: file name, object URL and the blob's text. */
function captureDownloads() {
  const blobs = new Map<string, Blob>();
  let n = 0;
  const revoked: string[] = [];
  const downloads: Array<{ fileName: string; url: string; inDocument: boolean; blob: Blob | undefined }> = [];
  URL.createObjectURL = vi.fn((b: Blob) => {
    const url = `blob:app://neuron-desk/${++n}`;
    blobs.set(url, b);
    return url;
  }) as typeof URL.createObjectURL;
  URL.revokeObjectURL = vi.fn((url: string) => void revoked.push(url));
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push({ fileName: this.download, url: this.getAttribute('href')!, inDocument: document.body.contains(this), blob: blobs.get(this.getAttribute('href')!) });
  });
  return { downloads, revoked };
}

/** A Blob's text (jsdom's Blob has no text(); its FileReader does). */
function textOf(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

const NEURONS_CSV = 'Neuron id,State,Stake (ICP)\r\n7,locked,"1,000.00000000"\r\n8,dissolving,2.50000000\r\n';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('ExportSettings', () => {
  it('exports the neurons: calls the core, downloads the CSV under its file name, revokes the URL', async () => {
    const calls = fakeCore((m) => {
      if (m === 'export.neuronsCsv') return { fileName: 'neuron-desk-neurons-local-2026-12-02.csv', csv: NEURONS_CSV };
      throw { kind: 'internal', message: 'unexpected' };
    });
    const { downloads, revoked } = captureDownloads();
    render(ExportSettings);
    await fireEvent.click(screen.getByRole('button', { name: 'Export neurons (CSV)' }));
    expect((await screen.findByRole('status')).textContent).toBe('neuron-desk-neurons-local-2026-12-02.csv: 2 rows.');
    expect(calls).toEqual([['export.neuronsCsv', []]]);
    expect(downloads).toHaveLength(1);
    expect(downloads[0]).toMatchObject({ fileName: 'neuron-desk-neurons-local-2026-12-02.csv', url: 'blob:app://neuron-desk/1', inDocument: true });
    expect(downloads[0].blob!.type).toBe('text/csv;charset=utf-8');
    expect(await textOf(downloads[0].blob!)).toBe(NEURONS_CSV);
    expect(document.querySelectorAll('a[download]')).toHaveLength(0); // the temporary link is gone
    await vi.waitFor(() => expect(revoked).toEqual(['blob:app://neuron-desk/1']), { timeout: 3_000 });
  });

  it('shows the loading state while the core works, and says when there is nothing to export', async () => {
    let finish!: () => void;
    fakeCore((m) => new Promise((resolve) => (finish = () => resolve({ fileName: 'neuron-desk-transactions-local-2026-12-02.csv', csv: m === 'export.transactionsCsv' ? 'Block index,Time (UTC)\r\n' : '' }))));
    const { downloads } = captureDownloads();
    render(ExportSettings);
    await fireEvent.click(screen.getByRole('button', { name: 'Export transactions (CSV)' }));
    expect(screen.getByRole('button', { name: 'Exporting…' }).hasAttribute('disabled')).toBe(true);
    expect((screen.getByRole('button', { name: 'Export neurons (CSV)' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('Reading the transactions from the network…')).toBeTruthy();
    finish();
    expect((await screen.findByRole('status')).textContent).toBe('There are no transactions yet: neuron-desk-transactions-local-2026-12-02.csv holds the column names only.');
    expect(downloads.map((d) => d.fileName)).toEqual(['neuron-desk-transactions-local-2026-12-02.csv']);
    expect((screen.getByRole('button', { name: 'Export transactions (CSV)' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows the core\'s sentence when it fails, and downloads nothing', async () => {
    fakeCore(() => {
      throw { kind: 'network', message: 'The network did not answer: check the connection and try again.' };
    });
    const { downloads } = captureDownloads();
    render(ExportSettings);
    await fireEvent.click(screen.getByRole('button', { name: 'Export transactions (CSV)' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The network did not answer: check the connection and try again.');
    expect(downloads).toEqual([]);
    expect(screen.queryByRole('status')).toBeNull();
  });
});

describe('Hide balances', () => {
  beforeEach(() => {
    localStorage.clear();
    setHideBalances(false);
  });

  it('masks amounts while on, and keeps the choice in this profile', () => {
    expect(shown('12.50 ICP')).toBe('12.50 ICP');
    toggleHideBalances();
    expect(privacy.hidden).toBe(true);
    expect(shown('12.50 ICP')).toBe(MASK);
    expect(localStorage.getItem('neuron-desk-hide-balances')).toBe('hidden');
    toggleHideBalances();
    expect(shown('12.50 ICP')).toBe('12.50 ICP');
    expect(localStorage.getItem('neuron-desk-hide-balances')).toBeNull();
  });

  it('is a checkbox in the settings that follows the preference both ways', async () => {
    render(PrivacySettings);
    const box = screen.getByRole('checkbox', { name: 'Hide balances' }) as HTMLInputElement;
    expect(box.checked).toBe(false);
    await fireEvent.click(box);
    expect(privacy.hidden).toBe(true);
    expect(localStorage.getItem('neuron-desk-hide-balances')).toBe('hidden');
    setHideBalances(false); // e.g. from the Accounts screen's button
    flushSync();
    expect(box.checked).toBe(false);
  });
});
