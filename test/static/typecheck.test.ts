// The whole tree type-checks: the core, the subnet and the tests with tsc, the renderer's .ts and
// .svelte files with svelte-check. A type error fails the suite like any other test.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = (name: string) => new URL(`../../node_modules/.bin/${name}`, import.meta.url).pathname;
const root = new URL('../..', import.meta.url).pathname;

async function outputOf(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await run(cmd, args, { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (x) {
    const e = x as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('type checking', () => {
  it('tsc finds no error in the core, the subnet, the benches and the tests', async () => {
    const r = await outputOf(bin('tsc'), ['--noEmit', '-p', '.']);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  }, 240_000);

  it('svelte-check finds no error or warning in the renderer', async () => {
    const r = await outputOf(bin('svelte-check'), ['--tsconfig', 'renderer/tsconfig.json', '--output', 'machine', '--fail-on-warnings']);
    const problems = r.out.split('\n').filter((l) => / (ERROR|WARNING) /.test(l));
    expect(problems).toEqual([]);
    expect(r.code).toBe(0);
  }, 240_000);
});
