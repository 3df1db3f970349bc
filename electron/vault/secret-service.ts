// The Secret Service (org.freedesktop.secrets) over the D-Bus session bus, in plain JavaScript: find
// items by attribute, read their attributes and secrets. Nothing here writes, unlocks or prompts.
// keytar reaches the same service through libsecret, but only sees the items of its own schema.
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';

const DESTINATION = 'org.freedesktop.secrets';
const SERVICE_PATH = '/org/freedesktop/secrets';
const SERVICE = 'org.freedesktop.Secret.Service';
const ITEM = 'org.freedesktop.Secret.Item';
const SESSION = 'org.freedesktop.Secret.Session';
const PROPERTIES = 'org.freedesktop.DBus.Properties';
/** The bus daemon answers NoReply after 25 s; this only guards against a peer that never answers at all. */
const CALL_TIMEOUT_MS = 30_000;

export interface SecretServiceOptions {
  /** A D-Bus address; defaults to DBUS_SESSION_BUS_ADDRESS. */
  address?: string;
  /** Where the bus socket is when no address works; defaults to XDG_RUNTIME_DIR (null: none). */
  runtimeDir?: string | null;
}

export interface SecretItems {
  unlocked: string[];
  locked: string[];
}

export interface SecretService {
  searchItems(attributes: Record<string, string>): Promise<SecretItems>;
  attributes(item: string): Promise<Record<string, string>>;
  /** The secrets of the given unlocked items, by item path (a locked item has none). The caller wipes them. */
  secrets(items: string[]): Promise<Map<string, Uint8Array>>;
  close(): Promise<void>;
}

/** A D-Bus error reply (`dbusName` is its error name) or a bus that could not be used (`dbusName` ''). */
export class SecretServiceError extends Error {
  constructor(
    readonly dbusName: string,
    message: string,
  ) {
    super(dbusName ? `${dbusName}: ${message}` : message);
    this.name = 'SecretServiceError';
  }
}

export const IS_LOCKED = 'org.freedesktop.Secret.Error.IsLocked';

/** The part of @homebridge/dbus-native used here (its own typings do not declare createClient). */
interface DbusNative {
  createClient(opts: { stream: Socket }): DbusBus;
}
interface DbusBus {
  connection: NodeJS.EventEmitter & { end(): void };
  invoke(msg: DbusCall, callback: (error: DbusErrorReply | null, ...body: unknown[]) => void): void;
}
interface DbusCall {
  destination: string;
  path: string;
  interface: string;
  member: string;
  signature?: string;
  body?: unknown[];
}
interface DbusErrorReply {
  name?: string;
  message?: string;
}
/** A variant as dbus-native returns it: [signature tree, [value]]. */
type Variant<T> = [unknown, [T]];

let dbusNative: Promise<DbusNative> | undefined;

function loadDbus(): Promise<DbusNative> {
  return (dbusNative ??= import('@homebridge/dbus-native').then((m) => ((m as { default?: unknown }).default ?? m) as DbusNative));
}

