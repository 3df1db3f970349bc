// What the accounts and cycles services keep on this machine (non-secret): subaccount names,
// the address book, the user's canisters and the canisters recently topped up. One section per
// concern, each keyed by network (address book) or by network + principal (the rest), so one
// document can hold them next to other services' sections.
import type { LocalStore } from './local-store.ts';

export interface SubaccountRecord {
  /** The account number (>= 1); the subaccount is derived from it (ledger-accounts.ts). */
  index: number;
  name: string;
}

export interface AddressBookRecord {
  id: string;
  label: string;
  /** As the user gave it, normalized: a 64-hex account id or an ICRC-1 account text. */
  address: string;
  kind: 'account-id' | 'icrc1';
  /** The legacy account id of the address (what the ledger's history shows). */
  accountId: string;
}

export interface CanisterRecord {
  canisterId: string;
  /** '' when the user gave no name. */
  name: string;
  addedAtMs: number;
}

export interface LedgerLocalData {
  /** scope (network|principal) -> subaccounts with a name. */
  subaccounts?: Record<string, SubaccountRecord[]>;
  /** network -> entries. */
  addressBook?: Record<string, AddressBookRecord[]>;
  /** scope -> the user's canisters. */
  canisters?: Record<string, CanisterRecord[]>;
  /** scope -> canisters topped up lately, newest last (so a top-up cut short can be found again). */
  topUpTargets?: Record<string, string[]>;
}

export type LedgerStore = LocalStore<LedgerLocalData>;

export const emptyLedgerData = (): LedgerLocalData => ({});
