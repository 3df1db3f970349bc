// The services of one connection (identity + network), built together and dropped together when
// the Desk rebuilds its connection. Local data lives in stores that outlive connections.
import { Accounts } from './accounts.ts';
import { AddressBook } from './address-book.ts';
import { CanisterRecovery } from './canister-recovery.ts';
import type { ServiceContext } from './context.ts';
import { Cycles } from './cycles.ts';
import { History } from './history.ts';
import type { LedgerStore } from './ledger-store.ts';

export interface Stores {
  ledger: LedgerStore;
}

export interface Services {
  ctx: ServiceContext;
  accounts: Accounts;
  addressBook: AddressBook;
  history: History;
  cycles: Cycles;
  canisterRecovery: CanisterRecovery;
}

export function createServices(ctx: ServiceContext, stores: Stores): Services {
  return {
    ctx,
    accounts: new Accounts(ctx, stores.ledger),
    addressBook: new AddressBook(ctx, stores.ledger),
    history: new History(ctx, stores.ledger),
    cycles: new Cycles(ctx, stores.ledger),
    canisterRecovery: new CanisterRecovery(ctx, stores.ledger),
  };
}
