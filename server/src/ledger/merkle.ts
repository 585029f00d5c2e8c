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
