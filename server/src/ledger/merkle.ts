import { createHash } from 'node:crypto';
import { canonicalize } from './canonical.ts';
import { sha256Hex } from './event.ts';

export interface StreamHead {
  stream: string;
  version: number;
  hash: string;
}

// The Merkle tree of RFC 9162 §2.1 (Certificate Transparency v2): leaf = SHA-256(0x00 ‖ data),
// node = SHA-256(0x01 ‖ left ‖ right), the left subtree always the largest power of two. Its
// inclusion proofs let a scoped evidence bundle prove that a stream's head is under a signed
// checkpoint root while saying nothing about the other leaves. Leaves are the stream heads sorted
// by stream name (UTF-16 order, as JS compares strings), so any party rebuilds the same tree.
const sha = (...parts: Buffer[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export const byStream = (a: StreamHead, b: StreamHead) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0);

/** The leaf data is the RFC 8785 canonical JSON of the head: unambiguous whatever the stream name holds. */
export function leafHash(h: StreamHead): Buffer {
  return sha(LEAF, Buffer.from(canonicalize({ hash: h.hash, stream: h.stream, version: h.version })));
}

/**
 * The tree's levels bottom-up. Pairing each level left to right and carrying an odd last node up
 * unchanged builds exactly RFC 9162's tree (its left subtrees are the complete power-of-two ones).
 */
function levels(sorted: StreamHead[]): Buffer[][] {
  const out = [sorted.map(leafHash)];
  while (out.at(-1)!.length > 1) {
    const level = out.at(-1)!,
      next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(i + 1 < level.length ? sha(NODE, level[i], level[i + 1]) : level[i]);
    out.push(next);
  }
  return out;
}

/** MTH over the heads (sorted here); the empty tree's root is SHA-256 of nothing (RFC 9162 §2.1.1). */
export function merkleRoot(heads: StreamHead[]): string {
  if (heads.length === 0) return sha256Hex('');
  return levels([...heads].sort(byStream))
    .at(-1)![0]
    .toString('hex');
}

export interface InclusionProof {
  leafIndex: number;
  treeSize: number;
  path: string[];
}

/** A tree built once, then asked for inclusion proofs of the streams an evidence bundle carries. */
export class MerkleTree {
  private sorted: StreamHead[];
  private index = new Map<string, number>();
  private tree: Buffer[][];
  constructor(heads: Iterable<StreamHead>) {
    this.sorted = [...heads].sort(byStream);
    this.sorted.forEach((h, i) => this.index.set(h.stream, i));
    this.tree = this.sorted.length ? levels(this.sorted) : [];
  }
  get root(): string {
    return this.tree.length ? this.tree.at(-1)![0].toString('hex') : sha256Hex('');
  }
  head(stream: string): StreamHead | undefined {
    const i = this.index.get(stream);
    return i === undefined ? undefined : this.sorted[i];
  }

  /** PATH(m, D[n]) of RFC 9162 §2.1.3.1: the siblings from the leaf up (a carried node has none). */
  proof(stream: string): InclusionProof | undefined {
    const leafIndex = this.index.get(stream);
    if (leafIndex === undefined) return undefined;
    const path: string[] = [];
    let i = leafIndex;
    for (const level of this.tree.slice(0, -1)) {
      const sibling = i ^ 1;
      if (sibling < level.length) path.push(level[sibling].toString('hex'));
      i >>= 1;
    }
    return { leafIndex, treeSize: this.sorted.length, path };
  }
}

/**
 * The same tree kept up to date head by head, for the checkpoint sealed after every signature:
 * rebuilding it from all heads cost ~0.9 s at 110k streams (sorting, then a canonical JSON and a
 * SHA-256 per leaf), on the event loop, per signature. Here a changed head rehashes its leaf and
 * the nodes above it (log n); a new stream shifts the leaves after it, so the nodes from its
 * position on are rehashed (no leaf is). `root()` is always MTH of exactly the heads set, as
 * `merkleRoot` computes it (merkle.test.ts checks both on the same heads after every change).
 */
export class IncrementalMerkle {
  private streams: string[] = [];
  private levels: Buffer[][] = [[]];
  /** every node at or after this leaf index is stale; plus single stale leaves in `points` */
  private staleFrom = Infinity;
  private points = new Set<number>();

  constructor(heads: Iterable<StreamHead> = []) {
    const sorted = [...heads].sort(byStream);
    this.streams = sorted.map((h) => h.stream);
    this.levels = [sorted.map(leafHash)];
    this.staleFrom = 0;
  }

  /**
   * The tree of `heads`, its leaves hashed a slice at a time between other work (~2 s of hashing
   * at 110k streams would otherwise hold the event loop at a server's first checkpoint).
   */
  static async build(heads: Iterable<StreamHead>, slice = 5_000): Promise<IncrementalMerkle> {
    const sorted = [...heads].sort(byStream);
    const tree = new IncrementalMerkle();
    tree.streams = sorted.map((h) => h.stream);
    const leaves: Buffer[] = [];
    for (let i = 0; i < sorted.length; i += slice) {
      for (const h of sorted.slice(i, i + slice)) leaves.push(leafHash(h));
      await new Promise((r) => setImmediate(r));
    }
    tree.levels = [leaves];
    tree.staleFrom = 0;
    return tree;
  }

  get size() {
    return this.streams.length;
  }

  /** Adds a stream's head, or replaces the head of a stream already in the tree. */
  set(h: StreamHead): void {
    const i = this.find(h.stream);
    if (this.streams[i] === h.stream) {
      this.levels[0][i] = leafHash(h);
      this.points.add(i);
      return;
    }
    this.streams.splice(i, 0, h.stream);
    this.levels[0].splice(i, 0, leafHash(h));
    this.staleFrom = Math.min(this.staleFrom, i);
  }

  /** Takes a stream out of the tree (undoing a `set` whose checkpoint was not sealed). */
  remove(stream: string): void {
    const i = this.find(stream);
    if (this.streams[i] !== stream) return;
    this.streams.splice(i, 1);
    this.levels[0].splice(i, 1);
    this.staleFrom = Math.min(this.staleFrom, i);
  }

  root(): string {
    if (this.streams.length === 0) return sha256Hex('');
    let from = this.staleFrom;
    let points = [...this.points];
    for (let l = 0; this.levels[l].length > 1; l++) {
      const level = this.levels[l];
      const next = (this.levels[l + 1] ??= []);
      const size = Math.ceil(level.length / 2);
      next.length = Math.min(next.length, size);
      const node = (k: number) => (2 * k + 1 < level.length ? sha(NODE, level[2 * k], level[2 * k + 1]) : level[2 * k]);
      from = Math.floor(from / 2);
      points = [...new Set(points.map((i) => i >> 1))].filter((k) => k < from && k < size);
      for (const k of points) next[k] = node(k);
      for (let k = Math.min(from, next.length); k < size; k++) next[k] = node(k);
    }
    this.levels.length = this.levels.findIndex((level) => level.length <= 1) + 1;
    this.staleFrom = Infinity;
    this.points.clear();
    return this.levels.at(-1)![0].toString('hex');
  }

  /** The index of `stream`, or where it would be inserted (binary search in byStream order). */
  private find(stream: string): number {
    let lo = 0,
      hi = this.streams.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.streams[mid] < stream) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** RFC 9162 §2.1.3.2, step by step: true when `head` is leaf `leafIndex` of the tree whose root is `root`. */
export function verifyInclusion(head: StreamHead, proof: InclusionProof, root: string): boolean {
  const { leafIndex, treeSize, path } = proof ?? {};
  if (
    !Number.isSafeInteger(leafIndex) ||
    !Number.isSafeInteger(treeSize) ||
    !Array.isArray(path) ||
    leafIndex < 0 ||
    leafIndex >= treeSize
  )
    return false;
  let fn = leafIndex,
    sn = treeSize - 1;
  let r = leafHash(head);
  for (const hex of path) {
    if (sn === 0 || typeof hex !== 'string' || !/^[0-9a-f]{64}$/.test(hex)) return false;
    const p = Buffer.from(hex, 'hex');
    if (fn % 2 === 1 || fn === sn) {
      r = sha(NODE, p, r);
      if (fn % 2 === 0)
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
    } else {
      r = sha(NODE, r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.toString('hex') === root;
}

/** The tree of checkpoints written before RFC 9162 trees (format 1): kept so old checkpoints still verify. */
export function legacyMerkleRoot(heads: StreamHead[]): string {
  if (heads.length === 0) return sha256Hex('empty');
  let level = [...heads].sort(byStream).map((h) => sha256Hex(`leaf\u0000${h.stream}\u0000${h.version}\u0000${h.hash}`));
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(i + 1 < level.length ? sha256Hex(`node\u0000${level[i]}${level[i + 1]}`) : level[i]);
    level = next;
  }
  return level[0];
}
