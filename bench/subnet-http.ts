// The subnet over HTTP with the real agent and an Ed25519 identity: query and certified update
// round trips, and sustained signed updates per second with 32 concurrent clients. Each figure
// is given twice: end to end through the agent (which verifies every certificate and query
// signature in pure JavaScript), and for the server alone (requests signed beforehand by the same
// identity class and posted raw), which is the part this project controls.
import { IDL } from '@icp-sdk/core/candid';
import { HttpAgent } from '@icp-sdk/core/agent';
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { LedgerCanister, AccountIdentifier } from '@dfinity/ledger-icp';
import { Principal } from '@icp-sdk/core/principal';
import { idlFactory } from '../subnet/candid/generated/ledger.did.ts';
import { LEDGER_ID } from '../subnet/canisters/ids.ts';
import { median, ms, percentile, signedEnvelope, subnetProcess, timed } from './support.ts';

const CLIENTS = 32;
const proc = await subnetProcess();
const url = proc.url;
try {
  const service = idlFactory({ IDL });
  const fn = (name: string) => service._fields.find(([n]) => n === name)![1];
  const identities = Array.from({ length: CLIENTS }, () => Ed25519KeyIdentity.generate());
  for (const id of identities) {
    await fetch(`${url}/_/mint`, { method: 'POST', body: JSON.stringify({ to: id.getPrincipal().toText(), e8s: '100000000000' }) });
  }
  const transferArg = (i: number) =>
    new Uint8Array(IDL.encode(fn('icrc1_transfer').argTypes, [
      { to: { owner: Principal.fromUint8Array(new Uint8Array([i & 255, 1])), subaccount: [] }, fee: [], memo: [], from_subaccount: [], created_at_time: [], amount: 1n },
    ]));
  const balanceArg = (p: Principal) => new Uint8Array(IDL.encode(fn('icrc1_balance_of').argTypes, [{ owner: p, subaccount: [] }]));

  // ---- end to end with the real agent --------------------------------------------------------
  const agent = await HttpAgent.create({ host: url, identity: identities[0], shouldFetchRootKey: true, verifyQuerySignatures: true });
  const ledger = LedgerCanister.create({ agent, canisterId: LEDGER_ID });
  const account = AccountIdentifier.fromPrincipal({ principal: identities[0].getPrincipal() });
  const to = { owner: identities[1].getPrincipal(), subaccount: [] as [] };
  await timed(30, () => ledger.accountBalance({ accountIdentifier: account, certified: false }));
  const agentQuery = await timed(300, () => ledger.accountBalance({ accountIdentifier: account, certified: false }));
  await timed(10, () => ledger.icrc1Transfer({ to, amount: 1n }));
  const agentUpdate = await timed(100, () => ledger.icrc1Transfer({ to, amount: 1n }));

  const agents = await Promise.all(
    identities.map(async (identity) => {
      const a = await HttpAgent.create({ host: url, identity, shouldFetchRootKey: true });
      return LedgerCanister.create({ agent: a, canisterId: LEDGER_ID });
    }),
  );
  let agentDone = 0;
  const agentSeconds = 10;
  const agentStart = performance.now();
  await Promise.all(
    agents.map(async (l) => {
      while (performance.now() - agentStart < agentSeconds * 1000) {
        await l.icrc1Transfer({ to, amount: 1n });
        agentDone++;
      }
    }),
  );
  const agentRate = agentDone / ((performance.now() - agentStart) / 1000);

  // ---- the server alone: pre-signed requests posted raw ----------------------------------------
  const expiry = BigInt(Date.now() + 4 * 60_000) * 1_000_000n;
  const post = (path: string, body: Uint8Array) =>
    fetch(url + path, { method: 'POST', body: body as BodyInit, headers: { 'Content-Type': 'application/cbor' } }).then(async (r) => {
      if (r.status !== 200) throw new Error(`status ${r.status}: ${await r.text()}`);
      await r.arrayBuffer();
    });
  const queryBody = await signedEnvelope(identities[0], 'query', LEDGER_ID, 'icrc1_balance_of', balanceArg(identities[0].getPrincipal()), expiry);
  const qPath = `/api/v3/canister/${LEDGER_ID.toText()}/query`;
  const cPath = `/api/v4/canister/${LEDGER_ID.toText()}/call`;
  await timed(50, () => post(qPath, queryBody));
  const rawQuery = await timed(500, () => post(qPath, queryBody));
  const seqBodies = await Promise.all(Array.from({ length: 200 }, (_, i) => signedEnvelope(identities[0], 'call', LEDGER_ID, 'icrc1_transfer', transferArg(i), expiry)));
  let k = 0;
  const rawUpdate = await timed(seqBodies.length, () => post(cPath, seqBodies[k++]));

  const PER_CLIENT = 250;
  const pools = await Promise.all(
    identities.map((id, c) => Promise.all(Array.from({ length: PER_CLIENT }, (_, i) => signedEnvelope(id, 'call', LEDGER_ID, 'icrc1_transfer', transferArg(c * PER_CLIENT + i), expiry)))),
  );
  const before = await (await fetch(`${url}/_/status`)).json();
  const rawStart = performance.now();
  await Promise.all(pools.map(async (pool) => { for (const body of pool) await post(cPath, body); }));
  const rawSeconds = (performance.now() - rawStart) / 1000;
  const after = await (await fetch(`${url}/_/status`)).json();
  const rawRate = (CLIENTS * PER_CLIENT) / rawSeconds;
  const updatesPerCert = (CLIENTS * PER_CLIENT) / (after.certificates_signed - before.certificates_signed);

  console.log('subnet over HTTP (ledger canister, Ed25519 identity, persistence on, server in its own process)');
  console.log(`  query round trip, real agent (query signature verified):   median ${ms(median(agentQuery))}, p90 ${ms(percentile(agentQuery, 90))}`);
  console.log(`  query round trip, server alone (pre-signed, raw HTTP):     median ${ms(median(rawQuery))}, p90 ${ms(percentile(rawQuery, 90))}`);
  console.log(`  certified update round trip, real agent:                   median ${ms(median(agentUpdate))}, p90 ${ms(percentile(agentUpdate, 90))}`);
  console.log(`  certified update round trip, server alone:                 median ${ms(median(rawUpdate))}, p90 ${ms(percentile(rawUpdate, 90))}`);
  console.log(`  sustained updates/s, ${CLIENTS} real-agent clients in one process: ${agentRate.toFixed(0)}/s`);
  console.log(`  sustained updates/s, ${CLIENTS} concurrent clients, server alone:  ${rawRate.toFixed(0)}/s (${CLIENTS * PER_CLIENT} calls, ${updatesPerCert.toFixed(1)} replies per BLS signature)`);
} finally {
  await proc.kill('SIGTERM');
}
