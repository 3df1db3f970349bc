// Assembles a subnet: keys, runtime, certifier and HTTP server around a set of canisters.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Canister } from './canisters/canister.ts';
import { Certifier } from './certification/certifier.ts';
import { SubnetKeys } from './certification/keys.ts';
import { SubnetHttpServer } from './http/server.ts';
import { Runtime, type UserCanisterHost } from './runtime/runtime.ts';
import { toHex } from './canisters/common/accounts.ts';

export interface SubnetOptions {
  /** 0 picks a free port. */
  port?: number;
  stateDir?: string;
  fresh?: boolean;
  /** Builds the canisters; receives the subnet id (the CMC needs it). */
  canisters: (subnetId: import('@icp-sdk/core/principal').Principal) => { canisters: Canister[]; userCanisterHost?: UserCanisterHost };
  genesis?: (rt: Runtime) => Promise<void>;
}

export interface Subnet {
  url: string;
  runtime: Runtime;
  keys: SubnetKeys;
  certifier: Certifier;
  rootKeyHex: string;
  stop(): Promise<void>;
}

export async function startSubnet(opts: SubnetOptions): Promise<Subnet> {
  if (opts.stateDir && opts.fresh) {
    // Fresh state, but the keys stay: clients may have cached the root key.
    const { Persistence } = await import('./runtime/persistence.ts');
    new Persistence(opts.stateDir).wipe();
  }
  const keys = opts.stateDir ? await SubnetKeys.inDir(opts.stateDir) : await SubnetKeys.generate();
  const { canisters, userCanisterHost } = opts.canisters(keys.subnetId);
  const runtime = await Runtime.create({ canisters, userCanisterHost, stateDir: opts.stateDir, genesis: opts.genesis });
  const certifier = new Certifier(runtime, keys);
  runtime.onRounds = () => certifier.refreshDataCertificate();
  certifier.refreshDataCertificate();
  const http = new SubnetHttpServer({ runtime, certifier, keys });
  const url = await http.listen(opts.port ?? 4943);
  const rootKeyHex = toHex(keys.rootKeyDer);
  if (opts.stateDir) writeFileSync(join(opts.stateDir, 'subnet.json'), JSON.stringify({ url, root_key: rootKeyHex }, null, 2) + '\n');
  return {
    url,
    runtime,
    keys,
    certifier,
    rootKeyHex,
    async stop() {
      await http.close();
      await runtime.close();
    },
  };
}
