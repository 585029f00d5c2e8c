import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import {
  byStream,
  IncrementalMerkle,
  leafHash,
  merkleRoot,
  MerkleTree,
  verifyInclusion,
  type StreamHead,
} from './merkle.ts';

// The tree is checked against RFC 9162 §2.1 written out literally (recursive MTH and PATH, with
// k the largest power of two below n), for every tree size up to 70 and every leaf in it.
const sha = (...b: Buffer[]) => createHash('sha256').update(Buffer.concat(b)).digest();
const largestPowerOfTwoBelow = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
function mth(d: Buffer[]): Buffer {
  if (d.length === 0) return sha();
  if (d.length === 1) return sha(Buffer.from([0]), d[0]);
  const k = largestPowerOfTwoBelow(d.length);
  return sha(Buffer.from([1]), mth(d.slice(0, k)), mth(d.slice(k)));
}
function path(m: number, d: Buffer[]): Buffer[] {
  if (d.length <= 1) return [];
  const k = largestPowerOfTwoBelow(d.length);
  return m < k ? [...path(m, d.slice(0, k)), mth(d.slice(k))] : [...path(m - k, d.slice(k)), mth(d.slice(0, k))];
}
const leafData = (h: StreamHead) => Buffer.from(JSON.stringify({ hash: h.hash, stream: h.stream, version: h.version })); // RFC 8785 for these keys
const heads = (n: number): StreamHead[] =>
  Array.from({ length: n }, (_, i) => ({
    stream: `lot:${(i * 7919) % 1000}-${i}`,
    version: i + 1,
    hash: sha(Buffer.from(String(i))).toString('hex'),
  }));

describe('RFC 9162 Merkle tree of stream heads', () => {
  it('has the root and the inclusion proofs of RFC 9162 for every size and leaf, and they verify', () => {
    expect(merkleRoot([])).toBe(sha().toString('hex'));
    for (let n = 1; n <= 70; n++) {
      const sorted = heads(n).sort(byStream);
      const data = sorted.map(leafData);
      expect(leafHash(sorted[0]).equals(sha(Buffer.from([0]), data[0]))).toBe(true);
      const root = mth(data).toString('hex');
      const tree = new MerkleTree(heads(n).reverse());
      expect([n, merkleRoot(heads(n))]).toEqual([n, root]);
      expect(tree.root).toBe(root);
      sorted.forEach((h, m) => {
        const proof = tree.proof(h.stream)!;
        expect(proof).toEqual({ leafIndex: m, treeSize: n, path: path(m, data).map((b) => b.toString('hex')) });
        expect(verifyInclusion(h, proof, root)).toBe(true);
      });
    }
  });

  it('refuses a proof for another head, index, size or root', () => {
    const list = heads(13);
    const tree = new MerkleTree(list);
    const h = tree.head(list[5].stream)!;
    const proof = tree.proof(h.stream)!;
    expect(verifyInclusion(h, proof, tree.root)).toBe(true);
    expect(verifyInclusion({ ...h, version: h.version + 1 }, proof, tree.root)).toBe(false);
    expect(verifyInclusion({ ...h, stream: 'user:someone' }, proof, tree.root)).toBe(false);
    expect(verifyInclusion(h, { ...proof, leafIndex: proof.leafIndex ^ 1 }, tree.root)).toBe(false);
    expect(verifyInclusion(h, { ...proof, treeSize: 8 }, tree.root)).toBe(false); // (sizes that keep the leaf's path, like 14, prove the same root: the root is what is signed)
    expect(verifyInclusion(h, { ...proof, leafIndex: 13 }, tree.root)).toBe(false);
    expect(verifyInclusion(h, { ...proof, path: proof.path.slice(1) }, tree.root)).toBe(false);
    expect(verifyInclusion(h, { ...proof, path: [...proof.path, proof.path[0]] }, tree.root)).toBe(false);
    expect(verifyInclusion(h, proof, merkleRoot(list.slice(1)))).toBe(false);
    expect(verifyInclusion(h, { ...proof, path: ['zz'] }, tree.root)).toBe(false);
    expect(verifyInclusion(h, null as never, tree.root)).toBe(false);
  });

  it('keeps the RFC 9162 root head by head: replaced, inserted anywhere, removed, in any batch', () => {
    // against the literal MTH of the heads held, after every batch of changes (a seeded sequence)
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const held = new Map<string, StreamHead>();
    const literal = () => mth([...held.values()].sort(byStream).map(leafData)).toString('hex');
    const tree = new IncrementalMerkle(heads(5));
    for (const h of heads(5)) held.set(h.stream, h);
    expect(tree.root()).toBe(literal());
    for (let batch = 0; batch < 300; batch++) {
      for (let c = 1 + rand(4); c > 0; c--) {
        const all = [...held.keys()];
        const op = rand(10);
        if (op < 4 && all.length) {
          const stream = all[rand(all.length)];
          const h = {
            stream,
            version: held.get(stream)!.version + 1,
            hash: sha(Buffer.from(`${batch}/${c}`)).toString('hex'),
          };
          held.set(stream, h);
          tree.set(h);
        } else if (op < 8 || !all.length) {
          const h = {
            stream: `s:${rand(100000)}`,
            version: 1,
            hash: sha(Buffer.from(`n${batch}/${c}`)).toString('hex'),
          };
          held.set(h.stream, h);
          tree.set(h);
        } else {
          const stream = all[rand(all.length)];
          held.delete(stream);
          tree.remove(stream);
        }
      }
      expect(tree.root(), `batch ${batch}, ${held.size} heads`).toBe(literal());
      expect(tree.size).toBe(held.size);
    }
    expect(new IncrementalMerkle().root()).toBe(merkleRoot([]));
  });
});
