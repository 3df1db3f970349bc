// The networks Neuron Desk talks to, and the one rule about root keys: mainnet's is built in and
// can never be fetched; a fetched key is accepted only from a replica on this machine (loopback).
import { DeskError, invalidInput } from '../api/errors.ts';

export type NetworkConfig =
  /** The Internet Computer through its public boundary nodes. */
  | { kind: 'mainnet' }
  /** The bundled simulated subnet, started by the app (its URL is known once it runs). */
  | { kind: 'local'; url: string }
  /** Any replica: its root key pasted by the user, or fetched when the host is loopback. */
  | { kind: 'custom'; url: string; rootKeyHex?: string };

export const MAINNET_URL = 'https://icp-api.io';

/**
 * The NNS subnet's public key (DER), as published for the IC's root of trust. Built in: a mainnet
 * agent verifies every certificate against it and nothing can replace it.
 */
export const MAINNET_ROOT_KEY_HEX =
  '308182301d060d2b0601040182dc7c0503010201060c2b0601040182dc7c05030201036100814c0e6ec71fab583b08bd81373c255c3c371b2e84863c98a4f1e08b74235d14fb5d9c0cd546d9685f913a0c0b2cc5341583bf4b4392e467db96d65b9bb4cb717112f8472e0d5a4d14505ffd7484b01291091c5f87b98883463f98091a0baaae';

/** The NNS canisters have the same ids on mainnet and on the bundled subnet. */
export const CANISTER_IDS = {
  governance: 'rrkah-fqaaa-aaaaa-aaaaq-cai',
  ledger: 'ryjl3-tyaaa-aaaaa-aaaba-cai',
  index: 'qhbym-qaaaa-aaaaa-aaafq-cai',
  cmc: 'rkp4c-7iaaa-aaaaa-aaaca-cai',
  management: 'aaaaa-aa',
} as const;

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Checks a network's URL and key policy; returns the URL to use. */
export function checkNetwork(n: NetworkConfig): URL {
  if (n.kind === 'mainnet') return new URL(MAINNET_URL);
  let url: URL;
  try {
    url = new URL(n.url);
  } catch {
    throw invalidInput(`"${n.url}" is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidInput('A replica URL starts with http:// or https://.');
  if (url.username || url.password) throw invalidInput('A replica URL cannot carry a user name or password.');
  if (n.kind === 'local' && !isLoopbackHost(url.hostname)) throw new DeskError('internal', 'The bundled subnet must run on this machine.');
  if (n.kind === 'custom') {
    if (n.rootKeyHex !== undefined) parseRootKeyHex(n.rootKeyHex);
    else if (!isLoopbackHost(url.hostname))
      throw invalidInput("A replica that is not on this machine needs its root key: paste it (it is never fetched from a remote host).");
    if (url.hostname.toLowerCase() === 'icp-api.io' || url.hostname.toLowerCase().endsWith('.icp0.io') || url.hostname.toLowerCase().endsWith('.ic0.app'))
      throw invalidInput('For the Internet Computer itself, choose the mainnet network (its root key is built in).');
  }
  return url;
}

/** A DER-encoded BLS root key given as hex (133 bytes, with the BLS12-381 G2 key's DER prefix). */
export function parseRootKeyHex(hex: string): Uint8Array {
  const h = hex.trim().toLowerCase().replace(/\s+/g, '');
  if (!/^[0-9a-f]*$/.test(h) || h.length % 2 !== 0) throw invalidInput('The root key must be hexadecimal.');
  if (h.length !== 266 || !h.startsWith('308182301d060d2b0601040182dc7c0503010201060c2b0601040182dc7c05030201036100'))
    throw invalidInput('That is not an IC root key (a DER-encoded BLS12-381 public key of 133 bytes, starting 308182301d06...).');
  return Uint8Array.from(h.match(/../g)!.map((b) => parseInt(b, 16)));
}

export function describeNetwork(n: NetworkConfig): string {
  return n.kind === 'mainnet' ? 'Internet Computer (mainnet)' : n.kind === 'local' ? 'Local test subnet' : `Custom replica ${n.url}`;
}
