import type { Collection, Db } from 'mongodb';
import { canonicalize } from './canonical.ts';
import { GENESIS_HASH, sha256Hex, type LedgerEvent } from './event.ts';
import { byStream, IncrementalMerkle, legacyMerkleRoot, merkleRoot, MerkleTree, type StreamHead } from './merkle.ts';
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
  /** the sum of the heads' versions: the events they cover (versions are contiguous from 1) */
  events: number;
  /** the Merkle tree of `heads`, kept head by head once built (the first checkpoint of this process builds it) */
  tree: IncrementalMerkle | null;
  last: Checkpoint | null;
}

export class Checkpointer {
  readonly col: Collection<Checkpoint>;
  private state: State | null = null;
  /** the known heads' moves (Ledger.trackHeads), and the moved streams not yet under a stored checkpoint */
  private headMoves?: { take(): Set<string> | null };
  private unsealed = new Set<string>();
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
      const state: State = { seq: 0, hash: GENESIS_HASH, heads: new Map(), events: 0, tree: null, last: null };
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
    for (const h of c.changed ?? []) {
      const before = state.heads.get(h.stream)?.version ?? 0;
      if (before >= h.version) continue;
      state.heads.set(h.stream, h);
      state.events += h.version - before;
      state.tree?.set(h);
    }
    Object.assign(state, { seq: c.seq, hash: c.hash, last: c });
  }

  /** The Merkle tree of the sealed heads, built at this process's first checkpoint and kept since. */
  private async treeOf(state: State): Promise<IncrementalMerkle> {
    if (state.tree) return state.tree;
    const snapshot = new Map(state.heads);
    const built = await IncrementalMerkle.build(snapshot.values());
    if (state.tree) return state.tree;
    // heads absorbed while it was built (absorb replaces a head's object, never edits it)
    for (const [stream, h] of state.heads) if (snapshot.get(stream) !== h) built.set(h);
    return (state.tree = built);
  }

  /**
   * The heads to seal that differ from the sealed ones: of the heads this process knows, and with
   * `full` (or with no ledger to ask) of a scan, the newer of both. While the ledger's start-up scan
   * of heads runs, the known heads are those appended or read since start: sealing them is sound
   * (each is a real event; the checkpoint keeps every head sealed before), and a stream not met yet
   * keeps its previously sealed head until the scan or the timed full checkpoint brings it in.
   * The known heads are compared in place (no copy of 100k heads per signature).
   */
  private async changedHeads(state: State, full: boolean, quick: boolean): Promise<StreamHead[]> {
    const ledger = this.opts.ledger;
    if (ledger && !full && !quick && !ledger.knownHeads().complete) await ledger.loadHeads();
    const known = ledger?.knownHeads();
    const newer = new Map<string, StreamHead>();
    // only the heads that moved since the last look (all of them at the first, or after a reset)
    const moved = ledger && (this.headMoves ??= ledger.trackHeads()).take();
    if (moved) for (const stream of moved) this.unsealed.add(stream);
    const candidates = moved ? this.unsealed : (known?.heads.keys() ?? []);
    for (const stream of candidates) {
      const h = known?.heads.get(stream);
      if (h && (state.heads.get(stream)?.version ?? 0) < h.version)
        newer.set(stream, { stream, version: h.version, hash: h.hash });
    }
    // what is not newer is sealed; what is stays a candidate until a checkpoint that holds it is stored
    this.unsealed = new Set(newer.keys());
    if (known && !full) return [...newer.values()];
    const cursor = this.db
      .collection<LedgerEvent>(EVENTS)
      .find({}, { projection: { _id: 0, stream: 1, version: 1, hash: 1 } });
    for await (const e of cursor)
      if ((newer.get(e.stream)?.version ?? state.heads.get(e.stream)?.version ?? 0) < e.version)
        newer.set(e.stream, { stream: e.stream, version: e.version, hash: e.hash });
    return [...newer.values()];
  }

  private async doCreate(force: boolean, full: boolean, quick: boolean): Promise<Checkpoint | null> {
    for (let attempt = 0; attempt < 10; attempt++) {
      // optimistic: seal on top of the checkpoint this process knows; the unique _id (seq) refuses
      // it if another server sealed that seq first, and only then are the newer ones read (probing
      // for an _id that is not there scans the collection on the embedded engine)
      const state = attempt === 0 && this.state ? this.state : await this.catchUp();
      const tree = await this.treeOf(state);
      // from here to the root nothing waits: what `absorb` adds meanwhile is in both the heads and the tree
      const changed = (await this.changedHeads(state, full, quick)).filter(
        (h) => (state.heads.get(h.stream)?.version ?? 0) < h.version,
      );
      if (!changed.length && state.last && !force) return null;
      changed.sort(byStream);
      // the tree takes the new heads for the root, and gives them back if this seq is lost
      let events = state.events,
        added = 0;
      for (const h of changed) {
        const before = state.heads.get(h.stream)?.version;
        events += h.version - (before ?? 0);
        if (before === undefined) added++;
        tree.set(h);
      }
      const undo = () =>
        changed.forEach((h) => {
          const sealed = state.heads.get(h.stream);
          if (sealed) tree.set(sealed);
          else tree.remove(h.stream);
        });
      const body: Omit<CheckpointBody, 'hash' | 'signature'> = {
        format: 2,
        seq: state.seq + 1,
        at: nowIso(),
        streams: state.heads.size + added,
        events,
        changedHash: changedHash(changed),
        root: tree.root(),
        prevHash: state.hash,
        certFingerprint: this.signer.fingerprint,
        sealKey: this.opts.ledger?.sealer?.publicKey,
      };
      const hash = checkpointHash(body);
      const checkpoint = { ...body, changed, hash, signature: this.signer.sign(hash) } as Checkpoint;
      try {
        await this.col.insertOne({ _id: checkpointId(checkpoint.seq), ...checkpoint } as Checkpoint);
      } catch (err) {
        undo();
        if (isDuplicateKey(err)) continue; // another server sealed this seq first: read it, then seal on top of it
        throw err;
      }
      // as `absorb` would take it (it may have read this very checkpoint while the insert was answered)
      for (const h of changed) {
        const before = state.heads.get(h.stream)?.version ?? 0;
        if (before >= h.version) continue;
        state.heads.set(h.stream, h);
        state.events += h.version - before;
      }
      Object.assign(state, { seq: checkpoint.seq, hash, last: checkpoint });
      this.state = state;
      // written after the insert: a witness line for a checkpoint that lost the race would read as "deleted"
      for (const err of (await this.opts.witness?.append(checkpoint)) ?? []) this.opts.onWitnessError?.(err);
      return checkpoint;
    }
    throw new Error('could not seal a checkpoint: other servers kept winning the sequence number');
  }
}
