// A canister's method table from its Candid interface: every method of the service gets an entry,
// with the mode (query or update) the interface declares; methods without a handler reject as not
// available. (Candidate for canisters/common: the ledger has a typed variant in ledger/methods.ts.)
import { IDL } from '@icp-sdk/core/candid';
import { reject, type Handler, type MethodDef } from '../canister.ts';

export function methodsFromInterface(idlFactory: IDL.InterfaceFactory, handlers: Record<string, Handler>): Record<string, MethodDef> {
  const service = idlFactory({ IDL });
  const names = new Set(service._fields.map(([name]) => name));
  for (const name of Object.keys(handlers)) {
    if (!names.has(name)) throw new Error(`${name} is not a method of the interface`);
  }
  const table: Record<string, MethodDef> = {};
  for (const [name, func] of service._fields) {
    table[name] = {
      mode: func.annotations.includes('query') ? 'query' : 'update',
      handler: handlers[name] ?? (() => reject(`${name} is not available on the simulated subnet`)),
    };
  }
  return table;
}
