// Starts a subnet script as a child process and waits for the URL on its first stdout line.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

export interface SubnetProcess {
  url: string;
  child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function spawnSubnet(script: string, args: string[]): Promise<SubnetProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`subnet did not start within 60 s: ${stderr}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`subnet exited with ${code}: ${stderr}`)));
    lines.once('line', (url) => {
      clearTimeout(timer);
      resolve({
        url: url.trim(),
        child,
        kill: (signal = 'SIGKILL') =>
          new Promise((r) => {
            if (child.exitCode !== null || child.signalCode !== null) return r();
            child.once('exit', () => r());
            child.kill(signal);
          }),
      });
    });
  });
}
