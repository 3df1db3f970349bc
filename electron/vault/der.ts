// Just enough DER to read and write the key containers users bring (SEC1, PKCS#8, PBES2). Any
// structural problem throws DerError; callers turn it into a sentence about their file.

export class DerError extends Error {}

export interface Der {
  tag: number;
  /** The content octets. */
  body: Uint8Array;
}

export const TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  sequence: 0x30,
  context0: 0xa0,
  context1: 0xa1,
} as const;

/** Reads one element that must fill `bytes` exactly. */
export function readDer(bytes: Uint8Array): Der {
  const [el, end] = readAt(bytes, 0);
  if (end !== bytes.length) throw new DerError('trailing bytes after the structure');
  return el;
}

/** The elements inside a constructed element (a SEQUENCE or an explicit [n] tag). */
export function children(el: Der): Der[] {
  if ((el.tag & 0x20) === 0) throw new DerError('expected a constructed element');
  const out: Der[] = [];
  let at = 0;
  while (at < el.body.length) {
    const [child, end] = readAt(el.body, at);
    out.push(child);
    at = end;
  }
  return out;
}

export function expectTag(el: Der | undefined, tag: number, what: string): Der {
  if (!el || el.tag !== tag) throw new DerError(`expected ${what}`);
  return el;
}

export function readOid(el: Der | undefined): string {
  const { body } = expectTag(el, TAG.oid, 'an object identifier');
  if (body.length === 0) throw new DerError('empty object identifier');
  const subids: number[] = [];
  let value = 0;
  for (let i = 0; i < body.length; i++) {
    value = value * 128 + (body[i] & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER) throw new DerError('object identifier arc too large');
    if ((body[i] & 0x80) === 0) {
      subids.push(value);
      value = 0;
    } else if (i === body.length - 1) throw new DerError('truncated object identifier');
  }
  const first = Math.min(2, Math.floor(subids[0] / 40));
  return [first, subids[0] - 40 * first, ...subids.slice(1)].join('.');
}

/** A non-negative INTEGER that fits a JavaScript number. */
export function readSmallInt(el: Der | undefined, what: string): number {
  const { body } = expectTag(el, TAG.integer, what);
  if (body.length === 0 || body.length > 7 || body[0] & 0x80) throw new DerError(`${what} is out of range`);
  return body.reduce((n, b) => n * 256 + b, 0);
}

export function readOctets(el: Der | undefined, what: string): Uint8Array {
  return expectTag(el, TAG.octetString, what).body;
}

/** A BIT STRING with no unused bits. */
export function readBits(el: Der | undefined, what: string): Uint8Array {
  const { body } = expectTag(el, TAG.bitString, what);
  if (body.length === 0 || body[0] !== 0) throw new DerError(`${what} is not a whole number of bytes`);
  return body.subarray(1);
}

function readAt(bytes: Uint8Array, at: number): [Der, number] {
  if (at + 2 > bytes.length) throw new DerError('the structure is truncated');
  const tag = bytes[at];
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not used by key files');
  let len = bytes[at + 1];
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerError('unsupported length encoding');
    if (start + n > bytes.length) throw new DerError('the structure is truncated');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[start + i];
    start += n;
  }
  const end = start + len;
  if (end > bytes.length) throw new DerError('the structure is truncated');
  return [{ tag, body: bytes.subarray(start, end) }, end];
}

// --- writing (canonical key files for export) ---

export function encode(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = concat(...parts);
  const n = body.length;
  let header: number[];
  if (n < 0x80) header = [tag, n];
  else {
    const lenBytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) lenBytes.unshift(v & 0xff);
    header = [tag, 0x80 | lenBytes.length, ...lenBytes];
  }
  return concat(Uint8Array.from(header), body);
}

export function encodeOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out = [40 * arcs[0] + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const chunk = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return encode(TAG.oid, Uint8Array.from(out));
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
