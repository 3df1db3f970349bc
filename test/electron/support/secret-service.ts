// A private Secret Service for tests that use the real keytar: its own D-Bus session bus and an
// unlocked gnome-keyring whose files live in a temporary home, so a test never reads or writes the
// developer's keyring. Call `startSecretService()` in `beforeAll` before anything touches keytar
// (libsecret reads DBUS_SESSION_BUS_ADDRESS when it first connects, and then keeps that bus for the
// life of the process; vitest runs each test file in its own process), and `stop()` in `afterAll`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SecretService {
  /** The private bus's address (also put in process.env.DBUS_SESSION_BUS_ADDRESS). */
  busAddress: string;
  stop(): Promise<void>;
}

const KEYRING_PASSWORD = 'neuron-desk-test-keyring';

export async function startSecretService(): Promise<SecretService> {
  const home = mkdtempSync(join(tmpdir(), 'desk-keyring-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
    XDG_RUNTIME_DIR: home,
    LANG: 'C.UTF-8',
  };
  const children: ChildProcess[] = [];
  const previousAddress = process.env.DBUS_SESSION_BUS_ADDRESS;
  try {
    const bus = spawn('dbus-daemon', ['--session', '--print-address=1', '--nofork', '--nopidfile'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(bus);
    const busAddress = (await firstLine(bus, 'dbus-daemon')).trim();
    if (!busAddress.startsWith('unix:')) throw new Error(`dbus-daemon printed an unexpected address: ${busAddress}`);

    const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets', `--control-directory=${join(home, 'keyring')}`], {
      env: { ...env, DBUS_SESSION_BUS_ADDRESS: busAddress },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.push(keyring);
    keyring.stdin!.end(KEYRING_PASSWORD);
    // It prints its environment (GNOME_KEYRING_CONTROL=...) once the secrets component is up.
    await firstLine(keyring, 'gnome-keyring-daemon');
    await waitForName(busAddress, env, 'org.freedesktop.secrets');

    process.env.DBUS_SESSION_BUS_ADDRESS = busAddress;
    return {
      busAddress,
      async stop() {
        for (const child of children.reverse()) await stopChild(child);
        if (previousAddress === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
        else process.env.DBUS_SESSION_BUS_ADDRESS = previousAddress;
        rmSync(home, { recursive: true, force: true });
      },
    };
  } catch (e) {
    for (const child of children.reverse()) await stopChild(child);
    rmSync(home, { recursive: true, force: true });
    throw e;
  }
}

function firstLine(child: ChildProcess, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => done(new Error(`${name} did not start within 15 s: ${err.trim()}`)), 15_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const nl = out.indexOf('\n');
      if (nl >= 0) done(undefined, out.slice(0, nl));
    };
    const onErr = (chunk: Buffer) => (err += chunk.toString('utf8'));
    const onExit = (code: number | null) => done(new Error(`${name} exited (${code}) before it was ready: ${err.trim()}`));
    const onSpawnError = (e: Error) => done(new Error(`${name} could not be started: ${e.message}`));
    function done(e?: Error, line?: string) {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stderr!.off('data', onErr);
      child.off('exit', onExit);
      child.off('error', onSpawnError);
      if (e) reject(e);
      else resolve(line!);
    }
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onErr);
    child.once('exit', onExit);
    child.once('error', onSpawnError);
  });
}

/** Waits until `name` is owned on the bus (the keyring claims it shortly after printing its env). */
async function waitForName(busAddress: string, env: NodeJS.ProcessEnv, name: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const owned = await new Promise<boolean>((resolve) => {
      const p = spawn(
        'dbus-send',
        ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', `string:${name}`],
        { env: { ...env, DBUS_SESSION_BUS_ADDRESS: busAddress }, stdio: ['ignore', 'pipe', 'ignore'] },
      );
      let out = '';
      p.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
      p.on('error', () => resolve(false));
      p.on('exit', () => resolve(/boolean true/.test(out)));
    });
    if (owned) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not appear on the private bus.`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
