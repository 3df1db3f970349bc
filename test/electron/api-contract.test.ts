// The contract at the boundary: every method validates its arguments before any handler runs,
// unknown methods and foreign frames are refused, answers are envelopes of plain data.
import { describe, expect, it } from 'vitest';
import { METHODS, type MethodName } from '../../electron/api/contract.ts';
import { createDispatcher, type Handlers } from '../../electron/api/dispatch.ts';
import { DeskError } from '../../electron/api/errors.ts';
import { METHOD_NAMES } from '../../electron/api/method-names.ts';
import { decodeWire, encodeWire } from '../../electron/api/codec.ts';
import { bindIpc, DESK_CHANNEL } from '../../electron/ipc.ts';
import { toDeskError } from '../../electron/services/errors.ts';

const names = Object.keys(METHODS) as MethodName[];

/** Handlers that record calls (the dispatcher must not reach them with bad input). */
function recorder() {
  const calls: string[] = [];
  const handlers = new Proxy({} as Handlers, {
    get: (_t, name: string) => async (...args: unknown[]) => {
      calls.push(name);
      if (name === 'app.status') return { echoed: args };
      if (name === 'reviews.get') throw new Error('boom: secret stack detail');
      return null;
    },
  });
  return { calls, handlers };
}

describe('the contract', () => {
  it('lists the same methods for the preload as the contract table', () => {
    expect([...METHOD_NAMES].sort()).toEqual([...names].sort());
  });

  it('validates every argument of every method before any handler runs', async () => {
    const { calls, handlers } = recorder();
    const dispatch = createDispatcher(handlers, { toError: (e) => toDeskError(e) });
    for (const name of names) {
      const arity = METHODS[name].args.length;
      const tooMany = await dispatch(name, new Array(arity + 1).fill(1));
      expect(tooMany, name).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
      for (let i = 0; i < arity; i++) {
        const args: unknown[] = new Array(arity).fill(undefined);
        args[i] = new Date(0); // no validator accepts a non-plain object
        const r = await dispatch(name, args);
        expect(r, `${name} argument ${i + 1}`).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
      }
    }
    expect(await dispatch('nope', [])).toEqual({ ok: false, error: { kind: 'invalid-input', message: 'Unknown method.' } });
    expect(await dispatch('__proto__', [])).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    expect(await dispatch('app.status', 'not a list')).toMatchObject({ ok: false, error: { message: 'Arguments must be a list.' } });
    expect(calls).toEqual([]);
  });

  it('answers with envelopes; an unexpected error becomes one generic sentence', async () => {
    const { handlers } = recorder();
    const internal: string[] = [];
    const dispatch = createDispatcher(handlers, { toError: (e) => toDeskError(e), onInternal: (m) => internal.push(m) });
    expect(await dispatch('app.status', [])).toEqual({ ok: true, value: { echoed: [] } });
    const r = await dispatch('reviews.get', ['abc']);
    expect(r).toEqual({ ok: false, error: { kind: 'internal', message: 'The operation failed unexpectedly.', detail: 'boom: secret stack detail' } });
    expect(JSON.stringify(r)).not.toMatch(/at .*\.ts:\d+/); // no stack
    expect(internal).toEqual(['reviews.get']);
  });

  it('checks objects strictly: unknown fields, wrong kinds', async () => {
    const { calls, handlers } = recorder();
    const dispatch = createDispatcher(handlers, { toError: (e) => toDeskError(e) });
    expect(await dispatch('network.select', [{ kind: 'custom', url: 'http://127.0.0.1:1', extra: 1 }])).toMatchObject({ ok: false, error: { message: 'argument 1 has an unexpected field "extra".' } });
    expect(await dispatch('network.select', [{ kind: 'moon' }])).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    expect(await dispatch('subnet.advanceTime', [0])).toMatchObject({ ok: false, error: { message: 'argument 1 must be between 1 and 315360000.' } });
    expect(await dispatch('subnet.advanceTime', [1.5])).toMatchObject({ ok: false, error: { message: 'argument 1 must be a whole number.' } });
    expect(await dispatch('subnet.faucet', ['1', 'not-a-principal'])).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    expect(await dispatch('subnet.faucet', ['1e5'])).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    expect(await dispatch('network.select', [{ kind: 'local' }])).toEqual({ ok: true, value: null });
    expect(calls).toEqual(['network.select']);
  });
});

describe('IPC binding', () => {
  it('refuses calls from any frame but the app\'s own top-level document', async () => {
    let handler!: (event: unknown, method: unknown, args: unknown) => Promise<unknown>;
    const ipcMain = { handle: (channel: string, fn: typeof handler) => ((handler = fn), expect(channel).toBe(DESK_CHANNEL)) };
    const { calls, handlers } = recorder();
    bindIpc(ipcMain as never, createDispatcher(handlers, { toError: (e) => toDeskError(e) }));
    const from = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });
    expect(await handler(from('app://neuron-desk/index.html'), 'app.status', [])).toEqual({ ok: true, value: { echoed: [] } });
    for (const ev of [from('https://evil.example/'), from('app://neuron-desk/x', {}), from('file:///etc/passwd'), from('app://other/'), { senderFrame: null }]) {
      expect(await handler(ev, 'app.status', [])).toMatchObject({ ok: false, error: { message: 'Calls are accepted only from the app itself.' } });
    }
    expect(calls).toEqual(['app.status']);
  });
});

describe('wire codec', () => {
  it('keeps bigints exact and refuses what is not plain data', () => {
    const v = { a: 2n ** 64n - 1n, b: [1n, 'x', null], c: { $n: 'looks like' } };
    expect(decodeWire(encodeWire({ a: v.a, b: v.b }))).toEqual({ a: v.a, b: v.b });
    expect(() => encodeWire(new Map())).toThrow(/not plain data/);
    expect(() => encodeWire({ f: () => 1 })).toThrow(/not plain data/);
    expect(() => decodeWire('{"$n":"1e5"}')).toThrow(/decimal integer/);
    expect(() => decodeWire('{"$n":"' + '9'.repeat(50) + '"}')).toThrow(/decimal integer/);
    expect(() => decodeWire('{')).toThrow(SyntaxError);
  });
});

describe('DeskError', () => {
  it('round-trips as plain data', () => {
    const e = new DeskError('rejected', 'Sending ICP failed.', 'ledger said no');
    expect(DeskError.fromData(e.toData())).toMatchObject({ kind: 'rejected', message: 'Sending ICP failed.', detail: 'ledger said no' });
  });
});
