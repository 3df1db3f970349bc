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

/** Byte arrays at least this long leave the JSON and travel as raw blobs (encodeWithBlobs). */
const BLOB_MIN_BYTES = 4096;

/**
 * encodeData, with large byte arrays kept out of the text as {"$x": index} into `blobs`: a
 * checkpoint of a mainnet-sized state holds hundreds of MB of typed arrays, which hex would double
 * and push past the longest string V8 can build.
 */
export function encodeWithBlobs(value: unknown): { json: string; blobs: Uint8Array[] } {
  const blobs: Uint8Array[] = [];
  const json = JSON.stringify(value, function (this: any, key: string, v: unknown) {
    const raw = this[key];
    if (typeof raw === 'bigint') return { $n: raw.toString() };
    if (raw instanceof Uint8Array) {
      if (raw.byteLength >= BLOB_MIN_BYTES) return { $x: blobs.push(raw) - 1 };
      return { $b: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('hex') };
    }
    if (raw instanceof Principal) return { $p: raw.toText() };
    if (raw instanceof Map) throw new Error('encodeData: Map is not plain data; use an array of entries');
    return v;
  });
  return { json, blobs };
}

export function decodeWithBlobs<T = unknown>(json: string, blobs: Uint8Array[]): T {
  return JSON.parse(json, (_key, v) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      if (typeof v.$n === 'string' && Object.keys(v).length === 1) return BigInt(v.$n);
      if (typeof v.$x === 'number' && Object.keys(v).length === 1) {
        const blob = blobs[v.$x];
        if (!blob) throw new Error(`checkpoint: missing blob ${v.$x}`);
        return blob;
      }
      if (typeof v.$b === 'string' && Object.keys(v).length === 1) return new Uint8Array(Buffer.from(v.$b, 'hex'));
      if (typeof v.$p === 'string' && Object.keys(v).length === 1) return Principal.fromText(v.$p);
    }
    return v;
  }) as T;
}
