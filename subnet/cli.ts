// npm run subnet -- [--port N] [--state-dir DIR] [--fresh] [--neurons N --proposals P [--owner PRINCIPAL --owner-neurons K]]
// Starts the simulated subnet on 127.0.0.1. The first line on stdout is its URL. With --neurons /
// --proposals a fresh state is the mainnet-sized fixture (genesis/fixture.ts) instead of the demo world;
// --owner gives that principal (e.g. a demo identity's) K of the fixture's neurons (default 1,000).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildDemoWorld } from './genesis/demo.ts';
import { Principal } from '@icp-sdk/core/principal';
import { fixtureOwner, type FixtureOptions } from './canisters/governance/fixture.ts';
import { buildFixtureWorld } from './genesis/fixture.ts';
import { startSubnet } from './subnet.ts';
import { nnsCanisters } from './world.ts';

const USAGE = 'usage: npm run subnet -- [--port N] [--state-dir DIR] [--fresh] [--neurons N] [--proposals P] [--owner PRINCIPAL] [--owner-neurons K]';

function parse() {
  try {
    const { values } = parseArgs({
      options: {
        port: { type: 'string', default: '4943' },
        'state-dir': { type: 'string' },
        fresh: { type: 'boolean', default: false },
        neurons: { type: 'string' },
        proposals: { type: 'string' },
        owner: { type: 'string' },
        'owner-neurons': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${values.port}`);
    let fixture: FixtureOptions | undefined;
    if ((values.owner !== undefined || values['owner-neurons'] !== undefined) && values.neurons === undefined && values.proposals === undefined) {
      throw new Error('--owner and --owner-neurons go with --neurons / --proposals');
    }
    if (values.neurons !== undefined || values.proposals !== undefined) {
      const neurons = Number(values.neurons ?? 400_000);
      const proposals = Number(values.proposals ?? 150_000);
      if (!Number.isInteger(neurons) || neurons < 12 || neurons > 2_000_000) throw new Error(`--neurons must be an integer in 12..2000000, got ${values.neurons}`);
      if (!Number.isInteger(proposals) || proposals < 0 || proposals > 1_000_000) throw new Error(`--proposals must be an integer in 0..1000000, got ${values.proposals}`);
      fixture = { neurons, proposals };
      if (values.owner !== undefined) fixture.owner = Principal.fromText(values.owner).toText();
      if (values['owner-neurons'] !== undefined) fixture.ownerNeurons = Number(values['owner-neurons']);
      fixtureOwner(fixture); // refuses a count that does not fit, before anything starts
    }
    return { port, stateDir: values['state-dir'] ? resolve(values['state-dir']) : undefined, fresh: values.fresh, fixture };
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

const opts = parse();
const { fixture, ...subnetOpts } = opts;
if (fixture) {
  console.error(`subnet: a new state (or --fresh) starts with the fixture of ${fixture.neurons} neurons and ${fixture.proposals} proposals; building it takes a while`);
}
const subnet = await startSubnet({ ...subnetOpts, canisters: nnsCanisters(), genesis: fixture ? buildFixtureWorld(fixture) : buildDemoWorld });
console.log(subnet.url);
console.error(
  `subnet: root key ${subnet.rootKeyHex.slice(0, 24)}..., ${opts.stateDir ? `state in ${opts.stateDir}` : 'state in memory only'}`,
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await subnet.stop();
    process.exit(0);
  });
}
