// A subnet with only the probe canister, as its own process (for crash tests).
import { Principal } from '@icp-sdk/core/principal';
import { startSubnet } from '../../../subnet/subnet.ts';
import { ProbeCanister } from './probe.ts';

const stateDir = process.argv[2];
const subnet = await startSubnet({
  port: 0,
  stateDir,
  canisters: () => ({ canisters: [new ProbeCanister(Principal.fromText('ryjl3-tyaaa-aaaaa-aaaba-cai'))] }),
});
console.log(subnet.url);
