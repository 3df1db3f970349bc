// The boundary's own checks of principals and accounts agree with the ledger libraries'.
import { describe, expect, it } from 'vitest';
import { AccountIdentifier, SubAccount } from '@icp-sdk/canisters/ledger/icp';
import { decodeIcrcAccount, encodeIcrcAccount } from '@icp-sdk/canisters/ledger/icrc';
import { Principal } from '@icp-sdk/core/principal';
import { checkAccountIdHex, checkPrincipalText, formatIcrcAccountText, parseDestination, parseIcrcAccountText } from '../../electron/api/ids.ts';

const owners = ['7e3ji-74oqq-fzbz4-3bseg-bzrgw-kj4zz-ym5pj-jndqw-rjkxn-jt4s7-hqe', 'rrkah-fqaaa-aaaaa-aaaaq-cai', 'aaaaa-aa', '2vxsx-fae'];

describe('account and principal text', () => {
  it('accepts what the libraries produce, for many accounts', () => {
    for (const owner of owners) {
      const principal = Principal.fromText(owner);
      for (const n of [0, 1, 255, 65_536, 2 ** 31]) {
        const subAccount = SubAccount.fromID(n);
        const hex = AccountIdentifier.fromPrincipal({ principal, subAccount }).toHex();
        expect(checkAccountIdHex(hex.toUpperCase())).toBe(hex);
        const sub = n === 0 ? undefined : subAccount.toUint8Array();
        const text = encodeIcrcAccount({ owner: principal, subaccount: sub });
        const parsed = parseIcrcAccountText(text);
        expect(parsed.owner).toBe(owner);
        const lib = decodeIcrcAccount(text);
        expect(parsed.subaccountHex).toBe(lib.subaccount ? Buffer.from(lib.subaccount).toString('hex') : undefined);
        expect(formatIcrcAccountText(parsed)).toBe(text);
      }
    }
  });

  it('refuses typos with a clear sentence', () => {
    const hex = AccountIdentifier.fromPrincipal({ principal: Principal.fromText(owners[0]) }).toHex();
    const typo = hex.slice(0, 10) + (hex[10] === '0' ? '1' : '0') + hex.slice(11);
    expect(() => checkAccountIdHex(typo)).toThrow(/wrong checksum/);
    expect(() => checkAccountIdHex(hex.slice(1))).toThrow(/64 hexadecimal/);
    expect(() => checkPrincipalText('7e3ji-74oqq-fzbz4-3bseg-bzrgw-kj4zz-ym5pj-jndqw-rjkxn-jt4s7-hqf')).toThrow(/not a valid principal/);
    const text = encodeIcrcAccount({ owner: Principal.fromText(owners[0]), subaccount: SubAccount.fromID(7).toUint8Array() });
    const badSum = text.replace(/-([a-z2-7]{7})\./, (_m, c: string) => `-${c[0] === 'a' ? 'b' : 'a'}${c.slice(1)}.`);
    expect(() => parseIcrcAccountText(badSum)).toThrow(/wrong checksum/);
    expect(() => parseIcrcAccountText(text.replace(/\.7$/, '.07'))).toThrow(/leading zeros/);
    expect(() => parseDestination('')).toThrow(/Enter an account/);
    expect(parseDestination(hex)).toEqual({ kind: 'account-id', hex });
    expect(parseDestination(owners[0])).toEqual({ kind: 'icrc1', account: { owner: owners[0] } });
  });
});
