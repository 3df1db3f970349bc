// The packaged shape of the app, launched for real: Electron on the bundled main process, the
// sandboxed preload's window.desk, the vault on a private Secret Service, the local subnet in its
// utilityProcess. Runs where the Electron binary exists; elsewhere it says so in one line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { _electron, type ElectronApplication } from 'playwright-core';
import { bundle } from '../../electron/scripts/bundle.ts';
import { DEMO_IDENTITIES } from '../../subnet/genesis/demo.ts';
import { electronBinary } from './support/electron-binary.ts';
import { startSecretService, type SecretService } from './support/secret-service.ts';

const binary = electronBinary();
if (!binary) console.log('skipped: no Electron binary');

describe.skipIf(!binary)('the Electron app', () => {
  let app: ElectronApplication | undefined;
  let secrets: SecretService | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'desk-electron-'));
  afterAll(async () => {
    await app?.close();
    await secrets?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('launches on the local subnet, unlocks, and reads a balance', async () => {
    await bundle();
    secrets = await startSecretService();
    app = await _electron.launch({
      executablePath: binary!,
      args: [join(import.meta.dirname, '../../dist/electron/main.cjs')],
      env: { ...process.env, NEURON_DESK_DATA_DIR: dir, DBUS_SESSION_BUS_ADDRESS: secrets.busAddress } as Record<string, string>,
    });
    const page = await app.firstWindow();
    const desk = (method: string, args: unknown[] = []) =>
      page.evaluate(([m, a]) => (window as unknown as { desk: { call(m: string, a: unknown[]): Promise<any> } }).desk.call(m as string, a as unknown[]), [method, args] as const);
    // The renderer has no Node and no ipcRenderer: only window.desk.
    expect(await page.evaluate(() => [typeof (globalThis as any).require, typeof (globalThis as any).process, typeof (globalThis as any).ipcRenderer])).toEqual(['undefined', 'undefined', 'undefined']);
    expect(await desk('no.such.method')).toMatchObject({ ok: false, error: { message: 'Unknown method.' } });
    expect(await desk('vault.setup', ['an electron smoke passphrase'])).toMatchObject({ ok: true });
    const carol = DEMO_IDENTITIES.find((d) => d.name === 'carol')!;
    const imported = await desk('vault.importSeedPhrase', [{ seedPhrase: carol.seedPhrase, label: 'Carol' }]);
    await desk('vault.setActive', [imported.value.id]);
    await desk('vault.lock');
    expect(await desk('accounts.balances')).toMatchObject({ ok: false, error: { kind: 'locked' } });
    expect(await desk('vault.unlock', ['an electron smoke passphrase'])).toMatchObject({ ok: true, value: { locked: false } });
    const balances = await desk('accounts.balances');
    expect(balances).toMatchObject({ ok: true });
    expect(balances.value.totalE8s).toBe(carol.e8s);
  }, 180_000);
});
