// The subnet of the governance tests (support/governance.ts: the NNS canisters on the funded world)
// as its own process, for crash tests: `governance-subnet.ts <state dir>`; prints the URL.
import { startGovernanceSubnet } from './governance.ts';

const subnet = await startGovernanceSubnet({ stateDir: process.argv[2] });
console.log(subnet.url);
