// BIP39 seed phrases: new ones (24 words), and checks of typed ones that say what is wrong. The key
// is secp256k1 at m/44'/223'/0'/0/0, as dfx, quill and Plug (account 0) derive it.
import { generateMnemonic, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1';
import { invalidInput } from '../api/errors.ts';
import type { KeyMaterial } from './keys.ts';

const WORDS = new Set(wordlist);

export function newSeedPhrase(): string {
  return generateMnemonic(wordlist, 256);
}

/** The phrase in canonical form (lower case, single spaces), or an invalid-input error naming the problem. */
export function checkSeedPhrase(input: string): string {
  if (typeof input !== 'string') throw invalidInput('The seed phrase must be text.');
  const words = input.normalize('NFKD').toLowerCase().trim().split(/[\s,]+/).filter((w) => w !== '');
  if (words.length === 0) throw invalidInput('The seed phrase is empty.');
  if (words.length !== 12 && words.length !== 24)
    throw invalidInput(`A seed phrase has 12 or 24 words; this one has ${words.length}.`);
  const unknown = words.map((w, i) => ({ w, i })).filter(({ w }) => !WORDS.has(w));
  if (unknown.length > 0) {
    const { w, i } = unknown[0];
    const guess = wordlist.find((candidate) => w.length >= 4 && candidate.startsWith(w.slice(0, 4)));
    const more = unknown.length > 1 ? ` (${unknown.length} words are not in the list)` : '';
    throw invalidInput(`Word ${i + 1}, "${w}", is not in the English BIP39 word list${guess ? ` (did you mean "${guess}"?)` : ''}${more}.`);
  }
  const phrase = words.join(' ');
  if (!validateMnemonic(phrase, wordlist))
    throw invalidInput("The seed phrase's checksum does not match: a word is wrong or two words are swapped.");
  return phrase;
}

/** The secp256k1 key of a checked phrase (no BIP39 passphrase, as dfx and quill). */
export function keyFromSeedPhrase(phrase: string): KeyMaterial {
  const identity = Secp256k1KeyIdentity.fromSeedPhrase(phrase);
  return { curve: 'secp256k1', secret: new Uint8Array(identity.getKeyPair().secretKey) };
}
