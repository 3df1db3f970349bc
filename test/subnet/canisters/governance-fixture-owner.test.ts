// The fixture's owner option: a chosen principal (a demo identity, as the renderer benchmark signs in
// with) controls K of the fixture's neurons, backed by the ledger like every other stake; a count
// that does not fit is refused before anything is built.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Principal } from '@icp-sdk/core/principal';
import { fixtureOwner, fixtureWhale } from '../../../subnet/canisters/governance/fixture.ts';
import { neuronAccount } from '../../../subnet/canisters/governance/staking.ts';
import { GovernanceCanister } from '../../../subnet/canisters/governance/governance.ts';
import { GOVERNANCE_ID, LEDGER_ID } from '../../../subnet/canisters/ids.ts';
import { DEMO_IDENTITIES } from '../../../subnet/genesis/demo-identities.ts';
import { buildFixtureWorld } from '../../../subnet/genesis/fixture.ts';
import { Runtime } from '../../../subnet/runtime/runtime.ts';
import { nnsCanisters } from '../../../subnet/world.ts';

const demo = DEMO_IDENTITIES.find((d) => d.name === 'demo')!;

describe('the fixture with an owner', () => {
  it('gives the owner exactly K neurons, each stake on the ledger', async () => {
    const { canisters, userCanisterHost } = nnsCanisters()(Principal.fromText('2vxsx-fae'));
    const governance = canisters.find((c) => c instanceof GovernanceCanister) as GovernanceCanister;
    const rt = await Runtime.create({ canisters, userCanisterHost, genesis: buildFixtureWorld({ neurons: 400, proposals: 60, owner: demo.principal, ownerNeurons: 250 }) });
    const owner = Principal.fromText(demo.principal);
    const ids = rt.queryDecoded<BigUint64Array>(GOVERNANCE_ID, 'get_neuron_ids', [], owner);
    expect(ids.length).toBe(250);
    // The default whale has none in this world.
    expect(rt.queryDecoded<BigUint64Array>(GOVERNANCE_ID, 'get_neuron_ids', [], fixtureWhale().getPrincipal()).length).toBe(0);
    for (const id of [...ids].slice(0, 20)) {
      const n = governance.governanceState.neuron(id)!;
      expect(n.controller.toText()).toBe(demo.principal);
      const balance = rt.queryDecoded<{ e8s: bigint }>(LEDGER_ID, 'account_balance', [{ account: neuronAccount(n.subaccount) }], Principal.anonymous());
      expect(balance.e8s).toBe(n.cachedStakeE8s);
    }
    expect(governance.governanceState.proposals.size).toBe(60);
    await rt.close();
  });

  it('keeps the whale by default and refuses a count that does not fit', () => {
    expect(fixtureOwner({ neurons: 2_000, proposals: 0 })).toEqual({ whale: fixtureWhale().getPrincipal(), count: 1_000 });
    expect(() => fixtureOwner({ neurons: 100, proposals: 0, owner: demo.principal, ownerNeurons: 89 })).toThrow(/at least 101 neurons/);
    expect(() => fixtureOwner({ neurons: 100, proposals: 0, ownerNeurons: -1 })).toThrow(/non-negative integer/);
    expect(() => fixtureOwner({ neurons: 100, proposals: 0, owner: 'not a principal' })).toThrow();
  });

  it('is refused by the command line before the subnet starts', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'subnet/cli.ts', '--port', '0', '--neurons', '100', '--proposals', '0', '--owner', demo.principal, '--owner-neurons', '500'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/at least 512 neurons/);
    const alone = spawnSync(process.execPath, ['--import', 'tsx', 'subnet/cli.ts', '--port', '0', '--owner', demo.principal], { cwd: root, encoding: 'utf8' });
    expect(alone.status).toBe(2);
    expect(alone.stderr).toMatch(/go with --neurons/);
  });
});
