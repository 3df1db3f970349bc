// SIGKILL during a stream of ledger transfers: after a restart no acknowledged block is missing
// and the ledger's books balance (sum of balances = minted - burned - fees = total supply).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { Actor, HttpAgent } from '@icp-sdk/core/agent';
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { AccountIdentifier, LedgerCanister } from '@dfinity/ledger-icp';
import { idlFactory } from '../../subnet/candid/generated/ledger.did.ts';
import type { _SERVICE as LedgerService, Operation } from '../../subnet/candid/generated/ledger.did.ts';
import { LEDGER_ID } from '../../subnet/canisters/ids.ts';
import type { Subnet } from '../../subnet/subnet.ts';
import { demoIdentity, startNnsSubnet } from './support/nns.ts';
import { spawnSubnet } from './support/process.ts';

const dir = mkdtempSync(join(tmpdir(), 'subnet-crash-'));
let restarted: Subnet | undefined;
afterAll(async () => {
  await restarted?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('loses no acknowledged transfer when killed mid-stream, and the books balance', async () => {
  const proc = await spawnSubnet('subnet/cli.ts', ['--port', '0', '--state-dir', dir]);
  const senders = ['demo', 'alice', 'bob'].map((n) => demoIdentity(n));
  const acknowledged: { block: bigint; to: string; amount: bigint }[] = [];
  let stop = false;
  const streams = senders.flatMap((identity) =>
    Array.from({ length: 4 }, async () => {
      const agent = await HttpAgent.create({ host: proc.url, identity, shouldFetchRootKey: true, retryTimes: 0 });
      const ledger = LedgerCanister.create({ agent, canisterId: LEDGER_ID });
      while (!stop) {
        const to = AccountIdentifier.fromPrincipal({ principal: Ed25519KeyIdentity.generate().getPrincipal() });
        const amount = BigInt(1 + Math.floor(Math.random() * 10_000));
        try {
          const block = await ledger.transfer({ to, amount, createdAt: BigInt(Date.now()) * 1_000_000n });
          acknowledged.push({ block, to: to.toHex(), amount });
        } catch {
          return;
        }
      }
    }),
  );
  await new Promise((r) => setTimeout(r, 2500));
  await proc.kill('SIGKILL');
  stop = true;
  await Promise.all(streams);
  expect(acknowledged.length).toBeGreaterThan(20);

  restarted = await startNnsSubnet({ stateDir: dir });
  const agent = await HttpAgent.create({ host: restarted.url, identity: Ed25519KeyIdentity.generate(), shouldFetchRootKey: true });
  const ledger = Actor.createActor<LedgerService>(idlFactory, { agent, canisterId: LEDGER_ID });
  const blocks: Operation[] = [];
  for (;;) {
    const res = await ledger.query_blocks({ start: BigInt(blocks.length), length: 2000n });
    if (res.blocks.length === 0) break;
    for (const b of res.blocks) blocks.push(b.transaction.operation[0]!);
    if (BigInt(blocks.length) >= res.chain_length) break;
  }
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  for (const a of acknowledged) {
    const op = blocks[Number(a.block)];
    expect(op && 'Transfer' in op, `block ${a.block} is missing`).toBe(true);
    if (op && 'Transfer' in op) {
      expect(hex(op.Transfer.to)).toBe(a.to);
      expect(op.Transfer.amount.e8s).toBe(a.amount);
    }
  }
  const balances = new Map<string, bigint>();
  const add = (acc: Uint8Array, d: bigint) => balances.set(hex(acc), (balances.get(hex(acc)) ?? 0n) + d);
  let supply = 0n;
  for (const op of blocks) {
    if ('Mint' in op) { add(op.Mint.to, op.Mint.amount.e8s); supply += op.Mint.amount.e8s; }
    else if ('Burn' in op) { add(op.Burn.from, -op.Burn.amount.e8s); supply -= op.Burn.amount.e8s; }
    else if ('Transfer' in op) {
      add(op.Transfer.from, -op.Transfer.amount.e8s - op.Transfer.fee.e8s);
      add(op.Transfer.to, op.Transfer.amount.e8s);
      supply -= op.Transfer.fee.e8s;
    } else if ('Approve' in op) { add(op.Approve.from, -op.Approve.fee.e8s); supply -= op.Approve.fee.e8s; }
  }
  expect(await ledger.icrc1_total_supply()).toBe(supply);
  let sum = 0n;
  for (const [account, expected] of balances) {
    const { e8s } = await ledger.account_balance({ account: Buffer.from(account, 'hex') });
    expect(e8s).toBe(expected);
    sum += e8s;
  }
  expect(sum).toBe(supply);
});
