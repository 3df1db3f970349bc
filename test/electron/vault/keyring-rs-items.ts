// Writes Secret Service items the way dfx does through the Rust keyring crate, with the calls that
// crate makes (OpenSession "plain", then CreateItem in the default collection with its attributes,
// label and content type), straight over D-Bus and apart from the reader under test. Also makes
// collections that can be locked, through gnome-keyring's interface for tests.
import { createRequire } from 'node:module';
import { createConnection, type Socket } from 'node:net';
import { DFX_KEYRING_PREFIX, DFX_KEYRING_SERVICE } from '../../../electron/vault/dfx-keyring.ts';

interface Bus {
  connection: NodeJS.EventEmitter & { end(): void };
  invoke(msg: object, callback: (error: { name: string; message: string } | null, ...body: unknown[]) => void): void;
}
const dbus = createRequire(import.meta.url)('@homebridge/dbus-native') as { createClient(opts: { stream: Socket }): Bus };

const SERVICE = { destination: 'org.freedesktop.secrets', path: '/org/freedesktop/secrets', interface: 'org.freedesktop.Secret.Service' };
const GNOME_TEST_IFACE = 'org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface';

export interface KeyringRsItem {
  /** The dfx identity name: the item's user is `internet_computer_identity_<name>`. */
  name: string;
  /** What dfx stores: the hex of the PEM (anything, for the tests of bad values). */
  secret: string | Uint8Array;
  /** keyring v3 (dfx today, the default) or v1 (older dfx). */
  keyringVersion?: 3 | 1;
  /** keyring v3's target attribute; dfx always leaves it "default". */
  target?: string;
  /** Defaults to the default collection, where keyring-rs creates items. */
  collection?: string;
}

export interface SecretServiceWriter {
  /** Creates (or replaces) the item; returns its object path. */
  write(item: KeyringRsItem): Promise<string>;
  deleteItem(path: string): Promise<void>;
  createCollection(label: string, password: string): Promise<string>;
  lock(collection: string): Promise<void>;
  unlock(collection: string, password: string): Promise<void>;
  deleteCollection(collection: string): Promise<void>;
  close(): void;
}

export async function secretServiceWriter(busAddress: string): Promise<SecretServiceWriter> {
  const path = /^unix:path=([^,;]+)/.exec(busAddress)?.[1];
  if (!path) throw new Error(`unexpected bus address ${busAddress}`);
  const bus = dbus.createClient({ stream: createConnection(path) });
  bus.connection.on('error', () => undefined);
  const call = (msg: object) =>
    new Promise<unknown[]>((resolve, reject) =>
      bus.invoke({ ...SERVICE, ...msg }, (error, ...out) => (error ? reject(new Error(`${error.name}: ${error.message}`)) : resolve(out))),
    );
  const [, session] = (await call({ member: 'OpenSession', signature: 'sv', body: ['plain', ['s', '']] })) as [unknown, string];
  const [defaultCollection] = (await call({ member: 'ReadAlias', signature: 's', body: ['default'] })) as [string];
  const secret = (value: string | Uint8Array) => [session, [], Buffer.from(value), 'text/plain'];

  return {
    async write({ name, secret: value, keyringVersion = 3, target = 'default', collection = defaultCollection }) {
      const service = DFX_KEYRING_SERVICE;
      const user = DFX_KEYRING_PREFIX + name;
      // keyring-rs src/secret_service.rs (v3: new_with_target) and src/linux.rs (v1: set_password).
      const attributes =
        keyringVersion === 3
          ? { service, username: user, target, application: 'rust-keyring' }
          : { service, username: user, application: 'rust-keyring' };
      const label = keyringVersion === 3 ? `keyring-rs v3.6.3 for target '${target}', service '${service}', user '${user}'` : `Password for ${user} on ${service}`;
      const properties = [
        ['org.freedesktop.Secret.Item.Label', ['s', label]],
        ['org.freedesktop.Secret.Item.Attributes', ['a{ss}', Object.entries(attributes)]],
      ];
      const [item, prompt] = (await call({
        path: collection,
        interface: 'org.freedesktop.Secret.Collection',
        member: 'CreateItem',
        signature: 'a{sv}(oayays)b',
        body: [properties, secret(value), true],
      })) as [string, string];
      if (prompt !== '/') throw new Error('CreateItem asked for a prompt');
      return item;
    },
    async deleteItem(item) {
      await call({ path: item, interface: 'org.freedesktop.Secret.Item', member: 'Delete' });
    },
    async createCollection(label, password) {
      const [collection] = (await call({
        interface: GNOME_TEST_IFACE,
        member: 'CreateWithMasterPassword',
        signature: 'a{sv}(oayays)',
        body: [[['org.freedesktop.Secret.Collection.Label', ['s', label]]], secret(password)],
      })) as [string];
      return collection;
    },
    async lock(collection) {
      const [locked] = (await call({ member: 'Lock', signature: 'ao', body: [[collection]] })) as [string[]];
      if (!locked.includes(collection)) throw new Error(`${collection} was not locked`);
    },
    async unlock(collection, password) {
      await call({ interface: GNOME_TEST_IFACE, member: 'UnlockWithMasterPassword', signature: 'o(oayays)', body: [collection, secret(password)] });
    },
    async deleteCollection(collection) {
      await call({ path: collection, interface: 'org.freedesktop.Secret.Collection', member: 'Delete' });
    },
    close() {
      bus.connection.end();
    },
  };
}
