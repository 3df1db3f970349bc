// A lossless text encoding of plain data for snapshots and the round log: JSON, with bigint as
// {"$n":"123"}, bytes as {"$b":"hex"} and Principal as {"$p":"text"}. JSON.stringify/parse are
// native and fast, which matters for large states.
import { Principal } from '@icp-sdk/core/principal';

export function encodeData(value: unknown): string {
  return JSON.stringify(value, function (this: any, key: string, v: unknown) {
    const raw = this[key];
    if (typeof raw === 'bigint') return { $n: raw.toString() };
    if (raw instanceof Uint8Array) return { $b: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('hex') };
    if (raw instanceof Principal) return { $p: raw.toText() };
    if (raw instanceof Map) throw new Error('encodeData: Map is not plain data; use an array of entries');
    return v;
  });
}

export function decodeData<T = unknown>(text: string): T {
  return JSON.parse(text, (_key, v) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      if (typeof v.$n === 'string' && Object.keys(v).length === 1) return BigInt(v.$n);
      if (typeof v.$b === 'string' && Object.keys(v).length === 1) return new Uint8Array(Buffer.from(v.$b, 'hex'));
      if (typeof v.$p === 'string' && Object.keys(v).length === 1) return Principal.fromText(v.$p);
    }
    return v;
  }) as T;
}