export async function openSecretService(opts: SecretServiceOptions = {}): Promise<SecretService> {
  const address = opts.address ?? process.env.DBUS_SESSION_BUS_ADDRESS;
  const runtimeDir = opts.runtimeDir === undefined ? process.env.XDG_RUNTIME_DIR : opts.runtimeDir;
  const dbus = await loadDbus();
  const socket = await connectFirst(busSocketPaths(address, runtimeDir ?? undefined));
  const bus = dbus.createClient({ stream: socket });

  const pending = new Set<(e: Error) => void>();
  let broken: Error | null = null;
  const fail = (e: Error) => {
    broken ??= e;
    for (const reject of [...pending]) reject(broken);
  };
  bus.connection.on('error', (e: Error) => fail(new SecretServiceError('', `The D-Bus session bus failed: ${e?.message ?? e}`)));
  bus.connection.on('end', () => fail(new SecretServiceError('', 'The D-Bus session bus closed the connection.')));

  const call = (path: string, iface: string, member: string, signature?: string, body?: unknown[]): Promise<unknown[]> => {
    if (broken) return Promise.reject(broken);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => settle(new SecretServiceError('org.freedesktop.DBus.Error.NoReply', `${member} got no reply.`)), CALL_TIMEOUT_MS);
      timer.unref?.();
      const settle = (error: Error | null, out: unknown[] = []) => {
        clearTimeout(timer);
        pending.delete(settle);
        if (error) reject(error);
        else resolve(out);
      };
      pending.add(settle);
      try {
        bus.invoke({ destination: DESTINATION, path, interface: iface, member, signature, body }, (error, ...out) =>
          settle(error ? new SecretServiceError(error.name ?? 'org.freedesktop.DBus.Error.Failed', error.message ?? '') : null, out),
        );
      } catch {
        // dbus-native's marshalling errors quote the message body: never pass them on.
        settle(new SecretServiceError('', `${member} could not be sent.`));
      }
    });
  };

  let session: Promise<string> | undefined;
  const openSession = () =>
    (session ??= call(SERVICE_PATH, SERVICE, 'OpenSession', 'sv', ['plain', ['s', '']]).then((out) => out[1] as string));

  return {
    async searchItems(attributes) {
      const out = await call(SERVICE_PATH, SERVICE, 'SearchItems', 'a{ss}', [Object.entries(attributes)]);
      return { unlocked: out[0] as string[], locked: out[1] as string[] };
    },
    async attributes(item) {
      const out = await call(item, PROPERTIES, 'Get', 'ss', [ITEM, 'Attributes']);
      return Object.fromEntries((out[0] as Variant<[string, string][]>)[1][0]);
    },
    async secrets(items) {
      const out = await call(SERVICE_PATH, SERVICE, 'GetSecrets', 'aoo', [items, await openSession()]);
      // a{o(oayays)}: item -> (session, parameters, value, content type)
      return new Map((out[0] as [string, [string, Uint8Array, Uint8Array, string]][]).map(([item, secret]) => [item, secret[2]]));
    },
    async close() {
      if (session && !broken) {
        const path = await session.catch(() => null);
        if (path) await call(path, SESSION, 'Close').catch(() => undefined);
      }
      broken ??= new SecretServiceError('', 'The connection to the Secret Service is closed.');
      bus.connection.end();
    },
  };
}

/**
 * The unix socket paths to try, in order: those of the address (`unix:path=`, or `unix:abstract=` as a
 * name with a leading NUL), then `<runtime dir>/bus`, where systemd puts the session bus.
 */
export function busSocketPaths(address: string | undefined, runtimeDir: string | undefined): string[] {
  const paths: string[] = [];
  for (const entry of (address ?? '').split(';')) {
    const colon = entry.indexOf(':');
    if (colon < 0 || entry.slice(0, colon) !== 'unix') continue;
    const params = new Map(
      entry
        .slice(colon + 1)
        .split(',')
        .map((kv) => [kv.slice(0, kv.indexOf('=')), unescapeAddressValue(kv.slice(kv.indexOf('=') + 1))] as const),
    );
    const path = params.get('path');
    const abstract = params.get('abstract');
    if (path) paths.push(path);
    else if (abstract) paths.push(`\0${abstract}`);
  }
  if (runtimeDir) {
    const fallback = join(runtimeDir, 'bus');
    if (!paths.includes(fallback)) paths.push(fallback);
  }
  return paths;
}

function unescapeAddressValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

async function connectFirst(paths: string[]): Promise<Socket> {
  if (paths.length === 0) throw new SecretServiceError('', 'No D-Bus session bus was found (DBUS_SESSION_BUS_ADDRESS is not set).');
  let last: Error | undefined;
  for (const path of paths) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const socket = createConnection(path);
        socket.once('connect', () => {
          socket.off('error', reject);
          resolve(socket);
        });
        socket.once('error', reject);
      });
    } catch (e) {
      last = e as Error;
    }
  }
  throw new SecretServiceError('', `The D-Bus session bus could not be reached: ${last?.message}`);
}
