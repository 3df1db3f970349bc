// dfx's identities in the system keyring, read the way dfx writes them. dfx stores each one with the
// Rust `keyring` crate (service `internet_computer_identities`, user `internet_computer_identity_<name>`,
// secret = hex of the PEM). On macOS that is a generic password with that service and account, which
// keytar reads too. On Linux it is a Secret Service item whose attributes are keyring-rs's own
// (`service`, `username`, `target`, `application`), where keytar (libsecret) looks for `service`,
// `account` and `xdg:schema`: keytar never finds them, so they are read here over D-Bus. Worse, keytar's
// findCredentials crashes the process when gnome-keyring hands it one (it strdup()s the missing
// `account`), so on Linux the names of keytar's own entries for that service are listed here too.
import { DeskError } from '../api/errors.ts';
import { IS_LOCKED, openSecretService, SecretServiceError, type SecretService, type SecretServiceOptions } from './secret-service.ts';

export const DFX_KEYRING_SERVICE = 'internet_computer_identities';
export const DFX_KEYRING_PREFIX = 'internet_computer_identity_';
/** keyring v3 (dfx today) sets `target` to "default"; keyring v1 (older dfx) set no target. */
const KEYRING_RS_TARGET = 'default';
/** The schema of keytar's items (libsecret adds it as the `xdg:schema` attribute). */
const KEYTAR_SCHEMA = 'org.freedesktop.Secret.Generic';

/** dfx's keyring entries where keytar cannot reach them (or not safely). */
export interface DfxKeyring {
  /** The identity names of every dfx entry, keytar's included; no secret is read. */
  names(): Promise<string[]>;
  /** The value (hex of the PEM) of dfx's own entry for `name`, or null when there is none. */
  read(name: string): Promise<string | null>;
}

/** The identity name of a dfx keyring account; null for other accounts and for dfx's `___temp___` probe entry. */
export function dfxIdentityName(account: string | undefined): string | null {
  if (account === undefined || !account.startsWith(DFX_KEYRING_PREFIX)) return null;
  const name = account.slice(DFX_KEYRING_PREFIX.length);
  return name === '' || name.startsWith('___') ? null : name;
}

/** The Secret Service reader where keyring-rs stores in it (Linux, the BSDs); null elsewhere. */
export function platformDfxKeyring(): DfxKeyring | null {
  return ['linux', 'freebsd', 'openbsd'].includes(process.platform) ? keyringRsDfxKeyring() : null;
}

/** dfx's items as keyring-rs writes them in the Secret Service, found over the session bus. */
export function keyringRsDfxKeyring(opts: SecretServiceOptions = {}): DfxKeyring {
  const withService = async <T>(what: string, run: (ss: SecretService) => Promise<T>): Promise<T> => {
    let ss: SecretService | undefined;
    try {
      ss = await openSecretService(opts);
      return await run(ss);
    } catch (e) {
      if (e instanceof DeskError) throw e;
      throw new DeskError('internal', `The system keyring could not ${what}. Is a Secret Service (GNOME Keyring, KWallet) running?`, (e as Error)?.message);
    } finally {
      await ss?.close();
    }
  };

  return {
    names: () =>
      withService('be searched for dfx identities', async (ss) => {
        const { unlocked, locked } = await ss.searchItems({ service: DFX_KEYRING_SERVICE });
        const names = new Set<string>();
        for (const attributes of await Promise.all([...unlocked, ...locked].map((item) => ss.attributes(item)))) {
          const name = dfxIdentityName(accountOf(attributes));
          if (name !== null) names.add(name);
        }
        return [...names].sort();
      }),

    read: (name) =>
      withService('be read', async (ss) => {
        const { unlocked, locked } = await ss.searchItems({ service: DFX_KEYRING_SERVICE, username: DFX_KEYRING_PREFIX + name });
        const found = await Promise.all(
          [...unlocked.map((path) => ({ path, locked: false })), ...locked.map((path) => ({ path, locked: true }))].map(async (item) => ({
            ...item,
            target: (await ss.attributes(item.path)).target,
          })),
        );
        const current = found.filter((i) => i.target === KEYRING_RS_TARGET);
        const candidates = current.length > 0 ? current : found.filter((i) => i.target === undefined);
        if (candidates.length === 0) return null;
        if (candidates.length > 1)
          throw new DeskError(
            'conflict',
            `The system keyring has ${candidates.length} entries for the dfx identity "${name}" and dfx cannot tell them apart either; remove the extra ones (for example in Passwords and Keys) and try again.`,
          );
        const [item] = candidates;
        if (item.locked) throw lockedKeyring(name);
        let secrets: Map<string, Uint8Array>;
        try {
          secrets = await ss.secrets([item.path]);
        } catch (e) {
          if (e instanceof SecretServiceError && e.dbusName === IS_LOCKED) throw lockedKeyring(name, e.message);
          throw e;
        }
        const bytes = secrets.get(item.path);
        if (bytes === undefined) throw lockedKeyring(name); // locked since the search
        try {
          return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
        } finally {
          for (const secret of secrets.values()) secret.fill(0);
        }
      }),
  };
}

/** The account of a dfx entry: keyring-rs's `username` (for dfx's target), or keytar's `account`. */
function accountOf(attributes: Record<string, string>): string | undefined {
  if (attributes.username !== undefined) return attributes.target === undefined || attributes.target === KEYRING_RS_TARGET ? attributes.username : undefined;
  return attributes['xdg:schema'] === KEYTAR_SCHEMA ? attributes.account : undefined;
}

// The error kinds have no "OS keyring locked" (`locked` is the vault's own): the system refused, so `rejected`.
function lockedKeyring(name: string, detail?: string): DeskError {
  return new DeskError(
    'rejected',
    `The system keyring that holds the dfx identity "${name}" is locked: unlock it (for example in Passwords and Keys, or by logging in again) and try again.`,
    detail,
  );
}
