// Sending ICP when the network loses the ledger's answer: the review is confirmed again and the
// ICP moves once (the ledger answers the retried transfer as a duplicate of the first).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Principal } from '@icp-sdk/core/principal';
import { AccountIdentifier } from '@icp-sdk/canisters/ledger/icp';
import { DeskError } from '../../../electron/api/errors.ts';
import { Accounts, type SendResult } from '../../../electron/services/accounts.ts';
import { LocalStore } from '../../../electron/services/local-store.ts';
import { emptyLedgerData, type LedgerLocalData } from '../../../electron/services/ledger-store.ts';
import type { Subnet } from '../../../subnet/subnet.ts';
import { deskFor, demoIdentity, startDeskSubnet, type TestDesk } from '../support/desk.ts';
import { FaultProxy } from '../support/fault-proxy.ts';

const ICP = 100_000_000n;
const FEE = 10_000n;

let subnet: Subnet;
let proxy: FaultProxy;
let dir: string;
const mainId = (p: Principal) => AccountIdentifier.fromPrincipal({ principal: p }).toHex();
const balanceOf = (d: TestDesk, accountId: string) => d.connection.ledger.accountBalance({ accountIdentifier: accountId, certified: true });

beforeAll(async () => {
  subnet = await startDeskSubnet('accounts');
  proxy = await FaultProxy.start(subnet.url);
  dir = mkdtempSync(join(tmpdir(), 'desk-accounts-retry-'));
});
afterAll(async () => {
  await proxy?.stop();
  await subnet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('sending when answers are lost', () => {
  for (const kind of ['account id (transfer)', 'ICRC-1 account (icrc1_transfer)'] as const) {
    it(`confirms again after a dropped answer and pays once: ${kind}`, async () => {
      const through = await deskFor(subnet.url, demoIdentity('bob'), { fetch: proxy.fetch });
      const direct = await deskFor(subnet.url, demoIdentity('bob'));
      const accounts = new Accounts(through.ctx, new LocalStore<LedgerLocalData>(join(dir, `${kind}.json`), emptyLedgerData));
      const carol = Principal.fromText('p7nbk-xlkhg-cpics-bztbm-2kgdk-hnqcm-i6jow-qlnjo-m4jyo-plybb-4ae');
      const legacy = kind.startsWith('account');
      const method = legacy ? 'transfer' : 'icrc1_transfer';
      const me = mainId(through.connection.principal);
      const [meBefore, carolBefore] = [await balanceOf(direct, me), await balanceOf(direct, mainId(carol))];

      const review = await accounts.prepareSend({ to: legacy ? mainId(carol) : carol.toText(), amount: '2' });
      const { firstError, result } = await confirmAfterLostAnswers<SendResult>(proxy, through, review.id, method, async () => {
        // The transfer happened although its answer was lost.
        expect(await balanceOf(direct, me)).toBe(meBefore - 2n * ICP - FEE);
      });
      expect(firstError).toBeInstanceOf(DeskError);
      expect(firstError.kind).toBe('network');

      expect(await balanceOf(direct, me)).toBe(meBefore - 2n * ICP - FEE);
      expect(await balanceOf(direct, mainId(carol))).toBe(carolBefore + 2n * ICP);
      const last = await direct.connection.index.getTransactions({ accountIdentifier: me, maxResults: 1n, certified: false });
      expect(last.transactions[0].id).toBe(result.blockIndex); // the original block: the retry was a duplicate
    });
  }
});

// ---- Confirming while answers are lost -----------------------------------------------------

/** The agent makes an update call up to 4 times (3 retries) before it gives up. */
const AGENT_ATTEMPTS = 4;
const BLACKOUT_MS = 1_500;

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
