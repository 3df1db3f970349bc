// Assembles the desktop core, the same way for Electron (main.ts), the loopback bridge (web.ts) and
// tests: the vault, the Desk over it, the API handlers and the dispatcher every transport serves.
import { join } from 'node:path';
import { createDispatcher, type Dispatch } from './api/dispatch.ts';
import { Desk, type DeskOptions } from './desk.ts';
import { createHandlers } from './handlers.ts';
import { toDeskError } from './services/errors.ts';
import { Vault, type VaultOptions } from './vault/vault.ts';

export interface CoreOptions {
  dataDir: string;
  launchSubnet?: DeskOptions['launchSubnet'];
  agent?: DeskOptions['agent'];
  vault?: Partial<VaultOptions>;
}

export interface Core {
  vault: Vault;
  desk: Desk;
  dispatch: Dispatch;
  close(): Promise<void>;
}

export function assembleCore(opts: CoreOptions): Core {
  const vault = new Vault({ metadataPath: join(opts.dataDir, 'identities.json'), ...opts.vault });
  const desk = new Desk({ dataDir: opts.dataDir, signers: vault, launchSubnet: opts.launchSubnet, agent: opts.agent });
  vault.on((e) => {
    // Nothing signed or prepared under one identity survives a lock or a switch.
    if (e.type === 'locked' || e.type === 'active-changed') desk.invalidate();
    // Proposals closing soon are looked for only while the vault is unlocked.
    if (e.type === 'unlocked') desk.closingSoon.start();
    if (e.type === 'locked') desk.closingSoon.stop();
    if (e.type === 'locked') desk.events.emit({ type: 'locked' });
    if (e.type === 'unlocked') desk.events.emit({ type: 'unlocked' });
    if (e.type === 'identities-changed' || e.type === 'active-changed') desk.events.emit({ type: 'identities-changed' });
  });
  const dispatch = createDispatcher(createHandlers(desk, vault), {
    toError: (e) => toDeskError(e),
    // The method name only: arguments may hold secrets (passphrases, PEMs).
    onInternal: (method) => console.error(`neuron-desk: internal error in ${method}`),
  });
  return {
    vault,
    desk,
    dispatch,
    async close() {
      vault.lock();
      await desk.close();
    },
  };
}
