import type { Collection, Db } from 'mongodb';
import { canonicalize } from './canonical.ts';
import { GENESIS_HASH, sha256Hex, type LedgerEvent } from './event.ts';
import { byStream, legacyMerkleRoot, merkleRoot, MerkleTree, type StreamHead } from './merkle.ts';
import { declareIndexes, isDuplicateKey } from '../platform/db/mongo.ts';
import { EVENTS, type Ledger } from './ledger.ts';
import type { Witness } from './witness.ts';
import type { Signer } from '../../../signatures/signer.ts';
import { nowIso } from '../platform/clock.ts';

export const CHECKPOINTS = 'ledger_checkpoints';
declareIndexes(CHECKPOINTS, [{ key: { seq: 1 }, name: 'seq', unique: true }]);

/**
 * A checkpoint seals the heads of all streams into an RFC 9162 Merkle root, numbered and chained
 * to the previous checkpoint and signed with the server key. It lists only the heads that changed
 * since the previous one (`changed`); its signed body holds their hash (`changedHash`), so a
 * scoped evidence bundle can carry the signed body without naming other records. The body also
 * certifies the public key that seals every event (`sealKey`), for verifiers with no database.
 * Format 1 (no `format` field) is what checkpoints looked like before: still verified as they were.
 */
export interface Checkpoint {
  format?: 2;
  seq: number;
  at: string;
  streams: number;
  events: number;
  changed: StreamHead[];
  changedHash?: string;
  root: string;
  prevHash: string;
  hash: string;
  signature: string;
  certFingerprint: string;
  sealKey?: string;
}
/** A checkpoint as an evidence bundle carries it: the signed body without the list of changed streams. */
export type CheckpointBody = Omit<Checkpoint, 'changed'> & { changed?: StreamHead[] };

const isHead = (h: unknown) =>
  typeof h === 'object' &&
  h !== null &&
  typeof (h as StreamHead).stream === 'string' &&
  Number.isSafeInteger((h as StreamHead).version) &&
  typeof (h as StreamHead).hash === 'string';
/** A document that can be checked as a checkpoint at all: anything else is named, never dereferenced. */
export function isWellFormedCheckpoint(c: unknown): c is Checkpoint {
  const x = c as Checkpoint;
  return (
    typeof c === 'object' &&
    c !== null &&
    Number.isSafeInteger(x.seq) &&
    x.seq >= 1 &&
    ['at', 'root', 'prevHash', 'hash', 'signature', 'certFingerprint'].every(
      (k) => typeof (x as unknown as Record<string, unknown>)[k] === 'string',
    ) &&
    (x.changed === undefined || (Array.isArray(x.changed) && x.changed.every(isHead)))
  );
}

export const changedHash = (changed: StreamHead[]) => sha256Hex(canonicalize(changed));

export function checkpointHash(c: Omit<CheckpointBody, 'hash' | 'signature'>): string {
  const { seq, at, streams, events, root, prevHash, certFingerprint } = c;
  if (c.format !== 2)
    return sha256Hex(canonicalize({ seq, at, streams, events, changed: c.changed, root, prevHash, certFingerprint }));
  return sha256Hex(
    canonicalize({
      format: 2,
      seq,
      at,
      streams,
      events,
      changedHash: c.changedHash,
      root,
      prevHash,
      certFingerprint,
      sealKey: c.sealKey,
    }),
  );
}
export const rootOf = (c: Pick<CheckpointBody, 'format'>, heads: StreamHead[]) =>
  c.format === 2 ? merkleRoot(heads) : legacyMerkleRoot(heads);

// _id by seq, so the next checkpoint is found by an _id lookup (the embedded engine scans for anything else)
const checkpointId = (seq: number) => `checkpoint|${String(seq).padStart(10, '0')}`;
interface State {
  seq: number;
  hash: string;
  heads: Map<string, StreamHead>;
  last: Checkpoint | null;
}

export class Checkpointer {
  readonly col: Collection<Checkpoint>;
  private state: State | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private next: { promise: Promise<Checkpoint | null>; force: boolean; full: boolean; quick: boolean } | null = null;

  constructor(
    private db: Db,
    private signer: Signer,
    readonly opts: { ledger?: Ledger; witness?: Witness; onWitnessError?: (err: Error) => void } = {},
  ) {
    this.col = db.collection<Checkpoint>(CHECKPOINTS);
  }

  get witness() {
    return this.opts.witness;
  }

  async latest(): Promise<Checkpoint | null> {
    return (await this.catchUp()).last;
  }

  async all(): Promise<Checkpoint[]> {
    return this.col
      .find({}, { projection: { _id: 0 } })
      .sort({ seq: 1 })
      .toArray();
  }

  /** The latest checkpoint (sealed now if the latest predates RFC 9162 trees) and the tree of the heads it sealed. */
  async sealedTree(): Promise<{ checkpoint: Checkpoint; tree: MerkleTree }> {
    if ((await this.catchUp()).last?.format !== 2) await this.create(true);
    const state = await this.catchUp();
    const tree = new MerkleTree(state.heads.values());
    if (!state.last || tree.root !== state.last.root)
      throw new Error(`checkpoint ${state.seq}: the heads this server holds do not rebuild its root`);
    return { checkpoint: state.last, tree };
  }

