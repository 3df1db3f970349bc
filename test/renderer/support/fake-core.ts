// A fake core for component tests: the renderer's transport replaced by `answer` (what it returns is
// the value; what it throws, a DeskError's data, is the error). Returns the calls made, in order.
import { afterEach } from 'vitest';
import type { DeskErrorData } from '../../../electron/api/errors.ts';
import { setTransport } from '../../../renderer/src/lib/desk.ts';

export type Call = [string, unknown[]];

export function fakeCore(answer: (method: string, args: unknown[]) => unknown): Call[] {
  const calls: Call[] = [];
  setTransport(async (method, args) => {
    calls.push([method, args]);
    try {
      return { ok: true, value: await answer(method, args) };
    } catch (e) {
      return { ok: false, error: e as DeskErrorData };
    }
  });
  return calls;
}

afterEach(() => setTransport(undefined));
