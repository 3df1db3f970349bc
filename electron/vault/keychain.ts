// The OS keychain as the vault sees it (macOS Keychain, Windows Credential Vault, the Secret Service
// on Linux), behind an interface so the Desk can pass another (tests wrap it to inject failures).
import { createRequire } from 'node:module';
import { DeskError } from '../api/errors.ts';

export interface Credential {
  account: string;
  password: string;
}

export interface Keychain {
  get(service: string, account: string): Promise<string | null>;
  set(service: string, account: string, value: string): Promise<void>;
  /** True when an entry was deleted, false when there was none. */
  delete(service: string, account: string): Promise<boolean>;
  find(service: string): Promise<Credential[]>;
}

type Keytar = {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Credential[]>;
};

let keytar: Keytar | undefined;

/** keytar, loaded on first use (a native module: loading it must not be a side effect of an import). */
export function keytarKeychain(): Keychain {
  const lib = (): Keytar => (keytar ??= createRequire(import.meta.url)('keytar') as Keytar);
  const call = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      // The keychain's own message can name the service and account; never a secret.
      throw new DeskError('internal', `The system keychain could not ${what}. Is it unlocked and available?`, (e as Error)?.message);
    }
  };
  return {
    get: (service, account) => call('be read', () => lib().getPassword(service, account)),
    set: (service, account, value) => call('store the entry', () => lib().setPassword(service, account, value)),
    delete: (service, account) => call('delete the entry', () => lib().deletePassword(service, account)),
    find: (service) => call('be searched', () => lib().findCredentials(service)),
  };
}