  /**
   * Seals the current heads; null when nothing changed since the last checkpoint (unless `force`).
   * Incremental by default: the heads this process knows (the ledger keeps them) against the heads
   * the checkpoints sealed. `full` scans the events collection instead, which also picks up what
   * other servers sharing the database appended (the periodic timer uses it). Requests made while
   * one runs share the next run, which starts after they were made: it sees their events.
   * `quick` (the checkpoint after a signature) does not wait for the ledger's start-up scan of
   * heads: it seals the heads known so far (see currentHeads).
   */
  create(force = false, full = false, quick = false): Promise<Checkpoint | null> {
    if (this.next) {
      this.next.force ||= force;
      this.next.full ||= full;
      this.next.quick &&= quick;
      return this.next.promise;
    }
    const next = { force, full, quick, promise: null as unknown as Promise<Checkpoint | null> };
    next.promise = this.tail.then(() => {
      this.next = null;
      return this.doCreate(next.force, next.full, next.quick);
    });
    this.next = next;
    this.tail = next.promise.catch(() => undefined);
    return next.promise;
  }

  /** Reads checkpoints this process has not seen yet (other servers', or all at first use). */
  private async catchUp(): Promise<State> {
    if (!this.state) {
      const state: State = { seq: 0, hash: GENESIS_HASH, heads: new Map(), last: null };
      for (const c of await this.all()) this.absorb(state, c);
      this.state = state;
    }
    for (;;) {
      const c = await this.col.findOne({ _id: checkpointId(this.state.seq + 1) } as object, { projection: { _id: 0 } });
      if (!c) return this.state;
      this.absorb(this.state, c);
    }
  }

  private absorb(state: State, c: Checkpoint) {
    // heads only move forward, whichever server sealed them
    for (const h of c.changed ?? [])
      if ((state.heads.get(h.stream)?.version ?? 0) < h.version) state.heads.set(h.stream, h);
    Object.assign(state, { seq: c.seq, hash: c.hash, last: c });
  }

  /**
   * The heads to seal: those this process knows, and with `full` (or with no ledger to ask) a scan,
   * the newer of both. While the ledger's start-up scan of heads runs, the known heads are those
   * appended or read since start: sealing them is sound (each is a real event; the checkpoint
   * keeps every head sealed before), and a stream not met yet keeps its previously sealed head
   * until the scan or the timed full checkpoint brings it in.
   */
  private async currentHeads(full: boolean, quick: boolean): Promise<Iterable<StreamHead>> {
    const ledger = this.opts.ledger;
    if (ledger && !full && !quick && !ledger.knownHeads().complete) await ledger.loadHeads();
    const known = ledger?.knownHeads();
    const heads = new Map<string, StreamHead>();
    for (const [stream, h] of known?.heads ?? []) heads.set(stream, { stream, version: h.version, hash: h.hash });
    if (known && !full) return heads.values();
    const cursor = this.db
      .collection<LedgerEvent>(EVENTS)
      .find({}, { projection: { _id: 0, stream: 1, version: 1, hash: 1 } });
    for await (const e of cursor)
      if ((heads.get(e.stream)?.version ?? 0) < e.version)
        heads.set(e.stream, { stream: e.stream, version: e.version, hash: e.hash });
    return heads.values();
  }

  private async doCreate(force: boolean, full: boolean, quick: boolean): Promise<Checkpoint | null> {
    for (let attempt = 0; attempt < 10; attempt++) {
      // optimistic: seal on top of the checkpoint this process knows; the unique _id (seq) refuses
      // it if another server sealed that seq first, and only then are the newer ones read (probing
      // for an _id that is not there scans the collection on the embedded engine)
      const state = attempt === 0 && this.state ? this.state : await this.catchUp();
      const current = await this.currentHeads(full, quick);
      const changed: StreamHead[] = [];
      for (const h of current)
        if ((state.heads.get(h.stream)?.version ?? 0) < h.version)
          changed.push({ stream: h.stream, version: h.version, hash: h.hash });
      if (!changed.length && state.last && !force) return null;
      changed.sort(byStream);
      const heads = new Map(state.heads);
      for (const h of changed) heads.set(h.stream, h);
      let events = 0;
      for (const h of heads.values()) events += h.version; // versions are contiguous from 1
      const body: Omit<CheckpointBody, 'hash' | 'signature'> = {
        format: 2,
        seq: state.seq + 1,
        at: nowIso(),
        streams: heads.size,
        events,
        changedHash: changedHash(changed),
        root: merkleRoot([...heads.values()]),
        prevHash: state.hash,
        certFingerprint: this.signer.fingerprint,
        sealKey: this.opts.ledger?.sealer?.publicKey,
      };
      const hash = checkpointHash(body);
      const checkpoint = { ...body, changed, hash, signature: this.signer.sign(hash) } as Checkpoint;
      try {
        await this.col.insertOne({ _id: checkpointId(checkpoint.seq), ...checkpoint } as Checkpoint);
      } catch (err) {
        if (isDuplicateKey(err)) continue; // another server sealed this seq first: read it, then seal on top of it
        throw err;
      }
      this.state = { seq: checkpoint.seq, hash, heads, last: checkpoint };
      // written after the insert: a witness line for a checkpoint that lost the race would read as "deleted"
      for (const err of this.opts.witness?.append(checkpoint) ?? []) this.opts.onWitnessError?.(err);
      return checkpoint;
    }
    throw new Error('could not seal a checkpoint: other servers kept winning the sequence number');
  }
}
