// The demo world of the bundled subnet: play money for a documented demo identity and a few
// others, user canisters the demo identity controls, and a living NNS world with a history
// (nns-world.ts). These seed phrases are public: they are for the local simulated subnet only and
// must never hold anything real.
import { Principal } from '@icp-sdk/core/principal';
import { accountIdentifier, toHex } from '../canisters/common/accounts.ts';
import { LEDGER_ID, MANAGEMENT_ID } from '../canisters/ids.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { HISTORY_DAYS, buildNnsWorld } from './nns-world.ts';

export interface DemoIdentity {
  name: string;
  /** BIP39, secp256k1 at m/44'/223'/0'/0/0 (what dfx, quill and Plug derive). */
  seedPhrase: string;
  principal: string;
  e8s: bigint;
}

const ICP = 100_000_000n;

export const DEMO_IDENTITIES: DemoIdentity[] = [
  {
    name: 'demo',
    seedPhrase:
      'work cargo say city apart creek arctic float misery frown make tired bind keep office black guess pave enough rule stock diary slight team',
    principal: '7e3ji-74oqq-fzbz4-3bseg-bzrgw-kj4zz-ym5pj-jndqw-rjkxn-jt4s7-hqe',
    e8s: 2_500n * ICP,
  },
  {
    name: 'alice',
    seedPhrase:
      'cherry pink shift kiwi lazy vanish antenna crouch laptop domain indoor ostrich hybrid learn cactus swap park credit expect lady system napkin minute fitness',
    principal: 'em2mo-wlfwe-nlzcn-o4sqa-jgi3i-fiyxi-c4gtg-nnjyu-sgk7g-vcjiv-sae',
    e8s: 10_000n * ICP,
  },
  {
    name: 'bob',
    seedPhrase:
      'exile capable key castle theory glue puppy high about drum grain topple where clap claw history buzz someone divide rhythm dial crisp holiday fee',
    principal: 'iazxs-xke4z-4ixwr-3cfxv-x2wsk-m3stm-zwgfe-g4shi-xwbra-ns2lf-nqe',
    e8s: 750n * ICP,
  },
  {
    name: 'carol',
    seedPhrase:
      'cable major stove matter minor ramp speed oil pair disease dial surface month neck admit exclude tiny office city invite eight simple panic lawsuit',
    principal: 'p7nbk-xlkhg-cpics-bztbm-2kgdk-hnqcm-i6jow-qlnjo-m4jyo-plybb-4ae',
    e8s: 42n * ICP,
  },
];

/**
 * ICP outside the demo accounts, so that the total supply (which sizes voting rewards) is in the
 * range of mainnet's (about 540 million ICP in 2026).
 */
export const RESERVE = {
  /** An opaque principal nobody holds a key for. */
  principal: Principal.fromUint8Array(new Uint8Array([...new TextEncoder().encode('reserve'), 0x01])),
  e8s: 540_000_000n * ICP,
};

/** User canisters of the demo identity: one comfortable, one running low on cycles. */
export const DEMO_CANISTERS = [{ cycles: 4_200_000_000_000n }, { cycles: 350_000_000_000n }];

/** The CMC's rate: 1 ICP = 3.5 XDR (10^4 permyriad per XDR). */
export const GENESIS_XDR_PERMYRIAD_PER_ICP = 35_000n;

/**
 * The whole demo world (what `npm run subnet` starts with): the clock starts HISTORY_DAYS in the
 * past, the accounts are funded, the NNS world is built and lives through its history, and the
 * clock ends at the present.
 */
export async function buildDemoWorld(rt: Runtime): Promise<void> {
  rt.rewindForGenesis(HISTORY_DAYS * 86_400);
  await buildDemoAccounts(rt);
  await buildNnsWorld(rt, { reserve: RESERVE.principal, identities: DEMO_IDENTITIES });
  await rt.advanceToPresent();
}

/**
 * The ledger side only: ICP for the demo identities and the reserve, and the demo identity's
 * canisters; governance stays empty (a lighter world for tests that build their own).
 */
export async function buildDemoAccounts(rt: Runtime): Promise<void> {
  for (const id of DEMO_IDENTITIES) {
    await rt.admin(LEDGER_ID, 'mint', { to: toHex(accountIdentifier(Principal.fromText(id.principal))), e8s: id.e8s });
  }
  await rt.admin(LEDGER_ID, 'mint', { to: toHex(accountIdentifier(RESERVE.principal)), e8s: RESERVE.e8s });
  const demo = DEMO_IDENTITIES[0].principal;
  for (const c of DEMO_CANISTERS) {
    await rt.admin(MANAGEMENT_ID, 'create_canister', { controllers: [demo], cycles: c.cycles });
  }
}
