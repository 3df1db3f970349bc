// Builds a canister's method table from its Candid interface: every method of the service gets an
// entry with the mode (query or update) the interface declares. Handlers are typed by the
// generated _SERVICE type when one is given, so a handler that takes or returns the wrong shape
// fails to compile; a method without a handler rejects as not available on the simulated subnet.
import { IDL } from '@icp-sdk/core/candid';
import { reject, type CallContext, type MethodDef } from '../canister.ts';

type ServiceMethod = (...args: any[]) => Promise<unknown>;

/** One handler per method of the service, with the generated argument and reply types. */
export type Handlers<S extends { [K in keyof S]: ServiceMethod }> = {
  [K in keyof S]: (ctx: CallContext, ...args: Parameters<S[K]>) => Reply<Awaited<ReturnType<S[K]>>>;
};

/** A method without results may return nothing. */
type Reply<T> = [T] extends [undefined] ? void | Promise<void> : T | Promise<T>;

export function methodTable<S extends { [K in keyof S]: ServiceMethod } = any>(
  idlFactory: IDL.InterfaceFactory,
  handlers: Partial<Handlers<S>>,
): Record<string, MethodDef> {
  const service = idlFactory({ IDL });
  const names = new Set(service._fields.map(([name]) => name));
  for (const name of Object.keys(handlers)) {
    if (!names.has(name)) throw new Error(`${name} is not a method of the interface`);
  }
  const table: Record<string, MethodDef> = {};
  for (const [name, func] of service._fields) {
    const handler = handlers[name as keyof S] as MethodDef['handler'] | undefined;
    table[name] = {
      mode: func.annotations.includes('query') ? 'query' : 'update',
      handler: handler ?? (() => reject(`${name} is not available on the simulated subnet`)),
    };
  }
  return table;
}
