import { Actor, HttpAgent } from '@icp-sdk/core/agent';
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { Principal } from '@icp-sdk/core/principal';
import { idlFactory } from '../subnet/candid/generated/ledger.did.ts';
import { startSubnet } from '../subnet/subnet.ts';
import { ProbeCanister } from '../test/subnet/support/probe.ts';
const ID = Principal.fromText('ryjl3-tyaaa-aaaaa-aaaba-cai');
const subnet = await startSubnet({ port: 0, canisters: () => ({ canisters: [new ProbeCanister(ID)] }) });
const agent = await HttpAgent.create({ host: subnet.url, identity: Ed25519KeyIdentity.generate(), shouldFetchRootKey: true });
const actor = Actor.createActor(idlFactory, { agent, canisterId: ID }) as any;
const arg = { to: { owner: Principal.anonymous(), subaccount: [] }, fee: [], memo: [], from_subaccount: [], created_at_time: [], amount: 1n };
const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1];
for (const [name, f] of [['query', () => actor.icrc1_name()], ['update', () => actor.icrc1_transfer(arg)]] as const) {
  for (let i = 0; i < 20; i++) await f();
  const t: number[] = [];
  for (let i = 0; i < 100; i++) { const s = performance.now(); await f(); t.push(performance.now() - s); }
  console.log(name, 'median ms', med(t).toFixed(2));
}
await subnet.stop();
