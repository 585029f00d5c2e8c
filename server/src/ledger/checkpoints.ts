import type { Collection, Db } from 'mongodb';
import { canonicalize } from './canonical.ts';
import { GENESIS_HASH, sha256Hex, type LedgerEvent } from './event.ts';
import { merkleRoot, type StreamHead } from './merkle.ts';
import { declareIndexes, isDuplicateKey } from '../platform/db/mongo.ts';
import { EVENTS } from './ledger.ts';
import type { Signer } from '../../../signatures/signer.ts';

export const CHECKPOINTS = 'ledger_checkpoints';
declareIndexes(CHECKPOINTS, [{ key: { seq: 1 }, name: 'seq', unique: true }]);

/**
 * A checkpoint seals the heads of all streams into a Merkle root, chained to the previous
 * checkpoint and signed with the server key. It stores only the heads that changed since the
 * previous checkpoint (`changed`); the root covers the full set, rebuilt by accumulating.
 */
export interface Checkpoint {
  seq: number; at: string; streams: number; events: number;
  changed: StreamHead[]; root: string; prevHash: string; hash: string;
  signature: string; certFingerprint: string;
}

export function checkpointHash(c: Omit<Checkpoint, 'hash' | 'signature'>): string {
  const { seq, at, streams, events, changed, root, prevHash, certFingerprint } = c;
  return sha256Hex(canonicalize({ seq, at, streams, events, changed, root, prevHash, certFingerprint }));
}

export class Checkpointer {
  readonly col: Collection<Checkpoint>;
  private running: Promise<Checkpoint | null> | null = null;
  constructor(private db: Db, private signer: Signer) { this.col = db.collection<Checkpoint>(CHECKPOINTS); }

  async latest(): Promise<Checkpoint | null> {
    return this.col.find({}, { projection: { _id: 0 } }).sort({ seq: -1 }).limit(1).next();
  }

  async all(): Promise<Checkpoint[]> { return this.col.find({}, { projection: { _id: 0 } }).sort({ seq: 1 }).toArray(); }

  /** Seals the current heads; returns null when nothing changed since the last checkpoint. */
  create(force = false): Promise<Checkpoint | null> {
    // one at a time per process; across processes the unique seq decides
    this.running ??= this.doCreate(force).finally(() => { this.running = null; });
    return this.running;
  }

  private async doCreate(force: boolean): Promise<Checkpoint | null> {
    const previous = await this.all();
    const known = new Map<string, StreamHead>();
    for (const c of previous) for (const h of c.changed) known.set(h.stream, h);
    const heads = new Map<string, StreamHead>();
    let events = 0;
    const cursor = this.db.collection<LedgerEvent>(EVENTS).find({}, { projection: { _id: 0, stream: 1, version: 1, hash: 1 } });
    for await (const e of cursor) {
      events++;
      const h = heads.get(e.stream);
      if (!h || e.version > h.version) heads.set(e.stream, { stream: e.stream, version: e.version, hash: e.hash });
    }
    const changed = [...heads.values()].filter((h) => known.get(h.stream)?.hash !== h.hash)
      .sort((a, b) => (a.stream < b.stream ? -1 : 1));
    const last = previous.at(-1);
    if (!changed.length && last && !force) return null;
    const body = {
      seq: (last?.seq ?? 0) + 1, at: new Date().toISOString(), streams: heads.size, events, changed,
      root: merkleRoot([...heads.values()]), prevHash: last?.hash ?? GENESIS_HASH, certFingerprint: this.signer.fingerprint,
    };
    const hash = checkpointHash(body);
    const checkpoint: Checkpoint = { ...body, hash, signature: this.signer.sign(hash) };
    try { await this.col.insertOne({ ...checkpoint }); } catch (err) {
      if (isDuplicateKey(err)) return null; // another server sealed the same moment
      throw err;
    }
    return checkpoint;
  }
}
