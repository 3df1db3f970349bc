// A tiny canister for testing the HTTP interface alone. It borrows the ledger's Candid interface
// (so the real agent can talk to it) and answers three methods simply.
import { Principal } from '@icp-sdk/core/principal';
import { candid } from '../../../subnet/candid/index.ts';
import { reject, trap, type Canister, type CallContext } from '../../../subnet/canisters/canister.ts';

export class ProbeCanister implements Canister {
  readonly name = 'probe';
  readonly candid = candid.ledger;
  calls = 0;
  lastCaller?: Principal;
  constructor(readonly id: Principal) {}
  readonly methods = {
    icrc1_symbol: { mode: 'query' as const, handler: () => `PROBE${this.calls}` },
    icrc1_name: { mode: 'query' as const, handler: (ctx: CallContext) => ctx.caller.toText() },
    // Update: counts calls; memo "reject" rejects, memo "trap" traps.
    icrc1_transfer: {
      mode: 'update' as const,
      handler: (ctx: CallContext, arg: { memo: [] | [Uint8Array] }) => {
        const memo = arg.memo[0] ? new TextDecoder().decode(arg.memo[0]) : '';
        if (memo === 'reject') reject('probe rejects');
        if (memo === 'trap') trap('probe traps');
        this.calls++;
        this.lastCaller = ctx.caller;
        return { Ok: BigInt(this.calls) };
      },
    },
  };
  info() {
    return { controllers: [Principal.fromText('r7inp-6aaaa-aaaaa-aaabq-cai')], moduleHash: new Uint8Array(32).fill(7) };
  }
  snapshot() {
    return { calls: this.calls };
  }
  restore(s: unknown) {
    this.calls = (s as { calls: number }).calls;
  }
}
