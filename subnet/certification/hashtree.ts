// The IC's certified hash tree: a labeled tree whose root hash gets signed, and witnesses (pruned
// copies) that reveal only the requested paths. Encoded as CBOR arrays: [0] empty,
// [1,l,r] fork, [2,label,sub] labeled, [3,value] leaf, [4,hash] pruned.
import { createHash } from 'node:crypto';
import { compareBytes } from '../canisters/common/accounts.ts';

export type HashTree =
  | [0]
  | [1, HashTree, HashTree]
  | [2, Uint8Array, HashTree]
  | [3, Uint8Array]
  | [4, Uint8Array];

/** A node of the state we certify: a leaf value or a map of labels to nodes. */
export type LabeledTree = Uint8Array | SubTree;

/** Children sorted by label bytes; hashes are memoized since trees are immutable once built. */
export class SubTree {
  readonly labels: Uint8Array[];
  readonly children: LabeledTree[];
  private hashes?: (Uint8Array | undefined)[];
  private rootHash?: Uint8Array;

  constructor(entries: [Uint8Array | string, LabeledTree][]) {
    const sorted = entries
      .map(([l, c]) => [typeof l === 'string' ? new TextEncoder().encode(l) : l, c] as [Uint8Array, LabeledTree])
      .sort((a, b) => compareBytes(a[0], b[0]));
    for (let i = 1; i < sorted.length; i++) {
      if (compareBytes(sorted[i - 1][0], sorted[i][0]) === 0) throw new Error('duplicate label in hash tree');
    }
    this.labels = sorted.map((e) => e[0]);
    this.children = sorted.map((e) => e[1]);
  }

  get(label: Uint8Array): LabeledTree | undefined {
    const i = this.indexOf(label);
    return i >= 0 ? this.children[i] : undefined;
  }

  /** Binary search; returns the index or -(insertion point) - 1. */
  indexOf(label: Uint8Array): number {
    let lo = 0;
    let hi = this.labels.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = compareBytes(this.labels[mid], label);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }

  hash(): Uint8Array {
    if (!this.rootHash) this.rootHash = this.rangeHash(0, this.labels.length);
    return this.rootHash;
  }

  /** Hash of the labeled node at index i. */
  labeledHash(i: number): Uint8Array {
    this.hashes ??= new Array(this.labels.length);
    let h = this.hashes[i];
    if (!h) {
      h = sha256(LABELED, this.labels[i], hashOf(this.children[i]));
      this.hashes[i] = h;
    }
    return h;
  }

  /** The fork tree over [lo, hi) is balanced: split at the middle. */
  rangeHash(lo: number, hi: number): Uint8Array {
    if (hi - lo === 0) return EMPTY_HASH;
    if (hi - lo === 1) return this.labeledHash(lo);
    const mid = (lo + hi) >> 1;
    return sha256(FORK, this.rangeHash(lo, mid), this.rangeHash(mid, hi));
  }
}

const enc = (s: string) => {
  const b = new TextEncoder().encode(s);
  return new Uint8Array([b.length, ...b]);
};
const EMPTY = enc('ic-hashtree-empty');
const FORK = enc('ic-hashtree-fork');
const LABELED = enc('ic-hashtree-labeled');
const LEAF = enc('ic-hashtree-leaf');

function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

const EMPTY_HASH = sha256(EMPTY);

export function hashOf(tree: LabeledTree): Uint8Array {
  return tree instanceof SubTree ? tree.hash() : sha256(LEAF, tree);
}

/** Root hash of an encoded (possibly pruned) tree, as a verifier reconstructs it. */
export function reconstruct(tree: HashTree): Uint8Array {
  switch (tree[0]) {
    case 0:
      return EMPTY_HASH;
    case 1:
      return sha256(FORK, reconstruct(tree[1]), reconstruct(tree[2]));
    case 2:
      return sha256(LABELED, tree[1], reconstruct(tree[2]));
    case 3:
      return sha256(LEAF, tree[1]);
    case 4:
      return tree[1];
  }
}

/** A path of labels; an empty path selects the whole node. */
export type Path = Uint8Array[];

/**
 * A witness: the tree with every branch that no path leads into pruned. A requested label that
 * is absent is proven absent by revealing its neighbours' labels (their contents stay pruned).
 */
export function witness(tree: LabeledTree, paths: Path[]): HashTree {
  if (paths.some((p) => p.length === 0)) return full(tree);
  if (!(tree instanceof SubTree)) return [4, hashOf(tree)];
  // Group the paths by their first label.
  const reveal = new Map<number, Path[]>();
  const mark = (i: number, rest: Path | undefined) => {
    const list = reveal.get(i) ?? [];
    if (rest) list.push(rest);
    reveal.set(i, list);
  };
  for (const path of paths) {
    const i = tree.indexOf(path[0]);
    if (i >= 0) mark(i, path.slice(1));
    else {
      const at = -i - 1;
      if (at - 1 >= 0) mark(at - 1, undefined);
      if (at < tree.labels.length) mark(at, undefined);
    }
  }
  const build = (lo: number, hi: number): HashTree => {
    if (hi - lo === 0) return [0];
    let any = false;
    for (const i of reveal.keys()) if (i >= lo && i < hi) { any = true; break; }
    if (!any) return [4, tree.rangeHash(lo, hi)];
    if (hi - lo === 1) {
      const sub = reveal.get(lo)!;
      const child = tree.children[lo];
      return [2, tree.labels[lo], sub.length > 0 ? witness(child, sub) : [4, hashOf(child)]];
    }
    const mid = (lo + hi) >> 1;
    return [1, build(lo, mid), build(mid, hi)];
  };
  return build(0, tree.labels.length);
}

/** The whole tree, nothing pruned. */
export function full(tree: LabeledTree): HashTree {
  if (!(tree instanceof SubTree)) return [3, tree];
  const build = (lo: number, hi: number): HashTree => {
    if (hi - lo === 0) return [0];
    if (hi - lo === 1) return [2, tree.labels[lo], full(tree.children[lo])];
    const mid = (lo + hi) >> 1;
    return [1, build(lo, mid), build(mid, hi)];
  };
  return build(0, tree.labels.length);
}

/** Unsigned LEB128, the encoding of numbers in the state tree. */
export function leb128(value: bigint | number): Uint8Array {
  let v = BigInt(value);
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return new Uint8Array(out);
}
