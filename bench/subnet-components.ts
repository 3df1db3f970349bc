// Where a certified update's time goes on the server: each step measured alone, in process.
import { IDL } from '@icp-sdk/core/candid';
import { Certificate, requestIdOf } from '@icp-sdk/core/agent';
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { Principal } from '@icp-sdk/core/principal';
import { decode } from '@dfinity/cbor';
import { idlFactory } from '../subnet/candid/generated/ledger.did.ts';
import { LEDGER_ID } from '../subnet/canisters/ids.ts';
import { SubnetKeys } from '../subnet/certification/keys.ts';
import { decodeEnvelope } from '../subnet/http/envelope.ts';
import { authenticate } from '../subnet/http/auth.ts';
import { buildDemoWorld } from '../subnet/genesis/demo.ts';
import { startSubnet } from '../subnet/subnet.ts';
import { nnsCanisters } from '../subnet/world.ts';
import { median, ms, signedEnvelope, timed } from './support.ts';

const identity = Ed25519KeyIdentity.generate();
const service = idlFactory({ IDL });
const transfer = service._fields.find(([n]) => n === 'icrc1_transfer')![1];
const arg = new Uint8Array(IDL.encode(transfer.argTypes, [{ to: { owner: Principal.anonymous(), subaccount: [] }, fee: [], memo: [], from_subaccount: [], created_at_time: [], amount: 1n }]));
const expiry = BigInt(Date.now() + 240_000) * 1_000_000n;
const body = await signedEnvelope(identity, 'call', LEDGER_ID, 'icrc1_transfer', arg, expiry);
const now = BigInt(Date.now()) * 1_000_000n;

const per = async (n: number, f: () => unknown) => median(await timed(n, async () => f()));
const figures: [string, number][] = [];
figures.push(['CBOR decode of the envelope', await per(2000, () => decode(body))]);
const content = (decode(body) as any).content;
figures.push(['request id (representation-independent hash)', await per(2000, () => requestIdOf(content))]);
const env = decodeEnvelope(body, 'call');
figures.push(['Ed25519 signature check (native)', await per(2000, () => authenticate(env, now, LEDGER_ID))]);
figures.push(['Candid decode of the arguments', await per(2000, () => IDL.decode(transfer.argTypes, arg))]);
const keys = await SubnetKeys.generate();
const root = new Uint8Array(46).fill(9);
figures.push(['BLS signature of a state root (mcl WebAssembly, what the subnet uses)', await per(200, () => keys.signState(root))]);
const { bls12_381 } = await import('@noble/curves/bls12-381');
const secret = bls12_381.utils.randomPrivateKey();
figures.push(['BLS signature of a state root (noble, pure JS, for comparison)', await per(30, () => bls12_381.signShortSignature(root, secret))]);

const subnet = await startSubnet({ port: 0, canisters: nnsCanisters(), genesis: buildDemoWorld });
await fetch(`${subnet.url}/_/mint`, { method: 'POST', body: JSON.stringify({ to: identity.getPrincipal().toText(), e8s: '100000000000' }) });
figures.push([
  'ledger icrc1_transfer executed in a round (runtime, no HTTP)',
  await per(300, () => subnet.runtime.callDecoded(LEDGER_ID, 'icrc1_transfer', [{ to: { owner: Principal.anonymous(), subaccount: [] }, fee: [], memo: [], from_subaccount: [], created_at_time: [], amount: 1n }], identity.getPrincipal())),
]);
figures.push(['certificate for one reply (tree, witness, BLS signature)', await per(200, () => subnet.certifier.certify([[new TextEncoder().encode('time')]]))]);
// The client's side: what the agent does with every certified reply and every query reply.
const cert = await subnet.certifier.certify([[new TextEncoder().encode('time')]]);
const rootKey = subnet.keys.rootKeyDer;
const clientFigures: [string, number][] = [
  ['agent: verify a certificate (Certificate.create, noble BLS pairing)', await per(20, () => Certificate.create({ certificate: cert, rootKey, principal: { canisterId: LEDGER_ID }, disableTimeVerification: true }))],
  ['agent: sign a request (Ed25519KeyIdentity)', await per(200, () => identity.sign(new Uint8Array(43)))],
];
await subnet.stop();

console.log('server-side cost of one certified update, step by step (medians, in process, no persistence)');
for (const [name, v] of figures) console.log(`  ${name.padEnd(70)} ${ms(v)}`);
console.log('client-side cost inside the real agent (pure JavaScript, not the server\'s)');
for (const [name, v] of clientFigures) console.log(`  ${name.padEnd(70)} ${ms(v)}`);
