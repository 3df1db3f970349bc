// Builds a canister's method table from typed handlers. The mode (query or update) of each method
// comes from the Candid interface itself, and the handler types from the generated _SERVICE type,
// so a handler that takes or returns the wrong shape, or a missing method, fails to compile.
import { IDL } from '@icp-sdk/core/candid';
import type { CallContext, MethodDef } from '../canister.ts';

type ServiceMethod = (...args: any[]) => Promise<unknown>;

/** One handler per method of the service, with the generated argument and reply types. */
export type Handlers<S extends { [K in keyof S]: ServiceMethod }> = {
  [K in keyof S]: (ctx: CallContext, ...args: Parameters<S[K]>) => Awaited<ReturnType<S[K]>>;
};

export function methodTable<S extends { [K in keyof S]: ServiceMethod }>(
  idlFactory: IDL.InterfaceFactory,
  handlers: Handlers<S>,
): Record<string, MethodDef> {
  const service = idlFactory({ IDL });
  const table: Record<string, MethodDef> = {};
  for (const [name, func] of service._fields) {
    const handler = handlers[name as keyof S];
    if (!handler) throw new Error(`no handler for ${name}`);
    table[name] = { mode: func.annotations.includes('query') ? 'query' : 'update', handler };
  }
  return table;
}
