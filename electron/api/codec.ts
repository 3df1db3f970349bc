// The wire form of API values over the loopback bridge (IPC uses structured clone, which keeps
// bigints): JSON with bigints as {"$n": "<decimal>"}. Only plain data crosses: anything else is a
// bug on the sending side and is refused.

export function encodeWire(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, _key, v: unknown) {
    if (typeof v === 'bigint') return { $n: v.toString() };
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) throw new TypeError(`not plain data: ${proto?.constructor?.name ?? 'object'}`);
    }
    if (typeof v === 'function' || typeof v === 'symbol') throw new TypeError(`not plain data: ${typeof v}`);
    return v;
  });
}

const DECIMAL = /^-?\d{1,40}$/;

export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const n = (v as { $n?: unknown }).$n;
      if (keys.length === 1 && keys[0] === '$n') {
        if (typeof n !== 'string' || !DECIMAL.test(n)) throw new SyntaxError('a $n value must be a decimal integer');
        return BigInt(n);
      }
    }
    return v;
  });
}
