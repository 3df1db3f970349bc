// npm run subnet -- [--port N] [--state-dir DIR] [--fresh]
// Starts the simulated subnet on 127.0.0.1. The first line on stdout is its URL.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildDemoWorld } from './genesis/demo.ts';
import { startSubnet } from './subnet.ts';
import { nnsCanisters } from './world.ts';

const USAGE = 'usage: npm run subnet -- [--port N] [--state-dir DIR] [--fresh]';

function parse() {
  try {
    const { values } = parseArgs({
      options: {
        port: { type: 'string', default: '4943' },
        'state-dir': { type: 'string' },
        fresh: { type: 'boolean', default: false },
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
    return { port, stateDir: values['state-dir'] ? resolve(values['state-dir']) : undefined, fresh: values.fresh };
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

const opts = parse();
const subnet = await startSubnet({ ...opts, canisters: nnsCanisters(), genesis: buildDemoWorld });
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
