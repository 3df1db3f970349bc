// One entry point for calls from the renderer, whatever the transport (IPC or the loopback
// bridge): the method must be in the contract, its arguments pass the contract's validators, the
// handler runs, and the answer is an envelope: a value, or a DeskError's plain data. Nothing else
// (no stack, no foreign error object) ever goes back.
import { METHODS, isMethodName, type DeskApi, type MethodName } from './contract.ts';
import { DeskError, type DeskErrorData } from './errors.ts';

export type Envelope = { ok: true; value: unknown } | { ok: false; error: DeskErrorData };

export type Handlers = DeskApi;

export type Dispatch = (method: unknown, args: unknown) => Promise<Envelope>;

/**
 * `toError` maps anything a handler throws to a DeskError (the services' toDeskError); `onError`
 * sees internal errors for the log (never secrets: handlers must not put them in errors).
 */
export function createDispatcher(handlers: Handlers, opts: { toError: (e: unknown) => DeskError; onInternal?: (method: string, e: unknown) => void }): Dispatch {
  return async (method, args) => {
    try {
      if (!isMethodName(method)) throw new DeskError('invalid-input', 'Unknown method.');
      const validated = validateArgs(method, args);
      const handler = handlers[method] as (...a: unknown[]) => Promise<unknown>;
      const value = await handler(...validated);
      return { ok: true, value: value === undefined ? null : value };
    } catch (e) {
      const error = e instanceof DeskError ? e : opts.toError(e);
      if (error.kind === 'internal') opts.onInternal?.(String(method).slice(0, 60), e);
      return { ok: false, error: error.toData() };
    }
  };
}

export function validateArgs(method: MethodName, args: unknown): unknown[] {
  const validators = METHODS[method].args as readonly ((v: unknown, name: string) => unknown)[];
  if (!Array.isArray(args)) throw new DeskError('invalid-input', 'Arguments must be a list.');
  if (args.length > validators.length) throw new DeskError('invalid-input', `${method} takes ${validators.length} argument${validators.length === 1 ? '' : 's'}.`);
  return validators.map((validate, i) => validate(args[i], `argument ${i + 1}`));
}
