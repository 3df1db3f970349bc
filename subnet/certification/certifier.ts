// Certificates of the subnet's state. Everyone who needs a certificate in the same turn of the event
// loop (the replies of a batch of rounds, read_state requests) shares one signed tree: one BLS
// signature covers them all, and each gets a witness that reveals only its own paths.
import { encodeWithSelfDescribedTag } from '@dfinity/cbor';
import { Principal } from '@icp-sdk/core/principal';
import type { Runtime } from '../runtime/runtime.ts';
import { hashOf, leb128, SubTree, witness, type LabeledTree, type Path } from './hashtree.ts';
import type { SubnetKeys } from './keys.ts';

const STATE_ROOT_DOMAIN = new Uint8Array([0x0d, ...new TextEncoder().encode('ic-state-root')]);
const text = (s: string) => new TextEncoder().encode(s);

/** Canister ids of the subnet: [index u64 BE, 1, 1] for every index below 2^32. */
export const CANISTER_RANGES: [Uint8Array, Uint8Array][] = [
  [new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 1, 1]), new Uint8Array([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 1, 1])],
];

interface Pending {
  paths: Path[];
  resolve: (cert: Uint8Array) => void;
  reject: (e: unknown) => void;
}

export class Certifier {
  private pending: Pending[] = [];
  private scheduled = false;
  private latest?: Uint8Array;
  private latestKey = '';
  private certifiedTime = 0n;
  /** Signatures made, for benchmarks. */
  signatures = 0;

  constructor(
    private readonly runtime: Runtime,
    private readonly keys: SubnetKeys,
  ) {
    runtime.dataCertificate = () => this.latest;
  }

  /** A certificate (CBOR bytes) revealing the given paths and /time. */
  certify(paths: Path[]): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.pending.push({ paths, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Signs a fresh certificate holding every canister's certified data, for ic0.data_certificate.
   * Called after rounds that changed some certified data.
   */
  refreshDataCertificate(): void {
    const paths: Path[] = [];
    let key = '';
    for (const id of this.runtime.canisterIds()) {
      const data = this.runtime.canister(id)?.certifiedData?.();
      if (!data) continue;
      paths.push([text('canister'), id.toUint8Array(), text('certified_data')]);
      key += id.toText() + Buffer.from(data).toString('hex');
    }
    if (paths.length === 0 || key === this.latestKey) return;
    this.latestKey = key;
    void this.certify(paths).then((cert) => (this.latest = cert));
  }

  private flush() {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    try {
      const now = this.runtime.now();
      this.certifiedTime = now > this.certifiedTime ? now : this.certifiedTime + 1n;
      const timePath = [text('time')];
      const tree = this.stateTree(
        batch.flatMap((p) => p.paths),
        this.certifiedTime,
      );
      const root = hashOf(tree);
      const signature = this.keys.signState(new Uint8Array([...STATE_ROOT_DOMAIN, ...root]));
      this.signatures++;
      for (const p of batch) {
        const cert = encodeWithSelfDescribedTag({ tree: witness(tree, [timePath, ...p.paths]), signature });
        p.resolve(cert);
      }
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  }

  /** The part of the state tree that the paths reach, plus /time. */
  private stateTree(paths: Path[], time: bigint): SubTree {
    const top = new Map<string, Path[]>();
    for (const p of paths) {
      if (p.length === 0) continue;
      const key = new TextDecoder().decode(p[0]);
      const rest = top.get(key) ?? [];
      rest.push(p.slice(1));
      top.set(key, rest);
    }
    const entries: [string, LabeledTree][] = [['time', leb128(time)]];
    const rs = top.get('request_status');
    if (rs) entries.push(['request_status', this.requestStatus(rs)]);
    const cs = top.get('canister');
    if (cs) entries.push(['canister', this.canisters(cs)]);
    const ss = top.get('subnet');
    if (ss) entries.push(['subnet', this.subnet(ss)]);
    return new SubTree(entries);
  }

  private requestStatus(rest: Path[]): SubTree {
    const ids = selectLabels(rest);
    const entries: [Uint8Array, LabeledTree][] = [];
    for (const id of ids ?? []) {
      const status = this.runtime.ingressStatus(Buffer.from(id).toString('hex'));
      if (!status) continue;
      const node: [string, LabeledTree][] = [['status', text(status.status)]];
      const o = status.outcome;
      if (o?.status === 'replied') node.push(['reply', o.reply]);
      if (o?.status === 'rejected') {
        node.push(['reject_code', leb128(o.code)], ['reject_message', text(o.message)], ['error_code', text(o.errorCode)]);
      }
      entries.push([id, new SubTree(node)]);
    }
    return new SubTree(entries);
  }

  private canisters(rest: Path[]): SubTree {
    const ids = selectLabels(rest) ?? this.runtime.canisterIds().map((p) => p.toUint8Array());
    const entries: [Uint8Array, LabeledTree][] = [];
    for (const id of ids) {
      const info = this.runtime.canisterTreeInfo(Principal.fromUint8Array(id));
      if (!info) continue;
      const node: [string, LabeledTree][] = [
        ['controllers', encodeWithSelfDescribedTag(info.controllers.map((c) => c.toUint8Array()))],
        ['metadata', new SubTree(Object.entries(info.metadata))],
      ];
      if (info.moduleHash) node.push(['module_hash', info.moduleHash]);
      if (info.certifiedData) node.push(['certified_data', info.certifiedData]);
      entries.push([id, new SubTree(node)]);
    }
    return new SubTree(entries);
  }

  private subnet(_rest: Path[]): SubTree {
    const k = this.keys;
    const ranges = encodeWithSelfDescribedTag(CANISTER_RANGES.map(([a, b]) => [a, b]));
    return new SubTree([
      [
        k.subnetId.toUint8Array(),
        new SubTree([
          ['public_key', k.rootKeyDer],
          ['canister_ranges', ranges],
          ['node', new SubTree([[k.nodeId.toUint8Array(), new SubTree([['public_key', k.nodeKeyDer]])]])],
        ]),
      ],
    ]);
  }
}

/** The distinct first labels of the paths; undefined when one path asks for everything. */
function selectLabels(rest: Path[]): Uint8Array[] | undefined {
  if (rest.some((p) => p.length === 0)) return undefined;
  const seen = new Map<string, Uint8Array>();
  for (const p of rest) seen.set(Buffer.from(p[0]).toString('hex'), p[0]);
  return [...seen.values()];
}
