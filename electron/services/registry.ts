// The services of one connection (identity + network), built together and dropped together when
// the Desk rebuilds its connection. Local data lives in stores that outlive connections.
import { Accounts } from './accounts.ts';
import { AddressBook } from './address-book.ts';
import { CanisterRecovery } from './canister-recovery.ts';
import type { ServiceContext } from './context.ts';
import { CsvExport } from './csv-export.ts';
import { Cycles } from './cycles.ts';
import { History } from './history.ts';
import type { LedgerStore } from './ledger-store.ts';
import { NeuronCommands } from './neuron-commands.ts';
import { NeuronRecovery } from './neuron-recovery.ts';
import { NeuronStaking } from './neuron-stake.ts';
import { Neurons } from './neurons.ts';
import { Proposals } from './proposals.ts';
import { Voting } from './voting.ts';

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
  neurons: Neurons;
  neuronCommands: NeuronCommands;
  staking: NeuronStaking;
  neuronRecovery: NeuronRecovery;
  proposals: Proposals;
  voting: Voting;
  csvExport: CsvExport;
}

export function createServices(ctx: ServiceContext, stores: Stores): Services {
  const accounts = new Accounts(ctx, stores.ledger);
  const history = new History(ctx, stores.ledger);
  const neurons = new Neurons(ctx);
  return {
    ctx,
    accounts,
    addressBook: new AddressBook(ctx, stores.ledger),
    history,
    cycles: new Cycles(ctx, stores.ledger),
    canisterRecovery: new CanisterRecovery(ctx, stores.ledger),
    neurons,
    neuronCommands: new NeuronCommands(ctx),
    staking: new NeuronStaking(ctx),
    neuronRecovery: new NeuronRecovery(ctx),
    proposals: new Proposals(ctx),
    voting: new Voting(ctx),
    csvExport: new CsvExport(ctx, { accounts, history, neurons }),
  };
}
