// The contract's methods implemented over the Desk and its services. Arguments arrive validated
// (api/dispatch.ts); each handler only translates to the service call.
import type { Handlers } from './api/dispatch.ts';
import { DeskError } from './api/errors.ts';
import type { Desk } from './desk.ts';
import type { Vault } from './vault/vault.ts';

/** Calls that do not count as the user's activity (background polling): they never delay auto-lock. */
const PASSIVE = new Set(['events.next', 'app.status', 'vault.status']);

export function createHandlers(desk: Desk, vault: Vault): Handlers {
  const handlers = methods(desk, vault);
  for (const name of Object.keys(handlers) as (keyof Handlers)[]) {
    if (PASSIVE.has(name)) continue;
    const run = handlers[name] as (...args: unknown[]) => Promise<unknown>;
    (handlers as Record<string, unknown>)[name] = (...args: unknown[]) => {
      vault.touch();
      return run(...args);
    };
  }
  return handlers;
}

function methods(desk: Desk, vault: Vault): Handlers {
  const subnetState = () => desk.subnet.status();
  return {
    'app.status': async () => desk.status(),
    'network.select': async (choice) => desk.selectNetwork(choice),

    'vault.status': async () => ({ ...vault.status(), identities: vault.list() }),
    'vault.setup': async (passphrase) => {
      await vault.setup(passphrase);
      return vault.status();
    },
    'vault.unlock': async (passphrase) => {
      await vault.unlock(passphrase);
      return vault.status();
    },
    'vault.lock': async () => {
      vault.lock();
      return vault.status();
    },
    'vault.touch': async () => {
      vault.touch();
      return null;
    },
    'vault.changePassphrase': async (current, next) => {
      await vault.changePassphrase(current, next);
      return null;
    },
    'vault.setAutoLock': async (ms) => {
      vault.setAutoLock(ms);
      return vault.status();
    },
    'vault.create': async (label) => vault.create({ label }),
    'vault.importSeedPhrase': async (a) => vault.importSeedPhrase(a),
    'vault.importPem': async (a) => vault.importPem(a),
    'vault.importDfxEncrypted': async ({ encryptedPemBase64, ...rest }) =>
      vault.importDfxEncrypted({ ...rest, encryptedPem: new Uint8Array(Buffer.from(encryptedPemBase64.replace(/\s+/g, ''), 'base64')) }),
    'vault.importQuillEncrypted': async (a) => vault.importQuillEncrypted(a),
    'vault.listDfxKeyring': async () => vault.listDfxKeyring(),
    'vault.importDfxKeyring': async (a) => vault.importDfxKeyring(a),
    'vault.addWatchOnly': async (a) => vault.addWatchOnly(a),
    'vault.rename': async (id, label) => vault.rename(id, label),
    'vault.remove': async (id) => {
      await vault.remove(id);
      return null;
    },
    'vault.setActive': async (id) => {
      await vault.setActive(id);
      return vault.status();
    },
    'vault.exportSecret': async (id, passphrase, format) => vault.exportSecret(id, passphrase, format),

    'subnet.start': async () => {
      await desk.subnet.start();
      return subnetState();
    },
    'subnet.stop': async () => {
      desk.invalidate();
      await desk.subnet.stop();
      return subnetState();
    },
    'subnet.restart': async () => {
      desk.invalidate();
      await desk.subnet.restart();
      return subnetState();
    },
    'subnet.reset': async () => {
      desk.invalidate();
      await desk.subnet.reset();
      return subnetState();
    },
    'subnet.advanceTime': async (seconds) => desk.advanceTime(seconds),
    'subnet.faucet': async (amount, to) => desk.faucet(amount, to),
    'subnet.openProposal': async (p) => desk.openTestProposal(p),

    'reviews.get': async (id) => {
      const r = desk.reviews.get(id);
      if (!r) throw new DeskError('not-found', 'This review is no longer pending.');
      return r;
    },
    'reviews.confirm': async (id) => desk.reviews.confirm(id),
    'reviews.cancel': async (id) => {
      desk.reviews.cancel(id);
      return null;
    },

    'events.next': async (after, waitMs) => desk.events.next(after, waitMs),
  };
}
