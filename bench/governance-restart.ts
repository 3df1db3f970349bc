// Part of bench/governance-scale.ts: restarts the runtime from a state directory in a fresh
// process (as after a reboot or a crash) and prints {"ms", "rssMiB"} as JSON. Not a benchmark
// of its own (bench/run.ts does not list it).
import { Principal } from '@icp-sdk/core/principal';
import { Runtime } from '../subnet/runtime/runtime.ts';
import { nnsCanisters } from '../subnet/world.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: governance-restart.ts <state dir>');
const { canisters, userCanisterHost } = nnsCanisters()(Principal.fromText('2vxsx-fae'));
const t = performance.now();
const rt = await Runtime.create({
  canisters,
  userCanisterHost,
  stateDir: dir,
  genesis: () => Promise.reject(new Error('the state directory has no checkpoint')),
});
const elapsed = performance.now() - t;
console.log(JSON.stringify({ ms: elapsed, rssMiB: process.memoryUsage().rss / 2 ** 20, height: rt.height }));
process.exit(0); // without close(): that would write a new checkpoint into the state measured
