// The contract between the renderer and the main process: every method, its arguments (validated
// here, at the boundary, before any service runs) and its result type. `window.desk` (preload.ts),
// the IPC binding (ipc.ts) and the loopback bridge (bridge/) all serve exactly this table.
import type { Review } from './review.ts';
import type { DeskEvent } from './events.ts';
import { int, object, oneOf, optional, str, type Infer, type Validator, amountText, opaqueId, principal } from './validate.ts';

/** What the app is connected to, in the user's terms. */
export interface NetworkSummary {
  kind: 'mainnet' | 'local' | 'custom';
  label: string;
  url: string;
}

export type SubnetState = { state: 'stopped' } | { state: 'starting' } | { state: 'running'; url: string } | { state: 'failed'; message: string };

export interface AppStatus {
  network: NetworkSummary;
  subnet: SubnetState;
}

const networkChoice = (v: unknown, name: string) => {
  const kind = oneOf(['mainnet', 'local', 'custom'] as const)((v as { kind?: unknown })?.kind, `${name}.kind`);
  if (kind === 'custom')
    return object({ kind: oneOf(['custom'] as const), url: str({ min: 1, max: 300 }), rootKeyHex: optional(str({ max: 400 })) })(v, name);
  return object({ kind: oneOf([kind] as const) })(v, name) as { kind: 'mainnet' | 'local' };
};

const proposalDraft = object({
  title: str({ min: 5, max: 256 }),
  summary: str({ max: 30_000 }),
  url: optional(str({ max: 2_048 })),
});

/** A method: its argument validators, in order. */
const m = <A extends Validator<unknown>[]>(...args: A) => ({ args });

export const METHODS = {
  'app.status': m(),
  'network.select': m(networkChoice),

  // The bundled subnet (local network only): lifecycle and its play-money tools.
  'subnet.start': m(),
  'subnet.stop': m(),
  'subnet.restart': m(),
  'subnet.reset': m(),
  'subnet.advanceTime': m(int(1, 10 * 365 * 86_400)),
  'subnet.faucet': m(amountText, optional(principal)),
  'subnet.openProposal': m(proposalDraft),

  // Reviews: every signing operation is prepared by its own method, then confirmed here.
  'reviews.get': m(opaqueId),
  'reviews.confirm': m(opaqueId),
  'reviews.cancel': m(opaqueId),

  'events.next': m(int(0, Number.MAX_SAFE_INTEGER), int(0, 25_000)),
} as const;

export type MethodName = keyof typeof METHODS;
type InferAll<T extends readonly unknown[]> = { [I in keyof T]: Infer<T[I]> };
export type ArgsOf<K extends MethodName> = InferAll<(typeof METHODS)[K]['args']>;

export interface Results {
  'app.status': AppStatus;
  'network.select': AppStatus;
  'subnet.start': SubnetState;
  'subnet.stop': SubnetState;
  'subnet.restart': SubnetState;
  'subnet.reset': SubnetState;
  'subnet.advanceTime': { timeNs: bigint };
  'subnet.faucet': { blockIndex: bigint };
  'subnet.openProposal': { proposalId: bigint };
  'reviews.get': Review;
  'reviews.confirm': unknown;
  'reviews.cancel': null;
  'events.next': DeskEvent[];
}

/** The API as the renderer calls it, and as the main process implements it. */
export type DeskApi = { [K in MethodName]: (...args: ArgsOf<K>) => Promise<Results[K]> };

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(METHODS, name);
}
