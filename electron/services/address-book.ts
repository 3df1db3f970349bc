// The address book: labels for the accounts the user sends to, kept on this machine per network.
// Addresses are checked (checksums) before they are stored; each entry also keeps the legacy
// account id, which is what the ledger's history shows.
import { randomBytes } from 'node:crypto';
import { Principal } from '@icp-sdk/core/principal';
import { DeskError, invalidInput } from '../api/errors.ts';
import { formatIcrcAccountText, parseDestination } from '../api/ids.ts';
import type { ServiceContext } from './context.ts';
import { accountIdOf, fromHex, networkKey } from './ledger-accounts.ts';
import type { AddressBookRecord, LedgerStore } from './ledger-store.ts';

export type AddressBookEntry = AddressBookRecord;

export interface AddressInput {
  label: string;
  address: string;
}

const MAX_LABEL = 64;

/** A checked address: normalized text, its kind, its legacy account id. */
export function checkAddress(text: string): Pick<AddressBookRecord, 'address' | 'kind' | 'accountId'> {
  if (typeof text !== 'string') throw invalidInput('Enter an account id or an ICRC-1 account.');
  const d = parseDestination(text);
  if (d.kind === 'account-id') return { address: d.hex, kind: 'account-id', accountId: d.hex };
  const owner = Principal.fromText(d.account.owner);
  const sub = d.account.subaccountHex ? fromHex(d.account.subaccountHex) : undefined;
  return { address: formatIcrcAccountText(d.account), kind: 'icrc1', accountId: accountIdOf(owner, sub) };
}

function checkLabel(label: unknown): string {
  const t = typeof label === 'string' ? label.trim() : '';
  if (t === '') throw invalidInput('Give the address a label.');
  if (t.length > MAX_LABEL) throw invalidInput(`A label is at most ${MAX_LABEL} characters.`);
  return t;
}

export class AddressBook {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly store: LedgerStore,
  ) {}

  list(): AddressBookEntry[] {
    return [...this.entries()].sort((a, b) => a.label.localeCompare(b.label)).map((e) => ({ ...e }));
  }

  add(input: AddressInput): AddressBookEntry {
    const label = checkLabel(input?.label);
    const checked = checkAddress(input?.address);
    this.checkUnique(label, checked.accountId);
    const entry: AddressBookEntry = { id: randomBytes(8).toString('hex'), label, ...checked };
    this.write((list) => list.push(entry));
    return { ...entry };
  }

  edit(id: string, change: Partial<AddressInput>): AddressBookEntry {
    const current = this.find(id);
    const label = change.label === undefined ? current.label : checkLabel(change.label);
    const checked = change.address === undefined ? current : checkAddress(change.address);
    this.checkUnique(label, checked.accountId, id);
    const entry: AddressBookEntry = { id, label, address: checked.address, kind: checked.kind, accountId: checked.accountId };
    this.write((list) => list.splice(list.findIndex((e) => e.id === id), 1, entry));
    return { ...entry };
  }

  remove(id: string): void {
    this.find(id);
    this.write((list) => list.splice(list.findIndex((e) => e.id === id), 1));
  }

  /** The label of an account id (hex), if the book has it. */
  labelFor(accountId: string): string | undefined {
    return this.entries().find((e) => e.accountId === accountId)?.label;
  }

  private entries(): AddressBookRecord[] {
    return this.store.read().addressBook?.[networkKey(this.ctx.connection().network)] ?? [];
  }

  private find(id: string): AddressBookRecord {
    const e = this.entries().find((x) => x.id === id);
    if (!e) throw new DeskError('not-found', 'That address book entry does not exist (any more).');
    return e;
  }

  private checkUnique(label: string, accountId: string, exceptId?: string) {
    for (const e of this.entries()) {
      if (e.id === exceptId) continue;
      if (e.accountId === accountId) throw invalidInput(`That address is already in the address book as "${e.label}".`);
      if (e.label.toLowerCase() === label.toLowerCase()) throw invalidInput(`The address book already has an entry labelled "${e.label}".`);
    }
  }

  private write(change: (list: AddressBookRecord[]) => void) {
    const key = networkKey(this.ctx.connection().network);
    this.store.update((d) => {
      d.addressBook ??= {};
      change((d.addressBook[key] ??= []));
    });
  }
}
