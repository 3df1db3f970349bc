// The renderer's forms in isolation: a fake core (the transport replaced) answers, so these are pure
// component tests of validation and states.
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { fakeCore } from './support/fake-core.ts';
import Setup from '../../renderer/src/routes/Setup.svelte';
import Unlock from '../../renderer/src/routes/Unlock.svelte';
import ReviewDialog from '../../renderer/src/components/ReviewDialog.svelte';
import type { Review } from '../../electron/api/review.ts';


describe('Setup', () => {
  it('refuses two different passphrases without calling the core', async () => {
    const calls = fakeCore(() => null);
    let done = 0;
    render(Setup, { onDone: () => done++ });
    await fireEvent.input(screen.getByLabelText('Passphrase'), { target: { value: 'one long passphrase' } });
    await fireEvent.input(screen.getByLabelText('Passphrase again'), { target: { value: 'another passphrase' } });
    await fireEvent.submit(screen.getByRole('button', { name: 'Set the passphrase' }).closest('form')!);
    expect((await screen.findByRole('alert')).textContent).toBe('The two passphrases differ.');
    expect(calls).toEqual([]);
    expect(done).toBe(0);
  });

  it('shows the core\'s sentence when it refuses', async () => {
    fakeCore(() => {
      throw { kind: 'invalid-input', message: 'A passphrase has at least 10 characters.' };
    });
    render(Setup, { onDone: () => undefined });
    for (const label of ['Passphrase', 'Passphrase again']) await fireEvent.input(screen.getByLabelText(label), { target: { value: 'short' } });
    await fireEvent.submit(screen.getByRole('button', { name: 'Set the passphrase' }).closest('form')!);
    expect((await screen.findByRole('alert')).textContent).toBe('A passphrase has at least 10 characters.');
  });
});

describe('Unlock', () => {
  it('unlocks with the passphrase, and says so when it is wrong', async () => {
    let right = false;
    const calls = fakeCore((_m, args) => {
      if (args[0] !== 'the right passphrase') throw { kind: 'invalid-input', message: 'That passphrase is not right.' };
      right = true;
      return { locked: false };
    });
    let done = 0;
    render(Unlock, { onDone: () => done++ });
    const field = screen.getByLabelText('Passphrase');
    await fireEvent.input(field, { target: { value: 'wrong' } });
    await fireEvent.submit(field.closest('form')!);
    expect((await screen.findByRole('alert')).textContent).toBe('That passphrase is not right.');
    await fireEvent.input(field, { target: { value: 'the right passphrase' } });
    await fireEvent.submit(field.closest('form')!);
    await expect.poll(() => done).toBe(1);
    expect(right).toBe(true);
    expect(calls.map(([m]) => m)).toEqual(['vault.unlock', 'vault.unlock']);
  });
});

describe('ReviewDialog', () => {
  const review: Review = {
    id: 'r1',
    action: 'send-icp',
    title: 'Send 1.50 ICP',
    network: 'Local test subnet',
    signer: 'p7nbk-xlkhg-cpics-bztbm-2kgdk-hnqcm-i6jow-qlnjo-m4jyo-plybb-4ae',
    calls: [{ canisterId: 'ryjl3-tyaaa-aaaaa-aaaba-cai', canisterName: 'ICP ledger', method: 'icrc1_transfer', args: { amount: 150_000_000n } }],
    amountE8s: 150_000_000n,
    feeE8s: 10_000n,
    destination: 'em2mo-wlfwe-nlzcn-o4sqa-jgi3i-fiyxi-c4gtg-nnjyu-sgk7g-vcjiv-sae',
    notes: ['Transfers cannot be undone.'],
    expiresAtMs: Date.now() + 60_000,
  };

  it('shows what will be signed; a failed confirm can be confirmed again; nothing is sent before', async () => {
    let attempts = 0;
    const calls = fakeCore((method) => {
      if (method === 'events.next') return new Promise(() => undefined);
      attempts++;
      if (attempts === 1) throw { kind: 'network', message: 'Send 1.50 ICP did not get an answer from the network. It is safe to try again.' };
      return { blockIndex: 7n };
    });
    let result: unknown;
    render(ReviewDialog, { review, onDone: (r: unknown) => (result = r), onCancel: () => undefined });
    expect(screen.getByTestId('review-amount').textContent).toBe('1.50 ICP');
    expect(screen.getByTestId('review-fee').textContent).toBe('0.0001 ICP');
    expect(screen.getByText('1.5001 ICP')).toBeTruthy();
    expect(screen.getByText('Transfers cannot be undone.')).toBeTruthy();
    expect(screen.getByText(/"amount": "150000000"/)).toBeTruthy();
    expect(calls.filter(([m]) => m === 'reviews.confirm')).toEqual([]);
    await fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/safe to try again/);
    await fireEvent.click(screen.getByRole('button', { name: 'Confirm again' }));
    await expect.poll(() => result).toEqual({ blockIndex: 7n });
    expect(calls.filter(([m]) => m === 'reviews.confirm')).toEqual([['reviews.confirm', ['r1']], ['reviews.confirm', ['r1']]]);
  });
});
