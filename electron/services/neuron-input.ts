// Parsing and checking what a user typed for neuron and proposal commands: neuron ids, principals,
// account ids, amounts, percentages. Everything refused here is refused before any call is made.
import { Principal } from '@icp-sdk/core/principal';
import { AccountIdentifier } from '@icp-sdk/canisters/ledger/icp';
import { parseIcp } from '../api/amounts.ts';
import { invalidInput } from '../api/errors.ts';

const U64_MAX = 2n ** 64n - 1n;

/** A neuron (or proposal) id: a u64 given as bigint or decimal text. */
export function parseId(value: bigint | string | number, what = 'neuron id'): bigint {
  let id: bigint;
  if (typeof value === 'bigint') id = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) id = BigInt(value);
  else if (typeof value === 'string' && /^\d{1,20}$/.test(value.trim())) id = BigInt(value.trim());
  else throw invalidInput(`"${String(value)}" is not a ${what} (a whole number).`);
  if (id < 0n || id > U64_MAX) throw invalidInput(`${String(value)} is not a ${what}: it is out of range.`);
  return id;
}

export const parseNeuronId = (v: bigint | string | number) => parseId(v, 'neuron id');
export const parseProposalId = (v: bigint | string | number) => parseId(v, 'proposal id');

export function parsePrincipal(text: string, what = 'principal'): Principal {
  const t = typeof text === 'string' ? text.trim() : '';
  try {
    const p = Principal.fromText(t);
    if (p.toText() !== t) throw new Error('not canonical');
    return p;
  } catch {
    throw invalidInput(`"${String(text)}" is not a valid ${what}.`);
  }
}

/** A 64-character account id with a valid checksum. */
export function parseAccountId(text: string): AccountIdentifier {
  const t = typeof text === 'string' ? text.trim().toLowerCase() : '';
  if (!/^[0-9a-f]{64}$/.test(t)) throw invalidInput(`"${String(text)}" is not an account id (64 hexadecimal characters).`);
  try {
    return AccountIdentifier.fromHex(t);
  } catch {
    throw invalidInput('This account id has a wrong checksum: check it was copied completely.');
  }
}

/** A 32-byte subaccount given as 64 hex characters. */
export function parseSubaccount(text: string): Uint8Array {
  const t = typeof text === 'string' ? text.trim().toLowerCase() : '';
  if (!/^[0-9a-f]{64}$/.test(t)) throw invalidInput(`"${String(text)}" is not a subaccount (64 hexadecimal characters).`);
  return Uint8Array.from(Buffer.from(t, 'hex'));
}

/** An ICP amount: bigint e8s, or text parsed exactly (at most 8 decimals, positive). */
export function parseAmount(value: bigint | string): bigint {
  if (typeof value === 'bigint') {
    if (value <= 0n) throw invalidInput('The amount must be more than zero.');
    if (value > U64_MAX) throw invalidInput('The amount is too large.');
    return value;
  }
  try {
    return parseIcp(String(value));
  } catch (e) {
    throw invalidInput((e as Error).message);
  }
}

export function parsePercentage(value: number | undefined, what: string): number {
  const pct = value ?? 100;
  if (!Number.isInteger(pct) || pct < 1 || pct > 100) throw invalidInput(`The percentage of maturity to ${what} must be a whole number from 1 to 100.`);
  return pct;
}

/** A duration or a timestamp in seconds: bigint, or a safe non-negative integer. */
export function parseSeconds(value: bigint | number | string, what: string): bigint {
  let s: bigint;
  if (typeof value === 'bigint') s = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) s = BigInt(value);
  else if (typeof value === 'string' && /^\d{1,20}$/.test(value.trim())) s = BigInt(value.trim());
  else throw invalidInput(`The ${what} must be a whole number of seconds.`);
  if (s < 0n || s > U64_MAX) throw invalidInput(`The ${what} is out of range.`);
  return s;
}

/**
 * Where ICP goes: an account id (64 hex characters, checksum checked) or a principal (its main
 * account). Returns the account id as hex.
 */
export function parseDestination(text: string): string {
  const t = typeof text === 'string' ? text.trim() : '';
  if (/^[0-9a-fA-F]{64}$/.test(t)) return parseAccountId(t).toHex();
  if (/^[0-9a-fA-F]{56}$/.test(t)) throw invalidInput('This account id has no checksum: paste the full 64-character account id.');
  let owner: Principal;
  try {
    owner = parsePrincipal(t);
  } catch {
    throw invalidInput(`"${String(text)}" is neither an account id nor a principal.`);
  }
  return AccountIdentifier.fromPrincipal({ principal: owner }).toHex();
}
