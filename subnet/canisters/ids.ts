import { Principal } from '@icp-sdk/core/principal';

export const GOVERNANCE_ID = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
export const LEDGER_ID = Principal.fromText('ryjl3-tyaaa-aaaaa-aaaba-cai');
export const CMC_ID = Principal.fromText('rkp4c-7iaaa-aaaaa-aaaca-cai');
export const INDEX_ID = Principal.fromText('qhbym-qaaaa-aaaaa-aaafq-cai');
export const MANAGEMENT_ID = Principal.fromText('aaaaa-aa');
/** Root canister id on mainnet: the controller of the NNS canisters. */
export const ROOT_ID = Principal.fromText('r7inp-6aaaa-aaaaa-aaabq-cai');
export const ANONYMOUS = Principal.anonymous();
