import type { Db } from 'mongodb';
import { EVENTS, eventId, type Ledger } from '../ledger/ledger.ts';
import type { LedgerEvent } from '../ledger/event.ts';
import { isDuplicateKey } from '../platform/db/mongo.ts';
import { allRecordTypes, recordTypeOf, streamId, type RecordType } from './registry.ts';

export type Projected<S> = S & { _id: string; ledgerVersion: number };

/**
 * Keeps each record type's collection equal to the fold of its stream. Updates are guarded by
 * `{_id, ledgerVersion: v-1}` so applying an event twice, or out of order, is harmless; a
 * projection that is behind is rebuilt from the ledger.
 */
export class Projector {
  constructor(private db: Db, private ledger: Ledger) {
    ledger.onAppended((e) => this.apply(e));
  }

  async apply(e: LedgerEvent): Promise<void> {
    const t = recordTypeOf(e.stream);
    if (t) await this.project(t, e.stream, e);
  }

  /**
   * The record's state at `version` (default: now). The current version is the projection
   * itself (a single _id lookup); past versions are replayed from the ledger. With the driver's
   * ignoreUndefined, a projection round-trips to the same canonical content as the replay.
   */
  async stateAt<S extends object>(stream: string, version?: number): Promise<S | undefined> {
    const t = recordTypeOf(stream);
    if (!t) return undefined;
    const doc = await this.db.collection<Projected<Record<string, unknown>>>(t.collection).findOne({ _id: streamId(stream) });
    const head = version === undefined ? await this.ledger.head(stream) : null;
    if (doc && (doc.ledgerVersion === version || (head && doc.ledgerVersion === head.version))) {
      const { _id, ledgerVersion, ...state } = doc;
      return state as unknown as S;
    }
    // a replay is what verification trusts (signatures, catch-up): it reads the store, never the cache
    const events = await this.ledger.read(stream, version, { fresh: true });
    return events.reduce<S | undefined>((st, ev) => t.reduce(st, ev) as S, undefined);
  }

  /** The replayed state, never the projection: for verifying what a signature bound. */
  async replayedStateAt<S extends object>(stream: string, version: number): Promise<S | undefined> {
    const t = recordTypeOf(stream);
    if (!t) return undefined;
    // a replay is what verification trusts (signatures, catch-up): it reads the store, never the cache
    const events = await this.ledger.read(stream, version, { fresh: true });
    return events.reduce<S | undefined>((st, ev) => t.reduce(st, ev) as S, undefined);
  }

  private async project(t: RecordType<any>, stream: string, e: LedgerEvent, attempt = 0): Promise<void> {
    const col = this.db.collection<Projected<Record<string, unknown>>>(t.collection);
    const _id = streamId(stream);
    // version 1 creates the record: don't look for a document that cannot exist yet (a missing
    // _id costs a full scan on the embedded engine)
    const doc = e.version === 1 && attempt === 0 ? null : await col.findOne({ _id });
    const current = doc?.ledgerVersion ?? 0;
    if (current >= e.version) return;
    let state: object;
    if (current === e.version - 1) {
      const { _id: _ignored, ledgerVersion: _v, ...prev } = doc ?? ({} as Projected<Record<string, unknown>>);
      state = t.reduce(doc ? prev : undefined, e);
    } else {
      state = (await this.replayedStateAt(stream, e.version)) ?? {};
    }
    const next = { ...state, _id, ledgerVersion: e.version } as Projected<Record<string, unknown>>;
    if (!doc) {
      try { await col.insertOne(next); } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        if (attempt < 3) return this.project(t, stream, e, attempt + 1);
      }
      return;
    }
    const r = await col.replaceOne({ _id, ledgerVersion: current }, next);
    if (r.matchedCount === 0 && attempt < 3) return this.project(t, stream, e, attempt + 1);
  }

  /** Start-up catch-up: every projection that is behind its stream is brought level. */
  async catchUp(): Promise<number> {
    let repaired = 0;
    for (const t of allRecordTypes()) {
      const heads = new Map<string, number>();
      const cursor = this.ledger.events.find({ stream: { $regex: `^${t.type}:` } }, { projection: { _id: 0, stream: 1, version: 1 } });
      for await (const e of cursor) heads.set(e.stream, Math.max(heads.get(e.stream) ?? 0, e.version));
      const have = new Map<string, number>();
      for await (const d of this.db.collection(t.collection).find({}, { projection: { ledgerVersion: 1 } })) have.set(String(d._id), d.ledgerVersion as number);
      for (const [stream, version] of heads) {
        if ((have.get(streamId(stream)) ?? 0) >= version) continue;
        const last = await this.db.collection<LedgerEvent & { _id: string }>(EVENTS).findOne({ _id: eventId(stream, version) }, { projection: { _id: 0 } });
        if (last) { await this.project(t, stream, last); repaired++; }
      }
    }
    return repaired;
  }
}
