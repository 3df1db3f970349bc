// The bundled subnet as the app runs it: its own process, state in a folder, restart and reset.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { AccountIdentifier } from '@icp-sdk/canisters/ledger/icp';
import { LocalSubnet, nodeLauncher, type SubnetStatus } from '../../electron/network/local-subnet.ts';
import { deskFor, demoIdentity } from './support/desk.ts';

const dir = mkdtempSync(join(tmpdir(), 'desk-subnet-'));
const subnet = new LocalSubnet({ stateDir: dir });
afterAll(async () => {
  await subnet.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function balanceOf(url: string, name: 'demo' | 'bob') {
  const { connection } = await deskFor(url, demoIdentity(name));
  return connection.ledger.accountBalance({ accountIdentifier: AccountIdentifier.fromPrincipal({ principal: connection.principal }), certified: true });
}

it('starts in its own process, keeps its state across a restart, and resets to genesis', async () => {
  const seen: SubnetStatus['state'][] = [];
  subnet.onStatus((s) => seen.push(s.state));
  const [url, again] = await Promise.all([subnet.start(), subnet.start()]); // one process
  expect(url).toBe(again);
  expect(subnet.status()).toEqual({ state: 'running', url });
  const start = await balanceOf(url, 'bob');
  expect(start).toBe(750n * 100_000_000n);

  const { connection } = await deskFor(url, demoIdentity('bob'));
  await connection.ledger.transfer({ to: AccountIdentifier.fromPrincipal({ principal: demoIdentity('demo').getPrincipal() }), amount: 100_000_000n });
  const url2 = await subnet.restart();
  expect(await balanceOf(url2, 'bob')).toBe(start - 100_000_000n - 10_000n);

  const url3 = await subnet.reset();
  expect(await balanceOf(url3, 'bob')).toBe(start);
  await subnet.stop();
  expect(subnet.status()).toEqual({ state: 'stopped' });
  expect(seen).toEqual(['starting', 'running', 'stopped', 'starting', 'running', 'stopped', 'starting', 'running', 'stopped']);
});

it('reports a subnet that cannot start, with its own words', async () => {
  const broken = new LocalSubnet({ stateDir: dir, launch: (args) => nodeLauncher([...args, '--no-such-flag']) });
  const e = await broken.start().catch((x) => x);
  expect(e.kind).toBe('internal');
  expect(e.message).toBe('The local test subnet could not start.');
  expect(e.detail).toMatch(/no-such-flag|Unknown option/);
  expect(broken.status().state).toBe('failed');
});
