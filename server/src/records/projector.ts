import { BSON, type Collection, type Db } from 'mongodb';
import { laterInCommand } from './commandJournal.ts';
import { EVENTS, eventId, type Ledger } from '../ledger/ledger.ts';
import type { LedgerEvent } from '../ledger/event.ts';
import { isDuplicateKey } from '../platform/db/mongo.ts';
import { AppError } from '../platform/errors.ts';
import { recordTypeOf, streamId, type RecordType } from './registry.ts';
import { ReplayCache } from './replayCache.ts';

export type Projected<S> = S & { _id: string; ledgerVersion: number };

/** A record whose state could not be stored (a value the engine refuses, a reducer that throws). */
export interface Unstorable {
  stream: string;
  version: number;
  reason: string;
}

export const fold = (t: RecordType<any>, events: LedgerEvent[]) =>
  events.reduce<object | undefined>((st, ev) => t.reduce(st, ev) as object, undefined);

/**
 * Keeps each record type's collection equal to the fold of its stream. Every write derives the
 * whole document from the ledger (an in-process replay cache keeps that cheap), so a projection
 * edited behind the ledger's back never carries its edit into the next version. Writes only move
 * a projection forward (`ledgerVersion < v` guard): applying an event twice, or out of order, is
 * harmless. A record whose state cannot be stored is refused further writes (and named by
 * `ledger verify`) instead of failing later, or failing the next start.
 */
export class Projector {
  readonly replays = new ReplayCache();
  /** What the start-up projection check found (records/projectionRepair.ts). */
  atStart?: { streams: number; caughtUp: number; drifted: number; unstorable: number; ms: number };
  private unstorable = new Map<string, Unstorable>();
  private projectedListeners: Array<(collection: string, doc: Projected<Record<string, unknown>>) => void> = [];
  /**
   * Calls `listener` with each projection document this process has just stored (as the engine
   * would return it), so an in-process index takes it without reading it back.
   */
  onProjected(listener: (collection: string, doc: Projected<Record<string, unknown>>) => void): void {
    this.projectedListeners.push(listener);
  }
  /** Called once per record that becomes unstorable (boot logs it as an error). */
  onUnstorable: (u: Unstorable) => void = (u) =>
    console.error(`projection of ${u.stream} v${u.version} cannot be stored: ${u.reason}`);

  constructor(
    private db: Db,
    private ledger: Ledger,
  ) {
    ledger.onAppended((e) => this.apply(e));
    ledger.beforeAppend((stream) => this.assertWritable(stream));
  }

  async apply(e: LedgerEvent): Promise<void> {
    const t = recordTypeOf(e.stream);
    if (!t) return;
    try {
      await this.inLane(e.stream, () => this.project(t, e));
      this.unstorable.delete(e.stream);
    } catch (err) {
      this.markUnstorable(e.stream, e.version, err);
    }
  }

  /**
   * One projection write at a time per stream in this process. The embedded engine evaluates an
   * update's filter apart from its write, so two guarded writes racing on one document can both
   * pass the guard and the older one land last (seen under parallel signing: a projection left one
   * version behind its stream).
   */
  private lanes = new Map<string, Promise<unknown>>();
  private inLane<T>(stream: string, work: () => Promise<T>): Promise<T> {
    const run = (this.lanes.get(stream) ?? Promise.resolve()).then(work);
    const tail = run.catch(() => undefined);
    this.lanes.set(stream, tail);
    void tail.then(() => {
      if (this.lanes.get(stream) === tail) this.lanes.delete(stream);
    });
    return run;
  }

  /** Records that cannot be stored now (for `ledger verify` and the start-up report). */
  unstorableRecords(): Unstorable[] {
    return [...this.unstorable.values()];
  }

  markUnstorable(stream: string, version: number, err: unknown) {
    const known = this.unstorable.has(stream);
    const u = { stream, version, reason: (err as Error)?.message ?? String(err) };
    this.unstorable.set(stream, u);
    if (!known) this.onUnstorable(u);
  }

  /**
   * The record's state at `version` (default: its head), derived from the ledger: from the
   * replay cache when it holds that version, else replayed. Callers get their own copy.
   */
  async stateAt<S extends object>(stream: string, version?: number): Promise<S | undefined> {
    const t = recordTypeOf(stream);
    if (!t) return undefined;
    const head = await this.ledger.head(stream);
    if (!head) return undefined;
    const v = version ?? head.version;
    const hit = this.replays.get(stream);
    if (hit && hit.version === v && (v !== head.version || hit.hash === head.hash))
      return structuredClone(hit.state) as S;
    const events = await this.ledger.read(stream, v);
    const state = fold(t, events);
    if (state && events.length === head.version && events.at(-1)!.hash === head.hash)
      this.replays.put(stream, head.version, head.hash, structuredClone(state));
    return state as S | undefined;
  }

