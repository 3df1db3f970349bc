// The bundled simulated subnet as the app runs it: its own process (a Node child in development and
// tests, an Electron utilityProcess in the packaged app; see `Launcher`), state in the app's data
// folder, stopped on quit, restartable and resettable. Its URL is the first line it prints.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { DeskError } from '../api/errors.ts';

/** The part of a child process the manager uses (both child_process and utilityProcess fit). */
export interface SubnetChild {
  stdout: Readable | null;
  stderr?: Readable | null;
  kill(signal?: NodeJS.Signals): boolean;
  once(event: 'exit', listener: (code: number | null) => void): unknown;
}
export type Launcher = (args: string[]) => SubnetChild;

export type SubnetStatus =
  | { state: 'stopped' }
  | { state: 'starting' }
  | { state: 'running'; url: string }
  | { state: 'failed'; message: string };

const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;

/** Development and tests: `node --import tsx subnet/cli.ts` from this source tree. */
export const nodeLauncher: Launcher = (args) => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const tsx = createRequire(import.meta.url).resolve('tsx');
  return spawn(process.execPath, ['--import', tsx, join(root, 'subnet', 'cli.ts'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
};

export class LocalSubnet {
  private child?: SubnetChild;
  private current: SubnetStatus = { state: 'stopped' };
  private starting?: Promise<string>;
  private exited?: Promise<void>;
  private listeners = new Set<(s: SubnetStatus) => void>();
  /** Its last lines on stderr, to explain a failure. */
  private log: string[] = [];

  constructor(
    private readonly opts: { stateDir: string; launch?: Launcher; port?: number },
  ) {}

  status(): SubnetStatus {
    return this.current;
  }

  onStatus(listener: (s: SubnetStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts it (or joins a start in progress); resolves to its URL. */
  start(opts: { fresh?: boolean } = {}): Promise<string> {
    if (this.current.state === 'running') return Promise.resolve(this.current.url);
    if (this.starting) return this.starting;
    this.starting = this.launch(opts.fresh ?? false).finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  async stop(): Promise<void> {
    if (this.starting) await this.starting.catch(() => undefined);
    const child = this.child;
    if (!child) return;
    const exited = this.exited;
    child.kill('SIGTERM'); // it writes a checkpoint and exits
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  async restart(): Promise<string> {
    await this.stop();
    return this.start();
  }

  /** Starts over from genesis (the demo world); the subnet's keys stay. */
  async reset(): Promise<string> {
    await this.stop();
    return this.start({ fresh: true });
  }

  private set(s: SubnetStatus) {
    this.current = s;
    for (const l of this.listeners) l(s);
  }

  private launch(fresh: boolean): Promise<string> {
    this.set({ state: 'starting' });
    this.log = [];
    const args = ['--state-dir', this.opts.stateDir, '--port', String(this.opts.port ?? 0), ...(fresh ? ['--fresh'] : [])];
    const child = (this.opts.launch ?? nodeLauncher)(args);
    this.child = child;
    if (child.stderr) createInterface({ input: child.stderr }).on('line', (l) => this.log.push(l) > 20 && this.log.shift());
    return new Promise<string>((resolve, reject) => {
      let url: string | undefined;
      const fail = (message: string) => {
        this.set({ state: 'failed', message });
        reject(new DeskError('internal', 'The local test subnet could not start.', message));
      };
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        fail(`it printed no URL within ${START_TIMEOUT_MS / 1000} s`);
      }, START_TIMEOUT_MS);
      this.exited = new Promise<void>((done) => {
        child.once('exit', (code) => {
          clearTimeout(timer);
          this.child = undefined;
          if (url === undefined) fail(`it exited with code ${code}: ${this.log.slice(-3).join(' / ')}`);
          else if (this.current.state === 'running') this.set(code === 0 || code === null ? { state: 'stopped' } : { state: 'failed', message: `it stopped with code ${code}` });
          done();
        });
      });
      if (!child.stdout) return fail('it has no output stream');
      createInterface({ input: child.stdout }).once('line', (line) => {
        const u = line.trim();
        if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(u)) {
          child.kill('SIGKILL');
          return;
        }
        url = u;
        clearTimeout(timer);
        this.set({ state: 'running', url });
        resolve(url);
      });
    });
  }
}
