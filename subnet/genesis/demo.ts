// The demo world of the bundled subnet: play money for a documented demo identity and a few
// others, user canisters the demo identity controls, and a living NNS world with a history
// (nns-world.ts). These seed phrases are public: they are for the local simulated subnet only and
// must never hold anything real.
import { Principal } from '@icp-sdk/core/principal';
import { accountIdentifier, toHex } from '../canisters/common/accounts.ts';
import { LEDGER_ID, MANAGEMENT_ID } from '../canisters/ids.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { HISTORY_DAYS, buildNnsWorld } from './nns-world.ts';

export { DEMO_IDENTITIES, type DemoIdentity } from './demo-identities.ts';
import { DEMO_IDENTITIES } from './demo-identities.ts';

const ICP = 100_000_000n;

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
