// Top-ups and canister creations when the network loses an answer, at the transfer or at the
// notify: the review is confirmed again, the ICP is paid once and the cycles arrive once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Principal } from '@icp-sdk/core/principal';
import { AccountIdentifier } from '@icp-sdk/canisters/ledger/icp';
import { DeskError } from '../../../electron/api/errors.ts';
import { Cycles, type CreateCanisterResult, type TopUpResult } from '../../../electron/services/cycles.ts';
import { LocalStore } from '../../../electron/services/local-store.ts';
import { emptyLedgerData, type LedgerLocalData } from '../../../electron/services/ledger-store.ts';
import type { ManagementCanister } from '../../../subnet/canisters/management/management.ts';
import type { Subnet } from '../../../subnet/subnet.ts';
import { admin, deskFor, demoIdentity, startDeskSubnet, type TestDesk } from '../support/desk.ts';
import { FaultProxy } from '../support/fault-proxy.ts';

const ICP = 100_000_000n;
const FEE = 10_000n;

let subnet: Subnet;
let proxy: FaultProxy;
let dir: string;
let n = 0;
const newStore = () => new LocalStore<LedgerLocalData>(join(dir, `store-${++n}.json`), emptyLedgerData);
const mainId = (p: Principal) => AccountIdentifier.fromPrincipal({ principal: p }).toHex();
const balanceOf = (d: TestDesk, accountId: string) => d.connection.ledger.accountBalance({ accountIdentifier: accountId, certified: true });
const userCanisters = () => (subnet.runtime.canister(Principal.fromText('aaaaa-aa')) as unknown as ManagementCanister).userCanisterIds().length;

beforeAll(async () => {
  subnet = await startDeskSubnet('accounts');
  proxy = await FaultProxy.start(subnet.url);
  dir = mkdtempSync(join(tmpdir(), 'desk-cycles-retry-'));
});
afterAll(async () => {
  await proxy?.stop();
  await subnet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('top up when answers are lost', () => {
  for (const method of ['transfer', 'notify_top_up']) {
    it(`confirms again after the ${method} answer was lost: paid once, topped up once`, async () => {
      const through = await deskFor(subnet.url, demoIdentity(), { fetch: proxy.fetch });
      const direct = await deskFor(subnet.url, demoIdentity());
      const cycles = new Cycles(through.ctx, newStore());
      const status = new Cycles(direct.ctx, newStore());
      const r = await admin(subnet.url, '/_/canisters', { controllers: [direct.connection.principal.toText()], cycles: '1000000000000' });
      const canister: string = r.json.canister_id;
      const me = mainId(direct.connection.principal);
      const [balanceBefore, cyclesBefore] = [await balanceOf(direct, me), (await status.canisterStatus(canister)).cycles];

      const review = await cycles.prepareTopUp({ canisterId: canister, amount: '1' });
      const { firstError, result } = await confirmAfterLostAnswers<TopUpResult>(proxy, through, review.id, method, async () => {
        expect(await balanceOf(direct, me)).toBe(balanceBefore - ICP - FEE); // the payment went through
        const early = (await status.canisterStatus(canister)).cycles - cyclesBefore;
        if (method === 'notify_top_up') expect(early).toBeGreaterThan(3_499_000_000_000n); // and so did the notify
        else expect(early).toBeLessThanOrEqual(0n); // the notify was never sent
      });
      expect(firstError.kind).toBe('network');
      expect(result).toMatchObject({ canisterId: canister, cycles: 3_500_000_000_000n });

      expect(await balanceOf(direct, me)).toBe(balanceBefore - ICP - FEE);
      const added = (await status.canisterStatus(canister)).cycles - cyclesBefore;
      expect(added).toBeLessThanOrEqual(3_500_000_000_000n);
      expect(added).toBeGreaterThan(3_499_000_000_000n);
    });
  }
});

describe('create a canister when answers are lost', () => {
  it('confirms again after the notify_create_canister answer was lost: one canister, paid once', async () => {
    const through = await deskFor(subnet.url, demoIdentity('alice'), { fetch: proxy.fetch });
    const direct = await deskFor(subnet.url, demoIdentity('alice'));
    const store = newStore();
    const cycles = new Cycles(through.ctx, store);
    const me = mainId(direct.connection.principal);
    const [balanceBefore, canistersBefore] = [await balanceOf(direct, me), userCanisters()];

    const review = await cycles.prepareCreateCanister({ amount: '2', name: 'Indexer' });
    const { firstError, result } = await confirmAfterLostAnswers<CreateCanisterResult>(proxy, through, review.id, 'notify_create_canister', async () => {
      expect(userCanisters()).toBe(canistersBefore + 1); // created, though the answer was lost
      expect(cycles.listCanisters()).toEqual([]);
    });
    expect(firstError.kind).toBe('network');

    expect(userCanisters()).toBe(canistersBefore + 1);
    expect(await balanceOf(direct, me)).toBe(balanceBefore - 2n * ICP - FEE);
    expect(cycles.listCanisters()).toEqual([{ canisterId: result.canisterId, name: 'Indexer' }]);
    expect((await new Cycles(direct.ctx, newStore()).canisterStatus(result.canisterId)).controllers).toEqual([direct.connection.principal.toText()]);
  });
});

// ---- Confirming while answers are lost -----------------------------------------------------

/** The agent makes an update call up to 4 times (3 retries) before it gives up. */
const AGENT_ATTEMPTS = 4;
const BLACKOUT_MS = 1_500;

/**
 * Confirms a review while the proxy loses the answers of `method`: the first confirm must fail
 * (after the call took effect); confirming again finishes the operation.
 */
async function confirmAfterLostAnswers<T>(
  proxy: FaultProxy,
  desk: TestDesk,
  reviewId: string,
  method: string,
  afterFirstFailure: () => Promise<void> = async () => {},
): Promise<{ firstError: DeskError; result: T }> {
  const droppedBefore = proxy.dropped(method);
  proxy.dropAnswers({ method }, { times: AGENT_ATTEMPTS, blackoutMs: BLACKOUT_MS });
  const firstError = (await desk.reviews.confirm(reviewId).then(
    () => undefined,
    (e: unknown) => e,
  )) as DeskError;
  expect(firstError, 'the first confirm must fail').toBeInstanceOf(DeskError);
  expect(proxy.dropped(method) - droppedBefore).toBeGreaterThanOrEqual(1);
  await afterFirstFailure();
  // Should the agent try more often than assumed, the rest of the drops hit the next confirm: confirm again.
  for (let attempt = 1; ; attempt++) {
    await new Promise((r) => setTimeout(r, BLACKOUT_MS + 100));
    try {
      return { firstError, result: await desk.reviews.confirm<T>(reviewId) };
    } catch (e) {
      if (attempt >= 3 || !(e instanceof DeskError) || e.kind !== 'network') throw e;
    }
  }
}
