// The renderer's only way to the main process: typed calls over the contract. In Electron the
// preload's window.desk carries them (IPC); in a browser (development, end-to-end tests) the
// loopback bridge does, with the token it put in the page's URL fragment. Either way the answer is
// an envelope, turned here into a value or a thrown DeskError.
import type { ArgsOf, MethodName, Results } from '../../../electron/api/contract.ts';
import { DeskError, type DeskErrorData } from '../../../electron/api/errors.ts';
import { decodeWire, encodeWire } from '../../../electron/api/codec.ts';

type Envelope = { ok: true; value: unknown } | { ok: false; error: DeskErrorData };
type Transport = (method: string, args: unknown[]) => Promise<Envelope>;

declare global {
  interface Window {
    desk?: { call(method: string, args: unknown[]): Promise<Envelope> };
  }
}

const TOKEN_KEY = 'neuron-desk-bridge-token';

function bridgeTransport(): Transport {
  // The token arrives once in the fragment (#token=...); keep it for this tab and drop it from the URL.
  const m = /^#token=([0-9a-f]{64})$/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, m[1]);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return async (method, args) => {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) return { ok: false, error: { kind: 'internal', message: 'This page was opened without its session token: open the URL printed by npm run web.' } };
    let res: Response;
    try {
      res = await fetch('/api/call', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: encodeWire({ method, args }) });
    } catch {
      return { ok: false, error: { kind: 'network', message: 'The desktop core is not answering.' } };
    }
    if (res.status !== 200) return { ok: false, error: { kind: 'internal', message: `The desktop core refused the call (${res.status}).` } };
    return decodeWire(await res.text()) as Envelope;
  };
}

let transport: Transport | undefined;

function current(): Transport {
  transport ??= window.desk ? (method, args) => window.desk!.call(method, args) : bridgeTransport();
  return transport;
}

/** Calls a contract method; throws DeskError with one clear sentence when it fails. */
export async function call<K extends MethodName>(method: K, ...args: ArgsOf<K>): Promise<Results[K]> {
  const envelope = await current()(method, args as unknown[]);
  if (!envelope.ok) throw DeskError.fromData(envelope.error);
  return envelope.value as Results[K];
}

/** For tests: replace the transport (component tests give a fake desk). */
export function setTransport(t: Transport | undefined): void {
  transport = t;
}

/** The sentence to show for a failure: the core's own (DeskError), a form's parse error (RangeError), else `fallback`. */
export function errorMessage(x: unknown, fallback: string): string {
  return (x instanceof DeskError || x instanceof RangeError) && x.message ? x.message : fallback;
}

export { DeskError };