  /** The replayed state, never a cache: for verifying what a signature bound. */
  async replayedStateAt<S extends object>(stream: string, version: number): Promise<S | undefined> {
    const t = recordTypeOf(stream);
    if (!t) return undefined;
    // a replay is what verification trusts (signatures, catch-up): it reads the store, never the cache
    return fold(t, await this.ledger.read(stream, version, { fresh: true })) as S | undefined;
  }

  /** Brings one stream's projection level with its head (start-up catch-up, repair). Throws when it cannot be stored. */
  async projectHead(stream: string): Promise<void> {
    const t = recordTypeOf(stream);
    const head = await this.ledger.head(stream);
    if (!t || !head) return;
    const last = await this.db
      .collection<LedgerEvent & { _id: string }>(EVENTS)
      .findOne({ _id: eventId(stream, head.version) }, { projection: { _id: 0 } });
    if (!last) return;
    try {
      await this.inLane(stream, () => this.project(t, last));
      this.unstorable.delete(stream);
    } catch (err) {
      this.markUnstorable(stream, head.version, err);
      throw err;
    }
  }

  private async assertWritable(stream: string) {
    if (!this.unstorable.has(stream)) return;
    // a transient failure (the database was away) heals here; a value the engine refuses does not
    if (
      await this.projectHead(stream).then(
        () => true,
        () => false,
      )
    )
      return;
    throw new AppError('RECORD_UNSTORABLE', {}, { stream });
  }

  /** The state through event `e`: the cached state folded with `e` when it is the cached head's successor, else a replay. */
  private async stateThrough(t: RecordType<any>, e: LedgerEvent): Promise<object> {
    const hit = this.replays.get(e.stream);
    if (hit && hit.version === e.version && hit.hash === e.hash) return hit.state;
    let state: object | undefined;
    if (hit && hit.version === e.version - 1 && hit.hash === e.prevHash) state = t.reduce(hit.state, e) as object;
    else {
      let events = await this.ledger.read(e.stream, e.version);
      if (events.length !== e.version || events.at(-1)!.hash !== e.hash)
        events = await this.ledger.read(e.stream, e.version, { fresh: true });
      state = fold(t, events);
    }
    if (!state) throw new Error(`${e.stream} v${e.version}: the stream folds to nothing`);
    this.replays.put(e.stream, e.version, e.hash, state);
    return state;
  }

  private async project(t: RecordType<any>, e: LedgerEvent): Promise<void> {
    const state = await this.stateThrough(t, e);
    // a later event of the same command on this stream writes the projection (the replay cache
    // has this one's state to fold it from); after a crash in between, start-up catches it up
    if (laterInCommand((x) => x.stream === e.stream)) return;
    const col = this.db.collection<Projected<Record<string, unknown>>>(t.collection);
    const _id = streamId(e.stream);
    const next = { ...state, _id, ledgerVersion: e.version } as Projected<Record<string, unknown>>;
    const stored = () => {
      if (!this.projectedListeners.length) return;
      // the document as the engine keeps it (an undefined field reads back as null)
      const doc = BSON.deserialize(BSON.serialize(next)) as Projected<Record<string, unknown>>;
      for (const l of this.projectedListeners) l(t.collection, doc);
    };
    for (let attempt = 0; attempt < 10; attempt++) {
      // version 1 creates the record: insert first (a missing _id costs a full scan on the embedded engine)
      if (e.version === 1 && attempt === 0) {
        if (await this.insert(col, next)) return stored();
        continue;
      }
      const r = await col.replaceOne({ _id, ledgerVersion: { $lt: e.version } }, next);
      if (r.matchedCount > 0) return stored();
      const doc = await col.findOne({ _id }, { projection: { ledgerVersion: 1 } });
      if (doc && typeof doc.ledgerVersion === 'number' && doc.ledgerVersion >= e.version) return; // a later event got there first
      if (!doc && (await this.insert(col, next))) return stored();
    }
    throw new Error(`${e.stream} v${e.version}: the projection did not settle`);
  }

  private async insert(
    col: Collection<Projected<Record<string, unknown>>>,
    doc: Projected<Record<string, unknown>>,
  ): Promise<boolean> {
    try {
      await col.insertOne({ ...doc });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }
}
