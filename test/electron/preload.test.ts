// The preload in isolation (Electron's modules replaced by recorders: a pure unit test): it exposes
// one object, window.desk, with one function, and forwards only known methods on one channel.
import { beforeAll, expect, it, vi } from 'vitest';

const exposed: Record<string, unknown> = {};
const invoked: unknown[][] = [];
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => (exposed[name] = api) },
  ipcRenderer: { invoke: async (...args: unknown[]) => (invoked.push(args), { ok: true, value: 'answer' }) },
}));

beforeAll(async () => {
  await import('../../electron/preload.ts');
});

it('exposes window.desk.call and nothing else', () => {
  expect(Object.keys(exposed)).toEqual(['desk']);
  expect(Object.keys(exposed.desk as object)).toEqual(['call']);
});

it('forwards known methods on the one channel and refuses anything else without sending it', async () => {
  const desk = exposed.desk as { call(m: unknown, a?: unknown): Promise<unknown> };
  expect(await desk.call('accounts.balances', [])).toEqual({ ok: true, value: 'answer' });
  expect(invoked).toEqual([['desk:call', 'accounts.balances', []]]);
  for (const bad of ['nope', 'constructor', '__proto__', 42, undefined]) {
    expect(await desk.call(bad, [])).toEqual({ ok: false, error: { kind: 'invalid-input', message: 'Unknown method.' } });
  }
  expect(await desk.call('accounts.balances', 'not a list')).toEqual({ ok: false, error: { kind: 'invalid-input', message: 'Arguments must be a list.' } });
  expect(invoked).toHaveLength(1);
});
